package org.cleanbackup.thumbnail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.cleanbackup.phash.Orientation;

/**
 * Service-provider interface for a thumbnail decoder: an image file to a small picture of it, for {@link Thumbnails}.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/org.cleanbackup.thumbnail.ThumbnailDecoder}). {@link Thumbnails} asks the usable decoders in
 * order of {@link #priority()}, highest first; one that does not take a file {@linkplain #decode declines it} and the
 * next one is asked. The built-in last resort is {@code imageio} (priority 0: every format ImageIO reads here, with
 * source subsampling); phash-native adds {@code libjpeg-turbo} (200: YCbCr, gray and RGB JPEGs, DCT-scaled, encoded
 * in C) and phash-java {@code libheif} (150: HEIC, HEIF, AVIF through the system's libheif).
 *
 * <p>Contract: thread-safe; the public no-argument constructor never throws (it records why the decoder cannot work
 * and reports it from {@link #unavailableReason()}); no method returns null; memory is bounded from the file's header
 * before pixels are allocated (an image above {@code maxPixels} is refused, not decoded).
 *
 * @since 0.1
 */
public interface ThumbnailDecoder {

    /** A short name for listings and logs, lower case, e.g. {@code "libjpeg-turbo"}. */
    String name();

    /** Higher is asked first. */
    int priority();

    /** Why this decoder cannot run here (one line, saying what to install), or empty when it can. */
    Optional<String> unavailableReason();

    /**
     * Decodes {@code file} to a thumbnail, or declines it.
     *
     * @param maxSide   the longest side the thumbnail may have, in pixels, after orientation
     * @param maxPixels images of more pixels (width times height) are refused from their header
     * @return the thumbnail, or empty when this decoder does not take this file (then the next decoder is asked)
     * @throws IOException when the file is of a format it takes but is damaged, too large, or cannot be read
     */
    Optional<Decoded> decode(Path file, int maxSide, long maxPixels) throws IOException;

    /** What a decoder hands back: a finished JPEG, or pixels for {@link Thumbnails} to shrink, turn and encode. */
    sealed interface Decoded {
    }

    /**
     * A finished thumbnail: JPEG bytes with the orientation already applied to the pixels (and no EXIF orientation
     * left in them), the longer side at most the {@code maxSide} asked for.
     */
    record Jpeg(byte[] bytes) implements Decoded {
        public Jpeg {
            Objects.requireNonNull(bytes, "bytes");
        }
    }

    /**
     * Pixels of any size (a decoder shrinks what it cheaply can, e.g. by subsampling) and the orientation still to
     * apply to them; {@link Thumbnails} does the rest.
     *
     * @param width  the full image's width as stored, which with {@code height} sets the thumbnail's proportions (a
     *               subsampled or 1/8-scale picture rounds its sides up, and would make them a pixel off)
     * @param height the full image's height as stored
     */
    record Pixels(BufferedImage image, Orientation orientation, int width, int height) implements Decoded {
        public Pixels {
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(orientation, "orientation");
            if (width < 1 || height < 1) {
                throw new IllegalArgumentException("no size: " + width + " x " + height);
            }
        }

        /** Pixels that are the whole image (their own size sets the proportions). */
        public Pixels(BufferedImage image, Orientation orientation) {
            this(image, orientation, image.getWidth(), image.getHeight());
        }
    }
}
