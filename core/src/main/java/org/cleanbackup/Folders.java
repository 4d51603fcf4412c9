package org.cleanbackup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.cleanbackup.RequestRefusedException.Rule;
import org.cleanbackup.model.Problem;

/**
 * The checks on folders that every request shares, written once: where a folder that may not exist yet really is,
 * and whether it can be created and written.
 */
final class Folders {

    private Folders() {
    }

    /** The nearest existing folder at or above {@code folder} (absolute), if any. */
    static Optional<Path> nearestExisting(Path folder) {
        Path existing = folder.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return Optional.ofNullable(existing);
    }

    /**
     * The real path {@code folder} has or will have once created: its nearest existing parent's real path, with the
     * missing part below it. {@code asGiven} names it in a refusal.
     */
    static Path realPath(Path folder, Path asGiven) {
        Path wanted = folder.toAbsolutePath().normalize();
        Optional<Path> existing = nearestExisting(wanted);
        if (existing.isEmpty()) {
            return wanted;
        }
        try {
            return existing.get().toRealPath().resolve(existing.get().relativize(wanted));
        } catch (IOException e) {
            throw new RequestRefusedException(Rule.FOLDER_UNUSABLE, asGiven, null, Problem.describe(e));
        }
    }

    /** The real path of an existing folder, or empty when it cannot be read (the scan reports it). */
    static Optional<Path> realPathIfReadable(Path folder) {
        try {
            return Optional.of(folder.toRealPath());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Refuses an output folder that cannot be created: its nearest existing parent must be a folder. */
    static Path checkCreatable(Path folder, Path asGiven) {
        Path existing = nearestExisting(folder).orElse(null);
        if (existing == null || !Files.isDirectory(existing)) {
            throw new RequestRefusedException(Rule.OUTPUT_NOT_A_FOLDER, asGiven, existing, null);
        }
        return existing;
    }

    /** Refuses an output folder that cannot be created or written: its nearest existing parent must be both. */
    static void checkWritable(Path folder, Path asGiven) {
        Path existing = checkCreatable(folder, asGiven);
        if (!Files.isWritable(existing)) {
            throw new RequestRefusedException(Rule.OUTPUT_READ_ONLY, asGiven, existing, null);
        }
    }
}
