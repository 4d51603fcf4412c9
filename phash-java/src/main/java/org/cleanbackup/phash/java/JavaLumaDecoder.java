package org.cleanbackup.phash.java;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.cleanbackup.phash.LumaBlock;
import org.cleanbackup.phash.LumaDecoder;

/**
 * The {@code java} decoder: JPEG (its own DC-only decoder for baseline files, else ImageIO with TwelveMonkeys), PNG
 * (its own streaming reader), GIF, BMP, TIFF, WebP, HEIC/HEIF/AVIF through the system's libheif, and camera RAW
 * through the embedded preview. It takes every file, so it is the last decoder asked: what is not an image is an
 * {@link org.cleanbackup.phash.ImageDecodeException} with a one-line reason, never a decline.
 *
 * @since 0.1
 */
public final class JavaLumaDecoder implements LumaDecoder {

    /** Creates the decoder; cheap and never fails (libheif is looked for the first time a HEIC file comes). */
    public JavaLumaDecoder() {
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
    public String formats() {
        return "JPEG, PNG, GIF, BMP, TIFF, WebP, HEIC/HEIF/AVIF (with libheif), camera RAW previews";
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public Optional<LumaBlock> decode(Path file, long maxPixels) throws IOException {
        return Optional.of(ImageLumaDecoder.decode(file, maxPixels));
    }

    @Override
    public String toString() {
        return "java (ImageIO, TwelveMonkeys, libheif)";
    }
}
