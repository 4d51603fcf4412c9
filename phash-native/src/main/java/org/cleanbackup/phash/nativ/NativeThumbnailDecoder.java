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
import java.util.Base64;
import java.util.Optional;
import org.cleanbackup.internal.JpegHeader;
import org.cleanbackup.thumbnail.ThumbnailDecoder;

/**
 * The {@code libjpeg-turbo} thumbnail decoder: a JPEG is decoded in C at the smallest of 1/8, 1/4, 1/2 and full
 * scale (in the DCT domain, so most of the image is never inverse-transformed at full size) whose longer side still
 * reaches {@code maxSide}, shrunk by a box filter to at most {@code maxSide}, turned by its EXIF orientation and
 * encoded at quality {@value #QUALITY}, all in one call through the Foreign Function and Memory API. It declines what
 * libjpeg does not turn into RGB (CMYK and YCCK JPEGs) and every other format: the next decoder takes those.
 *
 * <p>Available when the native library loaded and a known-answer self-test passed (a 48 x 40 JPEG must come back as
 * a 24 x 20 one). A damaged JPEG makes the C code return a message; libjpeg can never end the JVM.
 *
 * @since 0.1
 */
public final class NativeThumbnailDecoder implements ThumbnailDecoder {

    /** The JPEG quality thumbnails are encoded at: small files, no visible blocks at thumbnail size. */
    static final int QUALITY = 80;


    private final Optional<NativeLibrary> lib;

    /** Loads the native library if it is not loaded yet; never throws. */
    public NativeThumbnailDecoder() {
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
    public Optional<String> unavailableReason() {
        return lib.isEmpty() ? NativeLibrary.failure() : SelfTest.FAILURE;
    }

    @Override
    public Optional<Decoded> decode(Path file, int maxSide, long maxPixels) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            Result r = call(arena, arena.allocateFrom(file.toString()), MemorySegment.NULL, 0, maxSide, maxPixels);
            return switch (r.code) {
                case OK -> Optional.of(new Jpeg(r.jpeg));
                case NOT_JPEG -> Optional.empty();
                case TOO_LARGE -> throw new IOException(file + ": image claims " + r.width + " x " + r.height
                        + " pixels, above the limit of " + maxPixels);
                case ERROR -> throw new IOException(file + ": " + r.message);
                default -> {
                    Files.newInputStream(file).close(); // let Java say why it cannot be opened, in its usual words
                    throw new IOException(file + ": " + r.message);
                }
            };
        }
    }

    /** What cb_thumb_jpeg gave: the code, the JPEG (for OK), the sizes and the message. */
    private record Result(int code, byte[] jpeg, int width, int height, String message) {
    }

    private Result call(Arena arena, MemorySegment path, MemorySegment data, long length, int maxSide, long maxPixels) {
        NativeLibrary l = NativeLibrary.require(lib, "native thumbnail decoder");
        MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
        MemorySegment outLength = arena.allocate(ValueLayout.JAVA_LONG);
        MemorySegment ints = arena.allocate(ValueLayout.JAVA_INT, 2);
        MemorySegment msg = arena.allocate(MESSAGE_LENGTH);
        try {
            int rc = (int) l.thumbJpeg.invokeExact(path, data, length, maxPixels, maxSide, QUALITY, out, outLength,
                    ints, ints.asSlice(4), msg, MESSAGE_LENGTH);
            byte[] jpeg = null;
            if (rc == OK) {
                MemorySegment encoded = out.get(ValueLayout.ADDRESS, 0);
                try {
                    jpeg = encoded.reinterpret(outLength.get(ValueLayout.JAVA_LONG, 0)).toArray(ValueLayout.JAVA_BYTE);
                } finally {
                    l.freeJpeg.invokeExact(encoded);
                }
            }
            return new Result(rc, jpeg, ints.getAtIndex(ValueLayout.JAVA_INT, 0), ints.getAtIndex(ValueLayout.JAVA_INT, 1),
                    msg.getString(0));
        } catch (Throwable t) {
            throw new IllegalStateException("native thumbnail call failed", t);
        }
    }

    @Override
    public String toString() {
        return lib.isEmpty() ? "libjpeg-turbo thumbnails (unavailable)"
                : "libjpeg-turbo thumbnails (C, " + NativeLibrary.platform() + ")";
    }

    /** Runs once, on first use: empty when the decoder works, else why not. */
    private static final class SelfTest {
        static final Optional<String> FAILURE = run();

        /** The 48 x 40 gradient of the compressor's self-test. */
        private static final String JPEG = NativeJpegCompressor.SELF_TEST_JPEG;

        private static Optional<String> run() {
            if (NativeLibrary.instance().isEmpty()) {
                return NativeLibrary.failure();
            }
            try (Arena arena = Arena.ofConfined()) {
                byte[] original = Base64.getDecoder().decode(JPEG);
                MemorySegment data = arena.allocate(original.length);
                MemorySegment.copy(original, 0, data, ValueLayout.JAVA_BYTE, 0, original.length);
                Result r = new NativeThumbnailDecoder().call(arena, MemorySegment.NULL, data, original.length, 24, 1L << 20);
                if (r.code != OK) {
                    return Optional.of("native thumbnail decoder failed its self-test (" + r.code + "): " + r.message);
                }
                JpegHeader.Info info = JpegHeader.read(JpegHeader.of(r.jpeg, r.jpeg.length));
                return info.width() == 24 && info.height() == 20 ? Optional.empty()
                        : Optional.of("native thumbnail decoder failed its self-test: " + info.width() + " x "
                        + info.height() + " instead of 24 x 20");
            } catch (IOException | RuntimeException e) {
                return Optional.of("native thumbnail decoder failed its self-test: " + e);
            }
        }
    }
}
