package org.cleanbackup.journal;

/**
 * The journal cannot be used: missing, read-only, corrupt, from a newer version, or held by another run. Nothing
 * on disk has been touched when this is thrown before a session starts.
 */
public class JournalException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** An exception with a one-line message for the user. */
    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An exception with a one-line message for the user. */
    public JournalException(String message) {
        super(message);
    }
}
