package org.cleanbackup.cli;

/** The exit codes of every command, documented in the README. */
final class ExitCodes {

    /** Everything was done. */
    static final int OK = 0;
    /** Done, but some files could not be read or acted on; they are listed. */
    static final int PROBLEMS = 1;
    /** The command line or the setup is wrong; nothing was changed. */
    static final int USAGE = 2;
    /**
     * Stopped by Ctrl-C (SIGINT) before the end; what was done is listed and can be undone. A signal's exit status
     * is the JVM's, 128 + the signal number: 130 for SIGINT, 143 for SIGTERM.
     */
    static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
