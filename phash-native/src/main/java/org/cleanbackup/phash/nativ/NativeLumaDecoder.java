package org.cleanbackup.phash.nativ;

import static org.cleanbackup.phash.nativ.NativeLibrary.ERROR;
import static org.cleanbackup.phash.nativ.NativeLibrary.MESSAGE_LENGTH;
import static org.cleanbackup.phash.nativ.NativeLibrary.NOT_JPEG;
import static org.cleanbackup.phash.nativ.NativeLibrary.OK;
import static org.cleanbackup.phash.nativ.NativeLibrary.TOO_LARGE;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.cleanbackup.phash.DctKernel;
import org.cleanbackup.phash.ImageDecodeException;
import org.cleanbackup.phash.LumaBlock;
import org.cleanbackup.phash.LumaDecoder;
import org.cleanbackup.phash.Orientation;
import org.cleanbackup.phash.PerceptualHashers;

/**
 * The {@code libjpeg-turbo} decoder: JPEGs are decoded in C, scaled in the DCT domain (1/8, 1/4 or 1/2, keeping both
 * sides at least 32 pixels) straight to grayscale, through the Foreign Function and Memory API. It declines what
 * libjpeg does not read as luma directly (PNG, GIF, BMP, WebP, TIFF, HEIC, camera RAW, CMYK JPEG): the next decoder
 * by priority (the Java one, from phash-java) takes those.
 *
 * <p>Serves only the {@code native} kernel, so that the {@code vector} and {@code scalar} backends stay pure Java.
 * Available when the native library loaded. A damaged JPEG makes the C code return an error message; libjpeg can
 * never end the JVM.
 *
 * @since 0.1
 */
public final class NativeLumaDecoder implements LumaDecoder {


    private final Optional<NativeLibrary> lib;

    /** Loads the native library if it is not loaded yet; never throws. */
    public NativeLumaDecoder() {
        this.lib = NativeLibrary.instance();
    }

    @Override
    public String name() {
        return "libjpeg-turbo";
    }

    @Override
    public int priority() {
        return 200;
    }

    @Override
    public String formats() {
        return "YCbCr and gray JPEG";
    }

    @Override
    public Optional<String> unavailableReason() {
        return NativeLibrary.failure();
    }

    @Override
    public boolean servesKernel(DctKernel kernel) {
        return kernel instanceof NativeDctKernel;
    }

    @Override
    public Optional<LumaBlock> decode(Path file, long maxPixels) throws IOException {
        NativeLibrary l = NativeLibrary.require(lib, "native JPEG decoder");
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
            case OK -> Optional.of(new LumaBlock(luma, Orientation.fromExif(orientation)));
            case NOT_JPEG -> Optional.empty();
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
    public String toString() {
        return lib.isEmpty() ? "libjpeg-turbo (unavailable)" : "libjpeg-turbo (C, " + NativeLibrary.platform() + ")";
    }
}
