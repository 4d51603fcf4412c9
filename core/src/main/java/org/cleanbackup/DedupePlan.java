package org.cleanbackup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;
import org.cleanbackup.cache.NotDuplicates;
import org.cleanbackup.hash.ContentHash;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.cleanbackup.model.MediaFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.cleanbackup.execute.ExecutionReport;
import org.cleanbackup.group.DuplicateGroup;
import org.cleanbackup.journal.Journal;
import org.cleanbackup.model.Problem;
import org.cleanbackup.model.ProgressListener;
import org.cleanbackup.names.NameCopy;
import org.cleanbackup.plan.Plan;
import org.cleanbackup.report.DedupeReport;
import org.cleanbackup.scan.LeftOut;
import org.cleanbackup.scan.ScanResult;
import org.cleanbackup.similar.SimilarGroup;
import org.cleanbackup.sound.SoundGroup;

/**
 * What {@link CleanBackup#dedupe(DedupeRequest)} found and plans to do. Nothing has changed on disk yet: look at
 * {@link #groups()} and {@link #plan()}, then {@link #execute(Journal)} it, or drop it (a dry run).
 *
 * @since 0.1
 */
public final class DedupePlan {

    /**
     * How the images of a {@link DedupeRequest.Mode#SIMILAR} run were hashed.
     *
     * @param hashed    images hashed in this run
     * @param fromCache images whose hash came from the cache
     * @param time      how long getting the hashes took
     */
    public record ImageHashing(int hashed, int fromCache, Duration time) {
    }

    /**
     * How the audio files were fingerprinted, in {@link DedupeRequest.Mode#SIMILAR}.
     *
     * @param fingerprinted files fingerprinted in this run
     * @param fromCache     files whose fingerprint came from the cache
     * @param tooShort      files with less than 10 s of sound, too little to tell songs apart: never grouped
     * @param time          how long getting the fingerprints took
     * @since 0.4
     */
    public record AudioFingerprinting(int fingerprinted, int fromCache, int tooShort, Duration time) {
    }

    private final CleanBackup library;
    private final DedupeRequest request;
    private final ScanResult scan;
    private final List<DuplicateGroup> groups;
    private final List<SimilarGroup> similarGroups;
    private final List<NameCopy> nameCopies;
    private final List<Problem> findProblems;
    private final boolean partialHash;
    private final ImageHashing imageHashing;
    private final List<SoundGroup> soundGroups;
    private final AudioFingerprinting audioFingerprinting;
    private final Plan plan;

    DedupePlan(CleanBackup library, DedupeRequest request, ScanResult scan, Found found, Plan plan) {
        this.library = library;
        this.request = request;
        this.scan = scan;
        this.groups = List.copyOf(found.groups());
        this.similarGroups = List.copyOf(found.similarGroups());
        this.nameCopies = List.copyOf(found.nameCopies());
        this.findProblems = List.copyOf(found.problems());
        this.partialHash = found.partialHash();
        this.imageHashing = found.imageHashing();
        this.soundGroups = List.copyOf(found.soundGroups());
        this.audioFingerprinting = found.audioFingerprinting();
        this.plan = plan;
    }

    /**
     * What one mode of search found, before planning. In {@link DedupeRequest.Mode#SIMILAR} {@code groups} holds the
     * look-alike images' and the same-sounding recordings' groups; {@code audioFingerprinting} (the same shape as the
     * images' hashing) says how the audio files were fingerprinted, null when none were.
     */
    record Found(List<DuplicateGroup> groups, List<SimilarGroup> similarGroups, List<NameCopy> nameCopies,
                 List<Problem> problems, boolean partialHash, ImageHashing imageHashing, List<SoundGroup> soundGroups,
                 AudioFingerprinting audioFingerprinting) {

        /** What a search without audio found. */
        Found(List<DuplicateGroup> groups, List<SimilarGroup> similarGroups, List<NameCopy> nameCopies,
              List<Problem> problems, boolean partialHash, ImageHashing imageHashing) {
            this(groups, similarGroups, nameCopies, problems, partialHash, imageHashing, List.of(), null);
        }
    }

    /** What was asked. */
    public DedupeRequest request() {
        return request;
    }

    /** The files scanned, with the problems and notes met while scanning. */
    public ScanResult scan() {
        return scan;
    }

    /**
     * The groups of identical files (look-alike images in {@link DedupeRequest.Mode#SIMILAR}, each "hash" then the
     * kept image's perceptual hash; none in {@link DedupeRequest.Mode#NAMES}), largest reclaimable size first.
     */
    public List<DuplicateGroup> groups() {
        return groups;
    }

    /** The groups of look-alike images, with their distances (empty unless {@link DedupeRequest.Mode#SIMILAR}). */
    public List<SimilarGroup> similarGroups() {
        return similarGroups;
    }

    /**
     * The groups of recordings that sound the same (one song as FLAC, MP3, AAC, ...), with their bit-error rates
     * (empty unless {@link DedupeRequest.Mode#SIMILAR} found audio files). They are in {@link #groups()} too.
     *
     * @since 0.4
     */
    public List<SoundGroup> soundGroups() {
        return soundGroups;
    }

    /**
     * How the audio files were fingerprinted, in {@link DedupeRequest.Mode#SIMILAR} (empty when there were none):
     * fingerprinted in this run, from the cache, too short to compare, and how long it took.
     *
     * @since 0.4
     */
    public Optional<AudioFingerprinting> audioFingerprinting() {
        return Optional.ofNullable(audioFingerprinting);
    }

    /** The OS copy names found beside their originals (empty unless {@link DedupeRequest.Mode#NAMES}). */
    public List<NameCopy> nameCopies() {
        return nameCopies;
    }

    /** Whether only the first bytes of each file were compared (files that differ later counted as identical). */
    public boolean partialHash() {
        return partialHash;
    }

    /** How the images were hashed, in {@link DedupeRequest.Mode#SIMILAR}. */
    public Optional<ImageHashing> imageHashing() {
        return Optional.ofNullable(imageHashing);
    }

    /** One action per duplicate (empty when the request only reports). */
    public Plan plan() {
        return plan;
    }

    /**
     * What the run did not consider in the folders it may act on (not in reference folders), and why: files of other
     * types, empty files, links, files that could not be read (while scanning or comparing; each is also a
     * {@linkplain #problems() problem}), and in {@link DedupeRequest.Mode#SIMILAR} the files that are neither images
     * nor audio.
     *
     * @since 0.3
     */
    public LeftOut leftOut() {
        LeftOut leftOut = scan.leftOut();
        if (!findProblems.isEmpty()) {
            Set<Path> references = new HashSet<>();
            scan.files().stream().filter(MediaFile::reference).forEach(f -> references.add(f.path()));
            leftOut = leftOut.plusUnreadable(findProblems.stream().filter(p -> !references.contains(p.path())).count());
        }
        if (request.mode() == DedupeRequest.Mode.SIMILAR) {
            leftOut = leftOut.plusNotImage(scan.files().stream()
                    .filter(f -> !f.reference() && !CleanBackup.isImage(f) && !CleanBackup.isAudio(f)).count());
        }
        return leftOut;
    }

    /** Files that could not be scanned or read: they are in no group. */
    public List<Problem> problems() {
        List<Problem> all = new ArrayList<>(scan.problems());
        all.addAll(findProblems);
        return List.copyOf(all);
    }

    /**
     * Carries out the plan through {@code journal} (each change journaled before the disk is touched, nothing
     * overwritten, failed steps retried), so that {@link CleanBackup#undo(Journal)} can reverse it.
     */
    public ExecutionReport execute(Journal journal) {
        return execute(journal, ProgressListener.NONE);
    }

    /** Like {@link #execute(Journal)}, reporting each phase to {@code progress}. */
    public ExecutionReport execute(Journal journal, ProgressListener progress) {
        return library.execute(plan, journal, progress);
    }

    /** Like {@link #execute(Journal, ProgressListener)}, stopping cleanly between files once {@code stop} says so. */
    public ExecutionReport execute(Journal journal, ProgressListener progress, BooleanSupplier stop) {
        return library.execute(plan, journal, progress, stop);
    }

    /**
     * The whole run as one report (counts, bytes, problems; {@link DedupeReport#writeJson} writes the documented
     * JSON).
     *
     * @param execution what {@link #execute(Journal)} returned, or null when nothing was carried out
     */
    public DedupeReport report(ExecutionReport execution) {
        boolean dryRun = request.isDryRun() || (execution == null && !plan.isEmpty());
        return DedupeReport.builder()
                .scanned(scan.files().size(), scan.totalBytes())
                .groups(groups)
                .plan(plan)
                .execution(execution)
                .problems(problems())
                .hash(request.hasher().name(), partialHash)
                .dryRun(dryRun)
                .nameCopies(nameCopies)
                .leftOut(leftOut())
                .build();
    }

    // ------------------------------------------------------------------------------------------------ review

    /**
     * The same findings planned again with a person's decisions (a review): in group {@code i} (an index into
     * {@link #groups()}, or into {@link #nameCopies()} in {@link DedupeRequest.Mode#NAMES}) {@code keepers.get(i)} is
     * the copy that stays, and the groups in {@code leftOut} are not acted on. {@code request} is this plan's request
     * with another action or output folder ({@link DedupeRequest#withAction}, {@link DedupeRequest#withOutputFolder});
     * it is checked as {@link CleanBackup#dedupe} checks it. Nothing is scanned or read again: the executor's checks
     * (each file unchanged since the scan, the kept copy unchanged) guard the gap between review and action.
     *
     * @throws RequestRefusedException  when {@code request} breaks a safety rule
     * @throws IllegalArgumentException when {@code request} searches another way than this plan's, or a keeper is not
     *                                  a file of its group
     * @since 0.4
     */
    public DedupePlan revised(DedupeRequest request, Map<Integer, Path> keepers, Set<Integer> leftOut) {
        if (request.mode() != this.request.mode() || !request.sources().equals(this.request.sources())
                || !request.references().equals(this.request.references())) {
            throw new IllegalArgumentException("a revision keeps the mode and the folders of the plan it revises");
        }
        request.check();
        Found revised = switch (request.mode()) {
            case EXACT -> new Found(reviseExact(keepers, leftOut), List.of(), List.of(), findProblems, partialHash,
                    imageHashing);
            case SIMILAR -> {
                List<SimilarGroup> similar = reviseSimilar(keepers, leftOut);
                yield new Found(similar.stream().map(CleanBackup::asGroup).toList(), similar, List.of(), findProblems,
                        partialHash, imageHashing);
            }
            case NAMES -> new Found(List.of(), List.of(), reviseNames(keepers, leftOut), findProblems, partialHash,
                    imageHashing);
        };
        return new DedupePlan(library, request, scan, revised, CleanBackup.planDedupe(request, revised));
    }

    private static final String CHOSEN = "chosen in a review";

    /** {@code found} less the groups left out, each other group with its chosen keeper ({@code keeping}). */
    private static <T> List<T> revise(List<T> found, Map<Integer, Path> keepers, Set<Integer> leftOut,
                                      BiFunction<T, Path, T> keeping) {
        List<T> out = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            Path chosen = keepers.get(i);
            if (!leftOut.contains(i)) {
                out.add(chosen == null ? found.get(i) : keeping.apply(found.get(i), chosen));
            }
        }
        return out;
    }

    private List<DuplicateGroup> reviseExact(Map<Integer, Path> keepers, Set<Integer> leftOut) {
        return revise(groups, keepers, leftOut, (g, chosen) -> {
            if (chosen.equals(g.keep().path())) {
                return g;
            }
            MediaFile keep = g.duplicates().stream().filter(f -> f.path().equals(chosen)).findFirst()
                    .orElseThrow(() -> notInGroup(chosen));
            List<MediaFile> duplicates = new ArrayList<>(g.duplicates());
            duplicates.remove(keep);
            if (!g.keep().reference()) {
                duplicates.add(0, g.keep());
            }
            return new DuplicateGroup(g.hash(), g.size(), keep, CHOSEN, duplicates, g.protectedCopies(), g.hardLinks());
        });
    }

    /*
     * A look-alike group's distances were measured from the image the tool kept; the members' hashes are not kept, so
     * a member's distance from a chosen keeper is not known here. The old keeper gets the chosen image's distance
     * (the same pair); the others keep their distance from the old keeper, which the plan's reasons then show.
     */
    private List<SimilarGroup> reviseSimilar(Map<Integer, Path> keepers, Set<Integer> leftOut) {
        return revise(similarGroups, keepers, leftOut, (g, chosen) -> {
            if (chosen.equals(g.keep().path())) {
                return g;
            }
            SimilarGroup.Member keep = g.duplicates().stream().filter(m -> m.file().path().equals(chosen)).findFirst()
                    .orElseThrow(() -> notInGroup(chosen));
            List<SimilarGroup.Member> duplicates = new ArrayList<>(g.duplicates());
            duplicates.remove(keep);
            if (!g.keep().reference()) {
                duplicates.add(0, new SimilarGroup.Member(g.keep(), keep.distance()));
            }
            return new SimilarGroup(keep.file(), g.keepHash(), CHOSEN, duplicates, g.protectedCopies());
        });
    }

    private List<NameCopy> reviseNames(Map<Integer, Path> keepers, Set<Integer> leftOut) {
        return revise(nameCopies, keepers, leftOut, (c, chosen) -> {
            if (chosen.equals(c.original().path())) {
                return c;
            }
            if (!chosen.equals(c.copy().path())) {
                throw notInGroup(chosen);
            }
            if (c.original().reference()) {
                throw new IllegalArgumentException(c.original().path() + " is in a reference folder");
            }
            return new NameCopy(c.original(), c.copy(), c.verdict(), c.hash()); // the copy's name stays
        });
    }

    private static IllegalArgumentException notInGroup(Path chosen) {
        return new IllegalArgumentException(chosen + " is not a copy of its group that may be acted on");
    }

    /**
     * Remembers that the files of group {@code group} (an index into {@link #groups()}) are not duplicates of each
     * other, in the database the request names ({@link DedupeRequest#rememberingNotDuplicates}), keyed by their
     * content: a later run of either mode no longer offers them. Reads the files of a look-alike group to hash them.
     *
     * @throws IOException           when a file of the group cannot be read (nothing is remembered)
     * @throws IllegalStateException when the request names no database
     * @since 0.4
     */
    public void rememberNotDuplicates(int group) throws IOException {
        Path file = request.notDuplicates().orElseThrow(() -> new IllegalStateException(
                "the request remembers no decisions (DedupeRequest.rememberingNotDuplicates)"));
        DuplicateGroup g = groups.get(group);
        List<ContentHash> hashes = new ArrayList<>();
        if (request.mode() == DedupeRequest.Mode.SIMILAR) {
            List<MediaFile> files = new ArrayList<>();
            files.add(g.keep());
            files.addAll(g.duplicates());
            files.addAll(g.protectedCopies());
            Map<Path, ContentHash> byPath = NotDuplicatesFilter.hashes(files, request.hasher());
            files.forEach(f -> hashes.add(byPath.get(f.path())));
        } else {
            hashes.add(g.hash()); // identical content: the pair of the hash with itself
        }
        try (NotDuplicates memory = NotDuplicates.open(file)) {
            for (int a = 0; a < hashes.size(); a++) {
                for (int b = hashes.size() == 1 ? a : a + 1; b < hashes.size(); b++) {
                    memory.remember(hashes.get(a), hashes.get(b));
                }
            }
        }
    }
}
