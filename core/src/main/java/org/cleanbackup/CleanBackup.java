package org.cleanbackup;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.cleanbackup.cache.HashCache;
import org.cleanbackup.compress.CompressionPlan;
import org.cleanbackup.compress.CompressionPlanner;
import org.cleanbackup.compress.Compressors;
import org.cleanbackup.dates.CaptureDates;
import org.cleanbackup.execute.ExecutionReport;
import org.cleanbackup.execute.FileOperations;
import org.cleanbackup.execute.PlanExecutor;
import org.cleanbackup.execute.RetryPolicy;
import org.cleanbackup.group.DuplicateGroup;
import org.cleanbackup.group.ExactDuplicateFinder;
import org.cleanbackup.hash.ContentHash;
import org.cleanbackup.journal.Journal;
import org.cleanbackup.journal.SqliteJournal;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.MediaType;
import org.cleanbackup.model.Problem;
import org.cleanbackup.model.ProgressListener;
import org.cleanbackup.names.NameCopyFinder;
import org.cleanbackup.organize.OrganizePlanner;
import org.cleanbackup.organize.SimilarImageFilter;
import org.cleanbackup.phash.PerceptualHashers;
import org.cleanbackup.plan.DedupePlanner;
import org.cleanbackup.plan.Plan;
import org.cleanbackup.scan.LeftOut;
import org.cleanbackup.scan.ScanOptions;
import org.cleanbackup.scan.ScanResult;
import org.cleanbackup.scan.ScanRoot;
import org.cleanbackup.scan.Scanner;
import org.cleanbackup.similar.SimilarGroup;
import org.cleanbackup.similar.SimilarImageFinder;
import org.cleanbackup.fingerprint.AudioFingerprinter;
import org.cleanbackup.sound.SimilarAudioFinder;
import org.cleanbackup.sound.SoundGroup;
import org.cleanbackup.undo.CrashRecovery;
import org.cleanbackup.undo.Trash;
import org.cleanbackup.undo.Undo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door of the library: every feature of the {@code cleanbackup} command, for a Java program. Each call
 * builds on the same pipeline (scan, hash, group, plan, execute) and checks the same safety rules the command does:
 * a request that would endanger a file is refused with a {@link RequestRefusedException} before anything is scanned.
 *
 * <pre>{@code
 * CleanBackup library = CleanBackup.builder().build();
 * DedupePlan plan = library.dedupe(DedupeRequest.of(inbox).withReferences(library).moveTo(dupes));
 * try (Journal journal = library.openJournal(journalFile)) {
 *     ExecutionReport done = plan.execute(journal);   // journaled: every change can be undone
 *     Undo undo = library.undo(journal);
 *     undo.run(undo.lastUndoable().orElseThrow(), ProgressListener.NONE);
 * }
 * }</pre>
 *
 * <p>An instance is immutable and can be shared by threads. The {@link Builder} chooses the file operations and
 * retries the executor uses (a test can make a move fail twice and succeed the third time), the clock and the
 * executor for the stages' work.
 *
 * <p>For the other features, the entry points are: {@code PerceptualHashers.fastest().hash(path)} (perceptual
 * hashes, with {@code cleanbackup-phash-java} or {@code cleanbackup-phash-native} on the class path) and
 * {@code new CaptureDates().read(path)} (capture dates). {@code org.cleanbackup.internal} is not API.
 *
 * @since 0.1
 */
public final class CleanBackup {

    private static final Logger LOG = LoggerFactory.getLogger(CleanBackup.class);

    /** How long {@link #openJournal} waits for another run that holds the journal. */
    private static final long JOURNAL_WAIT_MILLIS = 5_000;

    /** What {@link #openJournal(Path, IfMissing, Consumer)} does when the journal file does not exist. */
    public enum IfMissing {
        /** Create it (and its folder). */
        CREATE,
        /** Fail: there is nothing in it to read or undo. */
        FAIL
    }

    private final FileOperations fileOperations;
    private final RetryPolicy retryPolicy;
    private final Clock clock;
    private final ExecutorService executor;

    private CleanBackup(Builder builder) {
        this.fileOperations = builder.fileOperations;
        this.retryPolicy = builder.retryPolicy;
        this.clock = builder.clock;
        this.executor = builder.executor;
    }

    /** A builder with the defaults: the real file system, 3 retries from 1 s doubling, the system clock, own pools. */
    public static Builder builder() {
        return new Builder(FileOperations.system(), RetryPolicy.defaults(), Clock.systemDefaultZone(), null);
    }

    /**
     * Chooses how a {@link CleanBackup} reaches the world. Immutable: each method returns a changed copy.
     *
     * @since 0.3
     */
    public static final class Builder {

        private final FileOperations fileOperations;
        private final RetryPolicy retryPolicy;
        private final Clock clock;
        private final ExecutorService executor;

        private Builder(FileOperations fileOperations, RetryPolicy retryPolicy, Clock clock, ExecutorService executor) {
            this.fileOperations = fileOperations;
            this.retryPolicy = retryPolicy;
            this.clock = clock;
            this.executor = executor;
        }

        /** The operations every change goes through (default {@link FileOperations#system()}). */
        public Builder fileOperations(FileOperations operations) {
            return new Builder(Objects.requireNonNull(operations, "operations"), retryPolicy, clock, executor);
        }

        /** How a failed file operation is retried (default {@link RetryPolicy#defaults()}). */
        public Builder retryPolicy(RetryPolicy policy) {
            return new Builder(fileOperations, Objects.requireNonNull(policy, "policy"), clock, executor);
        }

        /** The clock (default the system's). */
        public Builder clock(Clock clock) {
            return new Builder(fileOperations, retryPolicy, Objects.requireNonNull(clock, "clock"), executor);
        }

        /**
         * The executor for the stages' parallel work (default: each stage sizes its own pool from the request's
         * threads). The caller owns it: it is never shut down here. The scan and the exact grouping split their work
         * into fork-join tasks: they run on it when it is a {@link ForkJoinPool}, else on a pool of their own.
         */
        public Builder executor(ExecutorService executor) {
            return new Builder(fileOperations, retryPolicy, clock, Objects.requireNonNull(executor, "executor"));
        }

        /** The front door with these choices. */
        public CleanBackup build() {
            return new CleanBackup(this);
        }
    }

    /** The operations every change goes through. */
    public FileOperations fileOperations() {
        return fileOperations;
    }

    /** How failed file operations are retried. */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** The clock. */
    public Clock clock() {
        return clock;
    }

    /** The executor given to the builder; empty when the stages use their own pools. */
    public Optional<ExecutorService> executor() {
        return Optional.ofNullable(executor);
    }

    // ---------------------------------------------------------------------------------------------- dedupe

    /**
     * Finds the duplicates the request asks about and plans what to do with them. Changes nothing: the returned
     * plan is a dry run until {@link DedupePlan#execute(Journal)}.
     *
     * @throws RequestRefusedException when the request breaks a safety rule ({@link DedupeRequest#check()})
     */
    public DedupePlan dedupe(DedupeRequest request) {
        return dedupe(request, ProgressListener.NONE);
    }

    /** Like {@link #dedupe(DedupeRequest)}, reporting each phase (scan, hashing) to {@code progress}. */
    public DedupePlan dedupe(DedupeRequest request, ProgressListener progress) {
        ScanOptions options = request.scanOptions();
        Optional<Path> output = request.check();
        if (output.isPresent()) {
            options = options.excluding(List.of(output.get())); // what was moved aside is not scanned again
        }
        long started = System.nanoTime();
        ScanResult scan = scan(options, progress);
        LOG.info("scanned {} files in {} ms", scan.files().size(), (System.nanoTime() - started) / 1_000_000);
        DedupePlan.Found found = switch (request.mode()) {
            case EXACT -> exactDuplicates(request, scan, progress);
            case SIMILAR -> similarImages(request, scan, progress);
            case NAMES -> copyNames(scan);
        };
        if (request.notDuplicates().isPresent() && request.mode() != DedupeRequest.Mode.NAMES) {
            found = NotDuplicatesFilter.apply(found, request.notDuplicates().get(), request.hasher());
        }
        LOG.info("compared: {} groups, {} ms after the scan started", found.groups().size(),
                (System.nanoTime() - started) / 1_000_000);
        return new DedupePlan(this, request, scan, found, planDedupe(request, found));
    }

    private ScanResult scan(ScanOptions options, ProgressListener progress) {
        progress.phase("Scanning", -1, "files");
        ScanResult scan = new Scanner(executor instanceof ForkJoinPool pool ? options.withPool(pool) : options)
                .scan(n -> { });
        progress.phaseDone();
        return scan;
    }

    private DedupePlan.Found exactDuplicates(DedupeRequest request, ScanResult scan, ProgressListener progress) {
        ExactDuplicateFinder.Options options = new ExactDuplicateFinder.Options(request.hasher(),
                request.maxHashBytes(), request.threads(), request.keepPolicy()).withAudioPayload(request.audioPayload());
        ExactDuplicateFinder.Result found = new ExactDuplicateFinder(
                executor instanceof ForkJoinPool pool ? options.withPool(pool) : options).find(scan.files(), progress);
        progress.phaseDone();
        return new DedupePlan.Found(found.groups(), List.of(), List.of(), found.problems(), found.partialHash(), null);
    }

    private DedupePlan.Found similarImages(DedupeRequest request, ScanResult scan, ProgressListener progress) {
        List<MediaFile> images = scan.files().stream().filter(CleanBackup::isImage).toList();
        List<MediaFile> audio = scan.files().stream().filter(CleanBackup::isAudio).toList();
        SimilarImageFinder.Result found;
        SimilarAudioFinder.Result sounds = null;
        List<Problem> problems = new ArrayList<>();
        try (HashCache cache = request.hashCache().map(HashCache::open).orElse(null)) {
            if (images.isEmpty() && !audio.isEmpty()) {
                found = null; // only songs: no perceptual-hash backend is needed
            } else {
                SimilarImageFinder.Options options = new SimilarImageFinder.Options(request.perceptualHasher(),
                        request.threshold(), request.orientations(), request.threads(), cache, request.keepPolicy(),
                        request.rankingOrDefault());
                found = new SimilarImageFinder(executor == null ? options : options.withExecutor(executor))
                        .find(images, progress);
                problems.addAll(found.problems());
            }
            if (!audio.isEmpty()) {
                Optional<AudioFingerprinter> fingerprinter = AudioFingerprinter.system(request.fingerprintSeconds());
                if (fingerprinter.isEmpty()) {
                    // one line for the whole run, on the first audio file's folder: not one per song
                    problems.add(new Problem(audio.getFirst().root(), audio.size() + " audio files not compared by"
                            + " sound: " + AudioFingerprinter.unavailableReason().orElse("no fingerprinter")));
                } else {
                    sounds = new SimilarAudioFinder(new SimilarAudioFinder.Options(fingerprinter.get(),
                            request.maxBitErrorRate(), request.threads(), cache, request.keepPolicy(), executor))
                            .find(audio, progress);
                    problems.addAll(sounds.problems());
                }
            }
        }
        List<SimilarGroup> similar = found == null ? List.of() : found.groups();
        List<DuplicateGroup> groups = new ArrayList<>(similar.stream().map(CleanBackup::asGroup).toList());
        if (sounds != null) {
            sounds.groups().stream().map(CleanBackup::asGroup).forEach(groups::add);
            groups.sort(java.util.Comparator.comparingLong(DuplicateGroup::reclaimableBytes).reversed());
        }
        return new DedupePlan.Found(groups, similar, List.of(), problems, false, found == null ? null
                : new DedupePlan.ImageHashing(found.hashed(), found.fromCache(), found.hashingTime()),
                sounds == null ? List.of() : sounds.groups(), sounds == null ? null
                : new DedupePlan.AudioFingerprinting(sounds.fingerprinted(), sounds.fromCache(), sounds.tooShort(),
                        sounds.fingerprintTime()));
    }

    /** Whether similar dedupe compares this file by sound: audio by its extension. */
    static boolean isAudio(MediaFile file) {
        return MediaType.ofFileName(file.path().getFileName().toString()).orElse(null) == MediaType.AUDIO;
    }

    /**
     * Recordings that sound the same in the shape of an exact group; the "hash" is the start of the kept file's
     * fingerprint, the size its own.
     */
    private static DuplicateGroup asGroup(SoundGroup g) {
        return new DuplicateGroup(new ContentHash("chromaprint", g.keepFingerprint()), g.keep().size(), g.keep(),
                g.keepReason(), g.duplicates().stream().map(SoundGroup.Member::file).toList(),
                g.protectedCopies().stream().map(SoundGroup.Member::file).toList(), List.of());
    }

    /** Whether similar dedupe compares this file: an image by its extension. */
    static boolean isImage(MediaFile file) {
        return MediaType.ofFileName(file.path().getFileName().toString()).orElse(null) == MediaType.IMAGE;
    }

    /** A similar group in the shape of an exact one; its "hash" is the kept image's perceptual hash. */
    static DuplicateGroup asGroup(SimilarGroup g) {
        return new DuplicateGroup(new ContentHash("phash", g.keepHash().hex()), g.keep().size(), g.keep(),
                g.keepReason(), g.duplicates().stream().map(SimilarGroup.Member::file).toList(),
                g.protectedCopies().stream().map(SimilarGroup.Member::file).toList(), List.of());
    }

    private static DedupePlan.Found copyNames(ScanResult scan) {
        NameCopyFinder.Result found = new NameCopyFinder().find(scan.files());
        return new DedupePlan.Found(List.of(), List.of(), found.copies(), found.problems(), false, null);
    }

    static Plan planDedupe(DedupeRequest request, DedupePlan.Found found) {
        if (request.action().isEmpty()) {
            return new Plan(request.command(), List.of());
        }
        DedupePlanner planner = new DedupePlanner(request.action().get(), request.outputFolder().orElse(null),
                request.flat());
        return switch (request.mode()) {
            case EXACT -> planner.plan(found.groups(), request.command());
            case SIMILAR -> planner.planSimilar(found.similarGroups(), found.soundGroups(), request.command());
            case NAMES -> planner.planNameCopies(found.nameCopies(), request.trustNames(), request.command());
        };
    }

    // -------------------------------------------------------------------------------------------- organize

    /**
     * Plans an import of the photos and videos of the request's sources into its destination, filed by capture
     * date, skipping what the destination already holds. Changes nothing: carry out {@link OrganizeResult#plan()}
     * with {@link #execute(Plan, Journal)}.
     *
     * @throws RequestRefusedException when the request breaks a safety rule ({@link OrganizeRequest#check()})
     */
    public OrganizeResult organize(OrganizeRequest request) {
        return organize(request, ProgressListener.NONE);
    }

    /** Like {@link #organize(OrganizeRequest)}, reporting each phase to {@code progress}. */
    public OrganizeResult organize(OrganizeRequest request, ProgressListener progress) {
        request.check();
        try (HashCache cache = request.similar().isPresent() ? request.hashCache().map(HashCache::open).orElse(null)
                : null) {
            SimilarImageFilter similar = request.similar().isEmpty() ? SimilarImageFilter.NONE
                    : similarFilter(request, cache, progress);
            OrganizePlanner.Options options = OrganizePlanner.Options.of(request.sources(), request.destination(),
                            request.layout())
                    .with(request.transfer())
                    .with(request.copyNames())
                    .skippingSimilar(similar)
                    .withThreads(request.threads());
            if (executor != null) {
                options = options.withExecutor(executor);
            }
            // The stages in order, each on the builder's executor: scan (sources and destination), group, plan.
            OrganizePlanner planner = new OrganizePlanner(options);
            ScanResult scan = scan(options.scanOptions(), progress);
            OrganizePlanner.Result result = planner.plan(scan, planner.findExactDuplicates(scan, progress),
                    request.command(), progress);
            return new OrganizeResult(request, result.plan(), result.files(), result.problems(), result.notes(),
                    result.leftOut());
        }
    }

    /** Look-alikes of the destination's images, and all but the best of each group in the sources, are redundant. */
    private SimilarImageFilter similarFilter(OrganizeRequest request, HashCache cache,
                                                    ProgressListener progress) {
        var hasher = request.perceptualHasher();
        int threshold = request.similar().orElseThrow().threshold();
        return (candidates, destination) -> {
            List<MediaFile> all = new ArrayList<>();
            // the destination's images are protected: as reference files they are always the ones kept
            for (MediaFile d : destination) {
                all.add(new MediaFile(d.path(), d.root(), true, d.size(), d.lastModified(), d.id()));
            }
            all.addAll(candidates);
            var options = new SimilarImageFinder.Options(hasher, threshold, false, request.threads(), cache, null);
            var found = new SimilarImageFinder(executor == null ? options : options.withExecutor(executor))
                    .find(all, progress);
            Map<MediaFile, MediaFile> redundant = new HashMap<>();
            for (SimilarGroup g : found.groups()) {
                for (SimilarGroup.Member m : g.duplicates()) {
                    redundant.put(m.file(), g.keep());
                }
            }
            return redundant;
        };
    }

    // -------------------------------------------------------------------------------------------- compress

    /**
     * Compresses the request's photos and videos into temporary files and plans placing them; on a dry run the
     * results are only measured. Changes nothing in the source or destination: carry out the plan with
     * {@link #execute}, then {@link CompressionPlan#discardTemporaryFiles()}.
     *
     * @throws RequestRefusedException when the request breaks a safety rule ({@link CompressRequest#check()})
     */
    public CompressionRun compress(CompressRequest request, ProgressListener progress) {
        return compress(request, progress, () -> false);
    }

    /**
     * Like {@link #compress(CompressRequest, ProgressListener)}, stopping when {@code stopRequested} says so (asked
     * before each file): the file in hand is finished or rolled back, no other starts, and nothing is planned.
     */
    public CompressionRun compress(CompressRequest request, ProgressListener progress, BooleanSupplier stopRequested) {
        CompressRequest.RealFolders folders = request.checkFolders();
        ScanResult scan = scan(ScanOptions.of(List.of(ScanRoot.source(folders.source())), request.types()), progress);
        CompressionPlanner.Options options = folders.destination()
                .map(dest -> CompressionPlanner.Options.into(dest, request.level(), request.types(), request.threads()))
                .orElseGet(() -> CompressionPlanner.Options.inPlace(request.level(), request.types(), request.threads()))
                .withStopRequested(stopRequested);
        if (request.run() == Run.DRY_RUN) {
            options = options.measuringOnly();
        }
        if (executor != null) {
            options = options.withExecutor(executor);
        }
        CompressionPlanner planner = new CompressionPlanner(Compressors.load(), options);
        return new CompressionRun(request, scan, planner.compressAndPlan(folders.source(), scan.files(),
                request.command(), progress));
    }

    // ------------------------------------------------------------------------------------------------ hash

    /**
     * Hashes the files of the request, and the media files in its folders (only images when only a perceptual
     * hash is asked for), in parallel on the builder's executor (else on a pool of the request's threads). Each
     * file's hashes go to {@code each} in order (the files named, then the folders' files), on the calling thread,
     * as soon as they and those before are done.
     *
     * @return the problems: paths that are not files or folders, files that could not be read or decoded
     * @throws IllegalArgumentException when the request asks for neither hash
     */
    public List<Problem> hash(HashRequest request, Consumer<FileHashes> each) {
        return hash(request, each, leftOut -> { });
    }

    /**
     * Like {@link #hash(HashRequest, Consumer)}, telling {@code leftOut} once, before the first file's hashes, what
     * the scan of the request's folders did not consider and why (files of other types, empty files, links,
     * unreadable entries; {@link LeftOut#NONE} when only files were named).
     *
     * @since 0.3
     */
    public List<Problem> hash(HashRequest request, Consumer<FileHashes> each, Consumer<LeftOut> leftOut) {
        return FileHashing.run(request, executor, each, leftOut);
    }

    // ---------------------------------------------------------------------------------- execute, journal, undo

    /**
     * Carries out a plan through {@code journal} with this front door's file operations and retries: each change
     * is journaled before the disk is touched, nothing is overwritten, a copy is verified before its source is
     * removed.
     */
    public ExecutionReport execute(Plan plan, Journal journal) {
        return execute(plan, journal, ProgressListener.NONE);
    }

    /** Like {@link #execute(Plan, Journal)}, reporting progress. */
    public ExecutionReport execute(Plan plan, Journal journal, ProgressListener progress) {
        return new PlanExecutor(journal, fileOperations, retryPolicy).execute(plan, progress);
    }

    /**
     * Like {@link #execute(Plan, Journal, ProgressListener)}, stopping cleanly once {@code stop} says so: the file
     * in progress is finished or rolled back, the rest is reported as not tried.
     */
    public ExecutionReport execute(Plan plan, Journal journal, ProgressListener progress, BooleanSupplier stop) {
        return new PlanExecutor(journal, fileOperations, retryPolicy, stop).execute(plan, progress);
    }

    /**
     * Opens the journal in {@code file}, creating it (and its folder) when missing, and settles a run that was
     * interrupted (what it completed is kept, a half-made change rolled back; each is logged). Waits up to 5 s when
     * another run holds it, then fails naming that process. Close it when done.
     *
     * @throws org.cleanbackup.journal.JournalException when it cannot be opened
     */
    public Journal openJournal(Path file) {
        return openJournal(file, IfMissing.CREATE, note -> { });
    }

    /**
     * Like {@link #openJournal(Path)}, choosing what a missing file means and telling {@code notes} what crash
     * recovery settled (it is logged as well).
     */
    public Journal openJournal(Path file, IfMissing ifMissing, Consumer<String> notes) {
        SqliteJournal journal = SqliteJournal.open(file, ifMissing == IfMissing.CREATE, JOURNAL_WAIT_MILLIS, clock);
        try {
            for (String note : CrashRecovery.reconcile(journal, fileOperations)) {
                LOG.info("crash recovery: {}", note); // the log keeps it even when the caller shows nothing
                notes.accept(note);
            }
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
        return journal;
    }

    /**
     * Undo over {@code journal}: {@link Undo#lastUndoable()} or {@link Undo#session(long)} picks a run,
     * {@link Undo#plan} shows its steps, {@link Undo#run} reverses it (itself a journaled run).
     */
    public Undo undo(Journal journal) {
        return undo(journal, () -> false);
    }

    /** Like {@link #undo(Journal)}, an undo that stops cleanly between steps once {@code stop} says so. */
    public Undo undo(Journal journal, BooleanSupplier stop) {
        return new Undo(journal, new PlanExecutor(journal, fileOperations, retryPolicy, stop));
    }

    /**
     * Undoes the newest run of {@code journal} that can still be undone ({@link Undo#lastUndoable()}); the undo is
     * itself a journaled run, reported like any other. Empty when no run can be undone.
     */
    public Optional<ExecutionReport> undoLast(Journal journal) {
        Undo undo = undo(journal);
        return undo.lastUndoable().map(session -> undo.run(session, ProgressListener.NONE));
    }

    /** What the journal's runs have put in the trash and is still there, oldest first. */
    public List<Trash.Item> trash(Journal journal) {
        return Trash.list(journal);
    }

    /** Removes {@code items} from the trash for good, through the journal (this cannot be undone). */
    public ExecutionReport emptyTrash(List<Trash.Item> items, Journal journal, ProgressListener progress)
            throws IOException {
        return execute(Trash.emptyPlan(items), journal, progress);
    }
}
