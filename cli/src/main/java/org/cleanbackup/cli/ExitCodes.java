package org.cleanbackup.cli;

/** The exit codes of every command, documented in the README. */
final class ExitCodes {

    /** Everything was done. */
    static final int OK = 0;
    /** Done, but some files could not be read or acted on; they are listed. */
    static final int PROBLEMS = 1;
    /** The command line or the setup is wrong; nothing was changed. */
    static final int USAGE = 2;

    private ExitCodes() {
    }
}
