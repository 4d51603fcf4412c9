package org.cleanbackup.phash.java;

import java.awt.image.BufferedImage;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Optional;
import org.cleanbackup.internal.NativeLib;
import org.cleanbackup.phash.ImageDecodeException;
import org.cleanbackup.phash.LumaBlock;
import org.cleanbackup.phash.Orientation;
import org.cleanbackup.thumbnail.ThumbnailDecoder;

/**
 * HEIC, HEIF and AVIF through the system's libheif ({@code libheif1} on Debian and Ubuntu), called with the Foreign
 * Function and Memory API so that nothing needs compiling. libheif applies the file's rotation and mirroring itself
 * when decoding, so the orientation returned is always {@link Orientation#NORMAL}. The hash uses only the Y plane;
 * a thumbnail ({@link HeifThumbnailDecoder}) the RGB one.
 */
final class Heif {

    static final String INSTALL_HINT = "install libheif1 (Debian/Ubuntu) or libheif (Fedora, Homebrew) to hash HEIC/HEIF";

    /* struct heif_error { enum heif_error_code code; enum heif_suberror_code subcode; const char* message; } */
    private static final StructLayout ERROR = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("code"), ValueLayout.JAVA_INT.withName("subcode"),
            ValueLayout.ADDRESS.withName("message"));
    private static final int COLORSPACE_YCBCR = 0;
    private static final int COLORSPACE_RGB = 1;
    private static final int CHROMA_420 = 1;
    private static final int CHROMA_INTERLEAVED_RGB = 10;
    private static final int CHANNEL_Y = 0;
    private static final int CHANNEL_INTERLEAVED = 10;

    /** Bound on first use of this class; library missing, too old (no heif_init), or native access refused: why. */
    private static final NativeLib.Bound<Functions> BOUND = NativeLib.bind("libheif", Heif.class, () -> {
        try {
            return new Functions(NativeLib.system("libheif.so.1"));
        } catch (Throwable t) {
            throw new NativeLib.Unavailable("libheif is not available (" + t.getMessage() + "): " + INSTALL_HINT, t);
        }
    });

    private Heif() {
    }

    /** Why HEIC cannot be decoded here, or empty when it can. */
    static Optional<String> unavailableReason() {
        return BOUND.failure();
    }

    private static final class Functions {
        final MethodHandle contextAlloc;
        final MethodHandle contextFree;
        final MethodHandle readFromFile;
        final MethodHandle primaryHandle;
        final MethodHandle handleWidth;
        final MethodHandle handleHeight;
        final MethodHandle handleRelease;
        final MethodHandle decodeImage;
        final MethodHandle planeReadonly;
        final MethodHandle imageWidth;
        final MethodHandle imageHeight;
        final MethodHandle bitsPerPixelRange;
        final MethodHandle imageRelease;
        /** libheif's own bound on a side (grids included, whose tiles an image handle's size does not show). */
        final Optional<MethodHandle> setMaximumSize;

        Functions(NativeLib lib) throws Throwable {
            MethodHandle init = lib.function("heif_init", FunctionDescriptor.of(ERROR, ValueLayout.ADDRESS));
            try (Arena a = Arena.ofConfined()) {
                MemorySegment err = (MemorySegment) init.invokeExact((java.lang.foreign.SegmentAllocator) a,
                        MemorySegment.NULL);
                if (err.get(ValueLayout.JAVA_INT, 0) != 0) {
                    throw new IllegalStateException("heif_init failed: " + message(err));
                }
            }
            var A = ValueLayout.ADDRESS;
            var I = ValueLayout.JAVA_INT;
            contextAlloc = lib.function("heif_context_alloc", FunctionDescriptor.of(A));
            contextFree = lib.function("heif_context_free", FunctionDescriptor.ofVoid(A));
            readFromFile = lib.function("heif_context_read_from_file", FunctionDescriptor.of(ERROR, A, A, A));
            primaryHandle = lib.function("heif_context_get_primary_image_handle", FunctionDescriptor.of(ERROR, A, A));
            handleWidth = lib.function("heif_image_handle_get_width", FunctionDescriptor.of(I, A));
            handleHeight = lib.function("heif_image_handle_get_height", FunctionDescriptor.of(I, A));
            handleRelease = lib.function("heif_image_handle_release", FunctionDescriptor.ofVoid(A));
            decodeImage = lib.function("heif_decode_image", FunctionDescriptor.of(ERROR, A, A, I, I, A));
            planeReadonly = lib.function("heif_image_get_plane_readonly", FunctionDescriptor.of(A, A, I, A));
            imageWidth = lib.function("heif_image_get_width", FunctionDescriptor.of(I, A, I));
            imageHeight = lib.function("heif_image_get_height", FunctionDescriptor.of(I, A, I));
            bitsPerPixelRange = lib.function("heif_image_get_bits_per_pixel_range", FunctionDescriptor.of(I, A, I));
            imageRelease = lib.function("heif_image_release", FunctionDescriptor.ofVoid(A));
            setMaximumSize = lib.optionalFunction("heif_context_set_maximum_image_size_limit",
                    FunctionDescriptor.ofVoid(A, I));
        }
    }

    private static String message(MemorySegment err) {
        MemorySegment p = err.get(ValueLayout.ADDRESS, 8);
        String m = p.equals(MemorySegment.NULL) ? "" : p.reinterpret(4096).getString(0);
        return m.isBlank() ? "error code " + err.get(ValueLayout.JAVA_INT, 0) : m;
    }

    static LumaBlock decode(Path file, long maxPixels) throws ImageDecodeException {
        return decodePrimary(file, maxPixels, COLORSPACE_YCBCR, CHROMA_420, CHANNEL_Y, (plane, stride, width, height, bits) -> {
            boolean wide = bits > 8;
            AreaAverager avg = new AreaAverager(width, height);
            float[] row = new float[width];
            double scale = 255.0 / ((1 << bits) - 1);
            for (int y = 0; y < height; y++) {
                long base = (long) y * stride;
                for (int x = 0; x < width; x++) {
                    row[x] = wide
                            ? (float) (Short.toUnsignedInt(plane.get(ValueLayout.JAVA_SHORT_UNALIGNED, base + 2L * x)) * scale)
                            : plane.get(ValueLayout.JAVA_BYTE, base + x) & 0xFF;
                }
                avg.addRow(y, row);
            }
            return new LumaBlock(avg.result(), Orientation.NORMAL);
        });
    }

    /**
     * The primary image in colour for a thumbnail, already turned (libheif applies the file's rotation and mirroring),
     * read from libheif's interleaved 8-bit RGB with every {@code step}-th pixel of every {@code step}-th row, the
     * largest step that keeps the longer side at or above twice {@code maxSide}: the Java heap holds only that small
     * picture, libheif's own buffer is bounded by the pixel limit.
     */
    static ThumbnailDecoder.Pixels decodeRgb(Path file, int maxSide, long maxPixels) throws ImageDecodeException {
        return decodePrimary(file, maxPixels, COLORSPACE_RGB, CHROMA_INTERLEAVED_RGB, CHANNEL_INTERLEAVED,
                (plane, stride, width, height, bits) -> {
                    int step = Math.max(1, Math.max(width, height) / (2 * maxSide));
                    int w = (width + step - 1) / step;
                    int h = (height + step - 1) / step;
                    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
                    int[] row = new int[w];
                    for (int y = 0; y < h; y++) {
                        long base = (long) y * step * stride;
                        for (int x = 0; x < w; x++) {
                            long p = base + 3L * x * step;
                            row[x] = (plane.get(ValueLayout.JAVA_BYTE, p) & 0xFF) << 16
                                    | (plane.get(ValueLayout.JAVA_BYTE, p + 1) & 0xFF) << 8
                                    | plane.get(ValueLayout.JAVA_BYTE, p + 2) & 0xFF;
                        }
                        image.setRGB(0, y, w, 1, row, 0, w);
                    }
                    return new ThumbnailDecoder.Pixels(image, Orientation.NORMAL, width, height);
                });
    }

    /** Reads one decoded plane: its memory, row stride in bytes, size and bits per sample. */
    @FunctionalInterface
    private interface PlaneReader<T> {
        T read(MemorySegment plane, int stride, int width, int height, int bits);
    }

    /** Decodes the primary image in {@code colorspace}/{@code chroma} and hands {@code channel}'s plane to {@code reader}. */
    private static <T> T decodePrimary(Path file, long maxPixels, int colorspace, int chroma, int channel,
                                       PlaneReader<T> reader) throws ImageDecodeException {
        if (BOUND.value().isEmpty()) {
            throw new ImageDecodeException(file, "HEIC/HEIF is not supported here: " + INSTALL_HINT);
        }
        Functions f = BOUND.value().get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ctx = (MemorySegment) f.contextAlloc.invokeExact();
            MemorySegment handle = MemorySegment.NULL;
            MemorySegment image = MemorySegment.NULL;
            try {
                if (f.setMaximumSize.isPresent()) {
                    // A grid's tiles are decoded into its declared output size, which the primary handle's size
                    // (checked below) need not show: let libheif refuse any side beyond what the pixel limit allows
                    // for a 2:1 panorama, before it reads the file.
                    f.setMaximumSize.get().invokeExact(ctx, maximumSide(maxPixels));
                }
                check(file, (MemorySegment) f.readFromFile.invokeExact((java.lang.foreign.SegmentAllocator) arena, ctx,
                        arena.allocateFrom(file.toString()), MemorySegment.NULL));
                MemorySegment handleOut = arena.allocate(ValueLayout.ADDRESS);
                check(file, (MemorySegment) f.primaryHandle.invokeExact((java.lang.foreign.SegmentAllocator) arena, ctx,
                        handleOut));
                handle = handleOut.get(ValueLayout.ADDRESS, 0);
                long w = (int) f.handleWidth.invokeExact(handle);
                long h = (int) f.handleHeight.invokeExact(handle);
                if (w <= 0 || h <= 0) {
                    throw new ImageDecodeException(file, "damaged HEIF: image has no size");
                }
                if (w * h > maxPixels) {
                    throw ImageLumaDecoder.tooLarge(file, w, h, maxPixels);
                }
                MemorySegment imageOut = arena.allocate(ValueLayout.ADDRESS);
                check(file, (MemorySegment) f.decodeImage.invokeExact((java.lang.foreign.SegmentAllocator) arena, handle,
                        imageOut, colorspace, chroma, MemorySegment.NULL));
                image = imageOut.get(ValueLayout.ADDRESS, 0);
                int width = (int) f.imageWidth.invokeExact(image, channel);
                int height = (int) f.imageHeight.invokeExact(image, channel);
                int bits = (int) f.bitsPerPixelRange.invokeExact(image, channel);
                MemorySegment strideOut = arena.allocate(ValueLayout.JAVA_INT);
                MemorySegment plane = (MemorySegment) f.planeReadonly.invokeExact(image, channel, strideOut);
                if (plane.equals(MemorySegment.NULL) || width <= 0 || height <= 0) {
                    throw new ImageDecodeException(file, "damaged HEIF: decoder returned no image plane");
                }
                int stride = strideOut.get(ValueLayout.JAVA_INT, 0);
                return reader.read(plane.reinterpret((long) stride * height), stride, width, height, bits);
            } finally {
                if (!image.equals(MemorySegment.NULL)) {
                    f.imageRelease.invokeExact(image);
                }
                if (!handle.equals(MemorySegment.NULL)) {
                    f.handleRelease.invokeExact(handle);
                }
                f.contextFree.invokeExact(ctx);
            }
        } catch (ImageDecodeException e) {
            throw e;
        } catch (Throwable t) {
            throw new ImageDecodeException(file, "HEIF decoding failed: " + t, t);
        }
    }

    /** The longest side a 2:1 image within {@code maxPixels} has, at least 32 and at most libheif's int. */
    static int maximumSide(long maxPixels) {
        return (int) Math.max(32, Math.min(Integer.MAX_VALUE, (long) Math.ceil(Math.sqrt(2.0 * maxPixels))));
    }

    private static void check(Path file, MemorySegment err) throws ImageDecodeException {
        if (err.get(ValueLayout.JAVA_INT, 0) != 0) {
            throw new ImageDecodeException(file, "damaged or unsupported HEIF: " + message(err));
        }
    }
}
