package org.cleanbackup.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.cleanbackup.CleanBackup;
import org.cleanbackup.DedupePlan;
import org.cleanbackup.DedupeRequest;
import org.cleanbackup.execute.ExecutionReport;
import org.cleanbackup.execute.Outcome;
import org.cleanbackup.group.DuplicateGroup;
import org.cleanbackup.group.KeepPolicy;
import org.cleanbackup.hash.ContentHashers;
import org.cleanbackup.journal.Journal;
import org.cleanbackup.model.DisplayNames;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.MediaType;
import org.cleanbackup.model.Problem;
import org.cleanbackup.model.ProgressListener;
import org.cleanbackup.names.NameCopy;
import org.cleanbackup.plan.Action;
import org.cleanbackup.plan.DuplicateAction;
import org.cleanbackup.report.DedupeReport;
import org.cleanbackup.scan.LeftOut;
import org.cleanbackup.similar.Sensitivity;
import org.cleanbackup.similar.SimilarImageFinder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cleanbackup dedupe}: finds files with identical content (or look-alike images, or OS copy names) and acts
 * on the extra copies. The options become a {@link DedupeRequest}; the library checks it, finds and plans
 * ({@link CleanBackup#dedupe}); this command holds the journal and the Ctrl-C handling around the changes, and
 * prints the result.
 */
@Command(name = "dedupe", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = {"Finds files with identical content. Files under --reference are originals and are never"
                + " touched; elsewhere --keep chooses the copy to keep. The other copies are reported, or moved,"
                + " copied, put in the trash or replaced by hard links, always through the journal (see 'undo')."},
        footer = {"", "Examples:",
                "  cleanbackup dedupe ~/Pictures                       # report only",
                "  cleanbackup dedupe --reference ~/Music/library --action move --to ~/Music/dupes ~/Music/inbox",
                "  cleanbackup dedupe --action delete --keep shortest-path --dry-run ~/Backups",
                "  cleanbackup dedupe --types audio --json report.json ~/Music",
                "  cleanbackup dedupe --types all ~/Backups                # every file: PDFs, archives, ..."})
class DedupeCommand extends ChangingCommand {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DedupeCommand.class);

    @Parameters(paramLabel = "DIR", arity = "0..*", description = "Folders to scan for duplicates.")
    List<Path> dirs = new ArrayList<>();

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "exact",
            description = "exact (default): identical content; similar: images that look the same (perceptual"
                    + " hash) and songs that sound the same in any encoding (Chromaprint fingerprint); names: OS copy"
                    + " names such as 'IMG_1 (1).jpg' or 'x - Copy.jpg' whose original is in"
                    + " the same folder (acted on only when identical, unless --trust-names).")
    String mode;

    @Option(names = "--sensitivity", paramLabel = "LEVEL", description = "With --mode similar: exact (2 bits),"
            + " standard (10 bits, default) or aggressive (12 bits) of 64 may differ.")
    String sensitivity;

    @Option(names = "--threshold", paramLabel = "BITS", description = "With --mode similar: the largest number of"
            + " differing hash bits (0-32) that still counts as the same picture; instead of --sensitivity.")
    Integer threshold;

    @Option(names = "--audio-threshold", paramLabel = "RATE", description = "With --mode similar: the largest share"
            + " of differing fingerprint bits (0.01-0.45) at which two songs still count as one recording; instead of"
            + " --sensitivity, which gives 0.10, 0.20 (default) or 0.30.")
    Double audioThreshold;

    @Option(names = "--audio-seconds", paramLabel = "N", description = "With --mode similar: fingerprint the first N"
            + " seconds of each song (15-600, default 20; longer is slower).")
    Integer audioSeconds;

    @Option(names = "--orientations", description = "With --mode similar: also match flipped and rotated copies.")
    boolean orientations;

    @Option(names = "--backend", paramLabel = "NAME", description = "Perceptual-hash backend: native, vector or"
            + " scalar (default: the fastest that passes its self-test; see 'cleanbackup backends').")
    String backend;

    @Option(names = "--no-cache", description = "Do not read or write the hash cache.")
    boolean noCache;

    @Option(names = "--trust-names", description = "With --mode names: act on copy names even when their content"
            + " differs from the original's (never with hardlink).")
    boolean trustNames;

    @Option(names = "--reference", paramLabel = "DIR", description = "A protected folder of originals: its files"
            + " are never moved, changed or deleted; copies of them elsewhere are duplicates. Repeatable.")
    List<Path> references = new ArrayList<>();

    @Option(names = "--action", paramLabel = "ACTION", defaultValue = "report",
            description = "report (default), move, copy, delete (to the trash, undoable) or hardlink.")
    String action;

    @Option(names = "--to", paramLabel = "DIR", description = "Output folder for move and copy.")
    Path to;

    @Option(names = "--flat", description = "Put moved or copied files directly in --to instead of recreating"
            + " their folders under --to/<root name>/.")
    boolean flat;

    @Option(names = "--keep", paramLabel = "POLICY",
            description = "Copy to keep when no reference file decides: oldest (default for exact), newest,"
                    + " shortest-path, first; with --mode similar also best (the default: the camera's own file,"
                    + " with its metadata and format, not edited or resized, before any export, edit or upscale;"
                    + " then most pixels, larger file, oldest capture date) or largest (most pixels, then larger"
                    + " file, then oldest capture date, whatever the copy's origin).")
    String keep;

    @Option(names = "--types", paramLabel = "TYPES", split = ",", description = "Media types: audio, image, video"
            + " (default: all three), or all: every file, whatever its type (documents, archives, ...; with --mode"
            + " similar only images and audio are compared; organize and compress have no --types: they take only the"
            + " photos"
            + " and videos they can file or compress). See the README for the extensions of each.")
    List<String> types = new ArrayList<>();

    @Option(names = "--ext", paramLabel = "LIST", split = ",", description = "Only these extensions, e.g. mp3,flac"
            + " (instead of --types); '*' means any, as --types all.")
    List<String> extensions = new ArrayList<>();

    @Option(names = "--algorithm", paramLabel = "NAME", defaultValue = "xxh3",
            description = "Content hash: xxh3 (XXH3-128, default), md5, sha256.")
    String algorithm;

    @Option(names = "--max-hash-bytes", paramLabel = "N", defaultValue = "0",
            description = "Compare only the first N bytes of each file (faster, weaker: files that differ later are"
                    + " reported as identical; the report says so). 0 (default) compares whole files.")
    long maxHashBytes;

    @Option(names = "--audio-payload", paramLabel = "on|off", defaultValue = "on",
            description = "Exact mode: compare MP3, FLAC, M4A, Ogg Vorbis/Opus, WAV and AIFF files by their sound"
                    + " without their tags (on, default): copies of one recording that differ only in tags are one"
                    + " group, \"same audio, other tags\", keeping the copy with the fuller tags; off compares"
                    + " whole files.")
    String audioPayload;

    @Mixin
    RetryOptions retry;

    @Option(names = "--follow-links", description = "Follow symbolic links (loops are detected and skipped).")
    boolean followLinks;

    @Option(names = "--include-empty", description = "Include zero-byte files (left out by default).")
    boolean includeEmpty;

    @Mixin
    ReviewOptions reviewOptions;

    /** Whether this run only plans and shows the plan ({@code --review}, {@code --html}; always for {@code review}). */
    boolean reviewing() {
        return reviewOptions.wanted();
    }

    @Override
    int run() throws IOException {
        DedupeRequest request = request();
        if (request.action().isPresent()
                && !spec.commandLine().getParseResult().hasMatchedOption("--action")) {
            // A destructive default the user saved once must never act unannounced: say so first, on stderr.
            err().println("note: --action " + action + " comes from the settings file " + Settings.defaultFile()
                    + " ('cleanbackup config unset action' to go back to report)");
        }
        request.check(); // a refused request changes nothing, not even the journal
        if (reviewing()) {
            // Plan exactly as below, change nothing; the page applies through the journal, opened only at Apply.
            DedupePlan found = cleanBackup().dedupe(request, ConsoleProgress.forTerminal(common.quiet));
            found.problems().forEach(p -> err().println("problem: " + p));
            return ReviewLauncher.run(org.cleanbackup.cli.review.Review.of(found, cleanBackup(),
                    () -> openJournal(CleanBackup.IfMissing.CREATE), common.thumbnails()),
                    reviewOptions, common.quiet, out(), err());
        }
        // The journal's lock is held from before the scan to the end of the run: a second run waits, or is refused,
        // before it plans from a tree this one is changing (two runs planned apart removed every copy of a file).
        Journal journal = request.action().isEmpty() ? null : journalUnlessDryRun();
        // Ctrl-C while files change: the file in progress is finished or rolled back, then the summary (the hook waits
        // for close(), which comes after the journal is closed).
        try (Interruption interruption = journal == null ? null : Interruption.install(out(), err())) {
            try {
                return findAndAct(request, journal, interruption);
            } finally {
                if (journal != null) {
                    journal.close();
                }
            }
        }
    }

    /** The request the options describe; mistakes in how they combine are refused here, as typed. */
    private DedupeRequest request() {
        DedupeRequest.Mode searchMode = mode();
        if (dirs.isEmpty()) {
            throw new UserException("name at least one folder to scan (DIR)");
        }
        if (maxHashBytes < 0) {
            throw new UserException("--max-hash-bytes takes 0 or more");
        }
        DedupeRequest request = DedupeRequest.of(dirs.toArray(Path[]::new)).withReferences(references)
                .withMode(searchMode).hashingWith(ContentHashers.byName(algorithm)).withThreads(common.threads)
                .describedAs(commandLine());
        request = selectFiles(request);
        request = keep(request, searchMode);
        if (searchMode == DedupeRequest.Mode.SIMILAR) {
            request = similarity(request);
        }
        if (trustNames) {
            request = request.trustingNames();
        }
        if (maxHashBytes > 0) {
            request = request.comparingFirstBytes(maxHashBytes);
        }
        request = request.comparingAudioPayload(switch (audioPayload.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new UserException("--audio-payload takes on or off, not '" + audioPayload + "'");
        });
        if (to != null) {
            request = request.withOutputFolder(to);
        }
        // pairs marked "not duplicates" in a review never come back (kept with the cache, but not a cache: always read)
        request = request.rememberingNotDuplicates(common.cacheFile());
        if (flat) {
            request = request.flatOutput();
        }
        Optional<DuplicateAction> chosen = parseAction();
        if (chosen.isPresent()) {
            request = request.withAction(chosen.get());
        }
        return dryRun.requested() ? request.asDryRun() : request;
    }

    /** --mode, and the options that go only with one mode. */
    private DedupeRequest.Mode mode() {
        DedupeRequest.Mode searchMode = switch (mode.toLowerCase(Locale.ROOT)) {
            case "exact" -> DedupeRequest.Mode.EXACT;
            case "similar" -> DedupeRequest.Mode.SIMILAR;
            case "names" -> DedupeRequest.Mode.NAMES;
            default -> throw new UserException("unknown --mode '" + mode + "' (exact, similar or names)");
        };
        boolean similar = searchMode == DedupeRequest.Mode.SIMILAR;
        // Only what was typed is judged: a saved setting for one mode (sensitivity, threshold) must not break another.
        picocli.CommandLine.ParseResult typed = spec.commandLine().getParseResult();
        if (!similar && (typed.hasMatchedOption("--sensitivity") || typed.hasMatchedOption("--threshold")
                || typed.hasMatchedOption("--audio-threshold") || typed.hasMatchedOption("--audio-seconds")
                || orientations)) {
            throw new UserException("--sensitivity, --threshold, --audio-threshold, --audio-seconds and --orientations"
                    + " go with --mode similar");
        }
        if (similar && typed.hasMatchedOption("--sensitivity") && typed.hasMatchedOption("--threshold")) {
            throw new UserException("use either --sensitivity or --threshold, not both");
        }
        if (similar && typed.hasMatchedOption("--sensitivity") && typed.hasMatchedOption("--audio-threshold")) {
            throw new UserException("use either --sensitivity or --audio-threshold, not both");
        }
        if (audioThreshold != null && !(audioThreshold >= 0.01 && audioThreshold <= 0.45)) {
            throw new UserException("--audio-threshold is a share of bits from 0.01 to 0.45, not " + audioThreshold
                    + " (different songs differ in about 0.4 of them)");
        }
        if (audioSeconds != null && (audioSeconds < 15 || audioSeconds > 600)) {
            throw new UserException("--audio-seconds is 15 to 600, not " + audioSeconds
                    + " (under 15 s too little of a song overlaps to tell songs apart)");
        }
        if (trustNames && searchMode != DedupeRequest.Mode.NAMES) {
            throw new UserException("--trust-names goes with --mode names");
        }
        return searchMode;
    }

    /** --types or --ext, --follow-links, --include-empty. */
    private DedupeRequest selectFiles(DedupeRequest request) {
        if (!extensions.isEmpty()) {
            if (!types.isEmpty()) {
                throw new UserException("use either --types or --ext, not both");
            }
            request = request.withExtensions(extensions);
        } else if (types.stream().anyMatch(t -> t.trim().equalsIgnoreCase("all"))) {
            if (types.size() > 1) {
                throw new UserException("--types all takes every file: name it alone");
            }
            request = request.withEveryFile();
        } else if (!types.isEmpty()) {
            Set<MediaType> selected = EnumSet.noneOf(MediaType.class);
            types.forEach(t -> selected.add(parseType(t)));
            request = request.withTypes(selected);
        }
        if (followLinks) {
            request = request.followingLinks();
        }
        return includeEmpty ? request.includingEmptyFiles() : request;
    }

    private static MediaType parseType(String name) {
        try {
            return MediaType.parse(name);
        } catch (IllegalArgumentException e) {
            throw new UserException("unknown media type '" + name.trim() + "' (audio, image, video, or all)");
        }
    }

    /** --keep: a file policy in every mode; with --mode similar also best (the default there) or largest. */
    private DedupeRequest keep(DedupeRequest request, DedupeRequest.Mode searchMode) {
        boolean similar = searchMode == DedupeRequest.Mode.SIMILAR;
        String keepName = keep != null ? keep : similar ? "best" : "oldest";
        boolean imageRanking = keepName.equals("best") || keepName.equals("largest");
        if (imageRanking && !similar) {
            throw new UserException("--keep " + keepName + " goes with --mode similar");
        }
        if (!imageRanking) {
            return request.keeping(KeepPolicy.parse(keepName));
        }
        return request.ranking(keepName.equals("largest") ? SimilarImageFinder.Ranking.LARGEST
                : SimilarImageFinder.Ranking.BEST);
    }

    /** --sensitivity or --threshold and --audio-threshold, --audio-seconds, --orientations, --backend, --no-cache. */
    private DedupeRequest similarity(DedupeRequest request) {
        Sensitivity preset = sensitivity != null ? Sensitivity.parse(sensitivity) : Sensitivity.STANDARD;
        // a saved threshold gives way to a sensitivity typed on this command line
        picocli.CommandLine.ParseResult typed = spec.commandLine().getParseResult();
        boolean bits = threshold != null
                && (typed.hasMatchedOption("--threshold") || !typed.hasMatchedOption("--sensitivity"));
        request = request.withThreshold(bits ? threshold : preset.threshold())
                .withMaxBitErrorRate(audioThreshold != null ? audioThreshold : preset.maxBitErrorRate())
                .withPerceptualHasher(Backends.choose(backend));
        if (audioSeconds != null) {
            request = request.withFingerprintSeconds(audioSeconds);
        }
        if (orientations) {
            request = request.matchingOrientations();
        }
        return noCache ? request : request.withHashCache(common.cacheFile());
    }

    private Optional<DuplicateAction> parseAction() {
        String a = action.toLowerCase(Locale.ROOT);
        if (a.equals("report")) {
            return Optional.empty();
        }
        try {
            return Optional.of(DuplicateAction.parse(a));
        } catch (IllegalArgumentException e) {
            throw new UserException("unknown --action '" + action + "' (report, move, copy, delete, hardlink)");
        }
    }

    @Override
    String outputName() {
        return "--to";
    }

    /** Finds and plans through the library, carries the plan out when asked, and reports. */
    private int findAndAct(DedupeRequest request, Journal journal, Interruption interruption) throws IOException {
        ProgressListener progress = ConsoleProgress.forTerminal(common.quiet);
        DedupePlan found = cleanBackup().dedupe(request, progress);
        if (!common.quiet) {
            found.scan().notes().forEach(note -> err().println("note: " + note));
        }
        ExecutionReport execution = null;
        if (journal != null && !found.plan().isEmpty()) {
            if (!interruption.beginChanges()) {
                return ExitCodes.INTERRUPTED; // stopped while planning: nothing was changed (the hook said so)
            }
            execution = found.execute(journal, progress, interruption.stopFlag());
        }
        return report(found, found.report(execution));
    }

    /** The summary on stdout, the problems on stderr, the JSON; returns the exit code. */
    private int report(DedupePlan found, DedupeReport report) throws IOException {
        boolean human = json.human(common);
        if (human) {
            printHuman(out(), found, report);
        }
        for (Problem p : report.allProblems()) {
            err().println("problem: " + p);
        }
        ExecutionReport execution = report.execution();
        if (execution != null && execution.interrupted()) {
            Interruption.printStopped(execution, out(), err(), human);
        } else if (execution != null && execution.stoppedBecause() != null) {
            err().println("cleanbackup: " + execution.stoppedBecause());
        }
        if (json.requested()) {
            try (var w = json.open(out())) {
                report.writeJson(w);
            }
        }
        if (execution != null && execution.interrupted()) {
            return ExitCodes.INTERRUPTED;
        }
        return report.allProblems().isEmpty() ? ExitCodes.OK : ExitCodes.PROBLEMS;
    }

    private void printHuman(PrintWriter out, DedupePlan found, DedupeReport report) {
        boolean similar = found.request().mode() == DedupeRequest.Mode.SIMILAR;
        if (found.request().action().isEmpty() || report.dryRun() || common.verbose) {
            printGroups(out, report, similar);
        }
        printNameCopies(out, report);
        if (report.dryRun() && !report.plan().isEmpty()) {
            out.println("Dry run: these changes would be made (nothing was changed):");
            for (Action a : report.plan().actions()) {
                out.println("  " + a.describe());
            }
            out.println();
        }
        if (report.execution() != null) {
            ChangeList.print(out, report.execution().outcomes());
            out.println();
        }
        printSummary(out, found, report);
        out.flush();
    }

    private static void printGroups(PrintWriter out, DedupeReport report, boolean similar) {
        int n = 0;
        for (DuplicateGroup g : report.groups()) {
            n++;
            out.printf("[%d] %d copies of %s  %s%s%n", n, g.duplicates().size() + g.protectedCopies().size() + 1,
                    !similar ? Units.bytes(g.size()) : g.hash().algorithm().equals("chromaprint") ? "one song"
                    : "one picture", g.hash(), g.sameAudioOtherTags() ? "  same audio, other tags" : "");
            out.printf("    keep  %s  (%s)%n", DisplayNames.of(g.keep().path()), g.keepReason());
            for (MediaFile f : g.protectedCopies()) {
                out.printf("    keep  %s  (in reference folder%s)%n", DisplayNames.of(f.path()),
                        g.identicalToKept(f) ? "" : "; other tags");
            }
            for (MediaFile f : g.duplicates()) {
                out.printf("    dup   %s%s%n", DisplayNames.of(f.path()), g.identicalToKept(f) ? "" : "  (other tags)");
            }
            for (MediaFile f : g.hardLinks()) {
                out.printf("    link  %s  (hard link to a file above: same storage, left alone)%n",
                        DisplayNames.of(f.path()));
            }
        }
        if (n > 0) {
            out.println();
        }
    }

    private void printNameCopies(PrintWriter out, DedupeReport report) {
        for (NameCopy c : report.nameCopies()) {
            out.printf("copy  %s%n      of %s  (%s)%n", DisplayNames.of(c.copy().path()),
                    DisplayNames.of(c.original().path()), switch (c.verdict()) {
                case IDENTICAL -> "identical content";
                case DIFFERENT -> "different content: left alone" + (trustNames ? " unless --trust-names" : "");
                case UNKNOWN -> "could not compare";
            });
        }
    }

    private static void printSummary(PrintWriter out, DedupePlan found, DedupeReport report) {
        DedupeRequest request = found.request();
        out.printf("Scanned %s (%s) in %s.%n", Units.count(report.filesScanned(), "file", "files"),
                Units.bytes(report.bytesScanned()), Units.count(request.sources().size() + request.references().size(),
                        "folder", "folders"));
        LeftOut leftOut = report.leftOut();
        if (leftOut.total() > 0) {
            // what was not considered, and why; when files of other types were seen, how to take them too
            boolean typesHelp = leftOut.otherTypes() > 0 && request.mode() != DedupeRequest.Mode.SIMILAR;
            out.println(leftOut.describe() + (typesHelp ? " --types all takes every file." : ""));
        }
        if (request.mode() == DedupeRequest.Mode.NAMES) {
            long identical = report.nameCopies().stream().filter(c -> c.verdict() == NameCopy.Verdict.IDENTICAL).count();
            out.printf("Found %s: %d identical, %d different.%n", Units.count(report.nameCopies().size(),
                    "copy name beside its original", "copy names beside their originals"), identical,
                    report.nameCopies().size() - identical);
        } else {
            // Named by what was compared, not by what was found: an audio-only run that found nothing found no songs.
            boolean images = !found.similarGroups().isEmpty()
                    || found.imageHashing().map(h -> h.hashed() + h.fromCache() > 0).orElse(false);
            boolean songs = !found.soundGroups().isEmpty() || found.audioFingerprinting().isPresent();
            out.printf("Found %s of " + (request.mode() != DedupeRequest.Mode.SIMILAR ? "identical files"
                    : songs && images ? "similar images or songs" : songs ? "songs that sound the same"
                    : "similar images") + ": %s, %s reclaimable.%n",
                Units.count(report.groups().size(), "group", "groups"),
                Units.count(report.duplicateCount(), "duplicate", "duplicates"), Units.bytes(report.reclaimableBytes()));
        }
        long sameAudio = report.groups().stream().filter(DuplicateGroup::sameAudioOtherTags).count();
        if (sameAudio > 0) {
            out.printf("Of them, %s the same audio with other tags (the copy with the fuller tags kept).%n",
                    Units.count(sameAudio, "group holds", "groups hold"));
        }
        found.imageHashing().ifPresent(h -> out.printf(Locale.ROOT, "Images hashed: %d, from the cache: %d (%.2f s).%n",
                h.hashed(), h.fromCache(), h.time().toNanos() / 1e9));
        found.audioFingerprinting().ifPresent(h -> {
            out.printf(Locale.ROOT, "Audio fingerprinted: %d, from the cache: %d (%.2f s).%n", h.fingerprinted(),
                    h.fromCache(), h.time().toNanos() / 1e9);
            if (h.tooShort() > 0) {
                out.printf("Too short to compare by sound (under 10 s, never grouped): %s.%n",
                        Units.count(h.tooShort(), "audio file", "audio files"));
            }
        });
        if (report.partialHash()) {
            out.println("Note: only the first bytes of each file were compared (--max-hash-bytes): files that"
                    + " differ after them were counted as identical.");
        }
        ExecutionReport ex = report.execution();
        if (ex != null) {
            out.printf("%s: %d done (%s), %d failed, %d skipped. Journal session %d: 'cleanbackup undo %d' reverses it.%n",
                    capitalize(request.action().orElseThrow().userName()), report.duplicates(Outcome.Status.DONE),
                    Units.bytes(report.reclaimedBytes()), report.duplicates(Outcome.Status.FAILED),
                    report.duplicates(Outcome.Status.SKIPPED), ex.sessionId(), ex.sessionId());
        } else if (report.dryRun()) {
            out.println("Dry run: " + Units.count(report.plan().actions().size(), "action", "actions")
                    + " planned, nothing changed.");
        }
        long[] companions = report.companionCounts();
        if (companions[0] + companions[1] > 0) {
            out.printf("Companions (sidecars, Live Photo videos): %d %s with their file, %d given to a kept copy that"
                    + " had none.%n", companions[0], ex == null ? "to go" : "went", companions[1]);
        }
        int problems = report.allProblems().size();
        if (problems > 0) {
            out.println("Problems: " + problems + " (listed on stderr).");
        }
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
