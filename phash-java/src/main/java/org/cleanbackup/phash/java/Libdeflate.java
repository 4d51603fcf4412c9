package org.cleanbackup.phash.java;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;
import org.cleanbackup.internal.NativeLib;

/**
 * Whole-buffer zlib inflation through the system's libdeflate ({@code libdeflate0} on Debian and Ubuntu), called with
 * the Foreign Function and Memory API as {@link Heif} calls libheif: about 1.5 to 2 times as fast as the JDK's zlib
 * on photographic PNG data, which is most of a PNG's hashing time. Optional: without the library (or with
 * {@value #PROPERTY}{@code =false}) {@link PngLumaReader} streams through {@link java.util.zip.Inflater} as before.
 * Inflating is exact either way, so the hash does not depend on which inflater ran.
 */
final class Libdeflate {

    /** {@code -Dcleanbackup.phash.libdeflate=false} turns it off (to compare, or to rule it out). */
    static final String PROPERTY = "cleanbackup.phash.libdeflate";

    private static final int SUCCESS = 0;

    private static final NativeLib.Bound<Functions> BOUND = Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))
            ? NativeLib.bind("libdeflate", Libdeflate.class, () -> selfTested(new Functions(NativeLib.system("libdeflate.so.0"))))
            : new NativeLib.Bound<>(Optional.empty(), Optional.of("libdeflate: turned off by -D" + PROPERTY + "=false"));

    private Libdeflate() {
    }

    private static final class Functions {
        final MethodHandle alloc;
        final MethodHandle free;
        final MethodHandle zlibDecompress;

        Functions(NativeLib lib) throws Throwable {
            var a = ValueLayout.ADDRESS;
            var j = ValueLayout.JAVA_LONG;
            alloc = lib.function("libdeflate_alloc_decompressor", FunctionDescriptor.of(a));
            free = lib.function("libdeflate_free_decompressor", FunctionDescriptor.ofVoid(a));
            // enum libdeflate_result libdeflate_zlib_decompress(d, in, in_nbytes, out, out_nbytes_avail, *actual)
            zlibDecompress = lib.function("libdeflate_zlib_decompress",
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, a, a, j, a, j, a));
        }
    }

    /**
     * A known answer before first use: a few kilobytes deflated by the JDK must come back byte for byte, a stream cut
     * short must be refused, so a library that misbehaves is never used.
     */
    private static Functions selfTested(Functions f) throws Throwable {
        byte[] data = new byte[5000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + (i >>> 7));
        }
        java.util.zip.Deflater deflater = new java.util.zip.Deflater();
        deflater.setInput(data);
        deflater.finish();
        byte[] z = new byte[data.length * 2];
        int n = deflater.deflate(z);
        deflater.end();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(n);
            MemorySegment.copy(z, 0, in, ValueLayout.JAVA_BYTE, 0, n);
            MemorySegment out = arena.allocate(data.length);
            if (!inflateExactly(f, in, n, out) || !java.util.Arrays.equals(out.toArray(ValueLayout.JAVA_BYTE), data)) {
                throw new NativeLib.Unavailable("libdeflate: failed its self-test (known zlib data not inflated), not used");
            }
            if (inflateExactly(f, in, n / 2, arena.allocate(data.length))) {
                throw new NativeLib.Unavailable("libdeflate: failed its self-test (half a stream accepted), not used");
            }
        }
        return f;
    }

    /** Whether it can be used here. */
    static boolean available() {
        return BOUND.value().isPresent();
    }

    /** Why not, or empty. */
    static Optional<String> unavailableReason() {
        return BOUND.failure();
    }

    /**
     * Inflates the zlib stream {@code in[0..inLength)} into {@code out}; true only when it is a whole, valid stream
     * (Adler-32 included) of exactly {@code out.byteSize()} bytes. libdeflate never writes past {@code out}: data that
     * would inflate to more stops with an error, so a zlib bomb costs at most the output already sized. False when
     * the library is not there, or for any error: the caller then streams the data through the JDK's inflater, which
     * says what is wrong.
     */
    static boolean inflateExactly(MemorySegment in, long inLength, MemorySegment out) {
        return BOUND.value().isPresent() && inflateExactly(BOUND.value().get(), in, inLength, out);
    }

    private static boolean inflateExactly(Functions f, MemorySegment in, long inLength, MemorySegment out) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actual = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment d = (MemorySegment) f.alloc.invokeExact();
            if (d.equals(MemorySegment.NULL)) {
                return false;
            }
            try {
                int result = (int) f.zlibDecompress.invokeExact(d, in, inLength, out, out.byteSize(), actual);
                return result == SUCCESS && actual.get(ValueLayout.JAVA_LONG, 0) == out.byteSize();
            } finally {
                f.free.invokeExact(d);
            }
        } catch (Throwable t) { // a binding that cannot be called: the JDK's inflater will do
            return false;
        }
    }
}
