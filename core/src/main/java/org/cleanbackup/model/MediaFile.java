package org.cleanbackup.model;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A regular file found by a scan.
 *
 * @param path         the file's absolute, normalized path
 * @param root         the scan root it was found under (absolute, normalized)
 * @param reference    true when the root is a protected reference folder: such a file is never moved, changed or
 *                     deleted
 * @param size         its size in bytes
 * @param lastModified its modification time in milliseconds since the epoch
 * @param id           its device and inode, or {@code null} when the platform does not say
 */
public record MediaFile(Path path, Path root, boolean reference, long size, long lastModified, FileId id) {

    public MediaFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(root, "root");
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size + " for " + path);
        }
    }

    /** The path relative to its scan root. */
    public Path relativePath() {
        return root.relativize(path);
    }
}
