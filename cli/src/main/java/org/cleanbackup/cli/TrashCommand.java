package org.cleanbackup.cli;

import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import org.cleanbackup.CleanBackup;
import org.cleanbackup.execute.ExecutionReport;
import org.cleanbackup.journal.Journal;
import org.cleanbackup.execute.Outcome;
import org.cleanbackup.model.Problem;
import org.cleanbackup.undo.Trash;
import org.cleanbackup.model.DisplayNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cleanbackup trash list|empty}: what "delete" put aside, and removing it for good. */
@Command(name = "trash", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = {"'delete' and 'hardlink' never unlink a file: they move it into <root>/.cleanbackup-trash/,"
                + " from where 'undo' brings it back. 'trash list' shows what is there; 'trash empty' removes it for"
                + " good (journaled, but that cannot be undone). On a terminal, empty lists what it will remove and"
                + " asks first; without a terminal (a script, cron) it removes nothing unless --yes is given."
                + " --folder, --session and --older-than choose the files, for list and empty alike."},
        footer = {"", "Examples:", "  cleanbackup trash list",
                "  cleanbackup trash list --folder ~/Music/inbox --session 3",
                "  cleanbackup trash empty --older-than 30d                  # lists them, then asks",
                "  cleanbackup trash empty --session 3 --session 4 --dry-run",
                "  cleanbackup trash empty --older-than 90d --yes            # from a script: no question",
                "  cleanbackup trash list --json -"})
final class TrashCommand extends ChangingCommand {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneId.systemDefault());


    @Parameters(paramLabel = "list|empty", description = "list: show the trash; empty: remove it for good.")
    String verb;

    @Option(names = "--older-than", paramLabel = "AGE", converter = Units.AgeConverter.class,
            description = "Only files trashed longer ago than AGE (e.g. 30d, 12h).")
    Duration olderThan;

    @Option(names = "--folder", paramLabel = "DIR", description = "Only files trashed from under DIR (where they"
            + " were before the run that trashed them). Repeatable: under any of them.")
    List<Path> folders = new ArrayList<>();

    @Option(names = "--session", paramLabel = "N", description = "Only files trashed by session N (see 'cleanbackup"
            + " undo --list'). Repeatable.")
    List<Long> sessions = new ArrayList<>();

    @Option(names = {"-y", "--yes"}, description = "With empty: do not ask, remove them. Needed when there is no"
            + " terminal to ask on.")
    boolean yes;

    @Override
    int run() throws IOException {
        PrintWriter out = out();
        if (!verb.equals("list") && !verb.equals("empty")) {
            throw new UserException("unknown trash command '" + verb + "' (list or empty)");
        }
        if (yes && !verb.equals("empty")) {
            throw new UserException("--yes goes with 'trash empty'");
        }
        for (long n : sessions) {
            if (n <= 0) {
                throw new UserException("--session takes a session number from 'cleanbackup undo --list', not " + n);
            }
        }
        Console terminal = terminal();
        boolean empty = verb.equals("empty") && !dryRun.requested();
        if (empty && !yes && terminal == null) {
            // Files removed for good: never without a yes. A script has no one to ask, so it must say so itself.
            throw new UserException("trash empty removes files for good and asks first, but there is no terminal to"
                    + " ask on: add --yes to remove them without a question (or --dry-run to see what it would"
                    + " remove); nothing was removed");
        }
        try (Journal journal = openJournal(CleanBackup.IfMissing.CREATE)) {
            List<Trash.Item> all = cleanBackup().trash(journal);
            List<Trash.Item> items = all.stream().filter(filter()).toList();
            long bytes = items.stream().mapToLong(Trash.Item::size).sum();
            PrintWriter err = err();
            boolean human = json.human(common);
            String count = items.size() == all.size() ? Units.count(items.size(), "file", "files")
                    : items.size() + " of " + Units.count(all.size(), "file", "files");
            if (!empty || items.isEmpty()) {
                if (human) {
                    list(out, items);
                    out.println(count + " in the trash, " + Units.bytes(bytes)
                            + (verb.equals("empty") ? (dryRun.requested() ? "; dry run: nothing removed." : "; nothing to remove.")
                            : "."));
                }
                writeJson(items, null, List.of(), false);
                return ExitCodes.OK;
            }
            if (!yes && !confirmed(terminal, items, count, bytes)) {
                if (human) {
                    out.println("Nothing removed.");
                }
                writeJson(items, null, List.of(), true);
                return ExitCodes.OK;
            }
            ExecutionReport report = cleanBackup().emptyTrash(items, journal, ConsoleProgress.forTerminal(common.quiet));
            long purged = report.outcomes().stream().filter(o -> o.status() == Outcome.Status.DONE
                    && o.action() instanceof org.cleanbackup.plan.Action.Purge).count();
            List<Problem> problems = report.outcomes().stream().filter(o -> o.status() != Outcome.Status.DONE)
                    .map(o -> new Problem(o.action().source(), o.message())).toList();
            problems.forEach(p -> err.println("problem: " + p));
            if (human) {
                out.println("Removed " + Units.count(purged, "file", "files") + " (" + Units.bytes(bytes)
                        + ") from the trash for good.");
            }
            writeJson(items, report, problems, false);
            return purged == items.size() ? ExitCodes.OK : ExitCodes.PROBLEMS;
        }
    }

    /** The terminal to ask on: stdin and stdout both a terminal, else null. */
    private static Console terminal() {
        Console console = System.console();
        return console != null && console.isTerminal() ? console : null;
    }

    /** Lists the files on the terminal and asks; only an explicit yes counts (default no, end of input is no). */
    private boolean confirmed(Console terminal, List<Trash.Item> items, String count, long bytes) {
        PrintWriter screen = terminal.writer();
        screen.println("These files will be removed for good (they cannot be brought back, not even by undo):");
        list(screen, items);
        screen.flush();
        String answer = terminal.readLine("Remove %s (%s) from the trash for good? [y/N] ", count, Units.bytes(bytes));
        return answer != null && List.of("y", "yes").contains(answer.trim().toLowerCase(Locale.ROOT));
    }

    private static void list(PrintWriter out, List<Trash.Item> items) {
        for (Trash.Item i : items) {
            out.printf("%s  session %d  %10s  %s%n", TIME.format(i.trashedAt()), i.sessionId(),
                    Units.bytes(i.size()), DisplayNames.of(i.original()));
        }
    }

    /** --older-than, --folder and --session, all of those given. */
    private Predicate<Trash.Item> filter() {
        Predicate<Trash.Item> keep = i -> true;
        if (olderThan != null) {
            Instant cutoff = Instant.now().minus(olderThan);
            keep = keep.and(i -> i.trashedAt().isBefore(cutoff));
        }
        if (!sessions.isEmpty()) {
            Set<Long> wanted = Set.copyOf(sessions);
            keep = keep.and(i -> wanted.contains(i.sessionId()));
        }
        if (!folders.isEmpty()) {
            // The journal holds real paths (the scan resolves its roots); a folder given through a link, or one
            // that is gone now, is matched by its absolute path too.
            List<Path> under = new ArrayList<>();
            for (Path f : folders) {
                Path absolute = f.toAbsolutePath().normalize();
                under.add(absolute);
                try {
                    under.add(f.toRealPath());
                } catch (IOException e) {
                    // gone, or unreadable: the absolute path is all there is to match
                }
            }
            keep = keep.and(i -> under.stream().anyMatch(d -> i.original().startsWith(d)));
        }
        return keep;
    }

    /**
     * The files listed (or emptied), what became of each, and a summary; nothing without {@code --json}.
     * {@code declined}: the question was answered no, so every file stays.
     */
    private void writeJson(List<Trash.Item> items, ExecutionReport report, List<Problem> problems, boolean declined)
            throws IOException {
        if (!json.requested()) {
            return;
        }
        java.util.Set<java.nio.file.Path> purged = new java.util.HashSet<>();
        if (report != null) {
            report.outcomes().stream().filter(o -> o.status() == Outcome.Status.DONE
                            && o.action() instanceof org.cleanbackup.plan.Action.Purge)
                    .forEach(o -> purged.add(o.action().source()));
        }
        json.write(out(), g -> {
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
                    g.writeStringField("status", declined ? "kept" : report == null ? "planned"
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
            g.writeBooleanField("dryRun", dryRun.requested());
            if (report != null) {
                g.writeNumberField("session", report.sessionId());
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }
}
