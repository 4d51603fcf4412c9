package org.cleanbackup.cli.review;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Makes the small JPEG a review shows for a file. The review codes against this so that the thumbnail engine (core's
 * {@code org.cleanbackup.thumbnail.Thumbnails}: DCT-scaled decode, cached) can be put in without touching the page;
 * until then {@link #imageIo()} stands in.
 *
 * <p>Implementations are called from several server threads at once and must be thread-safe. They never throw for a
 * file they cannot decode: they return empty, and the page shows the file's facts without a picture.
 */
public interface Thumbnailer {

    /**
     * A JPEG of {@code file} whose longer side is at most {@code maxSide} pixels.
     *
     * @return the JPEG bytes, or empty when the file cannot be decoded (never null)
     */
    Optional<byte[]> jpeg(Path file, int maxSide);

    /**
     * The stand-in: ImageIO (with the TwelveMonkeys plugins on the class path), reading every n-th pixel of every n-th
     * row ({@code ImageReadParam.setSourceSubsampling}) so that a large photo never sits whole in memory.
     */
    static Thumbnailer imageIo() {
        return new ImageIoThumbnailer();
    }
}
