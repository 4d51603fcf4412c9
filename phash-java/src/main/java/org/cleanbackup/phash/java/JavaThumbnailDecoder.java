package org.cleanbackup.phash.java;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.cleanbackup.internal.JpegHeader;
import org.cleanbackup.metadata.EmbeddedMetadata;
import org.cleanbackup.phash.ImageDecodeException;
import org.cleanbackup.phash.Orientation;
import org.cleanbackup.thumbnail.ThumbnailDecoder;

/**
 * The {@code java} thumbnail decoder: baseline camera JPEGs through the hash's DC-only decoder
 * ({@code JpegDcDecoder}), in colour: one pixel per 8 x 8 block from each component's DC coefficient, no IDCT, chroma
 * replicated to the luma's size, converted to RGB as libjpeg does. It takes a JPEG only when 1/8 scale still reaches
 * {@code maxSide} (a 2048-pixel-wide photo for 256) and declines the rest (progressive, CMYK, small, a subsampled luma)
 * for the built-in ImageIO decoder. Pure Java: the fallback when phash-native's library is absent.
 *
 * @since 0.1
 */
public final class JavaThumbnailDecoder implements ThumbnailDecoder {

    /** Never throws. */
    public JavaThumbnailDecoder() {
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public Optional<Decoded> decode(Path file, int maxSide, long maxPixels) throws IOException {
        FileBytes.Bytes bytes = FileBytes.read(file, ImageLumaDecoder.DC_DECODER_MAX_FILE_BYTES);
        if (bytes == null || bytes.length() < 3 || ImageLumaDecoder.sniff(bytes.data(), Math.min(32, bytes.length()),
                ImageLumaDecoder.extension(file)) != ImageLumaDecoder.Kind.JPEG) {
            return Optional.empty();
        }
        JpegHeader.Info header = JpegHeader.read(JpegHeader.of(bytes.data(), bytes.length()));
        if ((Math.max(header.width(), header.height()) + 7) / 8 < maxSide) {
            return Optional.empty(); // 1/8 scale is too small for this thumbnail: ImageIO reads it larger
        }
        Optional<String> refusal = EmbeddedMetadata.checkStructure(file);
        if (refusal.isPresent()) {
            throw new ImageDecodeException(file, "refused: " + refusal.get());
        }
        JpegDcDecoder.Planes planes;
        try {
            planes = JpegDcDecoder.decodeColour(file, bytes.data(), bytes.length(), maxPixels);
        } catch (JpegDcDecoder.Fallback e) {
            return Optional.empty();
        }
        return Optional.of(new Pixels(rgb(planes), Orientation.fromExif(planes.exifOrientation()),
                planes.imageWidth(), planes.imageHeight()));
    }

    /** YCbCr to RGB with libjpeg's coefficients (jdcolor.c), chroma by replication; gray as it is. */
    static BufferedImage rgb(JpegDcDecoder.Planes p) {
        int w = p.widths()[0];
        int h = p.heights()[0];
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        byte[] y = p.planes()[0];
        boolean gray = p.planes().length == 1;
        for (int j = 0; j < h; j++) {
            for (int i = 0; i < w; i++) {
                int luma = y[j * w + i] & 0xFF;
                if (gray) {
                    row[i] = luma * 0x010101;
                    continue;
                }
                int cb = sample(p, 1, i, j, w, h) - 128;
                int cr = sample(p, 2, i, j, w, h) - 128;
                int r = clamp(luma + 1.402 * cr);
                int g = clamp(luma - 0.344136 * cb - 0.714136 * cr);
                int b = clamp(luma + 1.772 * cb);
                row[i] = r << 16 | g << 8 | b;
            }
            image.setRGB(0, j, w, 1, row, 0, w);
        }
        return image;
    }

    private static int sample(JpegDcDecoder.Planes p, int c, int x, int y, int w, int h) {
        int pw = p.widths()[c];
        int ph = p.heights()[c];
        int cx = Math.min(pw - 1, (int) ((long) x * pw / w));
        int cy = Math.min(ph - 1, (int) ((long) y * ph / h));
        return p.planes()[c][cy * pw + cx] & 0xFF;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    @Override
    public String toString() {
        return "java thumbnails (DC-only JPEG)";
    }
}
