package org.cleanbackup.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import org.cleanbackup.execute.ExecutionReport;
import org.cleanbackup.execute.FileOperations;
import org.cleanbackup.execute.Outcome;
import org.cleanbackup.execute.PlanExecutor;
import org.cleanbackup.execute.RetryPolicy;
import org.cleanbackup.journal.SqliteJournal;
import org.cleanbackup.scan.Problem;
import org.cleanbackup.undo.Trash;
import org.cleanbackup.scan.DisplayNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cleanbackup trash list|empty}: what "delete" put aside, and removing it for good. */
@Command(name = "trash", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = {"'delete' and 'hardlink' never unlink a file: they move it into <root>/.cleanbackup-trash/,"
                + " from where 'undo' brings it back. 'trash list' shows what is there; 'trash empty' removes it for"
                + " good (journaled, but that cannot be undone)."},
        footer = {"", "Examples:", "  cleanbackup trash list", "  cleanbackup trash empty --older-than 30d",
                "  cleanbackup trash list --json -"})
final class TrashCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneId.systemDefault());

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "list|empty", description = "list: show the trash; empty: remove it for good.")
    String verb;

    @Option(names = "--older-than", paramLabel = "AGE", converter = Units.AgeConverter.class,
            description = "With empty: only files trashed longer ago than AGE (e.g. 30d, 12h).")
    Duration olderThan;

    @Option(names = "--dry-run", description = "With empty: print what would be removed and change nothing.")
    boolean dryRun;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the result as JSON to FILE, or to stdout with '-'.")
    String json;

    @Override
    public Integer call() throws IOException {
        common.validate();
        JsonOutput.checkWritable(json);
        LoggingSetup.apply(common);
        PrintWriter out = spec.commandLine().getOut();
        if (!verb.equals("list") && !verb.equals("empty")) {
            throw new UserException("unknown trash command '" + verb + "' (list or empty)");
        }
        try (SqliteJournal journal = JournalAccess.open(common, true, spec.commandLine().getErr())) {
            List<Trash.Item> items = Trash.list(journal);
            if (olderThan != null) {
                Instant cutoff = Instant.now().minus(olderThan);
                items = items.stream().filter(i -> i.trashedAt().isBefore(cutoff)).toList();
            }
            long bytes = items.stream().mapToLong(Trash.Item::size).sum();
            PrintWriter err = spec.commandLine().getErr();
            boolean human = JsonOutput.human(common, json);
            if (verb.equals("list") || dryRun) {
                if (human) {
                    for (Trash.Item i : items) {
                        out.printf("%s  session %d  %10s  %s%n", TIME.format(i.trashedAt()), i.sessionId(),
                                Units.bytes(i.size()), DisplayNames.of(i.original()));
                    }
                    out.println(Units.count(items.size(), "file", "files") + " in the trash, " + Units.bytes(bytes)
                            + (dryRun && verb.equals("empty") ? "; dry run: nothing removed." : "."));
                }
                writeJson(items, null, List.of());
                return ExitCodes.OK;
            }
            ExecutionReport report = new PlanExecutor(journal, FileOperations.system(), RetryPolicy.defaults())
                    .execute(Trash.emptyPlan(items), ConsoleProgress.forTerminal(common.quiet));
            long purged = report.outcomes().stream().filter(o -> o.status() == Outcome.Status.DONE
                    && o.action().type() == org.cleanbackup.plan.ActionType.PURGE).count();
            List<Problem> problems = report.outcomes().stream().filter(o -> o.status() != Outcome.Status.DONE)
                    .map(o -> new Problem(o.action().source(), o.message())).toList();
            problems.forEach(p -> err.println("problem: " + p));
            if (human) {
                out.println("Removed " + Units.count(purged, "file", "files") + " (" + Units.bytes(bytes)
                        + ") from the trash for good.");
            }
            writeJson(items, report, problems);
            return purged == items.size() ? ExitCodes.OK : ExitCodes.PROBLEMS;
        }
    }

    /** The files listed (or emptied), what became of each, and a summary; nothing without {@code --json}. */
    private void writeJson(List<Trash.Item> items, ExecutionReport report, List<Problem> problems) throws IOException {
        if (json == null) {
            return;
        }
        java.util.Set<java.nio.file.Path> purged = new java.util.HashSet<>();
        if (report != null) {
            report.outcomes().stream().filter(o -> o.status() == Outcome.Status.DONE
                            && o.action().type() == org.cleanbackup.plan.ActionType.PURGE)
                    .forEach(o -> purged.add(o.action().source()));
        }
        JsonOutput.write(json, spec.commandLine().getOut(), g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("files");
            for (Trash.Item i : items) {
                g.writeStartObject();
                g.writeStringField("original", i.original().toString());
                g.writeStringField("location", i.location().toString());
                g.writeNumberField("session", i.sessionId());
                g.writeStringField("trashed", i.trashedAt().toString());
                g.writeNumberField("size", i.size());
                if (verb.equals("empty")) {
                    g.writeStringField("status", report == null ? "planned"
                            : purged.contains(i.location()) ? "removed" : "failed");
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            JsonOutput.writeProblems(g, problems);
            g.writeObjectFieldStart("summary");
            g.writeStringField("command", verb);
            g.writeNumberField("files", items.size());
            g.writeNumberField("bytes", items.stream().mapToLong(Trash.Item::size).sum());
            g.writeNumberField("removed", purged.size());
            g.writeBooleanField("dryRun", dryRun);
            if (report != null) {
                g.writeNumberField("session", report.sessionId());
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }
}
