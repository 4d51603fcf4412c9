package org.cleanbackup.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.cleanbackup.cache.HashCache;
import org.cleanbackup.dates.CaptureDate;
import org.cleanbackup.dates.CaptureDates;
import org.cleanbackup.execute.ExecutionReport;
import org.cleanbackup.execute.FileOperations;
import org.cleanbackup.execute.Outcome;
import org.cleanbackup.execute.PlanExecutor;
import org.cleanbackup.execute.RetryPolicy;
import org.cleanbackup.journal.SqliteJournal;
import org.cleanbackup.organize.Layout;
import org.cleanbackup.organize.OrganizePlanner;
import org.cleanbackup.organize.OrganizedFile;
import org.cleanbackup.organize.SimilarImageFilter;
import org.cleanbackup.organize.SkipReason;
import org.cleanbackup.plan.Action;
import org.cleanbackup.model.ProgressListener;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.Problem;
import org.cleanbackup.similar.Sensitivity;
import org.cleanbackup.similar.SimilarGroup;
import org.cleanbackup.similar.SimilarImageFinder;
import org.cleanbackup.model.DisplayNames;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cleanbackup organize}: photos and videos into DEST/Year/Month by capture date, nothing imported twice. */
@Command(name = "organize", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = {"Copies (or moves) photos and videos into DEST/<year>/<month>/ by the date they were taken:"
                + " EXIF, XMP or video metadata, else a date in the file name, else the file's time (flagged)."
                + " Content already in DEST, or imported earlier in the run, is skipped. Live Photo videos stay with"
                + " their still; .xmp/.aae/.thm sidecars follow their file. Every change is journaled: 'cleanbackup"
                + " undo' puts everything back."},
        footer = {"", "Examples:",
                "  cleanbackup organize --dry-run ~/Phone-dump ~/Pictures/Library",
                "  cleanbackup organize --move --layout '{yyyy}/{MM}-{MMMM}' /media/sdcard/DCIM ~/Pictures/Library",
                "  cleanbackup organize --skip-similar --skip-names ~/Old-backup ~/Pictures/Library"})
final class OrganizeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "SOURCE... DEST", arity = "2..*",
            description = "Folders to import from, then the library folder to import into.")
    List<Path> folders = new ArrayList<>();

    @ArgGroup(exclusive = true)
    Mode mode = new Mode();

    static final class Mode {
        @Option(names = "--move", description = "Move the files (default: copy).")
        boolean move;

        @Option(names = "--copy", description = "Copy the files, leaving the sources (the default).")
        boolean copy;
    }

    @Option(names = "--layout", paramLabel = "PATTERN", defaultValue = Layout.DEFAULT,
            description = "Folder pattern: {yyyy}/{MM} (default), {yyyy}/{MM}-{MMMM}, {yyyy}/{MM}/{dd}, {yyyy}-{MM}-{dd}.")
    String layout;

    @Option(names = "--skip-similar", description = "Also skip images that look the same as one already in DEST,"
            + " and import only the best of each group of look-alikes in the sources.")
    boolean skipSimilar;

    @Option(names = "--skip-names", description = "Skip OS copy names (IMG_1 (1).jpg) whose original is an identical"
            + " or similar duplicate.")
    boolean skipNames;

    @Option(names = "--sensitivity", paramLabel = "LEVEL", description = "With --skip-similar: exact, standard"
            + " (default) or aggressive.")
    String sensitivity;

    @Option(names = "--backend", paramLabel = "NAME", description = "Perceptual-hash backend for --skip-similar.")
    String backend;

    @Option(names = "--dry-run", description = "Print what would be done and change nothing.")
    boolean dryRun;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the report as JSON to FILE, or stdout with '-'.")
    String json;

    @Override
    public Integer call() throws IOException {
        common.validate();
        JsonOutput.checkWritable(json);
        LoggingSetup.apply(common);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Layout pattern = Layout.of(layout);
        Path dest = folders.getLast().toAbsolutePath().normalize();
        List<Path> sources = folders.subList(0, folders.size() - 1).stream().map(p -> p.toAbsolutePath().normalize()).toList();
        checkFolders(sources, dest);

        ProgressListener progress = ConsoleProgress.forTerminal(common.quiet);
        // The journal's lock is held from before the scan to the end: a second run waits, or is refused, before it
        // plans from a tree this run is about to change.
        SqliteJournal journal = dryRun ? null : JournalAccess.open(common, true, err);
        // Ctrl-C while files change: the file in progress is finished or rolled back, then the summary.
        Interruption interruption = journal == null ? null : Interruption.install(out, err);
        HashCache cache = null;
        try {
            cache = skipSimilar ? HashCache.open(common.cacheFile()) : null;
            SimilarImageFilter similar = skipSimilar ? similarFilter(cache, progress) : SimilarImageFilter.NONE;
            String commandLine = "cleanbackup " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
            OrganizePlanner.Options options = OrganizePlanner.Options.of(sources, dest, pattern)
                    .with(mode.move ? OrganizePlanner.Transfer.MOVE : OrganizePlanner.Transfer.COPY)
                    .with(skipNames ? OrganizePlanner.CopyNameReport.AS_COPY_NAMES : OrganizePlanner.CopyNameReport.AS_DUPLICATES)
                    .skippingSimilar(similar)
                    .withThreads(common.threads);
            OrganizePlanner.Result result = new OrganizePlanner(options).scanGroupAndPlan(commandLine, progress);

            ExecutionReport execution = null;
            if (journal != null && !result.plan().isEmpty()) {
                if (!interruption.beginChanges()) {
                    return ExitCodes.INTERRUPTED; // stopped while planning: nothing was changed (the hook said so)
                }
                execution = new PlanExecutor(journal, FileOperations.system(), RetryPolicy.defaults(),
                        interruption.stopFlag()).execute(result.plan(), progress);
            }
            List<Problem> problems = new ArrayList<>(result.problems());
            if (execution != null) {
                execution.outcomes().stream().filter(o -> o.status() != Outcome.Status.DONE)
                        .filter(o -> !ExecutionReport.notTriedAfterInterrupt(o))
                        .forEach(o -> problems.add(new Problem(o.action().source(), o.message())));
            }
            if (!common.quiet) {
                result.notes().forEach(n -> err.println("note: " + n));
            }
            problems.forEach(p -> err.println("problem: " + p));
            if (!common.quiet && !JsonOutput.toStdout(json)) {
                printSummary(out, result, execution, dest);
            }
            if (execution != null && execution.interrupted()) {
                Interruption.printStopped(execution, out, err, !common.quiet && !JsonOutput.toStdout(json));
            }
            if (json != null) {
                writeJson(result, execution, problems);
            }
            if (execution != null && execution.interrupted()) {
                return ExitCodes.INTERRUPTED;
            }
            return problems.isEmpty() ? ExitCodes.OK : ExitCodes.PROBLEMS;
        } finally {
            if (cache != null) {
                cache.close();
            }
            if (journal != null) {
                journal.close();
            }
            if (interruption != null) {
                interruption.close();
            }
        }
    }

    private void checkFolders(List<Path> sources, Path dest) throws IOException {
        for (Path source : sources) {
            if (!Files.isDirectory(source)) {
                throw new UserException("source " + source + " is not a folder");
            }
            Path realSource = source.toRealPath();
            Path existingDest = dest;
            while (existingDest != null && !Files.exists(existingDest)) {
                existingDest = existingDest.getParent();
            }
            Path realDest = existingDest == null ? dest : existingDest.toRealPath().resolve(existingDest.relativize(dest));
            if (realDest.startsWith(realSource)) {
                throw new UserException("DEST " + dest + " is inside SOURCE " + source
                        + ": refused (the library would import itself)");
            }
            if (realSource.startsWith(realDest)) {
                throw new UserException("SOURCE " + source + " is inside DEST " + dest
                        + ": refused (its files would count as already imported, and moves would stay in place)");
            }
        }
        Path existing = dest;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new UserException("DEST " + dest + " cannot be created: " + existing + " is not a folder");
        }
        if (!dryRun && !Files.isWritable(existing)) {
            throw new UserException("DEST " + dest + " is read-only (" + existing + "); nothing was changed");
        }
    }

    private SimilarImageFilter similarFilter(HashCache cache, ProgressListener progress) {
        int threshold = (sensitivity == null ? Sensitivity.STANDARD : Sensitivity.parse(sensitivity)).threshold();
        var hasher = Backends.choose(backend);
        return (candidates, destination) -> {
            List<MediaFile> all = new ArrayList<>();
            // DEST images are protected: mark them as reference so they are always the ones kept.
            for (MediaFile d : destination) {
                all.add(new MediaFile(d.path(), d.root(), true, d.size(), d.lastModified(), d.id()));
            }
            all.addAll(candidates);
            var found = new SimilarImageFinder(new SimilarImageFinder.Options(hasher, threshold, false, common.threads,
                    cache, null)).find(all, progress);
            Map<MediaFile, MediaFile> redundant = new java.util.HashMap<>();
            for (SimilarGroup g : found.groups()) {
                for (SimilarGroup.Member m : g.duplicates()) {
                    redundant.put(m.file(), g.keep());
                }
            }
            return redundant;
        };
    }

    private void printSummary(PrintWriter out, OrganizePlanner.Result result, ExecutionReport execution, Path dest) {
        Map<String, Integer> perYear = new TreeMap<>();
        Map<SkipReason, Integer> skipped = new TreeMap<>();
        int unknown = 0;
        int fileTimes = 0;
        for (OrganizedFile f : result.files()) {
            if (f.skipped() != null) {
                skipped.merge(f.skipped(), 1, Integer::sum);
            } else if (f.target() != null && f.target().startsWith(dest.resolve("unknown"))) {
                unknown++;
            } else if (f.date() != null) {
                perYear.merge(Integer.toString(f.date().localTime().getYear()), 1, Integer::sum);
                if (f.date().source() == CaptureDate.Source.FILE_TIME) {
                    fileTimes++;
                }
            }
        }
        if (dryRun) {
            out.println("Dry run: these changes would be made (nothing was changed):");
            for (Action a : result.plan().actions()) {
                out.println("  " + a.describe());
            }
        } else {
            ChangeList.print(out, execution == null ? List.of() : execution.outcomes());
            if (!skipped.isEmpty()) {
                out.println("Skipped:");
            }
        }
        for (OrganizedFile f : result.files()) {
            if (f.skipped() != null) {
                out.println("  skip     " + DisplayNames.of(f.file().path()) + "  (" + f.skipped().description()
                        + (f.detail() != null ? ": " + DisplayNames.of(f.detail()) : "") + ")");
            }
        }
        out.println();
        String verb = mode.move ? "moved" : "copied";
        int planned = result.plan().actions().size();
        out.printf("%s %d file(s) into %s%s.%n", dryRun ? "Would have " + verb : capitalize(verb),
                execution == null ? planned : (int) execution.count(Outcome.Status.DONE), dest,
                perYear.isEmpty() ? "" : " (" + String.join(", ", perYear.entrySet().stream()
                        .map(e -> e.getKey() + ": " + e.getValue()).toList()) + ")");
        skipped.forEach((reason, n) -> out.printf("Skipped %d: %s.%n", n, reason.description()));
        if (unknown > 0) {
            out.printf("Sent to unknown/: %d (no usable date).%n", unknown);
        }
        if (fileTimes > 0) {
            out.printf("Dated by file modification time only: %d (no date in the metadata or name).%n", fileTimes);
        }
        String leftOut = result.leftOut().describe();
        if (!leftOut.isEmpty()) {
            out.println(leftOut);
        }
        if (execution != null) {
            out.printf("Journal session %d: 'cleanbackup undo %d' puts everything back.%n", execution.sessionId(),
                    execution.sessionId());
        }
        out.flush();
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private void writeJson(OrganizePlanner.Result result, ExecutionReport execution, List<Problem> problems)
            throws IOException {
        try (Writer w = JsonOutput.open(json, spec.commandLine().getOut())) {
            JsonGenerator g = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).createGenerator(w);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeArrayFieldStart("files");
            Map<Path, Outcome> outcomes = new java.util.HashMap<>();
            if (execution != null) {
                execution.outcomes().forEach(o -> outcomes.put(o.action().source(), o));
            }
            for (OrganizedFile f : result.files()) {
                g.writeStartObject();
                g.writeStringField("source", f.file().path().toString());
                if (f.skipped() != null) {
                    g.writeStringField("skipped", f.skipped().name().toLowerCase(Locale.ROOT));
                    if (f.detail() != null) {
                        g.writeStringField("because", f.detail().toString());
                    }
                } else {
                    Outcome o = outcomes.get(f.file().path());
                    g.writeStringField("target", (o != null && o.finalPath() != null ? o.finalPath() : f.target()).toString());
                    if (f.date() != null) {
                        g.writeStringField("taken", f.date().localTime().toString());
                        if (f.date().offset() != null) {
                            g.writeStringField("offset", f.date().offset().toString());
                        }
                        g.writeStringField("dateSource", f.date().source().name().toLowerCase(Locale.ROOT));
                    }
                    g.writeStringField("status", o == null ? (dryRun ? "planned" : "not-run")
                            : o.status().name().toLowerCase(Locale.ROOT));
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            JsonOutput.writeProblems(g, problems);
            g.writeObjectFieldStart("summary");
            g.writeNumberField("planned", result.plan().actions().size());
            g.writeNumberField("done", execution == null ? 0 : execution.count(Outcome.Status.DONE));
            g.writeNumberField("skipped", result.files().stream().filter(f -> f.skipped() != null).count());
            g.writeNumberField("problems", problems.size());
            g.writeBooleanField("dryRun", dryRun);
            if (execution != null) {
                g.writeNumberField("session", execution.sessionId());
            }
            g.writeEndObject();
            g.writeEndObject();
            g.flush();
            w.write('\n');
        }
    }
}
