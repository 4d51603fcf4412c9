package org.cleanbackup.internal;

import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads a stage runs its tasks on: the executor its caller gave, left running, or a pool of the stage's own,
 * shut down when the stage is done. Every stage that works in parallel takes its pool through here, so an embedder
 * can pass one {@code ExecutorService} (or {@code ForkJoinPool}) to all of them. Not API.
 */
public final class Pools {

    /*
     * A pool of our own has daemon threads (a forgotten pool never keeps the JVM alive) named after the stage, and is
     * shut down with shutdownNow(): every stage waits for its own tasks' results before it returns, so on the normal
     * path there is nothing left to interrupt; on an exception it stops the tasks still queued. A given executor is
     * never shut down: it is the caller's.
     */

    private Pools() {
    }

    /** An executor in use by one stage; closing it shuts the pool down only if the stage made it. */
    public static final class Lease<E extends ExecutorService> implements AutoCloseable {
        private final E executor;
        private final boolean owned;

        private Lease(E executor, boolean owned) {
            this.executor = executor;
            this.owned = owned;
        }

        /** The executor to submit to. */
        public E executor() {
            return executor;
        }

        /** Whether the stage made this pool itself (and closing the lease shuts it down). */
        boolean owned() {
            return owned;
        }

        @Override
        public void close() {
            if (owned) {
                executor.shutdownNow();
            }
        }
    }

    /**
     * {@code given}, or a fixed pool of {@code threads} daemon threads named {@code name-1}, {@code name-2}, ...
     * when it is null.
     */
    public static Lease<ExecutorService> fixed(ExecutorService given, int threads, String name) {
        if (given != null) {
            return new Lease<>(given, false);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        Objects.requireNonNull(name, "name");
        AtomicInteger counter = new AtomicInteger();
        return new Lease<>(Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + "-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        }), true);
    }

    /**
     * Waits for every task of a stage. The tasks catch what a file can cause, so one that threw is a bug: it ends the
     * stage with an {@link IllegalStateException} ("{@code doing} failed unexpectedly"), as does an interrupt
     * ("interrupted while {@code doing}", the thread's interrupt flag set again).
     */
    public static void awaitAll(Collection<? extends Future<?>> futures, String doing) {
        try {
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + doing, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(doing + " failed unexpectedly", e.getCause());
        }
    }

    /** {@code given}, or a fork-join pool of {@code parallelism} threads when it is null. */
    public static Lease<ForkJoinPool> forkJoin(ForkJoinPool given, int parallelism) {
        if (given != null) {
            return new Lease<>(given, false);
        }
        return new Lease<>(new ForkJoinPool(parallelism), true);
    }
}
