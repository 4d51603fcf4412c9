package org.cleanbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.cleanbackup.cache.HashCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashAndBackendsCommandTest {

    @TempDir
    Path dir;

    private String stdout;
    private String stderr;

    private int run(String... args) {
        if (args[0].equals("hash") && !List.of(args).contains("--cache") && !List.of(args).contains("--no-cache")) {
            // hash --phash reads and writes the hash cache: never the user's own
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--cache", dir.resolve("cache.db").toString()));
            args = all.toArray(String[]::new);
        }
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), args);
        stdout = o.toString();
        stderr = e.toString();
        return code;
    }

    @Test
    void hashPrintsOneLinePerFileAndProblemsOnStderr() throws IOException {
        SimilarDedupeTest.jpeg(SimilarDedupeTest.scene(7, 400, 300), dir.resolve("a.jpg"), 0.9f);
        Files.copy(dir.resolve("a.jpg"), dir.resolve("b.jpg"));
        Files.writeString(dir.resolve("c.jpg"), "not a picture");
        int code = run("hash", "--log-file", dir.resolve("log").toString(), dir.toString());
        assertThat(code).isEqualTo(ExitCodes.PROBLEMS);
        String[] lines = stdout.strip().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0].split("\t")[1]).matches("[0-9a-f]{16}").isEqualTo(lines[1].split("\t")[1]);
        assertThat(stderr.strip()).startsWith("problem: " + dir.resolve("c.jpg")).hasLineCount(2)
                .endsWith("note: Left out: 1 file of other types (no extension: 1)."); // the log file

        assertThat(run("hash", "--log-file", dir.resolve("log").toString(), "--content", "--orientations",
                dir.resolve("a.jpg").toString())).isZero();
        String[] fields = stdout.strip().split("\t");
        assertThat(fields[1].split(",")).hasSize(8);
        assertThat(fields[2]).matches("[0-9a-f]{32}");
    }

    /** hash --phash fills the cache dedupe --mode similar reads: the second command decodes nothing. */
    @Test
    void hashFillsTheHashCacheAndSimilarDedupeUsesIt() throws IOException {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        SimilarDedupeTest.jpeg(SimilarDedupeTest.scene(7, 400, 300), photos.resolve("a.jpg"), 0.9f);
        SimilarDedupeTest.jpeg(SimilarDedupeTest.scene(7, 400, 300), photos.resolve("b.jpg"), 0.6f);
        Path cache = dir.resolve("shared-cache.db");
        assertThat(run("hash", "--log-file", dir.resolve("log").toString(), "--cache", cache.toString(),
                photos.toString())).as(stderr).isZero();
        try (HashCache c = HashCache.open(cache)) {
            assertThat(c.stats().entries()).hasSize(1).allSatisfy((algorithm, n) -> {
                assertThat(algorithm).startsWith("phash-v1/");
                assertThat(n).isEqualTo(2L);
            });
        }
        assertThat(run("dedupe", "--mode", "similar", "--dry-run", "--cache", cache.toString(), "--journal",
                dir.resolve("j.db").toString(), "--log-file", dir.resolve("log").toString(), photos.toString()))
                .as(stderr).isZero();
        assertThat(stdout).contains("Images hashed: 0, from the cache: 2");
    }

    /**
     * hash --phash reads the cache similar dedupe filled: a value planted in the cache is what it prints, while the
     * file is unchanged; with --no-cache it hashes the file.
     */
    @Test
    void hashReadsTheHashCacheUnlessToldNotTo() throws IOException, SQLException {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        SimilarDedupeTest.jpeg(SimilarDedupeTest.scene(9, 400, 300), photos.resolve("a.jpg"), 0.9f);
        Path cache = dir.resolve("shared-cache.db");
        assertThat(run("dedupe", "--mode", "similar", "--dry-run", "--cache", cache.toString(), "--journal",
                dir.resolve("j.db").toString(), "--log-file", dir.resolve("log").toString(), photos.toString()))
                .as(stderr).isZero();
        assertThat(run("hash", "--log-file", dir.resolve("log").toString(), "--no-cache", photos.toString())).isZero();
        String real = stdout.strip().split("\t")[1];
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + cache);
             Statement st = db.createStatement()) {
            assertThat(st.executeUpdate("UPDATE hashes SET value = '0123456789abcdef' WHERE algorithm LIKE 'phash-v1/%'"))
                    .isEqualTo(1);
        }
        assertThat(run("hash", "--log-file", dir.resolve("log").toString(), "--cache", cache.toString(),
                photos.toString())).as(stderr).isZero();
        assertThat(stdout.strip().split("\t")[1]).as("from the cache").isEqualTo("0123456789abcdef");
        assertThat(run("hash", "--log-file", dir.resolve("log").toString(), "--no-cache", photos.toString())).isZero();
        assertThat(stdout.strip().split("\t")[1]).isEqualTo(real).isNotEqualTo("0123456789abcdef");
    }

    @Test
    void contentAloneHashesEveryMediaFileOfAFolderAndNoImageIsDecoded() throws IOException {
        Files.writeString(dir.resolve("song.mp3"), "la la la");
        Files.writeString(dir.resolve("not-a-picture.jpg"), "la la la"); // decoding it would be a problem
        assertThat(run("hash", "--log-file", dir.resolve("log").toString(), "--content", dir.toString()))
                .as(stderr).isZero();
        String[] lines = stdout.strip().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0].split("\t")).hasSize(2);
        assertThat(lines[0].split("\t")[1]).matches("[0-9a-f]{32}").isEqualTo(lines[1].split("\t")[1]);
        assertThat(stderr).as("no problem; the log file, of no media type, is counted as left out")
                .isEqualTo("note: Left out: 1 file of other types (no extension: 1).\n");
    }

    @Test
    void everyBackendGivesTheSameBitsOnAPaintedPhoto() throws IOException {
        SimilarDedupeTest.jpeg(SimilarDedupeTest.scene(8, 640, 480), dir.resolve("a.png"), 0.9f);
        run("backends");
        assertThat(stdout).contains("scalar").contains("vector").contains("native");
        String expected = null;
        for (String backend : new String[] {"scalar", "vector"}) {
            assertThat(run("hash", "--log-file", dir.resolve("log").toString(), "--backend", backend,
                    dir.resolve("a.png").toString())).as(stderr).isZero();
            String hash = stdout.strip().split("\t")[1];
            if (expected != null) {
                assertThat(hash).as(backend).isEqualTo(expected);
            }
            expected = hash;
        }
    }

    @Test
    void backendsBenchmarkNamesAnUnreadableFileOnceAndTimesTheRest() throws IOException {
        SimilarDedupeTest.jpeg(SimilarDedupeTest.scene(3, 300, 200), dir.resolve("a.jpg"), 0.9f);
        Files.write(dir.resolve("broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x00, 0x01});
        int code = run("backends", "--benchmark", "--log-file", dir.resolve("log").toString(), dir.toString());
        assertThat(code).isEqualTo(ExitCodes.PROBLEMS);
        // every usable backend fails on it, and it is named once all the same
        assertThat(stderr.lines().filter(l -> l.startsWith("problem: "))).singleElement().asString()
                .contains("broken.jpg");
        assertThat(stdout).contains("Timing on 1 image").contains("1 file left out").contains("Fastest here:");
    }
}
