package org.cleanbackup.journal;

/** Where a journaled session (one command run) stands. */
public enum SessionState {
    /** Still going, or killed: a session left RUNNING by a dead process is reconciled on the next start. */
    RUNNING,
    /** Finished; some actions may have failed. */
    FINISHED,
    /**
     * Stopped before its end: by a crash or kill and reconciled afterwards, or asked to stop (Ctrl-C) and settled
     * before it ended. Either way every action in it is DONE or FAILED.
     */
    INTERRUPTED
}
