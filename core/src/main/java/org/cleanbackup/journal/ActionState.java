package org.cleanbackup.journal;

/** Where a journaled action stands. */
public enum ActionState {
    /** Written before the disk is touched; the change may or may not have happened (a crash in between). */
    INTENT,
    /** The change happened and is complete. */
    DONE,
    /** The change was tried and did not happen; the disk is as before. */
    FAILED,
    /** The change was undone by a later session. */
    UNDONE
}
