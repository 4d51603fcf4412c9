package org.cleanbackup.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Kills a helper process that takes too long (an ffmpeg stuck on a hostile file). One daemon thread for the whole
 * JVM; a timer is cancelled, and forgotten, when the work finishes in time. Not API.
 */
public final class Watchdog {

    private static final ScheduledThreadPoolExecutor TIMERS = timers();

    private Watchdog() {
    }

    private static ScheduledThreadPoolExecutor timers() {
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "cleanbackup-watchdog");
            t.setDaemon(true);
            return t;
        });
        timers.setRemoveOnCancelPolicy(true); // thousands of files: cancelled timers must not pile up
        return timers;
    }

    /** A running timer; closing it before it fires cancels it. */
    public static final class Timer implements AutoCloseable {
        private final ScheduledFuture<?> future;

        private Timer(ScheduledFuture<?> future) {
            this.future = future;
        }

        @Override
        public void close() {
            future.cancel(false);
        }
    }

    /**
     * Kills {@code process} (forcibly) unless the returned timer is closed within {@code timeout}; {@code fired} runs
     * first, so the caller can tell a kill from a crash.
     */
    public static Timer kill(Process process, Duration timeout, Runnable fired) {
        return new Timer(TIMERS.schedule(() -> {
            if (process.isAlive()) {
                fired.run();
                process.destroyForcibly();
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS));
    }
}
