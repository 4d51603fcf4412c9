package org.cleanbackup.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.cleanbackup.plan.DedupePlanner;
import org.cleanbackup.group.DuplicateGroup;
import org.cleanbackup.group.ExactDuplicateFinder;
import org.cleanbackup.group.KeepPolicy;
import org.cleanbackup.execute.ExecutionReport;
import org.cleanbackup.execute.FileOperations;
import org.cleanbackup.execute.PlanExecutor;
import org.cleanbackup.hash.ContentHasher;
import org.cleanbackup.hash.ContentHashers;
import org.cleanbackup.journal.SqliteJournal;
import org.cleanbackup.cache.HashCache;
import org.cleanbackup.names.NameCopy;
import org.cleanbackup.phash.PerceptualHasher;
import org.cleanbackup.phash.PerceptualHashers;
import org.cleanbackup.similar.Sensitivity;
import org.cleanbackup.similar.SimilarGroup;
import org.cleanbackup.similar.SimilarImageFinder;
import org.cleanbackup.names.NameCopyFinder;
import org.cleanbackup.plan.Action;
import org.cleanbackup.plan.DuplicateAction;
import org.cleanbackup.plan.Plan;
import org.cleanbackup.report.DedupeReport;
import org.cleanbackup.model.ProgressListener;
import org.cleanbackup.model.DisplayNames;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.MediaType;
import org.cleanbackup.model.Problem;
import org.cleanbackup.scan.ScanOptions;
import org.cleanbackup.scan.ScanResult;
import org.cleanbackup.scan.ScanRoot;
import org.cleanbackup.scan.Scanner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cleanbackup dedupe}: finds files with identical content and acts on the extra copies. */
@Command(name = "dedupe", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = {"Finds files with identical content. Files under --reference are originals and are never"
                + " touched; elsewhere --keep chooses the copy to keep. The other copies are reported, or moved,"
                + " copied, put in the trash or replaced by hard links, always through the journal (see 'undo')."},
        footer = {"", "Examples:",
                "  cleanbackup dedupe ~/Pictures                       # report only",
                "  cleanbackup dedupe --reference ~/Music/library --action move --to ~/Music/dupes ~/Music/inbox",
                "  cleanbackup dedupe --action delete --keep shortest-path --dry-run ~/Backups",
                "  cleanbackup dedupe --types audio --json report.json ~/Music"})
final class DedupeCommand implements Callable<Integer> {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DedupeCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "DIR", arity = "0..*", description = "Folders to scan for duplicates.")
    List<Path> dirs = new ArrayList<>();

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "exact",
            description = "exact (default): identical content; similar: images that look the same (perceptual"
                    + " hash); names: OS copy names such as 'IMG_1 (1).jpg' or 'x - Copy.jpg' whose original is in"
                    + " the same folder (acted on only when identical, unless --trust-names).")
    String mode;

    @Option(names = "--sensitivity", paramLabel = "LEVEL", description = "With --mode similar: exact (2 bits),"
            + " standard (10 bits, default) or aggressive (12 bits) of 64 may differ.")
    String sensitivity;

    @Option(names = "--threshold", paramLabel = "BITS", description = "With --mode similar: the largest number of"
            + " differing hash bits (0-32) that still counts as the same picture; instead of --sensitivity.")
    Integer threshold;

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
            + " (default: all three). See the README for the extensions of each.")
    List<String> types = new ArrayList<>();

    @Option(names = "--ext", paramLabel = "LIST", split = ",", description = "Only these extensions, e.g. mp3,flac"
            + " (instead of --types).")
    List<String> extensions = new ArrayList<>();

    @Option(names = "--algorithm", paramLabel = "NAME", defaultValue = "xxh3",
            description = "Content hash: xxh3 (XXH3-128, default), md5, sha256.")
    String algorithm;

    @Option(names = "--max-hash-bytes", paramLabel = "N", defaultValue = "0",
            description = "Compare only the first N bytes of each file (faster, weaker: files that differ later are"
                    + " reported as identical; the report says so). 0 (default) compares whole files.")
    long maxHashBytes;

    @Option(names = "--dry-run", description = "Print what would be done and change nothing.")
    boolean dryRun;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the report as JSON to FILE, or to stdout with '-'.")
    String json;

    @Mixin
    RetryOptions retry;

    @Option(names = "--follow-links", description = "Follow symbolic links (loops are detected and skipped).")
    boolean followLinks;

    @Option(names = "--include-empty", description = "Include zero-byte files (left out by default).")
    boolean includeEmpty;

    @Override
    public Integer call() throws IOException {
        common.validate();
        JsonOutput.checkWritable(json);
        LoggingSetup.apply(common);
        DuplicateAction actionType = parseAction();
        String keepName = keep != null ? keep : "oldest";
        ContentHasher hasher = ContentHashers.byName(algorithm);
        String modeName = mode.toLowerCase(Locale.ROOT);
        if (!List.of("exact", "similar", "names").contains(modeName)) {
            throw new UserException("unknown --mode '" + mode + "' (exact, similar or names)");
        }
        boolean names = modeName.equals("names");
        boolean similar = modeName.equals("similar");
        // Only what was typed is judged: a saved setting for one mode (sensitivity, threshold) must not break another.
        picocli.CommandLine.ParseResult typed = spec.commandLine().getParseResult();
        if (!similar && (typed.hasMatchedOption("--sensitivity") || typed.hasMatchedOption("--threshold")
                || orientations)) {
            throw new UserException("--sensitivity, --threshold and --orientations go with --mode similar");
        }
        if (!similar) {
            sensitivity = null;
            threshold = null;
        }
        if (sensitivity != null && threshold != null) {
            throw new UserException("use either --sensitivity or --threshold, not both");
        }
        if (similar && keep == null) {
            keepName = "best";
        }
        boolean imageRanking = keepName.equals("best") || keepName.equals("largest");
        KeepPolicy keepPolicy = imageRanking ? null : KeepPolicy.parse(keepName);
        if (imageRanking && !similar) {
            throw new UserException("--keep " + keepName + " goes with --mode similar");
        }
        SimilarImageFinder.Ranking ranking = keepName.equals("largest") ? SimilarImageFinder.Ranking.LARGEST
                : SimilarImageFinder.Ranking.BEST;
        if (trustNames && !names) {
            throw new UserException("--trust-names goes with --mode names");
        }
        if (dirs.isEmpty()) {
            throw new UserException("name at least one folder to scan (DIR)");
        }
        if (maxHashBytes < 0) {
            throw new UserException("--max-hash-bytes takes 0 or more");
        }
        retry.validate();
        List<ScanRoot> roots = new ArrayList<>();
        references.forEach(r -> roots.add(ScanRoot.reference(r)));
        dirs.forEach(d -> roots.add(ScanRoot.source(d)));
        ScanOptions scanOptions = new ScanOptions(roots, extensionFilter(), followLinks, includeEmpty, List.of());
        if (to != null) {
            to = to.toAbsolutePath().normalize(); // the journal needs paths that mean the same from anywhere
            scanOptions = scanOptions.excluding(List.of(checkOutputFolder(actionType)));
        }

        PrintWriter out = spec.commandLine().getOut();
        boolean jsonToStdout = JsonOutput.toStdout(json);
        boolean human = JsonOutput.human(common, json);
        if (actionType != null && !typed.hasMatchedOption("--action")) {
            // A destructive default the user saved once must never act unannounced: say so first, on stderr.
            spec.commandLine().getErr().println("note: --action " + action + " comes from the settings file "
                    + Settings.defaultFile() + " ('cleanbackup config unset action' to go back to report)");
        }
        ProgressListener progress = ConsoleProgress.forTerminal(common.quiet);

        // The journal's lock is held from before the scan to the end of the run: a second run waits, or is refused,
        // before it plans from a tree this one is changing (two runs planned apart removed every copy of a file).
        SqliteJournal journal = dryRun || actionType == null ? null
                : JournalAccess.open(common, true, spec.commandLine().getErr());
        // Ctrl-C while files change: the file in progress is finished or rolled back, then the summary (the hook waits
        // for close(), which comes after the journal is closed).
        try (Interruption interruption = journal == null ? null
                : Interruption.install(out, spec.commandLine().getErr())) {
            try {
                return run(out, human, progress, scanOptions, roots, actionType, hasher, keepPolicy, ranking, similar,
                        names, journal, interruption);
            } finally {
                if (journal != null) {
                    journal.close();
                }
            }
        }
    }

    private int run(PrintWriter out, boolean human, ProgressListener progress, ScanOptions scanOptions,
                    List<ScanRoot> roots, DuplicateAction actionType, ContentHasher hasher, KeepPolicy keepPolicy,
                    SimilarImageFinder.Ranking ranking, boolean similar, boolean names, SqliteJournal journal,
                    Interruption interruption) throws IOException {
        progress.phase("Scanning", -1, "files");
        long started = System.nanoTime();
        ScanResult scan = new Scanner(scanOptions).scan(n -> { });
        LOG.info("scanned {} files in {} ms", scan.files().size(), (System.nanoTime() - started) / 1_000_000);
        progress.phaseDone();
        if (!common.quiet) {
            scan.notes().forEach(note -> spec.commandLine().getErr().println("note: " + note));
        }

        List<Problem> problems = new ArrayList<>(scan.problems());
        similarResult = null;
        String commandLine = "cleanbackup " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        List<DuplicateGroup> groups = List.of();
        List<NameCopy> nameCopies = List.of();
        boolean partialHash = false;
        Plan plan;
        if (similar) {
            int bits = threshold != null ? threshold : (sensitivity != null ? Sensitivity.parse(sensitivity)
                    : Sensitivity.STANDARD).threshold();
            PerceptualHasher phash = Backends.choose(backend);
            List<MediaFile> images = scan.files().stream().filter(f -> MediaType.ofFileName(
                    f.path().getFileName().toString()).orElse(null) == MediaType.IMAGE).toList();
            try (HashCache cache = noCache ? null : HashCache.open(common.cacheFile())) {
                similarResult = new SimilarImageFinder(new SimilarImageFinder.Options(phash, bits, orientations,
                        common.threads, cache, keepPolicy, ranking)).find(images, progress);
            }
            problems.addAll(similarResult.problems());
            groups = similarResult.groups().stream().map(DedupeCommand::asGroup).toList();
            plan = actionType == null ? new Plan(commandLine, List.of())
                    : new DedupePlanner(actionType, to, flat).planSimilar(similarResult.groups(), commandLine);
        } else if (names) {
            NameCopyFinder.Result result = new NameCopyFinder().find(scan.files());
            nameCopies = result.copies();
            problems.addAll(result.problems());
            plan = actionType == null ? new Plan(commandLine, List.of())
                    : new DedupePlanner(actionType, to, flat).planNameCopies(nameCopies, trustNames, commandLine);
        } else {
            ExactDuplicateFinder.Result found = new ExactDuplicateFinder(
                    new ExactDuplicateFinder.Options(hasher, maxHashBytes, common.threads, keepPolicy))
                    .find(scan.files(), progress);
            LOG.info("compared contents: {} groups, {} bytes read, {} ms after the scan started", found.groups().size(),
                    found.bytesHashed(), (System.nanoTime() - started) / 1_000_000);
            progress.phaseDone();
            groups = found.groups();
            partialHash = found.partialHash();
            problems.addAll(found.problems());
            plan = actionType == null ? new Plan(commandLine, List.of())
                    : new DedupePlanner(actionType, to, flat).plan(groups, commandLine);
        }

        ExecutionReport execution = null;
        if (journal != null && !plan.isEmpty()) {
            if (!interruption.beginChanges()) {
                return ExitCodes.INTERRUPTED; // stopped while planning: nothing was changed (the hook said so)
            }
            execution = new PlanExecutor(journal, FileOperations.system(), retry.policy(), interruption.stopFlag())
                    .execute(plan, progress);
        }
        DedupeReport report = DedupeReport.builder()
                .scanned(scan.files().size(), scan.totalBytes())
                .groups(groups)
                .plan(plan)
                .execution(execution)
                .problems(problems)
                .hash(hasher.name(), partialHash)
                .dryRun(dryRun)
                .nameCopies(nameCopies)
                .build();

        if (human) {
            printHuman(out, report, actionType, roots.size(), names);
        }
        var err = spec.commandLine().getErr();
        for (Problem p : report.allProblems()) {
            err.println("problem: " + p);
        }
        if (execution != null && execution.interrupted()) {
            Interruption.printStopped(execution, out, err, human);
        } else if (execution != null && execution.stoppedBecause() != null) {
            err.println("cleanbackup: " + execution.stoppedBecause());
        }
        if (json != null) {
            writeJson(report);
        }
        LOG.info("done in {} ms after the scan started", (System.nanoTime() - started) / 1_000_000);
        if (execution != null && execution.interrupted()) {
            return ExitCodes.INTERRUPTED;
        }
        return report.allProblems().isEmpty() ? ExitCodes.OK : ExitCodes.PROBLEMS;
    }

    /** Set by a similar run, for the summary. */
    private SimilarImageFinder.Result similarResult;

    /** A similar group in the shape the report prints; its "hash" is the kept image's perceptual hash. */
    private static DuplicateGroup asGroup(SimilarGroup g) {
        return new DuplicateGroup(new org.cleanbackup.hash.ContentHash("phash", g.keepHash().hex()), g.keep().size(),
                g.keep(), g.keepReason(), g.duplicates().stream().map(SimilarGroup.Member::file).toList(),
                g.protectedCopies().stream().map(SimilarGroup.Member::file).toList(), List.of());
    }

    private DuplicateAction parseAction() {
        String a = action.toLowerCase(Locale.ROOT);
        if (a.equals("report")) {
            return null;
        }
        DuplicateAction type;
        try {
            type = DuplicateAction.parse(a);
        } catch (IllegalArgumentException e) {
            throw new UserException("unknown --action '" + action + "' (report, move, copy, delete, hardlink)");
        }
        if (type.needsOutputFolder() && to == null) {
            throw new UserException("--action " + a + " needs --to DIR, the folder the duplicates go to");
        }
        return type;
    }

    private Set<String> extensionFilter() {
        if (!extensions.isEmpty()) {
            if (!types.isEmpty()) {
                throw new UserException("use either --types or --ext, not both");
            }
            return new LinkedHashSet<>(extensions.stream().map(String::trim).filter(s -> !s.isEmpty()).toList());
        }
        Set<MediaType> selected = EnumSet.noneOf(MediaType.class);
        for (String t : types) {
            selected.add(MediaType.parse(t));
        }
        return MediaType.extensionsOf(selected.isEmpty() ? MediaType.all() : selected);
    }

    /**
     * Checks --to before anything happens: never inside a reference folder, and writable. Returns the folder to
     * leave out of the scan (moved files must not be found again).
     */
    private Path checkOutputFolder(DuplicateAction actionType) {
        Path target = to.toAbsolutePath().normalize();
        Path existing = target;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        Path real = target;
        try {
            if (existing != null) {
                real = existing.toRealPath().resolve(existing.relativize(target));
            }
        } catch (IOException e) {
            throw new UserException("cannot use --to " + to + ": " + Problem.describe(e));
        }
        for (Path scanned : dirs) {
            try {
                if (scanned.toRealPath().startsWith(real)) {
                    // The duplicates would be "moved" within the tree being cleaned, onto names beside themselves.
                    throw new UserException("--to " + to + " holds the scanned folder " + scanned
                            + ": refused, choose a folder outside what is scanned (nothing was changed)");
                }
            } catch (IOException e) {
                // a missing folder is reported by the scan
            }
        }
        for (Path ref : references) {
            try {
                Path realRef = ref.toRealPath();
                if (realRef.startsWith(real)) {
                    throw new UserException("--to " + to + " holds the reference folder " + ref
                            + ": refused, reference folders are never changed");
                }
                if (real.startsWith(realRef)) {
                    throw new UserException("--to " + to + " is inside the reference folder " + ref
                            + ": refused, reference folders are never changed");
                }
            } catch (IOException e) {
                // a missing reference folder is reported by the scan
            }
        }
        if (actionType != null && !dryRun) {
            if (existing == null || !Files.isDirectory(existing)) {
                throw new UserException("cannot use --to " + to + ": " + existing + " is not a folder");
            }
            if (!Files.isWritable(existing)) {
                throw new UserException("cannot write to --to " + to + " (" + existing + " is read-only); nothing was changed");
            }
        }
        return real;
    }

    private void printHuman(PrintWriter out, DedupeReport report, DuplicateAction actionType, int rootCount, boolean names) {
        int n = 0;
        if (actionType == null || report.dryRun() || common.verbose) {
            for (DuplicateGroup g : report.groups()) {
                n++;
                out.printf("[%d] %d copies of %s  %s%n", n, g.duplicates().size() + g.protectedCopies().size() + 1,
                        similarResult != null ? "one picture" : Units.bytes(g.size()), g.hash());
                out.printf("    keep  %s  (%s)%n", DisplayNames.of(g.keep().path()), g.keepReason());
                for (MediaFile f : g.protectedCopies()) {
                    out.printf("    keep  %s  (in reference folder)%n", DisplayNames.of(f.path()));
                }
                for (MediaFile f : g.duplicates()) {
                    out.printf("    dup   %s%n", DisplayNames.of(f.path()));
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
        for (NameCopy c : report.nameCopies()) {
            out.printf("copy  %s%n      of %s  (%s)%n", DisplayNames.of(c.copy().path()),
                    DisplayNames.of(c.original().path()), switch (c.verdict()) {
                case IDENTICAL -> "identical content";
                case DIFFERENT -> "different content: left alone" + (trustNames ? " unless --trust-names" : "");
                case UNKNOWN -> "could not compare";
            });
        }
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
        out.printf("Scanned %s (%s) in %s.%n", Units.count(report.filesScanned(), "file", "files"),
                Units.bytes(report.bytesScanned()), Units.count(rootCount, "folder", "folders"));
        if (names) {
            long identical = report.nameCopies().stream().filter(c -> c.verdict() == NameCopy.Verdict.IDENTICAL).count();
            out.printf("Found %s: %d identical, %d different.%n", Units.count(report.nameCopies().size(),
                    "copy name beside its original", "copy names beside their originals"), identical,
                    report.nameCopies().size() - identical);
        } else {
            out.printf("Found %s of " + (similarResult != null ? "similar images" : "identical files")
                    + ": %s, %s reclaimable.%n",
                Units.count(report.groups().size(), "group", "groups"),
                Units.count(report.duplicateCount(), "duplicate", "duplicates"), Units.bytes(report.reclaimableBytes()));
        }
        if (similarResult != null) {
            out.printf(Locale.ROOT, "Images hashed: %d, from the cache: %d (%.2f s).%n", similarResult.hashed(),
                    similarResult.fromCache(), similarResult.hashingTime().toNanos() / 1e9);
        }
        if (report.partialHash()) {
            out.println("Note: only the first bytes of each file were compared (--max-hash-bytes): files that"
                    + " differ after them were counted as identical.");
        }
        ExecutionReport ex = report.execution();
        if (ex != null) {
            out.printf("%s: %d done (%s), %d failed, %d skipped. Journal session %d: 'cleanbackup undo %d' reverses it.%n",
                    capitalize(actionType.userName()), report.duplicates(org.cleanbackup.execute.Outcome.Status.DONE),
                    Units.bytes(report.reclaimedBytes()), report.duplicates(org.cleanbackup.execute.Outcome.Status.FAILED),
                    report.duplicates(org.cleanbackup.execute.Outcome.Status.SKIPPED), ex.sessionId(), ex.sessionId());
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
        out.flush();
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private void writeJson(DedupeReport report) throws IOException {
        try (var w = JsonOutput.open(json, spec.commandLine().getOut())) {
            report.writeJson(w);
        }
    }
}
