package org.cleanbackup.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.completer.FileNameCompleter;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * {@code cleanbackup} with no arguments on a terminal: a menu for people who have not read the docs. It asks for
 * folders (Tab completes paths), shows what it is about to do as a dry run, asks before changing anything, then
 * runs the same command a script would, with its progress bars and summary.
 */
final class GuidedMode {

    private final LineReader reader;
    private final PrintWriter out;
    private final Function<String[], Integer> commands;

    private GuidedMode(LineReader reader, PrintWriter out, Function<String[], Integer> commands) {
        this.reader = reader;
        this.out = out;
        this.commands = commands;
    }

    /** Runs the menu on the process's terminal until the user quits. */
    static int run(Function<String[], Integer> commands) throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).completer(new FileNameCompleter())
                    .option(LineReader.Option.AUTO_FRESH_LINE, true).build();
            if (System.getenv("NO_COLOR") != null) {
                // https://no-color.org: JLine's only colours are its completion-list styles; blank them (the
                // selection keeps its inverse video, which is not a colour and marks where the cursor is).
                for (String style : List.of(LineReader.COMPLETION_STYLE_STARTING, LineReader.COMPLETION_STYLE_DESCRIPTION,
                        LineReader.COMPLETION_STYLE_GROUP, LineReader.COMPLETION_STYLE_BACKGROUND,
                        LineReader.COMPLETION_STYLE_LIST_STARTING, LineReader.COMPLETION_STYLE_LIST_DESCRIPTION,
                        LineReader.COMPLETION_STYLE_LIST_GROUP, LineReader.COMPLETION_STYLE_LIST_BACKGROUND)) {
                    reader.setVariable(style, "");
                }
            }
            return new GuidedMode(reader, terminal.writer(), commands).loop();
        }
    }

    private int loop() {
        out.println("Clean-Backup: order for photo, video and music backups. Nothing changes without your yes.");
        while (true) {
            out.println();
            out.println("What would you like to do?");
            out.println("  1  Organize photos and videos into Year/Month folders");
            out.println("  2  Find duplicates (exact, look-alike pictures, copy names)");
            out.println("  3  Sensitivity and other settings");
            out.println("  4  Undo a recent run");
            out.println("  5  Compress images and videos");
            out.println("  q  Quit");
            String choice;
            try {
                choice = ask("Choice", "q").toLowerCase(Locale.ROOT);
            } catch (EndOfFileException | UserInterruptException e) {
                return ExitCodes.OK;
            }
            try {
                switch (choice) {
                    case "1" -> organize();
                    case "2" -> duplicates();
                    case "3" -> settings();
                    case "4" -> undo();
                    case "5" -> compress();
                    case "q", "quit", "exit" -> {
                        out.println("Bye.");
                        out.flush();
                        return ExitCodes.OK;
                    }
                    default -> out.println("Please type 1, 2, 3, 4, 5 or q.");
                }
            } catch (UserInterruptException e) {
                out.println("(cancelled)");
            } catch (EndOfFileException e) {
                return ExitCodes.OK;
            }
        }
    }

    private void organize() {
        Path source = folder("Folder to import from (Tab completes)", true);
        Path dest = folder("Library folder to import into", false);
        boolean move = yes("Move the files instead of copying them?", false);
        List<String> args = new ArrayList<>(List.of("organize"));
        if (move) {
            args.add("--move");
        }
        args.add(source.toString());
        args.add(dest.toString());
        previewThenRun(args);
    }

    private void duplicates() {
        String mode = choose("Which duplicates? e = exact copies, s = look-alike pictures, n = copy names like 'x (1).jpg'",
                "e", "e", "s", "n");
        Path folder = folder("Folder to search", true);
        String reference = ask("A protected reference folder, whose files are never touched (Enter for none)", "");
        String action = choose("Then: r = only report, m = move duplicates to a folder, d = put them in the trash",
                "r", "r", "m", "d");
        List<String> args = new ArrayList<>(List.of("dedupe", "--mode", switch (mode) {
            case "s" -> "similar";
            case "n" -> "names";
            default -> "exact";
        }));
        if (!reference.isBlank()) {
            args.add("--reference");
            args.add(expand(reference).toString());
        }
        switch (action) {
            case "m" -> {
                Path to = folder("Folder to move the duplicates to", false);
                args.addAll(List.of("--action", "move", "--to", to.toString()));
            }
            case "d" -> args.addAll(List.of("--action", "delete"));
            default -> { }
        }
        args.add(folder.toString());
        if (action.equals("r")) {
            commands.apply(args.toArray(String[]::new));
        } else {
            previewThenRun(args);
        }
    }

    private void settings() {
        commands.apply(new String[] {"config", "list"});
        out.println("Sensitivity of look-alike pictures: exact (2 bits), standard (10), aggressive (12).");
        String key = ask("Setting to change (Enter to go back)", "");
        if (key.isBlank()) {
            return;
        }
        String value = ask("New value for " + key + " (Enter to reset to the default)", "");
        commands.apply(value.isBlank() ? new String[] {"config", "unset", key} : new String[] {"config", "set", key, value});
    }

    private void undo() {
        commands.apply(new String[] {"undo", "--list"});
        String session = ask("Session to undo", "last");
        if (commands.apply(new String[] {"undo", "--dry-run", session}) != ExitCodes.OK) {
            return;
        }
        if (yes("Undo it now?", false)) {
            commands.apply(new String[] {"undo", session});
        }
    }

    private void compress() {
        Path source = folder("Folder to compress (Tab completes)", true);
        String level = choose("Level: 1 = high quality, 2 = balanced, 3 = small", "2", "1", "2", "3");
        boolean inPlace = yes("Replace the originals (they go to the trash, 'undo' brings them back)?", false);
        List<String> args = new ArrayList<>(List.of("compress", "--level", level));
        if (inPlace) {
            args.add("--in-place");
            args.add(source.toString());
        } else {
            args.add(source.toString());
            args.add(folder("Folder to write the smaller copies to", false).toString());
        }
        previewThenRun(args);
    }

    /** Shows the plan as a dry run, and runs it only on an explicit yes. */
    private void previewThenRun(List<String> args) {
        List<String> dry = new ArrayList<>(args);
        dry.add(1, "--dry-run");
        int code = commands.apply(dry.toArray(String[]::new));
        if (code == ExitCodes.USAGE) {
            return;
        }
        if (yes("Do it?", false)) {
            commands.apply(args.toArray(String[]::new));
        } else {
            out.println("Nothing was changed.");
        }
    }

    private String ask(String question, String defaultValue) {
        String prompt = question + (defaultValue.isEmpty() ? "" : " [" + defaultValue + "]") + ": ";
        String line = reader.readLine(prompt).trim();
        return line.isEmpty() ? defaultValue : line;
    }

    private String choose(String question, String defaultValue, String... allowed) {
        while (true) {
            String answer = ask(question, defaultValue).toLowerCase(Locale.ROOT);
            if (List.of(allowed).contains(answer)) {
                return answer;
            }
            out.println("Please type one of " + String.join(", ", allowed) + ".");
        }
    }

    private boolean yes(String question, boolean defaultYes) {
        return ask(question + (defaultYes ? " (Y/n)" : " (y/N)"), defaultYes ? "y" : "n")
                .toLowerCase(Locale.ROOT).startsWith("y");
    }

    private Path folder(String question, boolean mustExist) {
        while (true) {
            String answer = ask(question, "");
            if (answer.isBlank()) {
                out.println("Please type a folder (Tab completes).");
                continue;
            }
            Path path = expand(answer);
            if (mustExist && !Files.isDirectory(path)) {
                out.println(path + " is not a folder.");
                continue;
            }
            return path;
        }
    }

    private static Path expand(String answer) {
        String a = answer.strip();
        if (a.equals("~") || a.startsWith("~/")) {
            a = System.getProperty("user.home") + a.substring(1);
        }
        return Path.of(a).toAbsolutePath().normalize();
    }
}
