package org.cleanbackup.organize;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import org.cleanbackup.companions.Companions;
import org.cleanbackup.companions.LivePhotos;
import org.cleanbackup.dates.CaptureDate;
import org.cleanbackup.dates.CaptureDates;
import org.cleanbackup.group.DuplicateGroup;
import org.cleanbackup.group.ExactDuplicateFinder;
import org.cleanbackup.group.KeepPolicy;
import org.cleanbackup.hash.ContentHashers;
import org.cleanbackup.internal.Pools;
import org.cleanbackup.names.CopyNames;
import org.cleanbackup.plan.Action;
import org.cleanbackup.plan.Plan;
import org.cleanbackup.model.ProgressListener;
import org.cleanbackup.scan.LeftOut;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.MediaType;
import org.cleanbackup.model.Problem;
import org.cleanbackup.scan.ScanOptions;
import org.cleanbackup.scan.ScanResult;
import org.cleanbackup.scan.ScanRoot;

/**
 * Plans an import of photos and videos into {@code DEST/<layout>/name}, by capture date, without importing
 * anything twice.
 *
 * <p>Steps: scan the sources and the destination; find exact duplicates across both (the destination acting as
 * a protected reference) so content already there, or earlier in this run, is skipped; optionally skip
 * perceptual duplicates ({@link SimilarImageFilter}) and OS copy names; read capture dates in parallel; place
 * Live Photo videos beside their still image and sidecars beside their media file; plan one MOVE or COPY per file.
 * Files whose only date is junk go to {@code DEST/unknown/<path relative to their source>}.
 */
public final class OrganizePlanner {

    /**
     * How files get into the library.
     *
     * @since 0.3
     */
    public enum Transfer {
        /** The sources keep their files. */
        COPY,
        /** The files leave the sources. */
        MOVE
    }

    /**
     * How an identical file with an OS copy name ({@code x (1).jpg}) beside its original is reported. Either way
     * only one copy is imported; look-alike copies are the similar filter's.
     *
     * @since 0.3
     */
    public enum CopyNameReport {
        /** As a plain duplicate imported earlier in this run. */
        AS_DUPLICATES,
        /** As a copy name ({@link SkipReason#NAME_COPY}). */
        AS_COPY_NAMES
    }

    /**
     * What to organize and how. Start from {@link #of(List, Path, Layout)} and name what differs:
     * {@code Options.of(sources, dest, layout).with(Transfer.MOVE).skippingSimilar(filter).withThreads(2)}.
     *
     * @param sources   folders to import from
     * @param dest      the library to import into
     * @param layout    the folder pattern
     * @param transfer  copy or move
     * @param copyNames how identical OS copy names are reported
     * @param similar   skips perceptual duplicates; {@link SimilarImageFilter#NONE} for none
     * @param threads   threads for hashing and reading metadata (unused when {@code executor} is given)
     * @param dates     the capture-date reader
     * @param executor  the executor to read dates on (and to hash on, when it is a {@link ForkJoinPool}), left
     *                  running afterwards; null to make pools of our own
     */
    public record Options(List<Path> sources, Path dest, Layout layout, Transfer transfer, CopyNameReport copyNames,
                          SimilarImageFilter similar, int threads, CaptureDates dates, ExecutorService executor) {
        public Options {
            sources = List.copyOf(sources);
            Objects.requireNonNull(dest, "dest");
            Objects.requireNonNull(layout, "layout");
            Objects.requireNonNull(transfer, "transfer");
            Objects.requireNonNull(copyNames, "copyNames");
            Objects.requireNonNull(similar, "similar (SimilarImageFilter.NONE for none)");
            Objects.requireNonNull(dates, "dates");
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
        }

        /**
         * Copy {@code sources} into {@code dest} filed by {@code layout}: copy names reported as duplicates, no
         * similar filter, one thread per processor, the default date reader, pools of our own.
         */
        public static Options of(List<Path> sources, Path dest, Layout layout) {
            return new Options(sources, dest, layout, Transfer.COPY, CopyNameReport.AS_DUPLICATES, SimilarImageFilter.NONE,
                    Runtime.getRuntime().availableProcessors(), new CaptureDates(), null);
        }

        /** The same, copying or moving. */
        public Options with(Transfer transfer) {
            return new Options(sources, dest, layout, transfer, copyNames, similar, threads, dates, executor);
        }

        /** The same, reporting copy names so. */
        public Options with(CopyNameReport copyNames) {
            return new Options(sources, dest, layout, transfer, copyNames, similar, threads, dates, executor);
        }

        /** The same, leaving out what {@code similar} finds redundant. */
        public Options skippingSimilar(SimilarImageFilter similar) {
            return new Options(sources, dest, layout, transfer, copyNames, similar, threads, dates, executor);
        }

        /** The same on {@code threads} threads. */
        public Options withThreads(int threads) {
            return new Options(sources, dest, layout, transfer, copyNames, similar, threads, dates, executor);
        }

        /** The same, reading dates with {@code dates}. */
        Options withDates(CaptureDates dates) {
            return new Options(sources, dest, layout, transfer, copyNames, similar, threads, dates, executor);
        }

        /** The same, working on {@code executor}, which the planner never shuts down. */
        public Options withExecutor(ExecutorService executor) {
            return new Options(sources, dest, layout, transfer, copyNames, similar, threads, dates,
                    Objects.requireNonNull(executor, "executor"));
        }

        /**
         * What organize scans: the destination as a protected reference, then the sources; media and sidecars.
         * The scan is its caller's to run ({@code CleanBackup.organize}), on its own executor.
         */
        public ScanOptions scanOptions() {
            Set<String> withSidecars = new java.util.HashSet<>(MediaType.extensionsOf(Set.of(MediaType.IMAGE,
                    MediaType.VIDEO)));
            withSidecars.addAll(Companions.SIDECARS);
            List<ScanRoot> roots = new ArrayList<>();
            roots.add(ScanRoot.reference(dest));
            sources.forEach(s -> roots.add(ScanRoot.source(s)));
            return new ScanOptions(roots, withSidecars, false, false, List.of());
        }
    }

    /**
     * The plan and what was decided for each file.
     *
     * @param plan     the moves or copies, in order
     * @param files    every source file with its decision
     * @param problems what could not be read
     * @param notes    things worth telling that are not failures
     * @param leftOut  what the scan of the sources did not consider (other types, empty files, links), and why
     */
    public record Result(Plan plan, List<OrganizedFile> files, List<Problem> problems, List<String> notes,
                         LeftOut leftOut) {
        public Result {
            files = List.copyOf(files);
            problems = List.copyOf(problems);
            notes = List.copyOf(notes);
        }
    }

    private final Options options;

    /** A planner with these options. */
    public OrganizePlanner(Options options) {
        this.options = options;
    }

    /**
     * The exact duplicates among the media files of {@code scan} (sidecars aside), the destination's copies kept:
     * the grouping {@link #plan} expects.
     */
    public ExactDuplicateFinder.Result findExactDuplicates(ScanResult scan, ProgressListener progress) {
        ScannedFiles files = ScannedFiles.of(scan);
        List<MediaFile> all = new ArrayList<>(files.destination());
        all.addAll(files.media());
        ForkJoinPool pool = options.executor() instanceof ForkJoinPool given ? given : null;
        ExactDuplicateFinder.Result found = new ExactDuplicateFinder(new ExactDuplicateFinder.Options(
                ContentHashers.defaultHasher(), 0, options.threads(), KeepPolicy.OLDEST).withPool(pool))
                .find(all, progress);
        progress.phaseDone();
        return found;
    }

    /**
     * Plans the import from a scan made with {@link Options#scanOptions()} and its exact duplicates
     * ({@link #findExactDuplicates}): skips what is there already or twice, applies the similar filter, reads
     * capture dates, and returns the plan; changes nothing.
     */
    public Result plan(ScanResult scan, ExactDuplicateFinder.Result exact, String command, ProgressListener progress) {
        // Added to by the date-reading threads too.
        List<Problem> problems = Collections.synchronizedList(new ArrayList<>());
        for (Problem p : scan.problems()) {
            if (!p.path().equals(options.dest())) { // a destination that does not exist yet is fine
                problems.add(p);
            }
        }
        ScannedFiles scanned = ScannedFiles.of(scan);
        List<MediaFile> destFiles = scanned.destination();
        List<MediaFile> media = scanned.media();
        List<MediaFile> sidecars = scanned.sidecars();

        Map<MediaFile, OrganizedFile> decided = new LinkedHashMap<>();
        List<MediaFile> toImport = skipExactDuplicates(media, exact, decided, problems);
        if (options.similar() != SimilarImageFilter.NONE) {
            List<MediaFile> images = toImport.stream().filter(f -> MediaType.ofFileName(f.path().getFileName()
                    .toString()).orElse(null) == MediaType.IMAGE).toList();
            List<MediaFile> destImages = destFiles.stream().filter(f -> MediaType.ofFileName(f.path().getFileName()
                    .toString()).orElse(null) == MediaType.IMAGE).toList();
            Map<MediaFile, MediaFile> redundant = options.similar().redundant(images, destImages);
            redundant.forEach((f, kept) -> decided.put(f, new OrganizedFile(f, null, null, SkipReason.SIMILAR, kept.path())));
            toImport = toImport.stream().filter(f -> !redundant.containsKey(f)).toList();
        }

        Map<MediaFile, MediaFile> livePhotoStill = new LivePhotos().pair(toImport, MediaFile::path);
        Map<MediaFile, CaptureDate> dates = readDates(toImport, livePhotoStill, problems, progress);
        toImport = leaveOutWhatIsNotMedia(toImport, dates, decided, problems);
        Set<MediaFile> kept = new java.util.HashSet<>(toImport);
        livePhotoStill.entrySet().removeIf(e -> !kept.contains(e.getKey()) || !kept.contains(e.getValue()));
        List<Action> actions = new ArrayList<>();
        Map<MediaFile, Path> targets = new HashMap<>();
        for (MediaFile f : toImport) {
            MediaFile still = livePhotoStill.get(f);
            CaptureDate date = dates.get(still != null ? still : f);
            if (still != null && dates.get(f) != null && date != null && dates.get(f).source() != CaptureDate.Source.FILE_TIME) {
                date = dates.get(f); // keep the video's own time, but its folder follows the still (below)
            }
            Path folder = folderFor(f, still != null ? dates.get(still) : date);
            Path target = folder.resolve(f.path().getFileName().toString());
            targets.put(f, target);
            decided.put(f, new OrganizedFile(f, date, target, null, still == null ? null : still.path()));
            actions.add(action(f, target, date, still));
        }
        List<String> notes = new ArrayList<>(scan.notes());
        placeSidecars(sidecars, media, targets, decided, actions);

        List<OrganizedFile> files = new ArrayList<>(decided.values());
        return new Result(new Plan(command, actions), files, problems, notes, scan.leftOut());
    }

    /**
     * A file with no date inside is checked against its extension: one that is not the photo or video its name says
     * (a song or a text named .jpg) is a problem and stays where it is, rather than being filed by its file time as
     * if it were a photo. A file whose metadata gave a date is what it says.
     */
    private static List<MediaFile> leaveOutWhatIsNotMedia(List<MediaFile> files, Map<MediaFile, CaptureDate> dates,
                                                          Map<MediaFile, OrganizedFile> decided, List<Problem> problems) {
        List<MediaFile> media = new ArrayList<>(files.size());
        for (MediaFile f : files) {
            CaptureDate date = dates.get(f);
            boolean embedded = date != null && date.source() != CaptureDate.Source.FILE_NAME
                    && date.source() != CaptureDate.Source.FILE_TIME;
            Optional<String> mismatch = Optional.empty();
            if (!embedded) {
                try {
                    mismatch = ContentCheck.mismatch(f.path());
                } catch (IOException e) {
                    problems.add(Problem.of(f.path(), e));
                    decided.put(f, new OrganizedFile(f, null, null, SkipReason.NOT_MEDIA, null));
                    continue;
                }
            }
            if (mismatch.isPresent()) {
                problems.add(new Problem(f.path(), mismatch.get()));
                decided.put(f, new OrganizedFile(f, null, null, SkipReason.NOT_MEDIA, null));
            } else {
                media.add(f);
            }
        }
        return media;
    }

    private Path folderFor(MediaFile f, CaptureDate date) {
        if (date == null || !options.dates().usable(date)) {
            return options.dest().resolve("unknown").resolve(f.relativePath()).getParent();
        }
        return options.dest().resolve(options.layout().folderFor(date.localTime()));
    }

    private Action action(MediaFile f, Path target, CaptureDate date, MediaFile still) {
        String when = date == null || !options.dates().usable(date) ? "no usable date"
                : "taken " + date.localTime().toLocalDate() + " (" + date.source().label() + ")";
        String reason = still == null ? when : when + "; Live Photo with " + still.path().getFileName();
        return options.transfer() == Transfer.MOVE
                ? new Action.Move(f.path(), f.root(), target, f.size(), f.lastModified(), null, reason, null, null)
                : new Action.Copy(f.path(), f.root(), target, f.size(), f.lastModified(), null, reason, null, null);
    }

    /** Exact duplicates: in DEST already (skip), or several in the sources (import the best one). */
    private List<MediaFile> skipExactDuplicates(List<MediaFile> media, ExactDuplicateFinder.Result found,
                                                Map<MediaFile, OrganizedFile> decided, List<Problem> problems) {
        problems.addAll(found.problems());
        Set<MediaFile> unreadable = new java.util.HashSet<>();
        for (Problem p : found.problems()) {
            media.stream().filter(m -> m.path().equals(p.path())).forEach(unreadable::add);
        }
        Set<MediaFile> skip = new java.util.HashSet<>(unreadable);
        for (DuplicateGroup g : found.groups()) {
            List<MediaFile> sources = new ArrayList<>(g.duplicates());
            if (!g.keep().reference()) {
                sources.add(g.keep());
            }
            if (g.keep().reference()) {
                for (MediaFile f : sources) {
                    decided.put(f, new OrganizedFile(f, null, null, SkipReason.EXACT_IN_DEST, g.keep().path()));
                    skip.add(f);
                }
                continue;
            }
            // Import the copy with the plainest name (not "x (1).jpg"), then the oldest, then by path.
            sources.sort(Comparator.comparing((MediaFile f) -> CopyNames.originalName(f.path().getFileName().toString())
                    .isPresent()).thenComparingLong(MediaFile::lastModified).thenComparing(f -> f.path().toString()));
            MediaFile imported = sources.getFirst();
            for (MediaFile f : sources.subList(1, sources.size())) {
                boolean copyName = CopyNames.originalName(f.path().getFileName().toString()).isPresent();
                decided.put(f, new OrganizedFile(f, null, null, copyName && options.copyNames() == CopyNameReport.AS_COPY_NAMES
                        ? SkipReason.NAME_COPY : SkipReason.EXACT_IN_RUN, imported.path()));
                skip.add(f);
            }
        }
        return media.stream().filter(f -> !skip.contains(f)).toList();
    }

    private Map<MediaFile, CaptureDate> readDates(List<MediaFile> files, Map<MediaFile, MediaFile> livePhotoStill,
                                                  List<Problem> problems, ProgressListener progress) {
        Map<MediaFile, CaptureDate> dates = new ConcurrentHashMap<>();
        progress.phase("Reading dates", files.size(), "files");
        try (Pools.Lease<ExecutorService> pool = Pools.fixed(options.executor(), options.threads(),
                "cleanbackup-dates")) {
            Map<MediaFile, Future<?>> futures = new LinkedHashMap<>();
            for (MediaFile f : files) {
                futures.put(f, pool.executor().submit(() -> {
                    try {
                        CaptureDate date = options.dates().read(f.path());
                        if (date.note() != null) {
                            problems.add(new Problem(f.path(), date.note() + "; dated by its " + date.source().label()));
                        }
                        dates.put(f, date);
                    } catch (IOException e) {
                        problems.add(Problem.of(f.path(), e));
                    } catch (RuntimeException | StackOverflowError e) {
                        // A parser's bug on one file is that file's problem: it goes undated, the others go on.
                        problems.add(Problem.unexpected(f.path(), "reading its dates", e));
                    } finally {
                        progress.advance(1);
                    }
                }));
            }
            Pools.awaitAll(futures.values(), "reading dates");
        }
        progress.phaseDone();
        // A Live Photo's video stores UTC: show it in the still's zone when the still knows its offset.
        for (Map.Entry<MediaFile, MediaFile> pair : livePhotoStill.entrySet()) {
            CaptureDate still = dates.get(pair.getValue());
            CaptureDate video = dates.get(pair.getKey());
            if (still != null && still.offset() != null && video != null
                    && video.source() == CaptureDate.Source.QUICKTIME_UTC) {
                try {
                    dates.put(pair.getKey(), options.dates().read(pair.getKey().path(), still.offset()));
                } catch (IOException e) {
                    problems.add(Problem.of(pair.getKey().path(), e));
                }
            }
        }
        return dates;
    }

    /** A scan's files sorted out: the destination's media, the sources' media, the sources' sidecars. */
    private record ScannedFiles(List<MediaFile> destination, List<MediaFile> media, List<MediaFile> sidecars) {
        static ScannedFiles of(ScanResult scan) {
            List<MediaFile> destFiles = new ArrayList<>();
            List<MediaFile> media = new ArrayList<>();
            List<MediaFile> sidecars = new ArrayList<>();
            for (MediaFile f : scan.files()) {
                boolean sidecar = Companions.SIDECARS.contains(MediaType.extensionOf(f.path().getFileName().toString()));
                if (f.reference()) {
                    if (!sidecar) {
                        destFiles.add(f);
                    }
                } else {
                    (sidecar ? sidecars : media).add(f);
                }
            }
            return new ScannedFiles(destFiles, media, sidecars);
        }
    }

    /** Sidecars go where their media file goes; one without a media file being imported stays. */
    private static void placeSidecars(List<MediaFile> sidecars, List<MediaFile> media, Map<MediaFile, Path> targets,
                                      Map<MediaFile, OrganizedFile> decided, List<Action> actions) {
        Map<String, MediaFile> byName = new HashMap<>();
        Map<String, MediaFile> byStem = new HashMap<>();
        List<MediaFile> ordered = new ArrayList<>(media);
        // Stills before videos, so "IMG_1.xmp" follows IMG_1.HEIC rather than IMG_1.MOV.
        ordered.sort(Comparator.comparing(f -> LivePhotos.VIDEOS.contains(MediaType.extensionOf(f.path().getFileName().toString()))));
        Collections.reverse(ordered);
        for (MediaFile f : ordered) {
            String name = f.path().getFileName().toString();
            byName.put(LivePhotos.key(f.path().getParent(), name), f);
            byStem.put(LivePhotos.key(f.path().getParent(), LivePhotos.stem(name)), f);
        }
        Map<Path, Action> actionBySource = new HashMap<>();
        actions.forEach(a -> actionBySource.put(a.source(), a));
        for (MediaFile s : sidecars) {
            String stem = LivePhotos.stem(s.path().getFileName().toString()); // "IMG_1.HEIC" for IMG_1.HEIC.xmp, "IMG_1" for IMG_1.xmp
            MediaFile byFullName = byName.get(LivePhotos.key(s.path().getParent(), stem));
            MediaFile owner = byFullName != null ? byFullName : byStem.get(LivePhotos.key(s.path().getParent(), stem));
            if (owner == null) {
                decided.put(s, new OrganizedFile(s, null, null, SkipReason.ORPHAN_SIDECAR, null));
                continue;
            }
            if (!targets.containsKey(owner)) {
                // its media file is there but not imported (already in DEST, say): the sidecar is not an orphan
                decided.put(s, new OrganizedFile(s, null, null, SkipReason.SIDECAR_OF_SKIPPED, owner.path()));
                continue;
            }
            Path target = targets.get(owner).resolveSibling(s.path().getFileName().toString());
            OrganizedFile mediaDecision = decided.get(owner);
            decided.put(s, new OrganizedFile(s, mediaDecision.date(), target, null, owner.path()));
            Action mediaAction = actionBySource.get(owner.path());
            // Tied to its media file: it goes only if that file went, named after the name it really got (x_1.jpg
            // takes x_1.xmp when x.jpg was taken in DEST).
            String name = s.path().getFileName().toString();
            Action.Companion tie = new Action.Companion(owner.path(), name.substring(stem.length()), byFullName != null,
                    false);
            String why = "sidecar of " + owner.path().getFileName();
            actions.add(mediaAction instanceof Action.Move
                    ? new Action.Move(s.path(), s.root(), target, s.size(), s.lastModified(), null, why, null, tie)
                    : new Action.Copy(s.path(), s.root(), target, s.size(), s.lastModified(), null, why, null, tie));
        }
    }


}
