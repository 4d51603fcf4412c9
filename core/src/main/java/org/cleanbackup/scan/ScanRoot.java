package org.cleanbackup.scan;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A folder to scan.
 *
 * @param path      the folder
 * @param reference true for a protected reference folder, whose files are never moved, changed or deleted
 */
public record ScanRoot(Path path, boolean reference) {

    public ScanRoot {
        Objects.requireNonNull(path, "path");
    }

    /** A folder whose duplicates may be acted on. */
    public static ScanRoot source(Path path) {
        return new ScanRoot(path, false);
    }

    /** A protected folder: its files count as originals and are never touched. */
    public static ScanRoot reference(Path path) {
        return new ScanRoot(path, true);
    }
}
