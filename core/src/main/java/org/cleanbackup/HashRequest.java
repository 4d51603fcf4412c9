package org.cleanbackup;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.cleanbackup.hash.ContentHasher;
import org.cleanbackup.phash.PerceptualHasher;

/**
 * What {@link CleanBackup#hash(HashRequest, java.util.function.Consumer)} hashes: files, or the media files in
 * folders, by perceptual hash (images), content hash, or both. Immutable; each method returns a changed copy.
 *
 * <p>A request with neither hash ({@link Perceptual#NONE} and no content hash) is refused when it is run.
 *
 * @param paths      files, and folders whose media files are hashed
 * @param perceptual whether and how images get a perceptual hash
 * @param content    the content hash, or empty for none
 * @param backend    the perceptual-hash backend, or empty for the fastest
 * @param threads    hashing threads, at least 1 (unless the front door was given an executor)
 * @param hashCache  the hash cache database perceptual hashes are read from and written to (the one similar
 *                   dedupe uses, so each fills it for the other), or empty for none
 * @since 0.3
 */
public record HashRequest(List<Path> paths, Perceptual perceptual, Optional<ContentHasher> content,
                          Optional<PerceptualHasher> backend, int threads, Optional<Path> hashCache) {

    /** Whether and how images get a perceptual hash. */
    public enum Perceptual {
        /** No perceptual hash. */
        NONE,
        /** The hash of the image as stored. */
        AS_STORED,
        /** The hashes of all eight flips and rotations (identity first, then the EXIF orientations 2-8). */
        ALL_ORIENTATIONS
    }

    /** Validates the request. */
    public HashRequest {
        paths = List.copyOf(paths);
        Objects.requireNonNull(perceptual, "perceptual");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(hashCache, "hashCache");
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("name at least one file or folder");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
    }

    /** The perceptual hash of each image in {@code paths}, without a hash cache. */
    public static HashRequest of(List<Path> paths) {
        return new HashRequest(paths, Perceptual.AS_STORED, Optional.empty(), Optional.empty(),
                Runtime.getRuntime().availableProcessors(), Optional.empty());
    }

    /** The same request with this perceptual hash (or none). */
    public HashRequest withPerceptual(Perceptual how) {
        return new HashRequest(paths, how, content, backend, threads, hashCache);
    }

    /** The same request, also hashing the content of each file (of every media file, in folders) with {@code hasher}. */
    public HashRequest withContent(ContentHasher hasher) {
        return new HashRequest(paths, perceptual, Optional.of(hasher), backend, threads, hashCache);
    }

    /** The same request, hashing images with this backend. */
    public HashRequest withPerceptualHasher(PerceptualHasher hasher) {
        return new HashRequest(paths, perceptual, content, Optional.of(hasher), threads, hashCache);
    }

    /**
     * The same request, reading unchanged images' perceptual hashes from this cache database (created if missing)
     * and writing the others' to it. Content hashes are not cached.
     */
    public HashRequest withHashCache(Path file) {
        return new HashRequest(paths, perceptual, content, backend, threads,
                Optional.of(Objects.requireNonNull(file, "file")));
    }

    /** The same request with {@code n} threads. */
    public HashRequest withThreads(int n) {
        return new HashRequest(paths, perceptual, content, backend, n, hashCache);
    }
}
