package org.cleanbackup.cli.review;

import java.nio.file.Path;
import java.util.Optional;
import org.cleanbackup.thumbnail.Thumbnails;

/**
 * Makes the small JPEG a review shows for a file: core's {@link Thumbnails} (DCT-scaled decode through libjpeg-turbo
 * where it loads, libheif, ImageIO; cached beside the hash cache).
 *
 * <p>Implementations are called from several server threads at once and must be thread-safe. They never throw for a
 * file they cannot decode: they return empty, and the page shows the file's facts without a picture.
 */
@FunctionalInterface
public interface Thumbnailer {

    /**
     * A JPEG of {@code file} whose longer side is at most {@code maxSide} pixels.
     *
     * @return the JPEG bytes, or empty when the file cannot be decoded (never null)
     */
    Optional<byte[]> jpeg(Path file, int maxSide);

    /** Thumbnails kept in {@code cacheFolder} (made again for a file whose size or time changed), or none kept when null. */
    static Thumbnailer cachedIn(Path cacheFolder) {
        return Thumbnails.create(cacheFolder)::jpeg;
    }
}
