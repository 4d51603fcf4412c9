package org.cleanbackup.journal;

/** Where a journaled session (one command run) stands. */
public enum SessionState {
    /** Still going, or killed: a session left RUNNING by a dead process is reconciled on the next start. */
    RUNNING,
    /** Finished; some actions may have failed. */
    FINISHED,
    /** Stopped by a crash or kill and reconciled afterwards. */
    INTERRUPTED
}
