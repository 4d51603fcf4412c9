package org.cleanbackup.compress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.cleanbackup.internal.TemporaryFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where compressed results are written before they are placed, and their removal. */
final class TemporaryOutputs implements AutoCloseable {

    /*
     * Where: the executor places a CREATE by link(2) and unlink, which needs the temporary file on the target's file
     * system. Writing it into the target's folder would mean creating that folder outside the journal, so it goes into
     * the nearest folder above the target that already exists (DEST, or the original's own folder in place). The
     * name is TemporaryFiles' (".cleanbackup-tmp-<pid><random>.part"), the same as the executor's copies in progress,
     * so no scan takes it for a photo and one sweep knows them all.
     *
     * A dry run compresses for real, into a private folder under java.io.tmpdir, and deletes each result as soon as
     * it is measured: the sizes it reports are the real ones, not estimates, at the cost of the full run's time.
     *
     * No shutdown hook: a run that is asked to stop finishes or rolls back the file in hand and starts no other, and
     * its caller discards the finished ones (CompressionPlan.discardTemporaryFiles). What a kill -9 leaves, the next
     * real run's sweep (TemporaryFiles.sweepTree) removes.
     */

    private static final Logger LOG = LoggerFactory.getLogger(TemporaryOutputs.class);

    /** The dry run's private folder, or null on a real run. */
    private final Path dryRunFolder;

    private TemporaryOutputs(Path dryRunFolder) {
        this.dryRunFolder = dryRunFolder;
    }

    /** Outputs for a real run (kept for the executor) or a dry run (measured and removed). */
    static TemporaryOutputs open(boolean dryRun) {
        if (!dryRun) {
            return new TemporaryOutputs(null);
        }
        try {
            return new TemporaryOutputs(Files.createTempDirectory("cleanbackup-compress-"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder for the dry run's trial files", e);
        }
    }

    /** True when a finished result stays for the executor to place (a real run). */
    boolean keepsResults() {
        return dryRunFolder == null;
    }

    /** A fresh temporary path for the result that is to end up at {@code target}. */
    Path newTemporaryFor(Path target) throws IOException {
        Path folder = dryRunFolder != null ? dryRunFolder : nearestExistingFolder(target.getParent());
        return folder.resolve(TemporaryFiles.newName());
    }

    /** Where a result was written, for a person. */
    String describeFolder(Path temporary) {
        return dryRunFolder != null ? "in the temporary folder " + dryRunFolder : "on " + temporary.getParent();
    }

    private static Path nearestExistingFolder(Path dir) throws IOException {
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isDirectory(d)) {
                return d;
            }
        }
        throw new NoSuchFileException(dir.toString(), null, "no existing folder above it");
    }

    /** Removes one file or, for a folder, it and the files in it. Never fails. */
    static void deleteQuietly(Path path) {
        try {
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                try (var children = Files.list(path)) {
                    for (Path child : children.toList()) {
                        Files.deleteIfExists(child);
                    }
                }
            }
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("could not remove the temporary file {}: {}", path, e.getMessage());
        }
    }

    /** Removes the dry run's folder. */
    @Override
    public void close() {
        if (dryRunFolder != null) {
            deleteQuietly(dryRunFolder);
        }
    }
}
