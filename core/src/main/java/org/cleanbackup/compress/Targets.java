package org.cleanbackup.compress;

import java.nio.file.Path;
import org.cleanbackup.model.MediaFile;

/**
 * Where each result goes: beside its original in place, else at its path relative to the source root under DEST.
 *
 * @param root        the scanned source folder, absolute
 * @param destination DEST, or null in place
 */
record Targets(Path root, Path destination) {

    /** Where the compressed file of {@code file} is to go (the executor may still pick a free name near it). */
    Path compressed(MediaFile file, Compressor compressor) {
        String newName = compressor.targetFileName(file.path().getFileName().toString());
        if (destination == null) {
            return file.path().resolveSibling(newName);
        }
        return destination.resolve(root.relativize(file.path())).resolveSibling(newName);
    }

    /** Where an unchanged copy of {@code file} goes in DEST. */
    Path copy(MediaFile file) {
        return destination.resolve(root.relativize(file.path()));
    }
}
