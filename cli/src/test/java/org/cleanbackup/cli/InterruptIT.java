package org.cleanbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C and kill, with a real process: a {@code dedupe --action move} of large files to another file system
 * (/dev/shm, a tmpfs, to the test's folder on disk: every move is a copy, verify, delete), or, without a second file
 * system, a {@code --action copy}, gets SIGINT, then SIGTERM, in the middle. It must exit 130 (143), name the
 * {@code cleanbackup undo N} that reverses it, leave no partial file under a real name and no temporary file, and
 * {@code undo} must give the tree back byte for byte.
 */
class InterruptIT {

    private static final int FILES = 12;
    private static final int SIZE = 16 << 20;

    @TempDir
    Path dir;

    @Test
    void ctrlCAndKillFinishOrRollBackTheFileInProgressSayWhatWasDoneAndUndoGivesAllBack() throws Exception {
        Path shm = Path.of("/dev/shm");
        boolean otherFileSystem = Files.isDirectory(shm) && Files.isWritable(shm)
                && !Files.getFileStore(shm).equals(Files.getFileStore(dir));
        Path base = otherFileSystem ? Files.createTempDirectory(shm, "cleanbackup-interrupt-") : dir.resolve("src");
        try {
            List<String> seen = new ArrayList<>();
            for (String signal : List.of("INT", "TERM")) {
                seen.add(signal + ": " + interruptOnce(base.resolve(signal), dir.resolve(signal), signal,
                        otherFileSystem));
            }
            System.out.println("interrupted runs (" + (otherFileSystem ? "move across file systems" : "copy") + "): "
                    + seen);
        } finally {
            if (otherFileSystem) {
                deleteTree(base);
            }
        }
    }

    private String interruptOnce(Path sources, Path work, String signal, boolean otherFileSystem) throws Exception {
        Path library = sources.resolve("library");
        Path inbox = sources.resolve("inbox");
        Path out = work.resolve("dupes");
        Files.createDirectories(work);
        Random random = new Random(signal.hashCode());
        byte[] bytes = new byte[SIZE];
        for (int i = 0; i < FILES; i++) {
            random.nextBytes(bytes);
            for (Path p : List.of(library.resolve("clip" + i + ".mov"), inbox.resolve("clip" + i + ".mov"))) {
                Files.createDirectories(p.getParent());
                Files.write(p, bytes);
                Files.setLastModifiedTime(p, FileTime.fromMillis(1_500_000_000_000L + i * 1000L));
            }
        }
        Map<String, String> before = files(sources);
        Path journal = work.resolve("journal.db");

        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = List.of(java, "-Dorg.sqlite.tmpdir=" + Files.createDirectories(work.resolve("sqlite")),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "dedupe", "--journal", journal.toString(), "--log-file",
                work.resolve("run.log").toString(), "--reference", library.toString(), "--action",
                otherFileSystem ? "move" : "copy", "--to", out.toString(), inbox.toString());
        Path output = work.resolve("run.out");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();

        // Signal once the second file is being written: some done, one in progress, more to come.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (child.isAlive() && System.nanoTime() < deadline && countFiles(out) < 2) {
            Thread.sleep(5);
        }
        int whenSignalled = countFiles(out);
        new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).start().waitFor();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("stopped within a minute").isTrue();
        String said = Files.readString(output);

        assertThat(child.exitValue()).as("exit status after SIG%s: %s", signal, said)
                .isEqualTo(signal.equals("INT") ? 130 : 143);
        Matcher undo = Pattern.compile("'cleanbackup undo (\\d+)'").matcher(said);
        assertThat(undo.find()).as("names the undo command: %s", said).isTrue();
        assertThat(said).contains("cleanbackup: interrupted: ");

        // Nothing partial under a real name, no temporary file anywhere, and the run really stopped early.
        List<Path> placed = regularFiles(out);
        for (Path p : placed) {
            assertThat(p.getFileName().toString()).as("a temporary file left").doesNotStartWith(".cleanbackup-tmp-");
            assertThat(Files.mismatch(p, library.resolve(p.getFileName().toString()))).as("%s is whole", p)
                    .isEqualTo(-1L);
        }
        assertThat(regularFiles(sources)).noneMatch(p -> p.getFileName().toString().startsWith(".cleanbackup-tmp-"));
        assertThat(placed.size()).as("stopped before the end (%d files when signalled): %s", whenSignalled, said)
                .isBetween(1, FILES - 1);

        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "undo", undo.group(1),
                "--journal", journal.toString(), "--log-file", work.resolve("undo.log").toString());
        assertThat(code).as("undo: %s", err).isZero();
        assertThat(files(sources)).as("undo gives the tree back").isEqualTo(before);
        assertThat(regularFiles(out)).isEmpty();
        return placed.size() + " of " + FILES + " done, exit " + child.exitValue();
    }

    private static int countFiles(Path root) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return (int) walk.filter(Files::isRegularFile).count();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0; // the child is changing the tree: look again
        }
    }

    private static List<Path> regularFiles(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    /** Every file with a digest of its bytes and its modification time. */
    private static Map<String, String> files(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        for (Path p : regularFiles(root)) {
            files.put(root.relativize(p).toString(), Arrays.hashCode(Files.readAllBytes(p)) + "@"
                    + Files.getLastModifiedTime(p).toMillis());
        }
        return files;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
