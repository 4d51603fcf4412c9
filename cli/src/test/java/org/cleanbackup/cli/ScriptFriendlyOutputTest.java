package org.cleanbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What a script relies on, checked across every command: {@code --quiet} prints only errors (and with
 * {@code --json -} only the JSON), exit codes mean the same everywhere (README "Exit codes"), and output that is not
 * a terminal, or a terminal with {@code NO_COLOR} set, holds no escape sequences and no progress bars.
 */
class ScriptFriendlyOutputTest {

    private static final char ESC = 0x1b;

    @TempDir
    Path dir;

    private String previousConfig;
    private Path samples;
    private String stdout;
    private String stderr;

    @BeforeEach
    void setUp() throws IOException {
        previousConfig = System.getProperty("cleanbackup.config");
        System.setProperty("cleanbackup.config", dir.resolve("config/config.properties").toString());
        samples = dir.resolve("samples");
        Path bundled = Path.of("..", "samples");
        try (Stream<Path> walk = Files.walk(bundled)) {
            for (Path p : walk.toList()) {
                Path to = samples.resolve(bundled.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    @AfterEach
    void restore() {
        if (previousConfig == null) {
            System.clearProperty("cleanbackup.config");
        } else {
            System.setProperty("cleanbackup.config", previousConfig);
        }
    }

    private String s(String relative) {
        return samples.resolve(relative).toString();
    }

    private int run(String... args) {
        CliRun run = CliRun.isolated(dir, args);
        stdout = run.stdout();
        stderr = run.stderr();
        return run.code();
    }

    /** Command lines that succeed on the samples, in an order that leaves something to undo and list. */
    private List<String[]> commandsThatSucceed() {
        String lib = dir.resolve("library").toString();
        return List.of(
                new String[] {"hash", s("photos")},
                new String[] {"backends"},
                new String[] {"dedupe", "--reference", s("music/library"), s("music/inbox"), s("photos")},
                new String[] {"dedupe", "--mode", "similar", s("photos")},
                new String[] {"dedupe", "--mode", "names", samples.toString()},
                new String[] {"organize", "--dry-run", s("photos"), s("phone"), lib},
                new String[] {"organize", s("photos"), s("phone"), lib},
                new String[] {"compress", "--dry-run", "--only", "images", s("photos"), dir.resolve("small").toString()},
                new String[] {"undo", "--list"},
                new String[] {"undo", "--dry-run"},
                new String[] {"undo"},
                new String[] {"dedupe", "--reference", s("music/library"), "--action", "delete", s("music/inbox")},
                new String[] {"trash", "list"},
                new String[] {"trash", "empty", "--dry-run"},
                new String[] {"cache", "stats"},
                new String[] {"config", "list"},
                new String[] {"config", "set", "threads", "2"},
                new String[] {"config", "get", "threads"},
                new String[] {"config", "unset", "threads"});
    }

    @Test
    void quietPrintsNothingButErrorsAndJsonStillGoesToStdout() throws IOException {
        for (String[] command : commandsThatSucceed()) {
            String[] quiet = concat(command, "--quiet");
            assertThat(run(quiet)).as(String.join(" ", quiet) + "\n" + stderr).isZero();
            assertThat(stdout).as(String.join(" ", quiet) + ": stdout").isEmpty();
            assertThat(stderr).as(String.join(" ", quiet) + ": stderr").isEmpty();
        }
        ObjectMapper mapper = new ObjectMapper();
        for (String[] command : List.of(new String[] {"hash", s("photos")}, new String[] {"undo", "--list"},
                new String[] {"trash", "list"}, new String[] {"config", "list"}, new String[] {"backends"})) {
            String[] quietJson = concat(command, "--quiet", "--json", "-");
            assertThat(run(quietJson)).as(String.join(" ", quietJson)).isZero();
            assertThat(mapper.readTree(stdout)).as(String.join(" ", quietJson)).isNotEmpty();
            assertThat(stderr).isEmpty();
        }

        Path broken = Files.writeString(Files.createDirectories(dir.resolve("broken")).resolve("broken.jpg"), "no picture");
        assertThat(run("hash", "--quiet", s("photos/inbox/backup"), broken.toString())).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(stdout).isEmpty();
        assertThat(stderr.lines()).singleElement().asString().startsWith("problem: " + broken);
    }

    @Test
    void exitCodesMeanTheSameInEveryCommand() throws IOException {
        // 2: a usage error, one line on stderr, nothing changed. The same for every command.
        CommandLine model = new CommandLine(new CleanBackupCommand());
        for (String name : model.getSubcommands().keySet()) {
            assertThat(run(name, "--no-such-option")).as(name).isEqualTo(ExitCodes.USAGE);
            assertThat(stderr).as(name).startsWith("cleanbackup: Unknown option: '--no-such-option'");
        }
        for (String[] usage : List.of(new String[] {"cache", "nope"}, new String[] {"trash", "nope"},
                new String[] {"config", "nope"}, new String[] {"config", "set", "threads", "lots"},
                new String[] {"completion", "fish"}, new String[] {"undo", "nope"},
                new String[] {"dedupe", "--action", "move", s("music/inbox")},
                new String[] {"organize", s("photos"), s("photos/inbox")},
                new String[] {"compress", s("photos"), s("photos/inbox")},
                new String[] {"hash", "--content", "--algorithm", "crc7", s("photos")})) {
            assertThat(run(usage)).as(String.join(" ", usage) + "\n" + stderr).isEqualTo(ExitCodes.USAGE);
            assertThat(stderr.lines().findFirst().orElse("")).as(String.join(" ", usage)).startsWith("cleanbackup: ");
            assertThat(stdout).as(String.join(" ", usage)).isEmpty();
        }
        assertThat(dir.resolve("journal.db")).as("no usage error started a run").doesNotExist();
        assertThat(samples.resolve("photos/inbox").toFile().list()).as("nothing was made in SOURCE").hasSize(5);

        // 1: done, but some files could not be read; each is one 'problem:' line.
        Path broken = Files.writeString(Files.createDirectories(dir.resolve("broken")).resolve("broken.jpg"), "no picture");
        assertThat(run("hash", broken.toString())).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(stderr).startsWith("problem: " + broken);
        assertThat(run("dedupe", dir.resolve("missing").toString(), s("music"))).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(stderr).startsWith("problem: " + dir.resolve("missing"));
        assertThat(run("dedupe", "--mode", "similar", broken.getParent().toString())).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(stderr).startsWith("problem: " + broken);

        // 0: done.
        for (String[] command : commandsThatSucceed()) {
            assertThat(run(command)).as(String.join(" ", command) + "\n" + stderr).isZero();
        }
    }

    /** The real command in its own JVM, stdout and stderr to pipes: never an escape sequence nor a progress bar. */
    @Test
    void noEscapesNorProgressBarsWhenOutputIsNotATerminal() throws Exception {
        String lib = dir.resolve("library").toString();
        List<List<String>> commands = List.of(List.of("--help"), List.of("dedupe", "--help"),
                List.of("dedupe", "--reference", s("music/library"), s("music/inbox"), s("photos")),
                List.of("organize", s("photos"), s("phone"), lib), List.of("undo", "--list"));
        for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("NO_COLOR", "1"))) {
            for (List<String> command : commands) {
                Process p = new ProcessBuilder(javaCommand(command)).directory(dir.toFile()).start();
                p.getOutputStream().close();
                byte[] out = p.getInputStream().readAllBytes();
                byte[] err = p.getErrorStream().readAllBytes();
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                String what = command + " " + env + "\nstdout: " + new String(out, StandardCharsets.UTF_8)
                        + "\nstderr: " + new String(err, StandardCharsets.UTF_8);
                assertThat(p.exitValue()).as(what).isZero();
                assertThat(out).as(what).isNotEmpty().doesNotContain(ESC).doesNotContain('\r');
                assertThat(err).as(what).doesNotContain(ESC).doesNotContain('\r');
            }
        }
    }

    /** On a real terminal (tmux), help is in colour, unless NO_COLOR is set; then there is no escape sequence. */
    @Test
    void noColourOnATerminalWithNoColor() throws Exception {
        assumeTrue(tmuxInstalled(), "tmux is not installed (apt-get install tmux): a real terminal is needed");
        String socket = "cleanbackup-nocolor-" + ProcessHandle.current().pid();
        try {
            String coloured = onTerminal(socket, "plain", "", List.of("--help"));
            assertThat(coloured).as("without NO_COLOR, picocli colours the help (so this test can fail)").contains(ESC + "[");
            String plain = onTerminal(socket, "nocolor", "NO_COLOR=1",
                    List.of("dedupe", "--reference", s("music/library"), s("music/inbox"), s("photos")));
            assertThat(plain).contains("Found 4 groups");
            String help = onTerminal(socket, "nocolorhelp", "NO_COLOR=1", List.of("--help"));
            assertThat(help).contains("Usage:");
            assertThat(plain + help).as("with NO_COLOR=1 no escape sequence at all").doesNotContain(String.valueOf(ESC));
        } finally {
            command("tmux", "-L", socket, "-f", "/dev/null", "kill-server");
        }
    }

    /** Runs the command in a fresh tmux window and returns the screen, escape sequences included. */
    private String onTerminal(String socket, String session, String env, List<String> args) throws Exception {
        StringBuilder line = new StringBuilder("env TERM=xterm-256color " + env);
        for (String part : javaCommand(args)) {
            line.append(" '").append(part.replace("'", "'\\''")).append('\'');
        }
        line.append("; echo COMMAND-EXITED $?; sleep 30");
        command("tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "200", "-y", "100",
                line.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = command("tmux", "-L", socket, "-f", "/dev/null", "capture-pane", "-e", "-p", "-S", "-500", "-t", session);
            if (screen.contains("COMMAND-EXITED")) {
                assertThat(screen).as(screen).contains("COMMAND-EXITED 0");
                return screen.substring(0, screen.indexOf("COMMAND-EXITED"));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the command never finished:\n" + screen);
    }

    private List<String> javaCommand(List<String> args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
                "-Dcleanbackup.config=" + dir.resolve("config/config.properties"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        if (!args.contains("--help")) {
            command.addAll(List.of("--journal", dir.resolve("journal.db").toString(), "--cache", dir.resolve("cache.db").toString(),
                    "--log-file", dir.resolve("log.txt").toString()));
        }
        return command;
    }

    private static boolean tmuxInstalled() {
        try {
            return command("tmux", "-V").startsWith("tmux");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String command(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private static String[] concat(String[] command, String... more) {
        String[] all = new String[command.length + more.length];
        System.arraycopy(command, 0, all, 0, command.length);
        System.arraycopy(more, 0, all, command.length, more.length);
        return all;
    }
}
