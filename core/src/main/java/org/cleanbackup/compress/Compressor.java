package org.cleanbackup.compress;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.cleanbackup.model.MediaType;

/**
 * Service-provider interface for compressing one file format (JPEG, PNG, video, ...).
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/org.cleanbackup.compress.Compressor}) through {@link Compressors}. When several claim an
 * extension, the available one ({@link #unavailableReason()} empty) with the highest {@link #priority()} is used, so
 * a faster native implementation can stand in front of a pure-Java fallback; two available claimants of equal
 * priority are an error. An implementation must be thread-safe: the planner calls
 * {@link #compress} on many files at once (images on all cores, videos on half of them).
 *
 * <p>A compressor only ever writes the {@code target} it is given: a temporary name chosen by the caller. It never
 * changes the source, never renames anything, and does not set the target's modification time (the caller does,
 * so that the journal records it). What it keeps of a file's metadata is part of its documentation
 * (docs/compress.md).
 *
 * @since 0.1
 */
public interface Compressor {

    /** A short lower-case name for reports and {@code --json}, e.g. {@code "jpeg"}. Never null. */
    String name();

    /** {@link MediaType#IMAGE} or {@link MediaType#VIDEO}: decides the thread pool and {@code --only}. Never null. */
    MediaType mediaType();

    /** The lower-case file-name extensions (without the dot) this compressor takes. Never null or empty. */
    Set<String> extensions();

    /**
     * Why this compressor cannot run on this machine (e.g. "ffmpeg is not installed"), or empty when it can. May
     * run a quick check once and remember the answer. Never null.
     */
    default Optional<String> unavailableReason() {
        return Optional.empty();
    }

    /**
     * Rank among compressors that claim the same extension: the available one with the highest value is used. 0 by
     * default (the built-in pure-Java compressors); a native implementation that should be preferred returns more.
     *
     * @since 0.1
     */
    default int priority() {
        return 0;
    }

    /**
     * The file name the compressed file gets, given the original's: the same name by default; a compressor whose
     * output is another container (a {@code .avi} that becomes an MP4) returns the new name. Never null.
     */
    default String targetFileName(String sourceFileName) {
        return sourceFileName;
    }

    /**
     * Compresses {@code source} into {@code target}.
     *
     * @param source a regular file with one of {@link #extensions()}; only read
     * @param target a path that does not exist yet, in an existing folder; the compressor creates it and writes
     *               the complete file there. When this method throws, the caller deletes whatever is left at
     *               {@code target}.
     * @param level  how hard to compress (a lossless compressor may ignore it)
     * @throws CompressionException when the content cannot be compressed: damaged, or a variant the compressor
     *                              does not handle ({@link CompressionException#isUnsupported()})
     * @throws IOException          when reading or writing fails (a full disk among others)
     */
    void compress(Path source, Path target, CompressionLevel level) throws IOException;
}
