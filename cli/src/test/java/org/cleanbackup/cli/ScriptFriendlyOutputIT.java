package org.cleanbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real command in a JVM of its own: output that is not a terminal, or a terminal (tmux) with {@code NO_COLOR} set,
 * holds no escape sequences and no progress bars. The in-process half is {@link ScriptFriendlyOutputTest}.
 */
class ScriptFriendlyOutputIT {

    private static final char ESC = 0x1b;

    @TempDir
    Path dir;

    private Path samples;

    @BeforeEach
    void setUp() throws IOException {
        samples = ScriptFriendlyOutputTest.copySamples(dir);
    }

    private String s(String relative) {
        return samples.resolve(relative).toString();
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
                ProcessBuilder builder = new ProcessBuilder(javaCommand(command)).directory(dir.toFile());
                builder.environment().putAll(env);
                Process p = builder.start();
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
}
