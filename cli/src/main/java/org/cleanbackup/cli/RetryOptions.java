package org.cleanbackup.cli;

import java.time.Duration;
import org.cleanbackup.execute.RetryPolicy;
import picocli.CommandLine.Option;

/** {@code --retries} and {@code --retry-delay}, shared by the commands that change files (a picocli mixin). */
final class RetryOptions {

    @Option(names = "--retries", paramLabel = "N", defaultValue = "3", description = "Retries of a failed file"
            + " operation (default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--retry-delay", paramLabel = "DURATION", defaultValue = "1s", converter = Units.DurationConverter.class,
            description = "Wait before the first retry, doubled each time (default: ${DEFAULT-VALUE}).")
    Duration retryDelay;

    /** Refuses a negative count before anything happens. */
    void validate() {
        if (retries < 0) {
            throw new UserException("--retries takes 0 or more");
        }
    }

    /** The policy the options describe, sleeping for real. */
    RetryPolicy policy() {
        return new RetryPolicy(retries, retryDelay, RetryPolicy.Sleeper.SYSTEM);
    }
}
