package org.cleanbackup.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.cleanbackup.execute.ExecutionReport;
import org.cleanbackup.execute.Outcome;

/**
 * Ctrl-C (SIGINT) and {@code kill} (SIGTERM) during a command that changes files: the change in progress is finished
 * or rolled back, no further one starts, the command prints what it did and the {@code cleanbackup undo N} that
 * reverses it, and the process exits with the shell's 128 + signal number: 130 for SIGINT, 143 for SIGTERM.
 *
 * <p>Only the command line installs this; the library never touches signals or the JVM's shutdown. The command
 * hands {@link #stopFlag()} to the {@link org.cleanbackup.execute.PlanExecutor}, calls {@link #beginChanges()} just
 * before it, and {@link #close()} once the journal is closed and the summary printed.
 */
final class Interruption implements AutoCloseable {

    /*
     * How: a signal starts the JVM's shutdown, which runs the shutdown hooks and then halts with 128 + the signal's
     * number (the JDK's own handler for INT, TERM and HUP). Our hook sets the stop flag, which the executor reads
     * between actions and between the chunks of a copy, and waits for the command to say it is done (close()),
     * at most WAIT: the journal is then settled (every action DONE or FAILED, the session ended INTERRUPTED) and the
     * summary printed. The exit status stays the JVM's: 130 for Ctrl-C, 143 for a plain kill, which is what a shell
     * script expects of an interrupted program. A hook calling Runtime.halt(130) would turn 143 into 130 too, but it
     * would also cut short any other hook (the log's flush), so it does not.
     *
     * Before the first change (scanning, hashing, planning) there is nothing to finish: the hook says so and lets
     * the JVM exit at once. beginChanges() and the hook agree under one lock, so a stop that comes just before the
     * changes begin makes the command change nothing, rather than start while the JVM is halting.
     *
     * A kill -9 (SIGKILL) runs no hook: then the journal and crash recovery do the work on the next start.
     */

    /** How long the hook waits for the change in progress and the summary. */
    static final Duration WAIT = Duration.ofSeconds(30);

    private final AtomicBoolean stop = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);
    private final Object lock = new Object();
    private boolean changing; // guarded by lock
    private final PrintWriter out;
    private final PrintWriter err;
    private final Thread hook;
    private final boolean installed;

    private Interruption(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
        this.hook = new Thread(this::onShutdown, "cleanbackup-interrupt");
        boolean ok;
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            ok = true;
        } catch (IllegalStateException e) {
            ok = false; // already shutting down: the flag is never set, the command runs as before
        }
        this.installed = ok;
    }

    /** Installs the hook for one command. */
    static Interruption install(PrintWriter out, PrintWriter err) {
        return new Interruption(out, err);
    }

    /** What the executor asks between actions. */
    BooleanSupplier stopFlag() {
        return stop::get;
    }

    /** Whether a stop was asked for. */
    boolean requested() {
        return stop.get();
    }

    /**
     * Called just before the first change. Returns false when a stop came first: then the command must change
     * nothing (the JVM is exiting).
     */
    boolean beginChanges() {
        synchronized (lock) {
            if (stop.get()) {
                return false;
            }
            changing = true;
            return true;
        }
    }

    private void onShutdown() {
        synchronized (lock) {
            stop.set(true);
            if (!changing) {
                // Stopped while scanning or planning: nothing to wait for.
                err.println("cleanbackup: interrupted before any change; nothing was changed");
                err.flush();
                return;
            }
        }
        err.println("cleanbackup: stopping: the file in progress is finished or rolled back, no further change is"
                + " started...");
        err.flush();
        try {
            if (!done.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                err.println("cleanbackup: the run did not stop within " + WAIT.toSeconds() + " s; the next cleanbackup"
                        + " command settles what it left from the journal ('cleanbackup undo --list')");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.flush();
        err.flush();
    }

    /**
     * Prints what an interrupted run did: each change made, on stdout when {@code human}, and on stderr always one
     * line with the counts and the {@code cleanbackup undo N} that reverses them.
     */
    static void printStopped(ExecutionReport execution, PrintWriter out, PrintWriter err, boolean human) {
        long done = execution.count(Outcome.Status.DONE);
        long notTried = execution.outcomes().stream().filter(ExecutionReport::notTriedAfterInterrupt).count();
        if (human && done > 0) {
            out.println("Interrupted. These changes were made before the stop:");
            for (Outcome o : execution.outcomes()) {
                if (o.status() == Outcome.Status.DONE) {
                    out.println("  " + describe(o));
                }
            }
        }
        out.flush();
        err.println("cleanbackup: interrupted: " + Units.count(done, "change", "changes") + " made, " + notTried
                + " not tried" + (done > 0 ? "; 'cleanbackup undo " + execution.sessionId() + "' reverses what was made"
                : "; nothing to undo"));
        err.flush();
    }

    /** The change as made: under the free name it got, which may differ from the planned one. */
    private static String describe(Outcome o) {
        return o.action().describe(o.finalPath());
    }

    /** The command is done (journal closed, summary printed): the hook may let the JVM exit, or is removed. */
    @Override
    public void close() {
        out.flush();
        err.flush();
        done.countDown();
        if (installed && !stop.get()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook is running and returns now
            }
        }
    }
}
