package org.cleanbackup.cli;

import org.cleanbackup.journal.JournalException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Maps exceptions to exit codes in one place: a user's mistake or an unusable journal is one line on stderr and
 * exit code 2; anything else is a bug, logged with its stack trace (shown with {@code --verbose}), exit code 1.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cli, CommandLine.ParseResult parse) {
        var err = cli.getErr();
        if (ex instanceof UserException || ex instanceof JournalException || ex instanceof IllegalArgumentException
                || ex instanceof org.cleanbackup.cache.HashCache.CacheException) {
            err.println("cleanbackup: " + ex.getMessage());
            return ExitCodes.USAGE;
        }
        LoggerFactory.getLogger(ErrorHandler.class).error("unexpected failure", ex);
        err.println("cleanbackup: unexpected failure: " + ex + " (run with --verbose for details; this is a bug,"
                + " please report it)");
        if (LoggingSetup.verbose()) {
            ex.printStackTrace(err);
        }
        return ExitCodes.PROBLEMS;
    }
}
