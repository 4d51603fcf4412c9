package org.cleanbackup.compress.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.cleanbackup.compress.CompressionException;
import org.cleanbackup.compress.CompressionLevel;

/**
 * The steps every JPEG compressor shares, whatever encodes the pixels: which variants are refused, which metadata
 * segments of the original are carried over (byte for byte, see {@link JpegSegments#metadataToKeep}), the check
 * that the result reads back at the original's size, and the write of the finished file. Not API: public so that
 * the libjpeg-turbo compressor of {@code phash-native} behaves exactly as the ImageIO one here.
 */
final class JpegRecompression {

    /** The file extensions of JPEG files, which every JPEG compressor takes. */
    public static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "jpe");

    /** Re-encodes the pixels of a JPEG; the metadata is not its business. */
    @FunctionalInterface
    public interface PixelEncoder {

        /**
         * A complete JPEG of the same pixels at {@code quality}, with the given chroma subsampling. Any APPn or COM
         * segment it writes is dropped (the original's are put in their place).
         *
         * @param original        the whole original file: an 8-bit, 1- or 3-component YCbCr or grey JPEG
         * @param samplingFactors the original's, per component: horizontal factor * 16 + vertical factor
         * @param quality         1..100, on libjpeg's scale
         * @throws CompressionException when the original is damaged ({@code "damaged: ..."})
         */
        byte[] encode(byte[] original, int[] samplingFactors, int quality) throws IOException;
    }

    private JpegRecompression() {
    }

    /**
     * Compresses {@code source} into the new file {@code target} (created, written and forced to disk; never
     * partly written under that name by this method unless the write itself fails, and then the caller removes it).
     */
    public static void compress(Path source, Path target, CompressionLevel level, PixelEncoder encoder)
            throws IOException {
        Outputs.writeNew(target, encode(Files.readAllBytes(source), level, encoder));
    }

    /** The re-encoded file, with the original's metadata segments. */
    static byte[] encode(byte[] original, CompressionLevel level, PixelEncoder encoder) throws IOException {
        JpegSegments header = JpegSegments.parse(original);
        checkSupported(header, original);
        byte[] encoded = encoder.encode(original, header.samplingFactors(), level.jpegQuality());
        byte[] result = JpegSegments.splice(original, header.metadataToKeep(original), encoded);
        // An encoder bug must never replace a good original: the result must at least describe the same image.
        JpegSegments written = JpegSegments.parse(result);
        if (written.width() != header.width() || written.height() != header.height()
                || written.components() != header.components()) {
            throw CompressionException.failed("the re-encoded image does not read back at " + header.width() + "x"
                    + header.height());
        }
        return result;
    }

    private static void checkSupported(JpegSegments header, byte[] original) throws CompressionException {
        int frame = header.frameMarker();
        if (frame < 0) {
            throw CompressionException.failed("damaged: no frame header before the image data");
        }
        if (frame != 0xC0 && frame != 0xC1 && frame != 0xC2) {
            throw CompressionException.unsupported(switch (frame) {
                case 0xC3, 0xC7, 0xCB, 0xCF -> "lossless JPEG";
                default -> frame >= 0xC9 ? "arithmetic-coded JPEG" : String.format("JPEG process SOF%d", frame - 0xC0);
            } + ": not re-encoded");
        }
        if (header.precision() != 8) {
            throw CompressionException.unsupported(header.precision() + "-bit JPEG: not re-encoded");
        }
        int n = header.components();
        if (n == 4) {
            throw CompressionException.unsupported("CMYK JPEG: not re-encoded");
        }
        if (n != 1 && n != 3) {
            throw CompressionException.unsupported(n + "-component JPEG: not re-encoded");
        }
        if (header.isRgb()) {
            // Stored as RGB, not YCbCr: the raw samples would be written back as YCbCr and the colours would change.
            throw CompressionException.unsupported("RGB-coded JPEG: not re-encoded");
        }
    }
}
