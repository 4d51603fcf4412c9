package org.cleanbackup.compress;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.cleanbackup.internal.TemporaryFiles;
import org.cleanbackup.plan.Action;
import org.cleanbackup.plan.Plan;
import org.cleanbackup.model.ProgressListener;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.MediaType;
import org.cleanbackup.model.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compresses the files of a scan into finished temporary files and plans the journaled changes that put them in
 * place. Nothing but the temporary files is written here: the caller hands {@link CompressionPlan#plan()} to the
 * {@link org.cleanbackup.execute.PlanExecutor} (or, for a dry run, does not), then calls
 * {@link CompressionPlan#discardTemporaryFiles()}.
 *
 * <p>Images are compressed on {@code threads} threads, then videos on half as many (ffmpeg is itself
 * multi-threaded). A result that is not smaller than its original is thrown away. When the disk fills up, the file
 * being written is removed, no further file is started, and the plan covers the files finished before.
 */
public final class CompressionPlanner {

    /*
     * Where temporary files go: the executor places a CREATE by link(2) and unlink, which needs the temporary file on
     * the target's file system. Writing it into the target's folder would mean creating that folder outside the
     * journal, so it goes into the nearest folder above the target that already exists (DEST, or the original's own
     * folder in place). The name is TemporaryFiles' (".cleanbackup-tmp-<pid><random>.part"), the same as the
     * executor's copies in progress, so no scan takes it for a photo and one sweep knows them all.
     *
     * A dry run compresses for real, into a private folder under java.io.tmpdir, and deletes each result as soon as
     * it is measured: the sizes it reports are the real ones, not estimates, at the cost of the full run's time.
     *
     * Stale temporary files: a kill -9 or a power cut leaves ".cleanbackup-tmp-*.part" files behind. A real run
     * removes those under the folder it writes into (DEST, or SOURCE in place) before it starts, but only files that
     * cannot belong to a live run (TemporaryFiles says which).
     */

    private static final Logger LOG = LoggerFactory.getLogger(CompressionPlanner.class);

    /** The prefix of every temporary file name (the one naming, shared with the executor's copies). */
    public static final String TEMP_PREFIX = TemporaryFiles.PREFIX;

    /**
     * How to compress.
     *
     * @param level       the compression level
     * @param only        the media types to compress (IMAGE, VIDEO or both); files of other types are ignored
     * @param threads     threads for images; videos get half, at least one
     * @param destination the DEST folder, or null to compress in place
     * @param dryRun      measure only: compress into a private folder, plan, and throw the results away
     */
    public record Options(CompressionLevel level, Set<MediaType> only, int threads, Path destination, boolean dryRun) {

        public Options {
            Objects.requireNonNull(level, "level");
            only = Set.copyOf(only);
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1");
            }
            destination = destination == null ? null : destination.toAbsolutePath().normalize();
        }

        /** True when the originals are replaced rather than copied to a destination. */
        public boolean inPlace() {
            return destination == null;
        }
    }

    private final Compressors compressors;
    private final Options options;

    /** A planner using these compressors and options. */
    public CompressionPlanner(Compressors compressors, Options options) {
        this.compressors = Objects.requireNonNull(compressors, "compressors");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Compresses {@code files} (found under the scan root {@code sourceRoot}) and plans placing the results.
     *
     * @param command what asked, for the journal
     */
    public CompressionPlan prepare(Path sourceRoot, List<MediaFile> files, String command, ProgressListener progress) {
        Path root = sourceRoot.toAbsolutePath().normalize();
        int swept = options.dryRun() ? 0
                : sweepStaleTemporaries(options.inPlace() ? root : options.destination(), Instant.now());
        AtomicReference<String> stop = new AtomicReference<>();
        Set<Path> temporaries = ConcurrentHashMap.newKeySet();
        // Ctrl-C during compression: remove the temporary files, half-written or finished; none is journaled yet.
        // Once the plan runs, a kill can still leave those of actions not reached yet (docs/compress.md says so).
        Thread cleanup = new Thread(() -> temporaries.forEach(CompressionPlanner::deleteQuietly), "compress-cleanup");
        boolean hooked = addHook(cleanup);
        Path dryRunDir = null;
        try {
            if (options.dryRun()) {
                dryRunDir = Files.createTempDirectory("cleanbackup-compress-");
            }
            List<FileResult> results = new ArrayList<>(Collections.nCopies(files.size(), null));
            for (MediaType type : List.of(MediaType.IMAGE, MediaType.VIDEO)) {
                List<Integer> mine = new ArrayList<>();
                for (int i = 0; i < files.size(); i++) {
                    if (typeOf(files.get(i)) == type) {
                        mine.add(i);
                    }
                }
                if (mine.isEmpty() || !options.only().contains(type)) {
                    continue;
                }
                int threads = type == MediaType.IMAGE ? options.threads() : Math.max(1, options.threads() / 2);
                progress.phase(type == MediaType.IMAGE ? "Compressing images" : "Compressing videos", mine.size(), "files");
                Path tempDir = dryRunDir;
                ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                    Thread t = new Thread(r, "compress-" + type.name().toLowerCase(Locale.ROOT));
                    t.setDaemon(true);
                    return t;
                });
                try {
                    List<Future<FileResult>> futures = new ArrayList<>();
                    for (int i : mine) {
                        MediaFile file = files.get(i);
                        futures.add(pool.submit(() -> {
                            try {
                                return compressOne(root, file, tempDir, stop, temporaries);
                            } finally {
                                progress.advance(1);
                            }
                        }));
                    }
                    for (int k = 0; k < mine.size(); k++) {
                        results.set(mine.get(k), await(futures.get(k), files.get(mine.get(k))));
                    }
                } finally {
                    pool.shutdownNow();
                    progress.phaseDone();
                }
            }
            for (int i = 0; i < files.size(); i++) {
                if (results.get(i) == null) {
                    MediaFile f = files.get(i);
                    results.set(i, new FileResult(f, MediaType.extensionOf(f.path().getFileName().toString()),
                            FileResult.Status.SKIPPED, -1, null, "not selected by --only", List.of()));
                }
            }
            return plan(root, results, command, stop.get(), swept);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create a folder for the dry run's trial files", e);
        } finally {
            if (hooked) {
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanup);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down: the hook is running
                }
            }
            if (dryRunDir != null) {
                deleteQuietly(dryRunDir);
            }
        }
    }

    private MediaType typeOf(MediaFile file) {
        Optional<Compressor> c = compressors.forFileName(file.path().getFileName().toString());
        return c.map(Compressor::mediaType)
                .orElseGet(() -> MediaType.ofFileName(file.path().getFileName().toString()).orElse(MediaType.IMAGE));
    }

    private static FileResult await(Future<FileResult> future, MediaFile file) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new FileResult(file, "?", FileResult.Status.NOT_TRIED, -1, null, "interrupted", List.of());
        } catch (ExecutionException e) {
            // compressOne catches all a file can cause; this is a bug, reported on the file rather than losing the run
            return new FileResult(file, "?", FileResult.Status.FAILED, -1, null,
                    Problem.unexpected(file.path(), "compressing it", e.getCause()).message(), List.of());
        }
    }

    private FileResult compressOne(Path root, MediaFile file, Path dryRunDir, AtomicReference<String> stop,
                                   Set<Path> temporaries) {
        String name = file.path().getFileName().toString();
        Optional<Compressor> found = compressors.forFileName(name);
        if (found.isEmpty()) {
            String ext = MediaType.extensionOf(name);
            return result(file, ext.isEmpty() ? "none" : ext, FileResult.Status.UNSUPPORTED,
                    (ext.isEmpty() ? "files without extension" : "." + ext + " files") + " are not compressed");
        }
        Compressor compressor = found.get();
        if (stop.get() != null) {
            return result(file, compressor.name(), FileResult.Status.NOT_TRIED, "not tried: " + stop.get());
        }
        Optional<String> unavailable = compressor.unavailableReason();
        if (unavailable.isPresent()) {
            return result(file, compressor.name(), FileResult.Status.SKIPPED, unavailable.get());
        }
        String changed = changedSinceScan(file);
        if (changed != null) {
            return result(file, compressor.name(), FileResult.Status.SKIPPED, changed);
        }
        Path target = targetOf(root, file, compressor);
        Path temp;
        try {
            temp = (dryRunDir != null ? dryRunDir : nearestExistingFolder(target.getParent()))
                    .resolve(temporaryName());
        } catch (IOException e) {
            return result(file, compressor.name(), FileResult.Status.FAILED, "no folder for the output: "
                    + Problem.describe(e));
        }
        temporaries.add(temp);
        boolean keep = false;
        try {
            compressor.compress(file.path(), temp, options.level());
            long size = Files.size(temp);
            if (size >= file.size()) {
                return new FileResult(file, compressor.name(), FileResult.Status.NOT_SMALLER, size, null,
                        "not smaller when compressed (" + file.size() + " -> " + size + " bytes): "
                                + (options.inPlace() ? "kept as it is" : "copied unchanged"), List.of());
            }
            // The executor checks a CREATE's source against the size and time planned; the time must be final now.
            Files.setLastModifiedTime(temp, FileTime.fromMillis(file.lastModified()));
            keep = dryRunDir == null;
            return new FileResult(file, compressor.name(), FileResult.Status.COMPRESSED, size, temp, null, List.of());
        } catch (CompressionException e) {
            return result(file, compressor.name(), e.isUnsupported() ? FileResult.Status.UNSUPPORTED
                    : FileResult.Status.FAILED, e.getMessage());
        } catch (IOException e) {
            if (isDiskFull(e)) {
                String where = dryRunDir != null ? "in the temporary folder " + dryRunDir : "on " + temp.getParent();
                stop.compareAndSet(null, "not enough disk space " + where + " while compressing " + file.path()
                        + "; that file was rolled back and the run stopped (nothing was lost)");
                return result(file, compressor.name(), FileResult.Status.FAILED,
                        "not enough disk space; its partial output was removed");
            }
            return result(file, compressor.name(), FileResult.Status.FAILED, Problem.describe(e));
        } catch (RuntimeException | StackOverflowError e) {
            // Image decoders throw unchecked exceptions on some damaged files; one file must not end the run. Memory
            // is bounded before decoding (the compressors check declared sizes), never caught as a control path.
            return result(file, compressor.name(), FileResult.Status.FAILED,
                    Problem.unexpected(file.path(), "compressing it", e).message());
        } finally {
            if (!keep) {
                deleteQuietly(temp);
                temporaries.remove(temp);
            }
        }
    }

    private static FileResult result(MediaFile file, String format, FileResult.Status status, String reason) {
        return new FileResult(file, format, status, -1, null, reason, List.of());
    }

    private static String changedSinceScan(MediaFile file) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(file.path(), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (attrs.size() != file.size() || attrs.lastModifiedTime().toMillis() != file.lastModified()) {
                return "changed since it was scanned; left alone";
            }
            return null;
        } catch (IOException e) {
            return Problem.describe(e);
        }
    }

    /** Where the compressed file of {@code file} is to go (the executor may still pick a free name near it). */
    private Path targetOf(Path root, MediaFile file, Compressor compressor) {
        String newName = compressor.targetFileName(file.path().getFileName().toString());
        if (options.inPlace()) {
            return file.path().resolveSibling(newName);
        }
        return options.destination().resolve(root.relativize(file.path())).resolveSibling(newName);
    }

    private Path copyTargetOf(Path root, MediaFile file) {
        return options.destination().resolve(root.relativize(file.path()));
    }

    private static Path nearestExistingFolder(Path dir) throws IOException {
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isDirectory(d)) {
                return d;
            }
        }
        throw new java.nio.file.NoSuchFileException(dir.toString(), null, "no existing folder above it");
    }

    private CompressionPlan plan(Path root, List<FileResult> results, String command, String stopped, int swept) {
        List<Action> actions = new ArrayList<>();
        List<FileResult> planned = new ArrayList<>();
        for (FileResult r : results) {
            MediaFile f = r.file();
            List<Action> mine = new ArrayList<>();
            switch (r.status()) {
                case COMPRESSED -> {
                    Path target = targetOf(root, f, compressors.forFileName(f.path().getFileName().toString())
                            .orElseThrow());
                    String why = String.format(Locale.ROOT, "compressed %s, level %d: %d -> %d bytes (-%d%%)",
                            r.format(), options.level().number(), f.size(), r.compressedSize(),
                            Math.round(100.0 * (f.size() - r.compressedSize()) / f.size()));
                    if (options.inPlace()) {
                        // Trash first, so the compressed file can take the original's name; undo plays this
                        // backwards: the new file is removed, then the original comes back from the trash.
                        mine.add(new Action.Trash(f.path(), f.root(), f.size(), f.lastModified(), null,
                                "replaced by its compressed version", null, null));
                    }
                    mine.add(new Action.Create(r.temporary(), target, r.compressedSize(), f.lastModified(), why));
                }
                case NOT_SMALLER, UNSUPPORTED, FAILED -> {
                    if (!options.inPlace() && stopped != null) {
                        // The disk is full: copies would only fail one after another. Placing the finished
                        // compressed files needs no space (a rename), so those still happen.
                        if (r.status() != FileResult.Status.FAILED) {
                            r = new FileResult(f, r.format(), FileResult.Status.NOT_TRIED, -1, null,
                                    "not copied: " + stopped, List.of());
                        }
                    } else if (!options.inPlace()) {
                        // DEST is meant to hold the whole library: what is not compressed is copied as it is.
                        mine.add(new Action.Copy(f.path(), f.root(), copyTargetOf(root, f), f.size(),
                                f.lastModified(), null, r.reason(), null, null));
                    }
                }
                case SKIPPED, NOT_TRIED -> {
                    // left where it is and reported
                }
            }
            actions.addAll(mine);
            planned.add(r.withActions(mine));
        }
        return new CompressionPlan(new Plan(command, actions), planned, options.inPlace(), options.dryRun(), stopped,
                swept);
    }

    /** A fresh temporary file name carrying this process's id, so another run can tell it belongs to a live one. */
    static String temporaryName() {
        return TemporaryFiles.newName();
    }

    /**
     * Removes the temporary files that killed runs left under {@code root} (see {@link TemporaryFiles} for what counts
     * as stale), and returns how many. Never fails.
     */
    static int sweepStaleTemporaries(Path root, Instant runStart) {
        return TemporaryFiles.sweepTree(root, runStart);
    }

    /** True for "no space left on device" and "disk quota exceeded", however deep in the causes. */
    static boolean isDiskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String text = t instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : t.getMessage();
            if (text != null && (text.contains("No space left on device") || text.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean addHook(Thread hook) {
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static void deleteQuietly(Path path) {
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

}
