package org.cleanbackup.phash.nativ;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.cleanbackup.phash.ImageDecodeException;
import org.cleanbackup.phash.LumaBlock;
import org.cleanbackup.phash.Orientation;
import org.cleanbackup.phash.PerceptualHasher;
import org.cleanbackup.phash.PerceptualHashers;
import org.cleanbackup.phash.java.ImageLumaDecoder;

/**
 * The {@code native} backend: JPEGs are decoded by libjpeg-turbo in C, scaled in the DCT domain (1/8, 1/4 or 1/2,
 * keeping both sides at least 32 pixels) straight to grayscale, and the DCT kernel runs in C; both are called
 * through the Foreign Function and Memory API. Everything libjpeg does not read as luma directly (PNG, GIF, BMP,
 * WebP, TIFF, HEIC, camera RAW, CMYK JPEG) goes to the Java {@link ImageLumaDecoder}.
 *
 * <p>Available when the jar carries {@code libcleanbackup_phash.so} for this platform (built when gcc and libjpeg's
 * headers were present) and the system has libjpeg-turbo ({@code libjpeg62-turbo} on Debian). A damaged JPEG makes
 * the C code return an error message; libjpeg can never end the JVM.
 *
 * @since 0.1
 */
public final class NativePerceptualHasher implements PerceptualHasher {

    private static final int OK = 0;
    private static final int ERROR = 1;
    private static final int NOT_JPEG = 2;
    private static final int TOO_LARGE = 3;
    private static final int MESSAGE_LENGTH = 512;

    private final NativeLibrary lib;

    /** Loads the native library if it is not loaded yet; never throws. */
    public NativePerceptualHasher() {
        this.lib = NativeLibrary.instance();
    }

    @Override
    public String name() {
        return "native";
    }

    @Override
    public Optional<String> unavailableReason() {
        return lib == null ? Optional.of(NativeLibrary.failure()) : Optional.empty();
    }

    @Override
    public LumaBlock decode(Path file) throws IOException {
        NativeLibrary l = library();
        long maxPixels = PerceptualHashers.maxPixels();
        int rc;
        float[] luma = new float[LumaBlock.LENGTH];
        int orientation;
        int width;
        int height;
        String message;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT, LumaBlock.LENGTH);
            MemorySegment ints = arena.allocate(ValueLayout.JAVA_INT, 3);
            MemorySegment msg = arena.allocate(MESSAGE_LENGTH);
            rc = (int) l.decodeJpeg.invokeExact(arena.allocateFrom(file.toString()), MemorySegment.NULL, 0L, maxPixels,
                    out, ints, ints.asSlice(4), ints.asSlice(8), msg, MESSAGE_LENGTH);
            MemorySegment.copy(out, ValueLayout.JAVA_FLOAT, 0, luma, 0, LumaBlock.LENGTH);
            orientation = ints.getAtIndex(ValueLayout.JAVA_INT, 0);
            width = ints.getAtIndex(ValueLayout.JAVA_INT, 1);
            height = ints.getAtIndex(ValueLayout.JAVA_INT, 2);
            message = msg.getString(0);
        } catch (Throwable t) {
            throw new IllegalStateException("native decoder call failed for " + file, t);
        }
        return switch (rc) {
            case OK -> new LumaBlock(luma, Orientation.fromExif(orientation));
            case NOT_JPEG -> ImageLumaDecoder.decode(file, maxPixels);
            case TOO_LARGE -> throw new ImageDecodeException(file, "image claims " + width + " x " + height + " = "
                    + (long) width * height + " pixels, above the limit of " + maxPixels + " (raise it with --max-pixels N,"
                    + " or -D" + PerceptualHashers.MAX_PIXELS_PROPERTY + "=N in Java)");
            case ERROR -> throw new ImageDecodeException(file, message);
            default -> {
                // could not open: let Java say why in its usual words (no such file, permission denied)
                Files.newInputStream(file).close();
                throw new IOException(file + ": " + message);
            }
        };
    }

    @Override
    public void dct(float[] block, float[] coefficients) {
        if (block.length != LumaBlock.LENGTH || coefficients.length < 64) {
            // the C code trusts the sizes: check them here, where a mistake is an exception and not a crash
            throw new IllegalArgumentException("need 1024 inputs and room for 64 outputs, got " + block.length
                    + " and " + coefficients.length);
        }
        try {
            library().dct.invokeExact(MemorySegment.ofArray(block), MemorySegment.ofArray(coefficients));
        } catch (Throwable t) {
            throw new IllegalStateException("native kernel call failed", t);
        }
    }

    private NativeLibrary library() {
        if (lib == null) {
            throw new IllegalStateException("native pHash backend unavailable: " + NativeLibrary.failure());
        }
        return lib;
    }

    @Override
    public String toString() {
        return lib == null ? "native pHash (unavailable)" : "native pHash (C, libjpeg-turbo, " + NativeLibrary.platform() + ")";
    }
}
