package org.cleanbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise of the journal: a real {@code dedupe --action move} in a child JVM is killed with SIGKILL at 20
 * different moments; after {@code undo} every original file is back at its path with its bytes, and nothing else
 * is left.
 */
class KillAndUndoIT {

    private static final int SONGS = 1000; // 1000 originals + 1000 duplicates = 2000 files
    private static final int KILL_POINTS = 20;

    @TempDir
    Path dir;

    @Test
    void killedAtAnyMomentThenUndoneLeavesTheTreeAsItWas() throws Exception {
        Random random = new Random(42);
        List<String> report = new ArrayList<>();
        for (int point = 0; point < KILL_POINTS; point++) {
            Path run = Files.createDirectories(dir.resolve("run" + point));
            Path library = run.resolve("library");
            Path inbox = run.resolve("inbox");
            Path out = run.resolve("dupes");
            makeTree(library, inbox, random);
            Map<String, String> before = files(run);

            // Kill once the out folder holds about this many files: from "before the first" to "nearly all".
            int killAt = point * SONGS / KILL_POINTS + random.nextInt(Math.max(1, SONGS / KILL_POINTS / 2));
            Process child = startDedupe(run, library, inbox, out, Files.createDirectories(dir.resolve("sqlite-tmp")));
            int movedWhenKilled = waitUntil(out, killAt, child);
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

            StringWriter err = new StringWriter();
            int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "undo",
                    "--journal", run.resolve("journal.db").toString(), "--log-file", run.resolve("undo.log").toString());
            assertThat(code).as("undo at kill point %d (%d moved): %s", point, movedWhenKilled, err)
                    .isIn(ExitCodes.OK, ExitCodes.USAGE); // USAGE: killed before anything was journaled done
            Map<String, String> after = files(run);
            assertThat(after).as("kill point %d after %d moves", point, movedWhenKilled).isEqualTo(before);
            report.add(movedWhenKilled + (code == ExitCodes.USAGE ? "(nothing to undo)" : ""));
        }
        // The kill points must really spread over the run, or this test proves little.
        assertThat(report).as("files moved when killed: %s", report).hasSize(KILL_POINTS);
        System.out.println("kill points (files moved when killed): " + report);
    }

    /**
     * The same promise for organize's import, whose copies go in batches (intents journaled together, copies written,
     * then forced together, then placed): killed at any moment, then undone, the library holds nothing, no temporary
     * file is left, and the inbox is as it was.
     */
    @Test
    void anOrganizeKilledAtAnyMomentThenUndoneLeavesNothingBehind() throws Exception {
        Random random = new Random(7);
        byte[] photo;
        try (var in = KillAndUndoIT.class.getResourceAsStream("/media/pentax-2004.jpg")) {
            photo = in.readAllBytes();
        }
        List<String> report = new ArrayList<>();
        for (int point = 0; point < ORGANIZE_KILL_POINTS; point++) {
            Path run = Files.createDirectories(dir.resolve("organize" + point));
            Path inbox = run.resolve("inbox");
            Path library = run.resolve("library");
            for (int i = 0; i < PHOTOS; i++) {
                // Distinct bytes after the end-of-image marker: a photo of its own, that every reader reads the same.
                Path p = inbox.resolve("card" + (i % 7) + "/IMG_" + i + ".jpg");
                Files.createDirectories(p.getParent());
                Files.write(p, java.nio.ByteBuffer.allocate(photo.length + 8).put(photo).putLong(i).array());
            }
            Map<String, String> before = files(run);

            // Counted in the library: placed photos and temporary files alike, so a kill can fall inside a batch.
            int killAt = point * PHOTOS / ORGANIZE_KILL_POINTS + random.nextInt(PHOTOS / ORGANIZE_KILL_POINTS / 2);
            List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-Dorg.sqlite.tmpdir=" + Files.createDirectories(dir.resolve("sqlite-tmp")), "-cp",
                    System.getProperty("java.class.path"), Main.class.getName(), "organize", "--journal",
                    run.resolve("journal.db").toString(), "--log-file", run.resolve("organize.log").toString(),
                    "--quiet", inbox.toString(), library.toString());
            Process child = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(run.resolve("organize.out").toFile()).start();
            int seenWhenKilled = waitUntil(library, killAt, child);
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

            StringWriter err = new StringWriter();
            int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "undo", "--journal",
                    run.resolve("journal.db").toString(), "--log-file", run.resolve("undo.log").toString());
            assertThat(code).as("undo at kill point %d (%d files seen): %s", point, seenWhenKilled, err)
                    .isIn(ExitCodes.OK, ExitCodes.USAGE); // USAGE: killed before anything was journaled done
            assertThat(files(run)).as("kill point %d after %d files", point, seenWhenKilled).isEqualTo(before);
            report.add(seenWhenKilled + (code == ExitCodes.USAGE ? "(nothing to undo)" : ""));
        }
        assertThat(report).hasSize(ORGANIZE_KILL_POINTS);
        System.out.println("organize kill points (files in the library when killed): " + report);
    }

    private static final int PHOTOS = 600;
    private static final int ORGANIZE_KILL_POINTS = 8;

    private static void makeTree(Path library, Path inbox, Random random) throws IOException {
        for (int i = 0; i < SONGS; i++) {
            byte[] song = new byte[1024 + random.nextInt(3072)];
            random.nextBytes(song);
            Path original = library.resolve("artist" + (i % 20) + "/song" + i + ".mp3");
            Path copy = inbox.resolve("folder" + (i % 37) + "/song" + i + " (1).mp3");
            for (Path p : List.of(original, copy)) {
                Files.createDirectories(p.getParent());
                Files.write(p, song);
                Files.setLastModifiedTime(p, FileTime.fromMillis(1_500_000_000_000L + i * 1000L));
            }
        }
    }

    private static Process startDedupe(Path run, Path library, Path inbox, Path out, Path sqliteTmp)
            throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        // sqlite-jdbc unpacks its native library into the temp folder and deletes it when the JVM exits; a killed
        // child never does, so its copy goes into the test's own folder, removed with it, not into /tmp.
        List<String> command = List.of(java, "-Dorg.sqlite.tmpdir=" + sqliteTmp, "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "dedupe", "--journal", run.resolve("journal.db").toString(), "--log-file",
                run.resolve("dedupe.log").toString(), "--quiet", "--reference", library.toString(), "--action", "move",
                "--to", out.toString(), inbox.toString());
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(run.resolve("dedupe.out").toFile()).start();
    }

    /** Polls until the out folder holds {@code count} files or the child ends; returns the count seen. */
    private static int waitUntil(Path out, int count, Process child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        int seen = 0;
        while (System.nanoTime() < deadline && child.isAlive()) {
            seen = countFiles(out);
            if (seen >= count) {
                return seen;
            }
            Thread.sleep(count == 0 ? 0 : 2);
        }
        return seen;
    }

    private static int countFiles(Path out) {
        if (!Files.isDirectory(out)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(out)) {
            return (int) walk.filter(Files::isRegularFile).count();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0; // the child is changing the tree under us: look again
        }
    }

    /** Every regular file under the run folder (the tool's own files aside) with its bytes and time. */
    private static Map<String, String> files(Path run) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(run)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String name = run.relativize(p).toString();
                if (name.startsWith("journal.db") || name.endsWith(".log") || name.endsWith(".out")) {
                    continue;
                }
                files.put(name, java.util.Arrays.hashCode(Files.readAllBytes(p)) + "@"
                        + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return files;
    }
}
