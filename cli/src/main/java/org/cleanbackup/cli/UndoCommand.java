package org.cleanbackup.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.cleanbackup.CleanBackup;
import org.cleanbackup.execute.ExecutionReport;
import org.cleanbackup.journal.Journal;
import org.cleanbackup.execute.Outcome;
import org.cleanbackup.journal.SessionInfo;
import org.cleanbackup.plan.Action;
import org.cleanbackup.plan.Plan;
import org.cleanbackup.undo.Undo;
import org.cleanbackup.model.DisplayNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cleanbackup undo}: reverses a journaled run. */
@Command(name = "undo", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = {"Puts back what a run changed, newest change first: moved files go back, copies are removed,"
                + " trashed files return, hard links become the original files again, and folders the run made are"
                + " removed when empty. A file changed since, or whose original path is taken now, is a conflict:"
                + " reported and left alone. An undo is itself a run, so it can be undone by its session number."},
        footer = {"", "Examples:",
                "  cleanbackup undo --list",
                "  cleanbackup undo --dry-run last",
                "  cleanbackup undo 12"})
final class UndoCommand extends ChangingCommand {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @Parameters(paramLabel = "SESSION", arity = "0..1", defaultValue = "last",
            description = "The session to undo: its number from --list, or 'last' (default): the newest run that is"
                    + " not an undo and not undone yet.")
    String session;

    @Option(names = "--list", description = "List the journaled sessions instead.")
    boolean list;

    @Override
    int run() throws IOException {
        PrintWriter out = out();
        PrintWriter err = err();
        // Ctrl-C during an undo: the step in progress is finished or rolled back; the journal is closed before the
        // hook lets the JVM exit (resources close in reverse order).
        try (Interruption interruption = Interruption.install(out, err);
             Journal journal = openJournal(CleanBackup.IfMissing.FAIL)) {
            if (list) {
                return list(journal.sessions(), out);
            }
            Undo undo = cleanBackup().undo(journal, interruption.stopFlag());
            SessionInfo target = chooseSession(undo);
            if (!undo.reversible(target)) {
                err.println("problem: session " + target.id() + " (" + target.command() + ") removed files for good:"
                        + " what it removed cannot come back, so there is nothing to undo");
                return ExitCodes.PROBLEMS;
            }
            if (dryRun.requested()) {
                Plan plan = undo.plan(target);
                if (!common.quiet && !json.toStdout()) {
                    out.println("Dry run: undoing session " + target.id() + " (" + target.command() + ") would:");
                    plan.actions().forEach(a -> out.println("  " + a.describe()));
                    out.println(Units.count(plan.actions().size(), "step", "steps") + " planned, nothing changed.");
                }
                writeJson(target, plan, null);
                return ExitCodes.OK;
            }
            if (!interruption.beginChanges()) {
                return ExitCodes.INTERRUPTED;
            }
            ExecutionReport report = undo.run(target, ConsoleProgress.forTerminal(common.quiet));
            long done = report.count(Outcome.Status.DONE);
            long conflicts = report.count(Outcome.Status.CONFLICT);
            long failed = report.count(Outcome.Status.FAILED) + report.count(Outcome.Status.SKIPPED)
                    - report.outcomes().stream().filter(ExecutionReport::notTriedAfterInterrupt).count();
            for (Outcome o : report.outcomes()) {
                if (o.status() != Outcome.Status.DONE && !ExecutionReport.notTriedAfterInterrupt(o)) {
                    err.println((o.status() == Outcome.Status.CONFLICT ? "conflict: " : "problem: ")
                            + DisplayNames.of(o.action().source()) + ": " + DisplayNames.of(o.message()));
                }
            }
            if (!common.quiet && !json.toStdout()) {
                ChangeList.print(out, report.outcomes());
                out.println();
                out.printf("Undid session %d (%s): %d step(s) done, %d conflict(s), %d failed. This undo is session %d.%n",
                        target.id(), target.command(), done, conflicts, failed, report.sessionId());
            }
            // the steps are the ones this run took: planning again now would find them undone already
            writeJson(target, null, report);
            if (report.interrupted()) {
                err.println("cleanbackup: undo interrupted: " + Units.count(done, "step", "steps") + " done, "
                        + report.outcomes().stream().filter(ExecutionReport::notTriedAfterInterrupt).count()
                        + " not tried; 'cleanbackup undo " + target.id() + "' again undoes the rest");
                return ExitCodes.INTERRUPTED;
            }
            return conflicts + failed == 0 ? ExitCodes.OK : ExitCodes.PROBLEMS;
        }
    }

    private SessionInfo chooseSession(Undo undo) {
        if (session.equalsIgnoreCase("last")) {
            return undo.lastUndoable().orElseThrow(() -> new UserException("nothing to undo: no run has changed anything"
                    + " that is not undone already (see 'cleanbackup undo --list')"));
        }
        long id;
        try {
            id = Long.parseLong(session);
        } catch (NumberFormatException e) {
            throw new UserException("'" + session + "' is not a session number or 'last'");
        }
        SessionInfo info = undo.session(id).orElseThrow(() -> new UserException("no session " + id
                + " in the journal (see 'cleanbackup undo --list')"));
        if (info.done() == info.undone()) {
            throw new UserException("session " + id + " has nothing left to undo");
        }
        return info;
    }

    private int list(List<SessionInfo> sessions, PrintWriter out) throws IOException {
        if (json.requested()) {
            json.write(out, g -> {
                g.writeStartArray();
                for (SessionInfo s : sessions) {
                    g.writeStartObject();
                    g.writeNumberField("id", s.id());
                    g.writeStringField("started", s.startedAt().toString());
                    g.writeStringField("command", s.command());
                    g.writeStringField("state", s.state().name().toLowerCase(java.util.Locale.ROOT));
                    g.writeNumberField("done", s.done());
                    g.writeNumberField("failed", s.failed());
                    g.writeNumberField("undone", s.undone());
                    g.writeNumberField("undoOf", s.undoOf());
                    g.writeEndObject();
                }
                g.writeEndArray();
            });
            return ExitCodes.OK;
        }
        if (common.quiet) {
            return ExitCodes.OK;
        }
        if (sessions.isEmpty()) {
            out.println("No sessions in the journal yet.");
            return ExitCodes.OK;
        }
        out.printf("%5s  %-19s  %-11s  %5s  %6s  %6s  %s%n", "id", "started", "state", "done", "failed", "undone", "command");
        for (SessionInfo s : sessions) {
            out.printf("%5d  %-19s  %-11s  %5d  %6d  %6d  %s%n", s.id(), TIME.format(s.startedAt()),
                    s.state().name().toLowerCase(java.util.Locale.ROOT), s.done(), s.failed(), s.undone(),
                    s.command());
        }
        return ExitCodes.OK;
    }

    /** The steps of {@code plan} (a dry run), or those {@code report} took (a real undo: plan is then null). */
    private void writeJson(SessionInfo target, Plan plan, ExecutionReport report) throws IOException {
        json.write(out(), g -> {
            g.writeStartObject();
            g.writeNumberField("undoes", target.id());
            g.writeStringField("command", target.command());
            if (report != null) {
                g.writeNumberField("session", report.sessionId());
            }
            g.writeArrayFieldStart("steps");
            int steps = report == null ? plan.actions().size() : report.outcomes().size();
            for (int i = 0; i < steps; i++) {
                Action a = report == null ? plan.actions().get(i) : report.outcomes().get(i).action();
                Outcome o = report == null ? null : report.outcomes().get(i);
                g.writeStartObject();
                g.writeStringField("action", a.userName());
                g.writeStringField("source", a.source().toString());
                Path to = a.targetPath(); // for a removed copy: the original whose content it holds
                if (to != null) {
                    g.writeStringField("target", to.toString());
                }
                g.writeStringField("status", o == null ? "planned" : o.status().name().toLowerCase(java.util.Locale.ROOT));
                if (o != null && o.message() != null) {
                    g.writeStringField("message", o.message());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }
}
