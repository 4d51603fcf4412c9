package org.cleanbackup.phash.nativ;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import org.cleanbackup.compress.CompressionException;
import org.cleanbackup.compress.internal.AbstractJpegCompressor;
import org.cleanbackup.phash.LumaBlock;

/**
 * The {@code jpeg} compressor on libjpeg-turbo: decodes and re-encodes in C through the Foreign Function and Memory
 * API, about twice as fast per CPU-second as ImageMagick's {@code convert} and three times as fast as the JDK's
 * ImageIO encoder (docs/benchmarks.md, "Compression"). Everything around the encoder is core's, shared with the
 * ImageIO compressor: the same variants are refused (CMYK, RGB-coded, 12-bit, lossless, arithmetic), the same
 * metadata segments are copied byte for byte (EXIF with orientation and thumbnail, XMP, ICC, IPTC, comments; not
 * Adobe APP14 or MPF), the pixels are not rotated, and the finished file is written under the temporary name the
 * caller gives.
 *
 * <p>Preferred over the ImageIO compressor ({@link #priority()} 10) when the native library loaded and a
 * known-answer self-test passed; otherwise {@link #unavailableReason()} says why and ImageIO is used. The system
 * property {@value #ENCODER_PROPERTY}{@code =imageio} turns it off. A damaged JPEG makes the C code return a
 * message; libjpeg can never end the JVM.
 *
 * @since 0.1
 */
public final class NativeJpegCompressor extends AbstractJpegCompressor {

    /** System property: {@code imageio} makes this compressor unavailable, so the ImageIO one is used. */
    public static final String ENCODER_PROPERTY = "cleanbackup.jpeg.encoder";

    /*
     * What the C side does (cleanbackup_phash.c, cb_jpeg_recompress): libjpeg-turbo reads the DCT planes at their
     * stored resolution (raw data, no colour conversion, no chroma resampling) and writes them at the new quality with
     * the original's sampling factors, optimised Huffman tables, sequential coding and the accurate integer DCT,
     * without JFIF or Adobe markers. Any libjpeg warning (truncated, corrupt data) is a refusal, as with ImageIO.
     *
     * The self-test re-encodes a 48x40 gradient (made by ImageMagick, 4:2:0) and compares the 32x32 luma blocks of
     * both through the native pHash decoder: it proves the library's encoder runs and gives the same picture.
     */

    private static final int OK = 0;
    private static final int ERROR = 1;
    private static final int MESSAGE_LENGTH = 512;
    /** A 48 x 40 gradient (made by ImageMagick, 4:2:0); the thumbnail decoder's self-test uses it too. */
    static final String SELF_TEST_JPEG = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wAARCAAoADADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAAAAQH/8QAGhAAAwADAQAAAAAAAAAAAAAAAAETElFhcf/EABcBAQEBAQAAAAAAAAAAAAAAAAAHBgj/xAAZEQACAwEAAAAAAAAAAAAAAAAAFQMUYVH/2gAMAwEAAhEDEQA/AM6zGZNTrFOsw6jDox3pTmMyanWKdYUYHelOYzJqdYp1hRgd6T0FCaj2hR7RbFGECd6U0FCaj2hR7QUYHelNBQmo9oUe0FGB3pPT0U9AK3Wi4RW3L0U9FPQBWi4LcvRT0U9AFaLgty9P/9k=";

    private final Optional<NativeLibrary> lib;

    /** Loads the native library if it is not loaded yet; never throws. */
    public NativeJpegCompressor() {
        this.lib = NativeLibrary.instance();
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public Optional<String> unavailableReason() {
        String choice = System.getProperty(ENCODER_PROPERTY, "").strip().toLowerCase(Locale.ROOT);
        if (choice.equals("imageio")) {
            return Optional.of("libjpeg-turbo encoder turned off by -D" + ENCODER_PROPERTY + "=imageio");
        }
        if (lib.isEmpty()) {
            return NativeLibrary.failure();
        }
        return SelfTest.FAILURE;
    }

    @Override
    protected byte[] encodePixels(byte[] original, int[] samplingFactors, int quality) throws CompressionException {
        return recompress(original, quality); // libjpeg-turbo reads the original's sampling factors itself
    }

    /** The re-encoded pixels of {@code original} (no metadata segments). */
    byte[] recompress(byte[] original, int quality) throws CompressionException {
        NativeLibrary l = NativeLibrary.require(lib, "native JPEG encoder");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(original.length);
            MemorySegment.copy(original, 0, in, ValueLayout.JAVA_BYTE, 0, original.length);
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            MemorySegment outLength = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment msg = arena.allocate(MESSAGE_LENGTH);
            int rc = (int) l.recompressJpeg.invokeExact(in, (long) original.length, quality, out, outLength, msg,
                    MESSAGE_LENGTH);
            if (rc == OK) {
                MemorySegment encoded = out.get(ValueLayout.ADDRESS, 0);
                try {
                    return encoded.reinterpret(outLength.get(ValueLayout.JAVA_LONG, 0)).toArray(ValueLayout.JAVA_BYTE);
                } finally {
                    l.freeJpeg.invokeExact(encoded);
                }
            }
            String message = msg.getString(0);
            throw rc == ERROR ? CompressionException.failed(message) : CompressionException.unsupported(message);
        } catch (CompressionException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native JPEG encoder call failed", t);
        }
    }

    @Override
    public String toString() {
        return lib.isEmpty() ? "jpeg (libjpeg-turbo, unavailable)" : "jpeg (libjpeg-turbo, " + NativeLibrary.platform() + ")";
    }

    /** Runs once, on first use: empty when the encoder works, else why not. */
    private static final class SelfTest {
        static final Optional<String> FAILURE = run();

        private static Optional<String> run() {
            if (NativeLibrary.instance().isEmpty()) {
                return NativeLibrary.failure();
            }
            NativeLibrary l = NativeLibrary.instance().get();
            try {
                byte[] original = Base64.getDecoder().decode(SELF_TEST_JPEG);
                byte[] encoded = new NativeJpegCompressor().recompress(original, 85);
                float[] before = luma(l, original);
                float[] after = luma(l, encoded);
                double diff = 0;
                for (int i = 0; i < before.length; i++) {
                    diff += Math.abs(before[i] - after[i]);
                }
                diff /= before.length;
                return diff < 2.0 ? Optional.empty()
                        : Optional.of("native JPEG encoder failed its self-test (mean luma difference " + diff + ")");
            } catch (CompressionException | RuntimeException e) {
                return Optional.of("native JPEG encoder failed its self-test: " + e.getMessage());
            }
        }

        private static float[] luma(NativeLibrary l, byte[] jpeg) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment data = arena.allocate(jpeg.length);
                MemorySegment.copy(jpeg, 0, data, ValueLayout.JAVA_BYTE, 0, jpeg.length);
                MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT, LumaBlock.LENGTH);
                MemorySegment ints = arena.allocate(ValueLayout.JAVA_INT, 3);
                MemorySegment msg = arena.allocate(MESSAGE_LENGTH);
                int rc = (int) l.decodeJpeg.invokeExact(MemorySegment.NULL, data, (long) jpeg.length, 1L << 20, out, ints,
                        ints.asSlice(4), ints.asSlice(8), msg, MESSAGE_LENGTH);
                if (rc != OK) {
                    throw new IllegalStateException("decoding failed (" + rc + "): " + msg.getString(0));
                }
                return out.toArray(ValueLayout.JAVA_FLOAT);
            } catch (RuntimeException e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }
}
