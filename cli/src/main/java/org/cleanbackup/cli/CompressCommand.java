package org.cleanbackup.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.cleanbackup.CompressRequest;
import org.cleanbackup.CompressionRun;
import org.cleanbackup.RequestRefusedException;
import org.cleanbackup.compress.CompressionLevel;
import org.cleanbackup.journal.Journal;
import org.cleanbackup.compress.CompressionPlan;
import org.cleanbackup.compress.CompressionSummary;
import org.cleanbackup.compress.FileResult;
import org.cleanbackup.execute.ExecutionReport;
import org.cleanbackup.plan.Action;
import org.cleanbackup.model.ProgressListener;
import org.cleanbackup.model.MediaType;
import org.cleanbackup.model.DisplayNames;
import org.cleanbackup.model.Problem;
import org.cleanbackup.scan.ScanResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cleanbackup compress}: makes photos and videos smaller, into DEST or in place (undoable). */
@Command(name = "compress", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = {"Compresses JPEG photos (re-encoded, EXIF/GPS/ICC/XMP kept), PNG images (lossless) and"
                + " videos (H.264 + AAC in MP4 through ffmpeg, creation date, location and rotation kept).",
                "With SOURCE DEST the folder structure is recreated under DEST; files that are not made smaller, or"
                + " not compressible, are copied unchanged. With --in-place each original goes to the trash and its"
                + " compressed version takes its name: 'cleanbackup undo' restores the originals byte for byte.",
                "A result is never larger than its original. With --dry-run each file is compressed to a temporary"
                + " folder to measure (it takes as long as a real run). See docs/compress.md."},
        footer = {"", "Levels: 1 high quality (JPEG 95, CRF 18), 2 balanced (JPEG 85, CRF 23; the default),"
                + " 3 small (JPEG 75, CRF 28). PNG is always lossless.",
                "", "Examples:",
                "  cleanbackup compress ~/Pictures ~/Pictures-small",
                "  cleanbackup compress --level 3 --only videos --dry-run ~/Videos ~/Videos-small",
                "  cleanbackup compress --level 1 --in-place ~/Backups/phone",
                "  cleanbackup compress --json report.json ~/Pictures ~/Pictures-small",
                "", "Exit codes: 0 done (skipped files are listed), 1 some files failed or the run stopped,"
                + " 2 usage error (nothing changed)."})
final class CompressCommand extends ChangingCommand {

    @Parameters(index = "0", paramLabel = "SOURCE", description = "The folder to compress.")
    Path sourceFolder;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DEST", description = "The folder the results go to, with"
            + " SOURCE's folder structure (not with --in-place).")
    Path destFolder;

    @Option(names = "--level", paramLabel = "N", defaultValue = "2",
            description = "1 high quality, 2 balanced (default), 3 small.")
    int level;

    @Option(names = "--only", paramLabel = "KIND", description = "images or videos (default: both).")
    String only;

    @Option(names = "--in-place", description = "Replace the originals (they go to the trash; undoable) instead of"
            + " writing to DEST.")
    boolean inPlace;

    @Mixin
    RetryOptions retry;

    @Override
    int run() throws IOException {
        CompressRequest request = request();
        request.check(); // a refused request changes nothing, not even the journal
        ProgressListener progress = ConsoleProgress.forTerminal(common.quiet);
        // The journal is opened (and an interrupted earlier run settled) before the scan, so the files compressed
        // are the ones settled, and no other run changes them while they are being compressed.
        Journal journal = journalUnlessDryRun();
        // Ctrl-C while compressing: the file in hand is finished or rolled back, no other is started, the temporary
        // files are removed and nothing is changed. While files change: the file in progress is finished or rolled
        // back, then the summary. (A dry run writes temporary files too.)
        try (Interruption interruption = Interruption.install(out(), err())) {
            return compress(request, progress, journal, interruption);
        }
    }

    /** The request the arguments and options describe. */
    private CompressRequest request() {
        if (inPlace && destFolder != null) {
            throw new UserException("--in-place takes only SOURCE: the compressed files replace the originals there");
        }
        if (!inPlace && destFolder == null) {
            throw new UserException("name SOURCE and DEST (or compress SOURCE itself with --in-place)");
        }
        CompressRequest request = (inPlace ? CompressRequest.inPlace(sourceFolder)
                : CompressRequest.into(sourceFolder, destFolder)).atLevel(CompressionLevel.of(level)).only(parseOnly())
                .withThreads(common.threads).describedAs(commandLine());
        return dryRun.requested() ? request.asDryRun() : request;
    }

    @Override
    String refusal(RequestRefusedException e) {
        String line = super.refusal(e);
        return e.rule() == RequestRefusedException.Rule.DEST_INSIDE_SOURCE
                ? line + "; use --in-place to compress SOURCE itself" : line;
    }

    private int compress(CompressRequest request, ProgressListener progress, Journal journal,
                         Interruption interruption) throws IOException {
        CompressionPlan prepared = null;
        ExecutionReport execution = null;
        ScanResult scan;
        try {
            if (!interruption.beginChanges()) {
                return ExitCodes.INTERRUPTED; // stopped before compressing: nothing was written (the hook said so)
            }
            CompressionRun run = cleanBackup().compress(request, progress, interruption.stopFlag());
            scan = run.scan();
            prepared = run.prepared();
            if (!common.quiet) {
                scan.notes().forEach(note -> err().println("note: " + note));
            }
            if (interruption.requested()) {
                err().println("cleanbackup: interrupted before any change; nothing was changed");
                return ExitCodes.INTERRUPTED;
            }
            if (!dryRun.requested() && !prepared.plan().isEmpty()) {
                execution = cleanBackup().execute(prepared.plan(), journal, progress, interruption.stopFlag());
            }
        } finally {
            if (prepared != null) {
                prepared.discardTemporaryFiles();
            }
            if (journal != null) {
                journal.close();
            }
        }
        return report(scan, prepared, execution, request.level());
    }

    /** The summary on stdout, the problems and skipped files on stderr, the JSON; returns the exit code. */
    private int report(ScanResult scan, CompressionPlan prepared, ExecutionReport execution,
                       CompressionLevel compressionLevel) throws IOException {
        PrintWriter out = out();
        PrintWriter err = err();
        boolean human = !common.quiet && !json.toStdout();
        CompressionSummary summary = CompressionSummary.of(prepared, execution);
        if (human) {
            printHuman(out, prepared, execution, summary, compressionLevel, scan);
        }
        for (Problem p : scan.problems()) {
            err.println("problem: " + p);
        }
        boolean interrupted = execution != null && execution.interrupted();
        for (Problem p : summary.failed()) {
            if (!(interrupted && p.message().endsWith(ExecutionReport.NOT_TRIED_INTERRUPTED))) {
                err.println("problem: " + p);
            }
        }
        if (!common.quiet) { // a skipped file is not an error (exit code 0): --quiet leaves it out
            for (Problem p : summary.skipped()) {
                err.println("skipped: " + p);
            }
        }
        if (interrupted) {
            Interruption.printStopped(execution, out, err, human);
        } else if (summary.stoppedBecause() != null) {
            err.println("cleanbackup: " + summary.stoppedBecause());
        }
        if (json.requested()) {
            writeJson(summary);
        }
        if (interrupted) {
            return ExitCodes.INTERRUPTED;
        }
        boolean problems = !scan.problems().isEmpty() || !summary.failed().isEmpty() || summary.stoppedBecause() != null;
        return problems ? ExitCodes.PROBLEMS : ExitCodes.OK;
    }

    private Set<MediaType> parseOnly() {
        if (only == null) {
            return EnumSet.of(MediaType.IMAGE, MediaType.VIDEO);
        }
        return switch (only.trim().toLowerCase(Locale.ROOT)) {
            case "images", "image" -> EnumSet.of(MediaType.IMAGE);
            case "videos", "video" -> EnumSet.of(MediaType.VIDEO);
            default -> throw new UserException("unknown --only '" + only + "' (images or videos)");
        };
    }

    private void printHuman(PrintWriter out, CompressionPlan prepared, ExecutionReport execution,
                            CompressionSummary summary, CompressionLevel compressionLevel, ScanResult scan) {
        // A CREATE's source is a temporary name nobody knows: its line names the original instead.
        Map<Action, Path> originals = new java.util.IdentityHashMap<>();
        for (FileResult r : prepared.files()) {
            r.actions().stream().filter(a -> a instanceof Action.Create).forEach(a -> originals.put(a, r.file().path()));
        }
        if (dryRun.requested() && (!prepared.plan().isEmpty() || common.verbose)) {
            out.println("Dry run: these changes would be made (nothing was changed):");
            for (FileResult r : prepared.files()) {
                for (Action a : r.actions()) {
                    out.println("  " + (a instanceof Action.Create create ? String.format("%-8s %s -> %s  (%s)",
                            "compress", DisplayNames.of(r.file().path()), DisplayNames.of(create.target()),
                            DisplayNames.of(a.reason())) : a.describe()));
                }
            }
            out.println();
        } else if (execution != null) {
            ChangeList.print(out, execution.outcomes(), o -> originals.containsKey(o.action())
                    ? new ChangeList.Label("compress", originals.get(o.action()))
                    : new ChangeList.Label(o.action().userName(), o.action().source()));
            out.println();
        }
        out.printf("Scanned %s (%s) in %s.%n", Units.count(scan.files().size(), "file", "files"),
                Units.bytes(scan.totalBytes()), sourceFolder);
        long compressed = summary.count(CompressionSummary.Result.COMPRESSED);
        out.printf(Locale.ROOT, "%s %d of %s at level %d (%s): %s -> %s, %s %s (%.1f%%, ratio %.2f).%n",
                dryRun.requested() ? "Dry run: would compress" : "Compressed", compressed,
                Units.count(summary.files().size(), "file", "files"), compressionLevel.number(),
                compressionLevel.name().toLowerCase(Locale.ROOT).replace('_', ' '),
                Units.bytes(summary.bytesBefore()), Units.bytes(summary.bytesAfter()),
                dryRun.requested() ? "would save" : "saved", Units.bytes(summary.bytesSaved()),
                summary.bytesBefore() == 0 ? 0.0 : 100.0 * summary.bytesSaved() / summary.bytesBefore(),
                summary.ratio());
        for (Map.Entry<String, CompressionSummary.FormatCounts> f : new java.util.TreeMap<>(summary.formats()).entrySet()) {
            CompressionSummary.FormatCounts c = f.getValue();
            List<String> parts = new ArrayList<>();
            if (c.compressed() > 0) {
                parts.add(c.compressed() + " compressed");
            }
            if (c.kept() > 0) {
                parts.add(c.kept() + (inPlace ? " kept as they were" : " copied unchanged"));
            }
            if (c.skipped() > 0) {
                parts.add(c.skipped() + " skipped");
            }
            if (c.failed() > 0) {
                parts.add(c.failed() + " failed");
            }
            out.printf("  %-7s %s%n", f.getKey() + ":", String.join(", ", parts));
        }
        out.printf("Kept %d (not smaller, or not compressible), skipped %d, failed %d%s.%n",
                summary.count(CompressionSummary.Result.KEPT), summary.count(CompressionSummary.Result.SKIPPED),
                summary.count(CompressionSummary.Result.FAILED),
                summary.failed().isEmpty() && summary.skipped().isEmpty() ? "" : " (listed on stderr)");
        if (summary.staleTemporariesRemoved() > 0) {
            out.printf("Removed %s that an interrupted run had left behind.%n",
                    Units.count(summary.staleTemporariesRemoved(), "unfinished output file", "unfinished output files"));
        }
        if (summary.sessionId() > 0) {
            out.printf("Journal session %d: 'cleanbackup undo %d' reverses it%s.%n", summary.sessionId(),
                    summary.sessionId(), inPlace ? " (the originals are in the trash until then)" : "");
        } else if (dryRun.requested()) {
            out.println("Dry run: sizes measured by compressing to a temporary folder; nothing was changed.");
        }
        out.flush();
    }

    private void writeJson(CompressionSummary summary) throws IOException {
        try (var w = json.open(out())) {
            summary.writeJson(w);
            w.write('\n'); // like every other report: one document, then a newline
        }
    }
}
