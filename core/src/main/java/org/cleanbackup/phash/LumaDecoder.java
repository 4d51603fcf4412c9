package org.cleanbackup.phash;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Service-provider interface for the decoder of the perceptual hash (steps 1 and 2 in {@code docs/phash.md}): an
 * image file to its 32x32 area-averaged luma block and the EXIF orientation still to apply.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/org.cleanbackup.phash.LumaDecoder}). {@link PerceptualHasher} asks the usable decoders
 * in order of {@link #priority()}, highest first; a decoder that does not take a file
 * {@linkplain #decode declines it} and the next one is asked. The built-in ones: {@code libjpeg-turbo}
 * (phash-native, 200: YCbCr and gray JPEGs) and {@code java} (phash-java, 100: every format, the last resort).
 *
 * <p>Contract: thread-safe; the public no-argument constructor never throws (it records why the decoder cannot
 * work and reports it from {@link #unavailableReason()}); no method returns null.
 *
 * @since 0.1
 */
public interface LumaDecoder {

    /** A short name for listings and logs, lower case, e.g. {@code "libjpeg-turbo"} or {@code "java"}. */
    String name();

    /** Higher is asked first. */
    int priority();

    /** The files it takes, one line for a listing, e.g. {@code "YCbCr and gray JPEG"}. */
    String formats();

    /** Why this decoder cannot run here (one line, saying what to install), or empty when it can. */
    Optional<String> unavailableReason();

    /**
     * Whether this decoder is to be used with {@code kernel}. All of them by default; the native decoder serves only
     * the native kernel, so that asking for the {@code vector} or {@code scalar} backend means pure Java, end to end.
     */
    default boolean servesKernel(DctKernel kernel) {
        return true;
    }

    /**
     * Decodes {@code file} to its luma block, or declines it.
     *
     * @param maxPixels images of more pixels (width times height) are refused from their header, before their
     *                  pixels are allocated
     * @return the block, or empty when this decoder does not take this file (not a format it reads, or a kind of
     * that format it leaves to the next decoder); then the next decoder by priority is asked
     * @throws ImageDecodeException when the file is of a format it takes but is damaged or too large
     * @throws IOException          when the file cannot be read
     */
    Optional<LumaBlock> decode(Path file, long maxPixels) throws IOException;
}
