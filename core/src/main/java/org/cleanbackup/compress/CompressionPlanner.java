package org.cleanbackup.compress;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import org.cleanbackup.internal.TemporaryFiles;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.MediaType;
import org.cleanbackup.model.ProgressListener;

/**
 * Compresses the files of a scan into finished temporary files and plans the journaled changes that put them in
 * place. Nothing but the temporary files is written here: the caller hands {@link CompressionPlan#plan()} to the
 * {@link org.cleanbackup.execute.PlanExecutor} (or, for a dry run, does not), then calls
 * {@link CompressionPlan#discardTemporaryFiles()}.
 *
 * <p>Images are compressed on {@code threads} threads, then videos on half as many (ffmpeg is itself
 * multi-threaded). A result that is not smaller than its original is thrown away. When the disk fills up, the file
 * being written is removed, no further file is started, and the plan covers the files finished before. When the
 * caller's {@link Options#stopRequested()} says true, no further file is started and nothing is planned.
 */
public final class CompressionPlanner {

    /*
     * The steps, each its own package-private class: TemporaryFiles.sweepTree (what killed runs left in the folder a
     * real run writes into), ParallelCompression (the pools) running FileCompression (one file into a temporary
     * file, TemporaryOutputs saying where; DiskSpace telling a full disk; Stop shared by the workers), then
     * Placement (the plan). The library installs no shutdown hook: the caller stops a run through the same kind of
     * supplier it gives the executor, and the command line connects that to signals.
     */

    /** The prefix of every temporary file name (the one naming, shared with the executor's copies). */
    public static final String TEMP_PREFIX = TemporaryFiles.PREFIX;

    private static final BooleanSupplier NEVER = () -> false;

    /**
     * How to compress.
     *
     * @param level         the compression level
     * @param only          the media types to compress (IMAGE, VIDEO or both); files of other types are ignored
     * @param threads       threads for images; videos get half, at least one (unused when {@code executor} is given)
     * @param destination   the DEST folder, or null to compress in place
     * @param dryRun        measure only: compress into a private folder, plan, and throw the results away
     * @param executor      the executor to compress on, left running afterwards; null to make a pool of our own
     * @param stopRequested asked before each file: once it says true, no further file is started and nothing is
     *                      planned (the executor's stop supplier, e.g. the command line's Ctrl-C)
     */
    public record Options(CompressionLevel level, Set<MediaType> only, int threads, Path destination, boolean dryRun,
                          ExecutorService executor, BooleanSupplier stopRequested) {

        public Options {
            Objects.requireNonNull(level, "level");
            Objects.requireNonNull(stopRequested, "stopRequested");
            only = Set.copyOf(only);
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1");
            }
            destination = destination == null ? null : destination.toAbsolutePath().normalize();
        }

        /**
         * Compressed copies of the source's files under {@code destination} (what does not get smaller is copied as
         * it is), on pools of our own, never asked to stop.
         */
        public static Options into(Path destination, CompressionLevel level, Set<MediaType> only, int threads) {
            return new Options(level, only, threads, Objects.requireNonNull(destination, "destination"), false, null,
                    NEVER);
        }

        /** The source's files replaced by their compressed versions (the originals go to the trash, undoable). */
        public static Options inPlace(CompressionLevel level, Set<MediaType> only, int threads) {
            return new Options(level, only, threads, null, false, null, NEVER);
        }

        /**
         * The same options as a dry run: each file is compressed into a temporary folder to measure it, the plan is
         * made, and the temporary files are discarded; nothing is placed.
         */
        public Options measuringOnly() {
            return new Options(level, only, threads, destination, true, executor, stopRequested);
        }

        /** The same options compressing on {@code executor} (which the planner never shuts down). */
        public Options withExecutor(ExecutorService executor) {
            return new Options(level, only, threads, destination, dryRun, Objects.requireNonNull(executor, "executor"),
                    stopRequested);
        }

        /** The same options, stopping once {@code stopRequested} says true. */
        public Options withStopRequested(BooleanSupplier stopRequested) {
            return new Options(level, only, threads, destination, dryRun, executor, stopRequested);
        }

        /** True when the originals are replaced rather than copied to a destination. */
        public boolean inPlace() {
            return destination == null;
        }
    }

    private final Compressors compressors;
    private final Options options;
    private final DiskSpace diskSpace;

    /** A planner using these compressors and options. */
    public CompressionPlanner(Compressors compressors, Options options) {
        this(compressors, options, DiskSpace.system());
    }

    /** A planner that measures free space with {@code diskSpace} (tests fill the disk this way). */
    CompressionPlanner(Compressors compressors, Options options, DiskSpace diskSpace) {
        this.compressors = Objects.requireNonNull(compressors, "compressors");
        this.options = Objects.requireNonNull(options, "options");
        this.diskSpace = Objects.requireNonNull(diskSpace, "diskSpace");
    }

    /**
     * Compresses {@code files} (found under the scan root {@code sourceRoot}) into temporary files, then plans
     * placing the results.
     *
     * @param command what asked, for the journal
     */
    public CompressionPlan compressAndPlan(Path sourceRoot, List<MediaFile> files, String command,
                                           ProgressListener progress) {
        Targets targets = new Targets(sourceRoot.toAbsolutePath().normalize(), options.destination());
        int swept = options.dryRun() ? 0
                : TemporaryFiles.sweepTree(options.inPlace() ? targets.root() : options.destination(), Instant.now());
        Stop stop = new Stop(options.stopRequested());
        try (TemporaryOutputs outputs = TemporaryOutputs.open(options.dryRun())) {
            FileCompression one = new FileCompression(compressors, options.level(), options.inPlace(), targets, outputs,
                    diskSpace, stop);
            List<FileResult> results = new ParallelCompression(one, options.only(), options.threads(),
                    options.executor()).run(files, progress);
            return new Placement(compressors, options.level(), targets, options.dryRun())
                    .plan(results, command, stop, swept);
        }
    }
}
