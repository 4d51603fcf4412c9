package org.cleanbackup;

import java.nio.file.Path;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.cleanbackup.RequestRefusedException.Rule;
import org.cleanbackup.group.KeepPolicy;
import org.cleanbackup.hash.ContentHasher;
import org.cleanbackup.hash.ContentHashers;
import org.cleanbackup.model.MediaType;
import org.cleanbackup.phash.PerceptualHasher;
import org.cleanbackup.plan.DuplicateAction;
import org.cleanbackup.scan.ScanOptions;
import org.cleanbackup.scan.ScanRoot;
import org.cleanbackup.similar.Sensitivity;
import org.cleanbackup.similar.SimilarImageFinder;

/**
 * What {@link CleanBackup#dedupe(DedupeRequest)} looks for and what it plans to do with the duplicates it finds.
 * Immutable: start from {@link #of(Path...)} and change one thing at a time, each call returning a new request.
 *
 * <pre>{@code
 * DedupeRequest.of(inbox).withReferences(library).withTypes(MediaType.AUDIO).moveTo(dupes)
 * DedupeRequest.of(photos).withMode(DedupeRequest.Mode.SIMILAR).withSensitivity(Sensitivity.AGGRESSIVE).trash()
 * }</pre>
 *
 * <p>The safety rules are checked by {@link #check()} (which {@code dedupe} calls first): the output folder is
 * never inside a reference folder, never holds a reference or scanned folder, and can be written; it is left out of
 * the scan.
 *
 * @since 0.1
 */
public final class DedupeRequest {

    /** What counts as a duplicate. */
    public enum Mode {
        /** Identical content. */
        EXACT,
        /** Images that look the same (perceptual hash). */
        SIMILAR,
        /** OS copy names ({@code IMG_1 (1).jpg}) beside their original, acted on only when identical by default. */
        NAMES
    }

    /** Every setting, copied for each change (the request itself never changes). */
    private static final class Settings implements Cloneable {
        List<Path> sources;
        List<Path> references = List.of();
        Set<MediaType> types = EnumSet.allOf(MediaType.class);
        Set<String> extensions = Set.of();
        boolean everyFile;
        boolean followLinks;
        boolean includeEmpty;
        Mode mode = Mode.EXACT;
        DuplicateAction action;
        Path to;
        boolean flat;
        KeepPolicy keep;
        SimilarImageFinder.Ranking ranking = SimilarImageFinder.Ranking.BEST;
        ContentHasher hasher = ContentHashers.defaultHasher();
        long maxHashBytes;
        boolean audioPayload = true;
        int threshold = Sensitivity.STANDARD.threshold();
        double maxBitErrorRate = org.cleanbackup.sound.SimilarAudioFinder.DEFAULT_MAX_BIT_ERROR_RATE;
        int fingerprintSeconds = org.cleanbackup.fingerprint.AudioFingerprinter.DEFAULT_SECONDS;
        boolean orientations;
        PerceptualHasher perceptualHasher;
        Path hashCache;
        Path notDuplicates;
        boolean trustNames;
        boolean dryRun;
        String command;
        int threads = Runtime.getRuntime().availableProcessors();

        @Override
        protected Settings clone() {
            try {
                return (Settings) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private final Settings s;

    private DedupeRequest(Settings s) {
        s.sources = List.copyOf(s.sources);
        s.references = List.copyOf(s.references);
        s.types = Set.copyOf(s.types);
        s.extensions = Set.copyOf(s.extensions);
        Objects.requireNonNull(s.mode, "mode");
        Objects.requireNonNull(s.ranking, "ranking");
        Objects.requireNonNull(s.hasher, "hasher");
        if (s.sources.isEmpty() && s.references.isEmpty()) {
            throw new IllegalArgumentException("name at least one folder");
        }
        if (s.types.isEmpty()) {
            throw new IllegalArgumentException("name at least one media type");
        }
        if (s.threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        if (s.maxHashBytes < 0) {
            throw new IllegalArgumentException("the bytes to compare are 0 (whole files) or more");
        }
        if (s.threshold < 0 || s.threshold > 32) {
            throw new IllegalArgumentException("the threshold is a number of bits from 0 to 32, was " + s.threshold);
        }
        this.s = s;
    }

    private DedupeRequest with(Consumer<Settings> change) {
        Settings copy = s.clone();
        change.accept(copy);
        return new DedupeRequest(copy);
    }

    /** Every audio, image and video file in {@code sources}, exact duplicates reported only, keeping the oldest. */
    public static DedupeRequest of(Path... sources) {
        Settings s = new Settings();
        s.sources = List.of(sources);
        return new DedupeRequest(s);
    }

    /** The same request over these source folders (their duplicates may be acted on). */
    public DedupeRequest withSources(Collection<Path> folders) {
        return with(c -> c.sources = List.copyOf(folders));
    }

    /** The same request with these reference folders (originals that are never acted on). */
    public DedupeRequest withReferences(Path... folders) {
        return withReferences(List.of(folders));
    }

    /** The same request with these reference folders (originals that are never acted on). */
    public DedupeRequest withReferences(Collection<Path> folders) {
        return with(c -> c.references = List.copyOf(folders));
    }

    /** The same request looking only at these media types. */
    public DedupeRequest withTypes(MediaType first, MediaType... more) {
        return withTypes(EnumSet.of(first, more));
    }

    /**
     * The same request looking only at these media types. The last of {@code withTypes}, {@link #withExtensions}
     * and {@link #withEveryFile()} decides which files are looked at.
     */
    public DedupeRequest withTypes(Set<MediaType> types) {
        return with(c -> {
            c.types = Set.copyOf(types);
            c.extensions = Set.of();
            c.everyFile = false;
        });
    }

    /**
     * The same request looking only at files with these extensions ({@code mp3}, {@code flac}), whatever their type;
     * {@code *} stands for any extension, as {@link #withEveryFile()}.
     */
    public DedupeRequest withExtensions(Collection<String> extensions) {
        List<String> named = extensions.stream().map(String::trim).filter(e -> !e.isEmpty()).toList();
        if (named.contains(ScanOptions.ANY_EXTENSION)) {
            return withEveryFile();
        }
        return with(c -> {
            c.extensions = new LinkedHashSet<>(named);
            c.everyFile = false;
        });
    }

    /**
     * The same request looking at every regular file, whatever its type: documents, archives, anything. Still left
     * out: empty files (unless {@link #includingEmptyFiles()}), symbolic links (unless {@link #followingLinks()}),
     * the trash and the temporary files of copies in progress. In {@link Mode#SIMILAR} only images are compared; the
     * rest is counted as left out ({@link DedupePlan#leftOut()}).
     *
     * @since 0.3
     */
    public DedupeRequest withEveryFile() {
        return with(c -> {
            c.everyFile = true;
            c.extensions = Set.of();
        });
    }

    /** Whether every regular file is looked at ({@link #withEveryFile()}), not only media files. */
    public boolean everyFile() {
        return s.everyFile;
    }

    /** The same request, following symbolic links (loops are detected and skipped). */
    public DedupeRequest followingLinks() {
        return with(c -> c.followLinks = true);
    }

    /** The same request, including zero-byte files (left out by default: they are all "identical"). */
    public DedupeRequest includingEmptyFiles() {
        return with(c -> c.includeEmpty = true);
    }

    /** The same request with another idea of a duplicate. */
    public DedupeRequest withMode(Mode mode) {
        return with(c -> c.mode = Objects.requireNonNull(mode, "mode"));
    }

    /** The same request, only reporting the duplicates (the default): the plan is empty. */
    public DedupeRequest reportOnly() {
        return with(c -> c.action = null);
    }

    /**
     * The same request, acting on each duplicate with {@code action}; {@link DuplicateAction#MOVE} and
     * {@link DuplicateAction#COPY} also need {@link #withOutputFolder(Path)}.
     */
    public DedupeRequest withAction(DuplicateAction action) {
        return with(c -> c.action = Objects.requireNonNull(action, "action"));
    }

    /** The same request with this output folder for moves and copies (made absolute: the journal needs that). */
    public DedupeRequest withOutputFolder(Path folder) {
        return with(c -> c.to = folder.toAbsolutePath().normalize());
    }

    /** The same request, moving duplicates under {@code folder} (their path below it kept). */
    public DedupeRequest moveTo(Path folder) {
        return withOutputFolder(folder).withAction(DuplicateAction.MOVE);
    }

    /** The same request, copying duplicates under {@code folder}. */
    public DedupeRequest copyTo(Path folder) {
        return withOutputFolder(folder).withAction(DuplicateAction.COPY);
    }

    /** The same request, moving duplicates into their root's {@code .cleanbackup-trash/} folder (undoable). */
    public DedupeRequest trash() {
        return withAction(DuplicateAction.DELETE);
    }

    /** The same request, replacing duplicates by hard links to the copy kept (the duplicate goes to the trash). */
    public DedupeRequest hardLink() {
        return withAction(DuplicateAction.HARDLINK);
    }

    /** The same request, putting moved or copied files directly in the output folder, not under their root's name. */
    public DedupeRequest flatOutput() {
        return with(c -> c.flat = true);
    }

    /** The same request, choosing the copy to keep with {@code policy} (in every mode). */
    public DedupeRequest keeping(KeepPolicy policy) {
        return with(c -> c.keep = Objects.requireNonNull(policy, "policy"));
    }

    /** The same request, ranking look-alike images with {@code ranking} when no {@link #keeping} policy is set. */
    public DedupeRequest ranking(SimilarImageFinder.Ranking ranking) {
        return with(c -> c.ranking = Objects.requireNonNull(ranking, "ranking"));
    }

    /** The same request, comparing contents with {@code hasher} (default XXH3-128). */
    public DedupeRequest hashingWith(ContentHasher hasher) {
        return with(c -> c.hasher = Objects.requireNonNull(hasher, "hasher"));
    }

    /**
     * The same request, comparing only the first {@code bytes} of each file: faster, weaker (files that differ
     * later count as identical; the report says so).
     */
    public DedupeRequest comparingFirstBytes(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("compare at least 1 byte");
        }
        return with(c -> c.maxHashBytes = bytes);
    }

    /** The same request, comparing whole files (the default). */
    public DedupeRequest comparingWholeFiles() {
        return with(c -> c.maxHashBytes = 0);
    }

    /**
     * The same request comparing audio files by their sound without their tags ({@code true}, the default, in exact
     * mode): MP3, FLAC, MP4/M4A, Ogg Vorbis/Opus, WAV and AIFF copies of one recording that differ only in tags are
     * one group ("same audio, other tags"), the copy with the fuller tags kept after a reference copy; or by their
     * whole bytes ({@code false}).
     */
    public DedupeRequest comparingAudioPayload(boolean payload) {
        return with(c -> c.audioPayload = payload);
    }

    /** With {@link Mode#SIMILAR}: how far apart two look-alikes (and two songs that sound the same) may be. */
    public DedupeRequest withSensitivity(Sensitivity sensitivity) {
        return withThreshold(sensitivity.threshold()).withMaxBitErrorRate(sensitivity.maxBitErrorRate());
    }

    /** With {@link Mode#SIMILAR}: the largest number of differing hash bits (0-32) that still counts as similar. */
    public DedupeRequest withThreshold(int bits) {
        return with(c -> c.threshold = bits);
    }

    /**
     * With {@link Mode#SIMILAR}: the largest share of differing fingerprint bits (0-0.5) at which two audio files
     * still count as one recording (default {@link org.cleanbackup.sound.SimilarAudioFinder#DEFAULT_MAX_BIT_ERROR_RATE};
     * docs/audio.md).
     *
     * @since 0.4
     */
    public DedupeRequest withMaxBitErrorRate(double rate) {
        if (!(rate >= 0 && rate <= 0.5)) {
            throw new IllegalArgumentException("the bit-error rate is 0 to 0.5, was " + rate);
        }
        return with(c -> c.maxBitErrorRate = rate);
    }

    /**
     * With {@link Mode#SIMILAR}: fingerprint the first {@code seconds} of each audio file (default
     * {@link org.cleanbackup.fingerprint.AudioFingerprinter#DEFAULT_SECONDS}; longer is slower and surer, docs/audio.md).
     *
     * @since 0.4
     */
    public DedupeRequest withFingerprintSeconds(int seconds) {
        if (seconds < 15 || seconds > 600) {
            throw new IllegalArgumentException("fingerprint 15 to 600 seconds, not " + seconds);
        }
        return with(c -> c.fingerprintSeconds = seconds);
    }

    /** With {@link Mode#SIMILAR}: also match flipped and rotated copies. */
    public DedupeRequest matchingOrientations() {
        return with(c -> c.orientations = true);
    }

    /** With {@link Mode#SIMILAR}: hash with this backend (default: the fastest that passes its self-test). */
    public DedupeRequest withPerceptualHasher(PerceptualHasher hasher) {
        return with(c -> c.perceptualHasher = Objects.requireNonNull(hasher, "hasher"));
    }

    /** With {@link Mode#SIMILAR}: read and keep perceptual hashes in the cache database {@code file}. */
    public DedupeRequest withHashCache(Path file) {
        return with(c -> c.hashCache = Objects.requireNonNull(file, "file"));
    }

    /**
     * With {@link Mode#EXACT} and {@link Mode#SIMILAR}: leave out the pairs marked "not duplicates" in a review,
     * remembered in the cache database {@code file} ({@link DedupePlan#rememberNotDuplicates(int)}).
     *
     * @since 0.4
     */
    public DedupeRequest rememberingNotDuplicates(Path file) {
        return with(c -> c.notDuplicates = Objects.requireNonNull(file, "file"));
    }

    /** With {@link Mode#NAMES}: act on copy names even when their content differs from the original's. */
    public DedupeRequest trustingNames() {
        return with(c -> c.trustNames = true);
    }

    /**
     * The same request for a dry run: the plan is only shown, so the output folder need not be writable, and the
     * report says nothing was changed.
     */
    public DedupeRequest asDryRun() {
        return with(c -> c.dryRun = true);
    }

    /** The same request, recorded in the journal as {@code command} (default: {@code dedupe --action ...}). */
    public DedupeRequest describedAs(String command) {
        return with(c -> c.command = Objects.requireNonNull(command, "command"));
    }

    /** The same request, hashing with {@code n} threads. */
    public DedupeRequest withThreads(int n) {
        return with(c -> c.threads = n);
    }

    /** Folders whose duplicates may be acted on. */
    public List<Path> sources() {
        return s.sources;
    }

    /** Folders holding originals: their files are kept, never moved, changed or deleted. */
    public List<Path> references() {
        return s.references;
    }

    /** What counts as a duplicate. */
    public Mode mode() {
        return s.mode;
    }

    /** What to do with each duplicate; empty when the duplicates are only reported. */
    public Optional<DuplicateAction> action() {
        return Optional.ofNullable(s.action);
    }

    /** The output folder of moves and copies, absolute. */
    public Optional<Path> outputFolder() {
        return Optional.ofNullable(s.to);
    }

    /** Whether this request is for a dry run. */
    public boolean isDryRun() {
        return s.dryRun;
    }

    /**
     * Checks the request against the disk before anything is scanned or changed, and returns the output folder's
     * real path (left out of the scan: what was moved aside is not found again).
     *
     * @throws RequestRefusedException when a MOVE or COPY has no output folder, when the output folder holds a
     *                                 scanned folder or a reference folder, or lies inside a reference folder, or
     *                                 (unless a dry run) cannot be created or written
     */
    public Optional<Path> check() {
        if (s.action != null && s.action.needsOutputFolder() && s.to == null) {
            throw new RequestRefusedException(Rule.OUTPUT_FOLDER_MISSING, null, null, s.action.userName());
        }
        if (s.to == null) {
            return Optional.empty();
        }
        Path real = Folders.realPath(s.to, s.to);
        for (Path scanned : s.sources) {
            // the duplicates would be "moved" within the tree being cleaned, onto names beside themselves
            if (Folders.realPathIfReadable(scanned).filter(r -> r.startsWith(real)).isPresent()) {
                throw new RequestRefusedException(Rule.OUTPUT_HOLDS_SOURCE, s.to, scanned, null);
            }
        }
        for (Path reference : s.references) {
            Optional<Path> realReference = Folders.realPathIfReadable(reference); // a missing one: the scan says so
            if (realReference.filter(r -> r.startsWith(real)).isPresent()) {
                throw new RequestRefusedException(Rule.OUTPUT_HOLDS_REFERENCE, s.to, reference, null);
            }
            if (realReference.filter(real::startsWith).isPresent()) {
                throw new RequestRefusedException(Rule.OUTPUT_INSIDE_REFERENCE, s.to, reference, null);
            }
        }
        if (s.action != null && !s.dryRun) {
            Folders.checkWritable(s.to, s.to);
        }
        return Optional.of(real);
    }

    /* What the front door reads; package-private, the stages' settings are not API. */

    ScanOptions scanOptions() {
        List<ScanRoot> roots = new java.util.ArrayList<>();
        s.references.forEach(r -> roots.add(ScanRoot.reference(r)));
        s.sources.forEach(d -> roots.add(ScanRoot.source(d)));
        Set<String> extensions = s.everyFile ? ScanOptions.EVERY_FILE
                : s.extensions.isEmpty() ? MediaType.extensionsOf(s.types) : s.extensions;
        return new ScanOptions(roots, extensions, s.followLinks, s.includeEmpty, List.of());
    }

    int rootCount() {
        return s.references.size() + s.sources.size();
    }

    /** The file policy; in {@link Mode#SIMILAR} null unless set, the images being ranked instead. */
    KeepPolicy keepPolicy() {
        return s.keep != null || s.mode == Mode.SIMILAR ? s.keep : KeepPolicy.OLDEST;
    }

    SimilarImageFinder.Ranking rankingOrDefault() {
        return s.ranking;
    }

    ContentHasher hasher() {
        return s.hasher;
    }

    long maxHashBytes() {
        return s.maxHashBytes;
    }

    /** Whether audio files are compared by their sound without their tags. */
    boolean audioPayload() {
        return s.audioPayload;
    }

    int threshold() {
        return s.threshold;
    }

    int fingerprintSeconds() {
        return s.fingerprintSeconds;
    }

    double maxBitErrorRate() {
        return s.maxBitErrorRate;
    }

    boolean orientations() {
        return s.orientations;
    }

    PerceptualHasher perceptualHasher() {
        return s.perceptualHasher != null ? s.perceptualHasher : org.cleanbackup.phash.PerceptualHashers.fastest();
    }

    Optional<Path> hashCache() {
        return Optional.ofNullable(s.hashCache);
    }

    Optional<Path> notDuplicates() {
        return Optional.ofNullable(s.notDuplicates);
    }

    boolean trustNames() {
        return s.trustNames;
    }

    boolean flat() {
        return s.flat;
    }

    int threads() {
        return s.threads;
    }

    String command() {
        return s.command != null ? s.command : "dedupe" + (s.action == null ? "" : " --action " + s.action.userName());
    }
}
