package org.cleanbackup;

/**
 * Whether a request is meant to be carried out or only shown.
 *
 * @since 0.3
 */
public enum Run {
    /** The plan is meant to be executed: its output folders must be writable. */
    FOR_REAL,
    /** The plan is only shown (nothing is changed), so its output folders need not be writable yet. */
    DRY_RUN
}
