package org.cleanbackup;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The hashes of one file, from {@link CleanBackup#hash(HashRequest, java.util.function.Consumer)}.
 *
 * @param path       the file
 * @param perceptual its perceptual hash in hex, or all eight orientations' (identity first); empty when not asked
 * @param content    its content hash in hex, when asked
 * @since 0.3
 */
public record FileHashes(Path path, List<String> perceptual, Optional<String> content) {

    /** Copies the list. */
    public FileHashes {
        perceptual = List.copyOf(perceptual);
    }
}
