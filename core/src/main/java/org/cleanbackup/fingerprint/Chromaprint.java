package org.cleanbackup.fingerprint;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Optional;
import org.cleanbackup.internal.NativeLib;

/**
 * The system's Chromaprint ({@code libchromaprint.so.1}, Debian's {@code libchromaprint1}) through FFM: a context
 * per fingerprint, fed 16-bit mono samples, read back as the raw fingerprint (one 32-bit word per 1365 samples at
 * 11025 Hz, about 8 a second). Bound once; absent when the library is not installed.
 */
final class Chromaprint {

    /** Chromaprint's {@code CHROMAPRINT_ALGORITHM_DEFAULT} (TEST2), what AcoustID uses. */
    static final int ALGORITHM = 1;

    private static final NativeLib.Bound<Chromaprint> BOUND = NativeLib.bind("Chromaprint", Chromaprint.class,
            () -> new Chromaprint(NativeLib.system("libchromaprint.so.1", "libchromaprint.so")));

    private final MethodHandle newContext;
    private final MethodHandle free;
    private final MethodHandle start;
    private final MethodHandle feed;
    private final MethodHandle finish;
    private final MethodHandle rawFingerprint;
    private final MethodHandle dealloc;
    private final String version;

    private Chromaprint(NativeLib lib) throws Throwable {
        newContext = lib.function("chromaprint_new", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        free = lib.function("chromaprint_free", FunctionDescriptor.ofVoid(ADDRESS));
        start = lib.function("chromaprint_start", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        feed = lib.function("chromaprint_feed", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        finish = lib.function("chromaprint_finish", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        rawFingerprint = lib.function("chromaprint_get_raw_fingerprint",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        dealloc = lib.function("chromaprint_dealloc", FunctionDescriptor.ofVoid(ADDRESS));
        MethodHandle versionOf = lib.function("chromaprint_get_version", FunctionDescriptor.of(ADDRESS));
        version = ((MemorySegment) versionOf.invokeExact()).reinterpret(64).getString(0);
    }

    /** The bound library, or empty. */
    static Optional<Chromaprint> load() {
        return BOUND.value();
    }

    /** Why the library cannot be used; empty when it can. */
    static Optional<String> failure() {
        return BOUND.failure();
    }

    /** The library's version, e.g. {@code 1.5.1}. */
    String version() {
        return version;
    }

    /** One fingerprint being computed; not thread-safe, closed after use. */
    Context open(int sampleRate) {
        try {
            MemorySegment ctx = (MemorySegment) newContext.invokeExact(ALGORITHM);
            if (ctx.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("chromaprint_new failed");
            }
            Context c = new Context(ctx);
            if ((int) start.invokeExact(ctx, sampleRate, 1) != 1) {
                c.close();
                throw new IllegalStateException("chromaprint_start failed");
            }
            return c;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** A Chromaprint context: feed samples, then {@link #finish()}. */
    final class Context implements AutoCloseable {
        private final MemorySegment ctx;
        private boolean closed;

        private Context(MemorySegment ctx) {
            this.ctx = ctx;
        }

        /** Feeds {@code samples} 16-bit samples held in native memory. */
        void feed(MemorySegment data, int samples) {
            try {
                if ((int) feed.invokeExact(ctx, data, samples) != 1) {
                    throw new IllegalStateException("chromaprint_feed failed");
                }
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        /** Ends the input and returns the raw fingerprint (empty when the audio was too short). */
        int[] finish() {
            try (Arena arena = Arena.ofConfined()) {
                if ((int) finish.invokeExact(ctx) != 1) {
                    throw new IllegalStateException("chromaprint_finish failed");
                }
                MemorySegment pointer = arena.allocate(ADDRESS);
                MemorySegment size = arena.allocate(JAVA_INT);
                if ((int) rawFingerprint.invokeExact(ctx, pointer, size) != 1) {
                    return new int[0]; // too little audio for one word
                }
                int n = size.get(JAVA_INT, 0);
                MemorySegment words = pointer.get(ADDRESS, 0);
                try {
                    return n <= 0 ? new int[0] : words.reinterpret(4L * n).toArray(JAVA_INT);
                } finally {
                    dealloc.invokeExact(words);
                }
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                free.invokeExact(ctx);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }
}
