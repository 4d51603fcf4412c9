package org.cleanbackup.internal.hash;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.util.Objects;
import java.util.Optional;
import org.cleanbackup.internal.NativeLib;

/**
 * XXH3-128 from the system's xxHash library ({@code libxxhash.so.0}, Debian's {@code libxxhash0}, which apt itself
 * needs, so it is on nearly every Debian or Ubuntu machine), called through the Foreign Function & Memory API.
 *
 * <p>Why not only hash4j: a dedupe run is short, and hash4j's XXH3 methods are large enough that C2 spends about a
 * second of CPU compiling them while the first hundreds of megabytes are hashed by slower, not yet compiled code.
 * The C library is at full speed from the first byte. Heap arrays are passed with {@link Linker.Option#critical
 * critical} downcalls, so nothing is copied.
 */
final class SystemXxh3 {

    private static final String[] LIBRARY_NAMES =
            {"libxxhash.so.0", "libxxhash.so", "libxxhash.0.dylib", "libxxhash.dylib"};

    /** {@code XXH128_hash_t}: {@code { XXH64_hash_t low64; XXH64_hash_t high64; }}. */
    private static final StructLayout HASH128 = MemoryLayout.structLayout(JAVA_LONG.withName("low64"),
            JAVA_LONG.withName("high64"));

    private static final Cleaner CLEANER = Cleaner.create();

    private final MethodHandle oneShot;
    private final MethodHandle oneShot64;
    private final MethodHandle createState;
    private final MethodHandle freeState;
    private final MethodHandle reset;
    private final MethodHandle update;
    private final MethodHandle digest;

    /**
     * Each thread's 16 bytes for struct returns, handed out as they are: no allocation and no checks per call (a
     * dedupe run makes hundreds of thousands of calls, many before the JIT has optimized this code).
     */
    private final ThreadLocal<SegmentAllocator> result = ThreadLocal.withInitial(() -> {
        MemorySegment slot = Arena.ofAuto().allocate(HASH128);
        return (byteSize, byteAlignment) -> slot;
    });

    /** An array and the segment over it. */
    private record Wrapped(byte[] array, MemorySegment segment) {
    }

    /** Each thread's last array: most calls hash the same reusable read buffer, so it is wrapped once. */
    private final ThreadLocal<Wrapped> lastArray = new ThreadLocal<>();

    private SystemXxh3(NativeLib lib) throws NativeLib.Unavailable {
        Linker.Option heap = Linker.Option.critical(true);
        oneShot = lib.function("XXH3_128bits", FunctionDescriptor.of(HASH128, ADDRESS, JAVA_LONG), heap);
        oneShot64 = lib.function("XXH3_64bits", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG), heap);
        createState = lib.function("XXH3_createState", FunctionDescriptor.of(ADDRESS));
        freeState = lib.function("XXH3_freeState", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        reset = lib.function("XXH3_128bits_reset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        update = lib.function("XXH3_128bits_update", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG), heap);
        digest = lib.function("XXH3_128bits_digest", FunctionDescriptor.of(HASH128, ADDRESS));
    }

    /**
     * The library when it can be used here: this code may call native code (the application was started with
     * {@code --enable-native-access}; otherwise we stay quiet rather than make the JVM warn), the library is
     * installed, and it has every function we call.
     */
    static Optional<SystemXxh3> load() {
        return NativeLib.bind("xxHash library", SystemXxh3.class,
                () -> new SystemXxh3(NativeLib.system(LIBRARY_NAMES))).value();
    }

    /** The hash of {@code length} bytes of {@code bytes} from {@code offset}, as {@code {high64, low64}}. */
    long[] hash(byte[] bytes, int offset, int length) {
        MemorySegment data = slice(bytes, offset, length);
        try {
            MemorySegment value = (MemorySegment) oneShot.invokeExact(result.get(), data, (long) length);
            return halves(value);
        } catch (Throwable t) {
            throw new IllegalStateException("XXH3_128bits failed", t);
        }
    }

    /** The hash of the bytes of a native segment (a direct buffer's memory), as {@code {high64, low64}}. */
    long[] hash(MemorySegment data) {
        try {
            MemorySegment value = (MemorySegment) oneShot.invokeExact(result.get(), data, data.byteSize());
            return halves(value);
        } catch (Throwable t) {
            throw new IllegalStateException("XXH3_128bits failed", t);
        }
    }

    /**
     * XXH3-64 of the bytes of a native segment or of a heap array's segment. A plain {@code long} comes back in a
     * register, so the call allocates nothing: a 128-bit result, a struct, costs the JDK a temporary arena per call.
     */
    long hash64(MemorySegment data) {
        try {
            return (long) oneShot64.invokeExact(data, data.byteSize());
        } catch (Throwable t) {
            throw new IllegalStateException("XXH3_64bits failed", t);
        }
    }

    /** A streaming state; freed by {@link Stream#finish()}, or by the GC when a caller drops it unfinished. */
    Stream newStream() {
        try {
            MemorySegment state = (MemorySegment) createState.invokeExact();
            if (state.equals(MemorySegment.NULL)) {
                throw new OutOfMemoryError("XXH3_createState returned NULL");
            }
            int rc = (int) reset.invokeExact(state);
            check(rc, "XXH3_128bits_reset");
            return new Stream(state);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("XXH3_createState failed", t);
        }
    }

    /**
     * A segment that starts at {@code bytes[offset]} and holds at least {@code length} bytes. The range is checked
     * here: the C code reads exactly {@code length} bytes from where the segment starts.
     */
    private MemorySegment slice(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        Wrapped last = lastArray.get();
        if (last == null || last.array() != bytes) {
            last = new Wrapped(bytes, MemorySegment.ofArray(bytes));
            lastArray.set(last);
        }
        return offset == 0 ? last.segment() : last.segment().asSlice(offset, length);
    }

    private static long[] halves(MemorySegment value) {
        return new long[] {value.get(JAVA_LONG, 8), value.get(JAVA_LONG, 0)};
    }

    private static void check(int rc, String function) {
        if (rc != 0) { // XXH_OK is 0
            throw new IllegalStateException(function + " returned " + rc);
        }
    }

    /** One running hash. Not thread-safe. */
    final class Stream {
        private final MemorySegment state;
        private final Cleaner.Cleanable cleanable;

        private Stream(MemorySegment state) {
            this.state = state;
            MethodHandle free = freeState;
            this.cleanable = CLEANER.register(this, () -> {
                try {
                    int ignored = (int) free.invokeExact(state);
                } catch (Throwable t) {
                    // nothing to do: the state is lost either way
                }
            });
        }

        void update(byte[] bytes, int offset, int length) {
            try {
                int rc = (int) update.invokeExact(state, slice(bytes, offset, length), (long) length);
                check(rc, "XXH3_128bits_update");
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("XXH3_128bits_update failed", t);
            }
        }

        void update(MemorySegment data) {
            try {
                int rc = (int) update.invokeExact(state, data, data.byteSize());
                check(rc, "XXH3_128bits_update");
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("XXH3_128bits_update failed", t);
            }
        }

        long[] finish() {
            try {
                MemorySegment value = (MemorySegment) digest.invokeExact(result.get(), state);
                return halves(value);
            } catch (Throwable t) {
                throw new IllegalStateException("XXH3_128bits_digest failed", t);
            } finally {
                cleanable.clean();
            }
        }
    }
}
