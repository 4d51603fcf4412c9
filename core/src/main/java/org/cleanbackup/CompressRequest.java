package org.cleanbackup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.cleanbackup.RequestRefusedException.Rule;
import org.cleanbackup.compress.CompressionLevel;
import org.cleanbackup.model.MediaType;
import org.cleanbackup.model.Problem;

/**
 * What {@link CleanBackup#compress(CompressRequest, org.cleanbackup.model.ProgressListener)} makes smaller: the
 * photos and videos of one folder, into another folder ({@link #into}) or in place ({@link #inPlace}, the originals
 * going to the trash). Immutable; each method returns a changed copy.
 *
 * @param source      the folder to compress
 * @param destination the folder the results go to, with the source's structure; empty in place
 * @param level       how hard to compress
 * @param types       images, videos or both
 * @param threads     compression threads, at least 1
 * @param run         a real run, or a dry run (results measured in a temporary folder)
 * @param command     what the journal records as the command
 * @since 0.3
 */
public record CompressRequest(Path source, Optional<Path> destination, CompressionLevel level, Set<MediaType> types,
                              int threads, Run run, String command) {

    /** Validates the request (the folders are checked against the disk by {@link #check()}). */
    public CompressRequest {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(level, "level");
        types = Set.copyOf(types);
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(command, "command");
        if (types.isEmpty() || !EnumSet.of(MediaType.IMAGE, MediaType.VIDEO).containsAll(types)) {
            throw new IllegalArgumentException("compress images, videos or both, not " + types);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
    }

    /** Compresses the photos and videos of {@code source} into {@code destination}, balanced. */
    public static CompressRequest into(Path source, Path destination) {
        return new CompressRequest(source, Optional.of(destination), CompressionLevel.of(2),
                EnumSet.of(MediaType.IMAGE, MediaType.VIDEO), Runtime.getRuntime().availableProcessors(),
                Run.FOR_REAL, "compress");
    }

    /** Compresses the photos and videos of {@code source} in place (undoable: the originals go to the trash). */
    public static CompressRequest inPlace(Path source) {
        return new CompressRequest(source, Optional.empty(), CompressionLevel.of(2),
                EnumSet.of(MediaType.IMAGE, MediaType.VIDEO), Runtime.getRuntime().availableProcessors(),
                Run.FOR_REAL, "compress --in-place");
    }

    /** The same request at this level. */
    public CompressRequest atLevel(CompressionLevel level) {
        return new CompressRequest(source, destination, level, types, threads, run, command);
    }

    /** The same request, compressing only these types. */
    public CompressRequest only(Set<MediaType> types) {
        return new CompressRequest(source, destination, level, types, threads, run, command);
    }

    /** The same request with {@code n} threads. */
    public CompressRequest withThreads(int n) {
        return new CompressRequest(source, destination, level, types, n, run, command);
    }

    /** The same request for a dry run: each result is measured in a temporary folder, nothing is changed. */
    public CompressRequest asDryRun() {
        return new CompressRequest(source, destination, level, types, threads, Run.DRY_RUN, command);
    }

    /** The same request, recorded in the journal as {@code command}. */
    public CompressRequest describedAs(String command) {
        return new CompressRequest(source, destination, level, types, threads, run, command);
    }

    /** Checks the folders ({@link #check()}) and returns their real paths. */
    RealFolders checkFolders() {
        if (!Files.isDirectory(source)) {
            throw new RequestRefusedException(Rule.SOURCE_NOT_A_FOLDER, source, null,
                    Files.exists(source) ? null : "it does not exist");
        }
        Path realSource;
        try {
            realSource = source.toRealPath();
        } catch (IOException e) {
            throw new RequestRefusedException(Rule.FOLDER_UNUSABLE, source, null, Problem.describe(e));
        }
        if (destination.isEmpty()) {
            return new RealFolders(realSource, Optional.empty());
        }
        Path dest = destination.get();
        Path real = Folders.realPath(dest, dest);
        if (real.startsWith(realSource)) {
            throw new RequestRefusedException(Rule.DEST_INSIDE_SOURCE, dest, source,
                    "its files would be compressed again");
        }
        if (run == Run.FOR_REAL) {
            Folders.checkWritable(dest, dest);
        }
        return new RealFolders(realSource, Optional.of(real));
    }

    /**
     * Checks the folders before anything is scanned: the source is a folder; the destination is not inside it (its
     * files would be compressed again) and, unless a dry run, can be created and written.
     *
     * @throws RequestRefusedException naming the rule and the folders
     */
    public void check() {
        checkFolders();
    }

    /**
     * The folders of a checked request.
     *
     * @param source      the source's real path
     * @param destination the destination's real path (it may not exist yet), empty in place
     */
    record RealFolders(Path source, Optional<Path> destination) {
    }
}
