package org.cleanbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guided menu, driven as a person would: the real command in a pseudo-terminal (tmux), keys sent, the screen
 * read back. CI installs tmux; without it the test is skipped and says why.
 */
class GuidedModeTest {

    @TempDir
    Path dir;

    private final String session = "cleanbackup-test-" + ProcessHandle.current().pid();
    /** A tmux server of our own (its own socket, no user config), so no other tmux session can interfere. */
    private final String socket = "cleanbackup-test-" + ProcessHandle.current().pid();

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 5];
        command[0] = "tmux";
        command[1] = "-L";
        command[2] = socket;
        command[3] = "-f";
        command[4] = "/dev/null";
        System.arraycopy(args, 0, command, 5, args.length);
        return run(command);
    }

    private String screen() throws IOException, InterruptedException {
        return tmux("capture-pane", "-p", "-S", "-500", "-t", session);
    }

    private void keys(String text) throws Exception {
        tmux("send-keys", "-t", session, "-l", text);
        tmux("send-keys", "-t", session, "Enter");
    }

    /** Waits until the screen shows {@code text} (after the given number of earlier occurrences). */
    private String waitFor(String text, int occurrences) throws Exception {
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

    @AfterEach
    void closeSession() throws Exception {
        tmux("kill-server");
    }

    @Test
    void organizeThenSimilarDedupeThenUndoThenQuit() throws Exception {
        boolean tmux;
        try {
            tmux = run("tmux", "-V").startsWith("tmux");
        } catch (IOException e) {
            tmux = false;
        }
        assumeTrue(tmux, "tmux is not installed (apt-get install tmux): the menu needs a real terminal to test");
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Path library = dir.resolve("Library");
        SimilarDedupeTest.jpeg(SimilarDedupeTest.scene(11, 900, 600), inbox.resolve("IMG_20190504_101010.jpg"), 0.9f);
        SimilarDedupeTest.jpeg(SimilarDedupeTest.resized(SimilarDedupeTest.scene(11, 900, 600), 0.5),
                inbox.resolve("IMG_20190504_101010-small.jpg"), 0.9f);
        SimilarDedupeTest.jpeg(SimilarDedupeTest.scene(12, 900, 600), inbox.resolve("IMG_20200101_090000.jpg"), 0.9f);

        String java = ProcessHandle.current().info().command().orElse("java");
        String command = String.join(" ", List.of("env",
                "XDG_DATA_HOME=" + dir.resolve("data"), "XDG_STATE_HOME=" + dir.resolve("state"),
                "XDG_CONFIG_HOME=" + dir.resolve("config"), "LC_ALL=C.UTF-8",
                "'" + java + "'", "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
                "-cp", "'" + System.getProperty("java.class.path") + "'", Main.class.getName(),
                "; echo MENU-EXITED $?; sleep 30"));
        String started = tmux("new-session", "-d", "-s", session, "-x", "200", "-y", "80", command);
        assertThat(started).as("tmux new-session said").isEmpty();

        waitFor("Choice [q]:", 0);
        keys("1");
        waitFor("Folder to import from", 0);
        keys(inbox.toString());
        waitFor("Library folder to import into", 0);
        keys(library.toString());
        waitFor("Move the files instead", 0);
        keys("n");
        String preview = waitFor("Do it? (y/N)", 0);
        assertThat(preview).contains("Dry run").contains("2019/05");
        assertThat(library).as("nothing before the yes").doesNotExist();
        keys("y");
        waitFor("Journal session 1", 0);
        assertThat(library.resolve("2019/05/IMG_20190504_101010.jpg")).exists();
        assertThat(library.resolve("2020/01/IMG_20200101_090000.jpg")).exists();

        waitFor("Choice [q]:", 1);
        keys("2");
        waitFor("Which duplicates?", 0);
        keys("s");
        waitFor("Folder to search", 0);
        keys(inbox.toString());
        waitFor("protected reference folder", 0);
        keys("");
        waitFor("Then: r = only report", 0);
        keys("d");
        String similar = waitFor("Do it? (y/N)", 1);
        assertThat(similar).contains("IMG_20190504_101010-small.jpg").contains("1 duplicate");
        keys("y");
        waitFor("Journal session 2", 0);
        assertThat(inbox.resolve("IMG_20190504_101010-small.jpg")).as("in the trash now").doesNotExist();

        waitFor("Choice [q]:", 2);
        keys("4");
        waitFor("Session to undo", 0);
        keys("");
        waitFor("Undo it now?", 0);
        keys("y");
        waitFor("This undo is session 3", 0);
        assertThat(inbox.resolve("IMG_20190504_101010-small.jpg")).as("back from the trash").exists();

        waitFor("Choice [q]:", 3);
        keys("5");
        waitFor("Folder to compress", 0);
        keys(inbox.toString());
        waitFor("Level: 1 = high quality", 0);
        keys("3");
        waitFor("Replace the originals", 0);
        keys("n");
        Path small = dir.resolve("small");
        waitFor("Folder to write the smaller copies to", 0);
        keys(small.toString());
        String compressPreview = waitFor("Do it? (y/N)", 2);
        assertThat(compressPreview).contains("Dry run").contains("level 3");
        assertThat(small).as("nothing before the yes").doesNotExist();
        keys("y");
        waitFor("Journal session 4", 0);
        assertThat(small.resolve("IMG_20190504_101010.jpg")).exists();

        waitFor("Choice [q]:", 4);
        keys("q");
        String end = waitFor("MENU-EXITED", 0);
        assertThat(end).contains("Bye.").contains("MENU-EXITED 0");
        List<String> left = new ArrayList<>();
        try (Stream<Path> s = Files.list(inbox)) {
            s.forEach(p -> left.add(p.getFileName().toString()));
        }
        assertThat(left).containsExactlyInAnyOrder("IMG_20190504_101010.jpg", "IMG_20190504_101010-small.jpg",
                "IMG_20200101_090000.jpg");
    }

    @Test
    void withoutATerminalItPrintsUsageAndExits2() {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("Usage: cleanbackup").contains("guided menu");
    }
}
