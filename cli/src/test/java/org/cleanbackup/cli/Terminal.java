package org.cleanbackup.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real command in a pseudo-terminal (tmux), driven as a person would: keys sent, the screen read back. A tmux
 * server of its own (its own socket, no user config), so no other tmux session can interfere. CI installs tmux;
 * without it the test is skipped and says why.
 */
final class Terminal implements AutoCloseable {

    private final String name;

    private Terminal(String name) {
        this.name = name;
    }

    /**
     * Starts {@code cleanbackup ARGS} (this JVM's class path) in a 200x80 terminal, with the XDG folders under
     * {@code dir}; when it ends the screen shows {@code EXITED <code>}.
     */
    static Terminal start(Path dir, String... args) throws IOException, InterruptedException {
        boolean tmux;
        try {
            tmux = run("tmux", "-V").startsWith("tmux");
        } catch (IOException e) {
            tmux = false;
        }
        assumeTrue(tmux, "tmux is not installed (apt-get install tmux): a prompt needs a real terminal to test");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of("env",
                "XDG_DATA_HOME=" + dir.resolve("data"), "XDG_STATE_HOME=" + dir.resolve("state"),
                "XDG_CONFIG_HOME=" + dir.resolve("config"), "LC_ALL=C.UTF-8",
                quote(java), "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
                "-cp", quote(System.getProperty("java.class.path")), Main.class.getName()));
        for (String a : args) {
            command.add(quote(a));
        }
        command.add("; echo EXITED $?; sleep 30");
        Terminal t = new Terminal("cleanbackup-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        String started = t.tmux("new-session", "-d", "-s", t.name, "-x", "200", "-y", "80", String.join(" ", command));
        if (!started.isEmpty()) {
            throw new AssertionError("tmux new-session said: " + started);
        }
        return t;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", name, "-f", "/dev/null"));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    /** What the terminal shows, with its scroll-back. */
    String screen() throws IOException, InterruptedException {
        return tmux("capture-pane", "-p", "-S", "-500", "-t", name);
    }

    /** Types {@code text} and Enter. */
    void keys(String text) throws IOException, InterruptedException {
        tmux("send-keys", "-t", name, "-l", text);
        tmux("send-keys", "-t", name, "Enter");
    }

    /** Waits until the screen shows {@code text} more often than {@code occurrences} times, and returns the screen. */
    String waitFor(String text, int occurrences) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = screen();
            if (screen.split(java.util.regex.Pattern.quote(text), -1).length - 1 > occurrences) {
                return screen;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the screen never showed '" + text + "':\n" + screen);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        tmux("kill-server");
    }
}
