package org.cleanbackup.internal;

import java.io.InterruptedIOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Internal: not part of the API. The heap that whole-image decoders (ImageIO, the TwelveMonkeys plugins, the PNG
 * recompressor) may hold at once, across all threads.
 *
 * <p>A decoder asks for what it will need, computed from the image's header, before it allocates. Decodes share a
 * budget of 256 MiB ({@value #PROPERTY} sets another; at most half the maximum heap): {@link #reserve} waits while
 * other threads hold the rest, so two large images on two threads take turns instead of running the heap out
 * together. One image that needs more than the budget may still be decoded whole, alone (it waits for every other
 * decode to finish, and they for it), up to half the maximum heap: {@link #fits} says whether that can be had at
 * all, else the caller reads the image subsampled or refuses it with a message. {@link #withinBudget} is the
 * stricter test, for work that should never run alone at such a size (recompression). So a tree of many damaged
 * or large images costs at most the budget at a time, and the one legitimate giant still works.
 *
 * <p>Why it also asks for a garbage collection: the serial collector grows the heap rather than collect the old
 * generation while it may (no full collection happens until the heap reaches its maximum), and a decoder's
 * multi-megabyte arrays, alive across a young collection while the image decodes, end up there. Decoding a few
 * hundred photos then leaves the process near its maximum heap, almost all of it garbage (measured: 1.2 GB resident
 * for 1,400 damaged files, all of them refused). So {@link #checkpoint} collects once the heap has grown well past
 * what the last collection left (as {@code java.nio.Bits} does for direct memory); with the small live set of a
 * run that costs milliseconds, at most once per {@value #GROWTH_MIB} MiB of growth. {@code -XX:+DisableExplicitGC}
 * turns it off.
 */
public final class DecodeMemory {

    private static final int SOFT_HEAP_MIB = 128;

    /** Permits count 64 KiB units, so that any heap's budget fits an int. */
    private static final int UNIT_SHIFT = 16;

    private static final int GROWTH_MIB = 32;

    /** The system property that sets the shared budget in MiB (still at most half the maximum heap). */
    public static final String PROPERTY = "cleanbackup.decodeMemoryMiB";

    private static final long MOST = Runtime.getRuntime().maxMemory() / 2;

    private static final long BUDGET = Math.min(MOST, Long.getLong(PROPERTY, 256L) << 20);

    private static final int BUDGET_UNITS = (int) Math.min(Integer.MAX_VALUE, BUDGET >> UNIT_SHIFT);

    private static final Semaphore PERMITS = new Semaphore(BUDGET_UNITS, true);

    private static final AtomicLong COMMITTED_AFTER_COLLECTION = new AtomicLong();

    private DecodeMemory() {
    }

    /** The bytes decodes share: 256 MiB, or half the maximum heap when that is less. */
    public static long budget() {
        return BUDGET;
    }

    /** The most one decode may hold, alone: half the maximum heap. */
    public static long most() {
        return MOST;
    }

    /** Whether a decode of {@code bytes} can be granted at all (alone, when it is more than the budget). */
    public static boolean fits(long bytes) {
        return bytes >= 0 && bytes <= MOST;
    }

    /** Whether a decode of {@code bytes} fits the shared budget. */
    public static boolean withinBudget(long bytes) {
        return bytes >= 0 && units(bytes) <= BUDGET_UNITS;
    }

    /**
     * Reserves {@code bytes} for one decode, waiting while other threads hold the rest of the budget. Close the lease
     * when the decoded pixels are no longer referenced.
     *
     * @throws IllegalArgumentException when {@code bytes} does not {@link #fits fit} at all
     * @throws InterruptedIOException   when the thread is interrupted while waiting
     */
    public static Lease reserve(long bytes) throws InterruptedIOException {
        if (!fits(bytes)) {
            throw new IllegalArgumentException(bytes + " bytes is more than one decode may hold (" + MOST + ")");
        }
        int units = (int) Math.min(units(bytes), BUDGET_UNITS); // more than the budget: the whole of it, alone
        try {
            PERMITS.acquire(units);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for memory to decode an image");
        }
        return new Lease(units);
    }

    /** "about N MiB", for messages. */
    public static String mib(long bytes) {
        return "about " + Math.max(1, (bytes + (1 << 19)) >> 20) + " MiB";
    }

    private static long units(long bytes) {
        return (bytes + (1L << UNIT_SHIFT) - 1) >> UNIT_SHIFT;
    }

    /**
     * Called after each image is decoded (and when a lease closes): once the committed heap has grown
     * {@value #GROWTH_MIB} MiB past both {@value #SOFT_HEAP_MIB} MiB and what the last collection left, one full
     * collection lets the heap shrink back (with the launcher's {@code MaxHeapFreeRatio}). Cheap otherwise: one read
     * of the heap's size.
     */
    public static void checkpoint() {
        long committed = Runtime.getRuntime().totalMemory();
        long base = Math.max((long) SOFT_HEAP_MIB << 20, COMMITTED_AFTER_COLLECTION.get());
        if (committed > base + ((long) GROWTH_MIB << 20)) {
            synchronized (COMMITTED_AFTER_COLLECTION) {
                if (Runtime.getRuntime().totalMemory() > base + ((long) GROWTH_MIB << 20)) {
                    System.gc();
                    COMMITTED_AFTER_COLLECTION.set(Runtime.getRuntime().totalMemory());
                }
            }
        }
    }

    /** Memory held for one decode; {@link #close} gives it back. */
    public static final class Lease implements AutoCloseable {
        private final int units;
        private boolean closed;

        private Lease(int units) {
            this.units = units;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                PERMITS.release(units);
                checkpoint();
            }
        }
    }
}
