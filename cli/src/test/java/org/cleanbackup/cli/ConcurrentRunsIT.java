package org.cleanbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Never the last copy, with real processes: two or three {@code cleanbackup} runs start at once, after random delays,
 * on the same tree of duplicate pairs, each chosen at random from: delete keeping the oldest, delete keeping the
 * newest, a move keeping the newest to one --to folder, a move keeping the oldest to another, and organize --move.
 * Every time, every distinct content must still have a copy outside any trash, and undoing every session (newest
 * first) must give the tree back byte for byte. Five rounds in the build; {@code benchmarks/stress-concurrent.sh}
 * runs twenty ({@code -Dcleanbackup.stress.rounds=20}, {@code -Dcleanbackup.stress.seed=N} for other timings).
 */
class ConcurrentRunsIT {

    private static final int PAIRS = 200;

    @TempDir
    Path dir;

    @Test
    void runsAtOnceNeverTakeTheLastCopyAndUndoRestoresAll() throws Exception {
        int rounds = Integer.getInteger("cleanbackup.stress.rounds", 5);
        long seed = Long.getLong("cleanbackup.stress.seed", 7);
        Random random = new Random(seed);
        byte[] jpeg = tinyJpeg();
        Path sqliteTmp = Files.createDirectories(dir.resolve("sqlite-tmp"));
        List<String> codes = new ArrayList<>();
        long started = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            Path run = Files.createDirectories(dir.resolve("round" + round));
            Path tree = run.resolve("X");
            Set<String> contents = makePairs(tree, jpeg, random);
            Map<String, String> before = files(tree);
            Path journal = run.resolve("journal.db");

            // Together, the two deletes trashed every copy before the fix; the moves and organize take copies away too.
            List<List<String>> all = new ArrayList<>(List.of(
                    List.of("dedupe", "--keep", "oldest", "--action", "delete", tree.toString()),
                    List.of("dedupe", "--keep", "newest", "--action", "delete", tree.toString()),
                    List.of("dedupe", "--keep", "newest", "--action", "move", "--to", run.resolve("out1").toString(),
                            tree.toString()),
                    List.of("dedupe", "--keep", "oldest", "--action", "move", "--to", run.resolve("out2").toString(),
                            tree.toString()),
                    List.of("organize", "--move", tree.toString(), run.resolve("library").toString())));
            java.util.Collections.shuffle(all, random);
            List<List<String>> commands = all.subList(0, 2 + random.nextInt(2));
            List<Process> children = new ArrayList<>();
            for (List<String> c : commands) {
                Thread.sleep(random.nextInt(300));
                children.add(start(run, journal, sqliteTmp, c, children.size()));
            }
            StringBuilder exits = new StringBuilder();
            for (int i = 0; i < children.size(); i++) {
                Process p = children.get(i);
                assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
                exits.append(label(commands.get(i))).append('=').append(p.exitValue()).append(' ');
                assertThat(p.exitValue()).as("round %d exit codes %s", round, exits).isIn(0, 1, 2);
            }
            codes.add(exits.toString().trim());

            Set<String> left = new HashSet<>();
            for (Path p : regularFiles(run)) {
                String name = run.relativize(p).toString();
                if (!name.contains(".cleanbackup-trash") && !name.startsWith("journal.db") && !name.endsWith(".log")
                        && !name.endsWith(".out")) {
                    left.add(java.util.Arrays.toString(Files.readAllBytes(p)).hashCode() + "");
                }
            }
            assertThat(left).as("round %d (exit codes %s): a copy of every content outside any trash", round, exits)
                    .containsAll(contents);

            // Undo every session, newest first, until nothing is left to undo.
            for (int i = 0; i < 10; i++) {
                StringWriter err = new StringWriter();
                int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "undo", "--journal",
                        journal.toString(), "--log-file", run.resolve("undo.log").toString());
                if (code == ExitCodes.USAGE) {
                    break;
                }
                assertThat(code).as("round %d undo: %s", round, err).isZero();
            }
            assertThat(files(tree)).as("round %d: undo gives the tree back", round).isEqualTo(before);
        }
        System.out.printf("concurrent runs: %d of %d rounds passed in %.0f s (seed %d); per round, command=exit: %s%n",
                rounds, rounds, (System.nanoTime() - started) / 1e9, seed, codes);
    }

    /** "delete-oldest", "move-newest", "organize-move": which run, for the summary line. */
    private static String label(List<String> command) {
        return command.getFirst().equals("organize") ? "organize-move"
                : command.get(4) + "-" + command.get(2);
    }

    private static byte[] tinyJpeg() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "jpeg", out);
        return out.toByteArray();
    }

    /** Pairs a_i (older) and b_i (newer) of one content each: a JPEG with bytes of its own after its end. */
    private static Set<String> makePairs(Path tree, byte[] jpeg, Random random) throws IOException {
        Set<String> contents = new HashSet<>();
        for (int i = 0; i < PAIRS; i++) {
            byte[] tail = new byte[500 + random.nextInt(2000)];
            random.nextBytes(tail);
            byte[] bytes = java.util.Arrays.copyOf(jpeg, jpeg.length + tail.length);
            System.arraycopy(tail, 0, bytes, jpeg.length, tail.length);
            contents.add(java.util.Arrays.toString(bytes).hashCode() + "");
            Path a = tree.resolve("d" + (i % 7) + "/a" + i + ".jpg");
            Path b = tree.resolve("e" + (i % 5) + "/b" + i + ".jpg");
            Files.createDirectories(a.getParent());
            Files.createDirectories(b.getParent());
            Files.write(a, bytes);
            Files.write(b, bytes);
            Files.setLastModifiedTime(a, FileTime.fromMillis(978_307_200_000L + i * 1000L)); // 2001
            Files.setLastModifiedTime(b, FileTime.fromMillis(1_577_836_800_000L + i * 1000L)); // 2020
        }
        return contents;
    }

    private static Process start(Path run, Path journal, Path sqliteTmp, List<String> args, int n) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Dorg.sqlite.tmpdir=" + sqliteTmp,
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), args.getFirst(), "--journal", journal.toString(), "--log-file",
                run.resolve("run" + n + ".log").toString(), "--quiet"));
        command.addAll(args.subList(1, args.size()));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(run.resolve("run" + n + ".out").toFile()).start();
    }

    private static List<Path> regularFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    private static Map<String, String> files(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (!Files.exists(root)) {
            return files;
        }
        for (Path p : regularFiles(root)) {
            files.put(root.relativize(p).toString(), java.util.Arrays.hashCode(Files.readAllBytes(p)) + "@"
                    + Files.getLastModifiedTime(p).toMillis());
        }
        return files;
    }
}
