package org.cleanbackup.phash.nativ;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import org.cleanbackup.internal.NativeLib;

/**
 * Loads {@code libcleanbackup_phash.so} from the jar (as lz4-java and zstd-jni do: {@code /<os>/<arch>/lib...},
 * copied to a temporary file and opened from there) and binds its functions with core's {@link NativeLib}. Any
 * failure is kept as a one-line reason instead of thrown, so the kernel, the decoder and the compressor can report it.
 */
final class NativeLibrary {

    static final String NAME = "libcleanbackup_phash";

    /** The C functions' return codes (CB_OK ... in cleanbackup_phash.c) and the size of their message buffer. */
    static final int OK = 0;
    static final int ERROR = 1;
    static final int NOT_JPEG = 2;
    static final int TOO_LARGE = 3;
    static final int MESSAGE_LENGTH = 512;
    private static final int ABI_VERSION = 3;

    /** {@code void cb_phash_dct(const float *x, float *out)}: critical, so Java arrays are passed without copying. */
    final MethodHandle dct;
    /** {@code int cb_phash_decode_jpeg(path, data, length, max_pixels, out, orientation, width, height, msg, len)}. */
    final MethodHandle decodeJpeg;
    /** {@code int cb_jpeg_recompress(data, length, quality, out, out_length, msg, msg_len)}. */
    final MethodHandle recompressJpeg;
    /** {@code void cb_jpeg_free(unsigned char *p)}: frees what cb_jpeg_recompress and cb_thumb_jpeg returned. */
    final MethodHandle freeJpeg;
    /** {@code int cb_thumb_jpeg(path, data, length, max_pixels, max_side, quality, out, out_length, width, height,
     * msg, msg_len)}. */
    final MethodHandle thumbJpeg;

    private static final NativeLib.Bound<NativeLibrary> BOUND =
            NativeLib.bind("cannot load " + NAME, NativeLibrary.class, () -> new NativeLibrary(load()));

    private NativeLibrary(NativeLib lib) throws Throwable {
        MethodHandle abi = lib.function("cb_phash_abi_version", FunctionDescriptor.of(ValueLayout.JAVA_INT));
        int version = (int) abi.invokeExact();
        if (version != ABI_VERSION) {
            throw new NativeLib.Unavailable(NAME + " has ABI version " + version + ", expected " + ABI_VERSION);
        }
        // The kernel runs ~1 microsecond and never calls back into Java: a critical call with heap access avoids
        // copying the block into native memory.
        dct = lib.function("cb_phash_dct", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.ADDRESS),
                Linker.Option.critical(true));
        decodeJpeg = lib.function("cb_phash_decode_jpeg",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                        ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        // Not critical: a recompression runs for tens of milliseconds, and a critical call would hold off the GC.
        recompressJpeg = lib.function("cb_jpeg_recompress",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                        ValueLayout.JAVA_INT));
        freeJpeg = lib.function("cb_jpeg_free", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        // Not critical either: a few milliseconds per thumbnail, many threads at once.
        thumbJpeg = lib.function("cb_thumb_jpeg",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    }

    /** The loaded library, or empty; then {@link #failure()} says why. */
    static Optional<NativeLibrary> instance() {
        return BOUND.value();
    }

    /** Why the library cannot be used, one line; empty when it can. */
    static Optional<String> failure() {
        return BOUND.failure();
    }

    /** The library, or an {@link IllegalStateException} saying why {@code what} cannot run. */
    static NativeLibrary require(Optional<NativeLibrary> lib, String what) {
        return lib.orElseThrow(() -> new IllegalStateException(what + " unavailable: " + failure().orElse("")));
    }

    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        os = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "mac" : os.startsWith("windows") ? "windows" : os;
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        arch = arch.equals("x86_64") ? "amd64" : arch.equals("arm64") ? "aarch64" : arch;
        return os + "/" + arch;
    }

    /**
     * One of the native artifacts this jar carries for this platform ({@code /<os>/<arch>/NAME}, built by
     * src/main/c), opened for reading.
     *
     * @param what how to call it when the jar holds neither it nor a recorded reason ("native library")
     * @throws NativeLib.Unavailable with the reason the build recorded ({@code NAME.missing}) when it is absent
     */
    static InputStream artifact(String name, String what) throws IOException, NativeLib.Unavailable {
        String dir = "/" + platform() + "/";
        InputStream artifact = NativeLibrary.class.getResourceAsStream(dir + name);
        if (artifact != null) {
            return artifact;
        }
        try (InputStream why = NativeLibrary.class.getResourceAsStream(dir + name + ".missing")) {
            throw new NativeLib.Unavailable(why != null ? new String(why.readAllBytes(), StandardCharsets.UTF_8).strip()
                    : "no " + what + " for " + platform() + " in this jar");
        }
    }

    private static NativeLib load() throws IOException, NativeLib.Unavailable {
        try (InputStream so = artifact(NAME + ".so", "native library")) {
            Path tmp = Files.createTempFile(NAME, ".so");
            try {
                Files.copy(so, tmp, StandardCopyOption.REPLACE_EXISTING);
                return NativeLib.file(tmp);
            } catch (IllegalArgumentException e) { // dlopen failed: most often libjpeg.so.62 is missing
                throw new NativeLib.Unavailable("cannot load " + NAME + ": " + e.getMessage()
                        + (String.valueOf(e.getMessage()).contains("libjpeg") ? " (install libjpeg62-turbo)" : ""), e);
            } finally {
                // once mapped, the file is no longer needed (Linux keeps the mapping): leave nothing in /tmp
                Files.deleteIfExists(tmp);
            }
        }
    }
}
