package org.cleanbackup.execute;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a failed file operation is tried again, and how long to wait: {@code firstDelay}, then twice that,
 * four times, ... (exponential backoff, for the flaky network share or the USB disk that needs a moment).
 *
 * @param retries    tries after the first, 0 or more
 * @param firstDelay the wait before the first retry
 * @param sleeper    how to wait; tests pass one that only records
 */
public record RetryPolicy(int retries, Duration firstDelay, Sleeper sleeper) {

    /** Waits between tries. */
    @FunctionalInterface
    public interface Sleeper {
        /** Waits for {@code duration}. */
        void sleep(Duration duration) throws InterruptedException;

        /** The real wait. */
        Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());
    }

    public RetryPolicy {
        Objects.requireNonNull(firstDelay, "firstDelay");
        Objects.requireNonNull(sleeper, "sleeper");
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be 0 or more");
        }
    }

    /** Three retries after 1 s, 2 s and 4 s. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(3, Duration.ofSeconds(1), Sleeper.SYSTEM);
    }

    /** The wait before retry number {@code retry} (1-based). */
    Duration delayBefore(int retry) {
        return firstDelay.multipliedBy(1L << Math.min(retry - 1, 20));
    }
}
