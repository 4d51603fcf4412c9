package org.cleanbackup.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.cleanbackup.dates.CaptureDate;
import org.cleanbackup.OrganizeRequest;
import org.cleanbackup.OrganizeResult;
import org.cleanbackup.execute.ExecutionReport;
import org.cleanbackup.journal.Journal;
import org.cleanbackup.execute.Outcome;
import org.cleanbackup.organize.Layout;
import org.cleanbackup.organize.OrganizedFile;
import org.cleanbackup.organize.SkipReason;
import org.cleanbackup.plan.Action;
import org.cleanbackup.model.ProgressListener;
import org.cleanbackup.model.Problem;
import org.cleanbackup.similar.Sensitivity;
import org.cleanbackup.model.DisplayNames;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
final class OrganizeCommand extends ChangingCommand {

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

    @picocli.CommandLine.Mixin
    ReviewOptions reviewOptions;

    @Override
    int run() throws IOException {
        OrganizeRequest request = request();
        request.check(); // a refused request changes nothing, not even the journal
        ProgressListener progress = ConsoleProgress.forTerminal(common.quiet);
        if (reviewOptions.wanted()) {
            // Plan exactly as below, change nothing; the page applies through the journal, opened only at Apply.
            OrganizeResult planned = cleanBackup().organize(request, progress);
            planned.problems().forEach(p -> err().println("problem: " + p));
            return ReviewLauncher.run(org.cleanbackup.cli.review.Review.of(planned, cleanBackup(),
                    () -> openJournal(org.cleanbackup.CleanBackup.IfMissing.CREATE),
                    common.thumbnails()), reviewOptions, common.quiet, out(), err());
        }
        // The journal's lock is held from before the scan to the end: a second run waits, or is refused, before it
        // plans from a tree this run is about to change.
        Journal journal = journalUnlessDryRun();
        // Ctrl-C while files change: the file in progress is finished or rolled back, then the summary.
        Interruption interruption = journal == null ? null : Interruption.install(out(), err());
        try {
            OrganizeResult result = cleanBackup().organize(request, progress);
            ExecutionReport execution = null;
            if (journal != null && !result.plan().isEmpty()) {
                if (!interruption.beginChanges()) {
                    return ExitCodes.INTERRUPTED; // stopped while planning: nothing was changed (the hook said so)
                }
                execution = cleanBackup().execute(result.plan(), journal, progress, interruption.stopFlag());
            }
            return report(result, execution);
        } finally {
            if (journal != null) {
                journal.close();
            }
            if (interruption != null) {
                interruption.close();
            }
        }
    }

    /** The request the arguments and options describe. */
    private OrganizeRequest request() {
        Path dest = folders.getLast();
        OrganizeRequest request = OrganizeRequest.of(folders.subList(0, folders.size() - 1), dest)
                .withLayout(Layout.of(layout)).withThreads(common.threads).describedAs(commandLine());
        if (mode.move) {
            request = request.moving();
        }
        if (skipNames) {
            request = request.reportingCopyNames();
        }
        if (skipSimilar) {
            request = request.skippingSimilar(sensitivity == null ? Sensitivity.STANDARD : Sensitivity.parse(sensitivity))
                    .withPerceptualHasher(Backends.choose(backend)).withHashCache(common.cacheFile());
        }
        return dryRun.requested() ? request.asDryRun() : request;
    }

    /** The notes and problems on stderr, the summary on stdout, the JSON; returns the exit code. */
    private int report(OrganizeResult result, ExecutionReport execution) throws IOException {
        List<Problem> problems = new ArrayList<>(result.problems());
        if (execution != null) {
            execution.outcomes().stream().filter(o -> o.status() != Outcome.Status.DONE)
                    .filter(o -> !ExecutionReport.notTriedAfterInterrupt(o))
                    .forEach(o -> problems.add(new Problem(o.action().source(), o.message())));
        }
        if (!common.quiet) {
            result.notes().forEach(n -> err().println("note: " + n));
        }
        problems.forEach(p -> err().println("problem: " + p));
        boolean human = !common.quiet && !json.toStdout();
        if (human) {
            printSummary(out(), result, execution, result.request().destination());
        }
        if (execution != null && execution.interrupted()) {
            Interruption.printStopped(execution, out(), err(), human);
        }
        if (json.requested()) {
            writeJson(result, execution, problems);
        }
        if (execution != null && execution.interrupted()) {
            return ExitCodes.INTERRUPTED;
        }
        return problems.isEmpty() ? ExitCodes.OK : ExitCodes.PROBLEMS;
    }

    private void printSummary(PrintWriter out, OrganizeResult result, ExecutionReport execution, Path dest) {
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
        if (dryRun.requested()) {
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
        out.printf("%s %d file(s) into %s%s.%n", dryRun.requested() ? "Would have " + verb : capitalize(verb),
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

    private void writeJson(OrganizeResult result, ExecutionReport execution, List<Problem> problems)
            throws IOException {
        json.write(out(), g -> {
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
                    g.writeStringField("status", o == null ? (dryRun.requested() ? "planned" : "not-run")
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
            g.writeBooleanField("dryRun", dryRun.requested());
            if (execution != null) {
                g.writeNumberField("session", execution.sessionId());
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }
}
