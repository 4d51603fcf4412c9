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
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A duplicate photo with its sidecars and Live Photo video, through the real command line: the companions go where
 * the duplicate goes, the kept copy gets the sidecars it lacked, and undo restores the tree byte for byte.
 */
class DedupeCompanionsTest {

    @TempDir
    Path dir;

    private Path photos;
    private Path dupes;
    private String stdout;
    private String stderr;

    private Path write(Path file, byte[] bytes, long time) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        Files.setLastModifiedTime(file, FileTime.fromMillis(time));
        return file;
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /**
     * kept/IMG_1.jpg with its Live Photo video, no sidecars; backup/IMG_1.jpg the same photo, its video the same
     * video (an exact duplicate of its own), with an {@code IMG_1.xmp} and an {@code IMG_1.jpg.aae}.
     */
    @BeforeEach
    void aPhotoBackedUpWithItsCompanions() throws IOException {
        photos = dir.resolve("photos");
        dupes = dir.resolve("dupes");
        Files.createDirectories(dir.resolve("state"));
        byte[] still = random(20_000, 1);
        byte[] video = random(50_000, 2);
        write(photos.resolve("kept/IMG_1.jpg"), still, 1_500_000_000_000L);
        write(photos.resolve("kept/IMG_1.MOV"), video, 1_500_000_000_000L);
        write(photos.resolve("backup/IMG_1.jpg"), still, 1_600_000_000_000L);
        write(photos.resolve("backup/IMG_1.MOV"), video, 1_600_000_000_000L);
        write(photos.resolve("backup/IMG_1.xmp"), "<x:xmpmeta rating='5'/>".getBytes(), 1_600_000_000_000L);
        write(photos.resolve("backup/IMG_1.jpg.aae"), "<plist>crop</plist>".getBytes(), 1_600_000_000_000L);
        write(photos.resolve("backup/notes.txt"), "not a companion".getBytes(), 1_600_000_000_000L);
    }

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(1, List.of("--journal", dir.resolve("state/journal.db").toString(),
                "--log-file", dir.resolve("state/log.txt").toString()));
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), all.toArray(String[]::new));
        stdout = o.toString();
        stderr = e.toString();
        return code;
    }

    /** Every file and folder of the user's tree (photos and dupes) with its bytes and modification time. */
    private Map<String, String> tree() throws IOException {
        Map<String, String> tree = new TreeMap<>();
        for (Path root : List.of(photos, dupes)) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : walk.toList()) {
                    tree.put(dir.relativize(p).toString(), Files.isDirectory(p) ? "dir"
                            : java.util.Arrays.hashCode(Files.readAllBytes(p)) + "@"
                            + Files.getLastModifiedTime(p).toMillis());
                }
            }
        }
        return tree;
    }

    @Test
    void moveTakesTheCompanionsAlongGivesTheKeptCopyWhatItLackedAndUndoRestoresEverything() throws IOException {
        Map<String, String> before = tree();
        Path planned = dir.resolve("state/plan.json");

        assertThat(run("dedupe", "--dry-run", "--action", "move", "--to", dupes.toString(), "--json",
                planned.toString(), photos.toString())).as(stderr).isZero();
        assertThat(stdout).contains("sidecar of the duplicate IMG_1.jpg given to the kept copy IMG_1.jpg, which had none")
                .contains("Live Photo video of IMG_1.jpg")
                .contains("Companions (sidecars, Live Photo videos): 3 to go with their file, 2 given");
        assertThat(tree()).as("a dry run changes nothing").isEqualTo(before);
        assertThat(Files.readString(planned)).contains("\"companionOf\"", "\"givenToKept\" : true");

        int code = run("dedupe", "--action", "move", "--to", dupes.toString(), photos.toString());

        assertThat(code).as(stderr).isZero();
        Path moved = dupes.resolve("photos/backup");
        try (Stream<Path> files = Files.list(moved)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("IMG_1.MOV", "IMG_1.jpg", "IMG_1.jpg.aae", "IMG_1.xmp");
        }
        try (Stream<Path> files = Files.list(photos.resolve("backup"))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("notes.txt");
        }
        assertThat(photos.resolve("kept/IMG_1.xmp")).hasSameBinaryContentAs(moved.resolve("IMG_1.xmp"));
        assertThat(photos.resolve("kept/IMG_1.jpg.aae")).hasSameBinaryContentAs(moved.resolve("IMG_1.jpg.aae"));
        assertThat(stdout).contains("Move: 1 done").contains("3 went with their file, 2 given to a kept copy");
        assertThat(stderr).doesNotContain("problem:");

        assertThat(run("undo")).as(stderr).isZero();

        assertThat(tree()).isEqualTo(before);
    }

    @Test
    void deleteTrashesTheCompanionsWithTheDuplicateAndUndoRestoresEverything() throws IOException {
        Map<String, String> before = tree();

        int code = run("dedupe", "--action", "delete", photos.toString());

        assertThat(code).as(stderr).isZero();
        try (Stream<Path> files = Files.list(photos.resolve("backup"))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("notes.txt");
        }
        Path trash;
        try (Stream<Path> sessions = Files.list(photos.resolve(".cleanbackup-trash"))) {
            trash = sessions.findFirst().orElseThrow().resolve("backup");
        }
        try (Stream<Path> files = Files.list(trash)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("IMG_1.MOV", "IMG_1.jpg", "IMG_1.jpg.aae", "IMG_1.xmp");
        }
        assertThat(photos.resolve("kept/IMG_1.xmp")).exists();

        assertThat(run("undo")).as(stderr).isZero();

        assertThat(tree()).isEqualTo(before);
    }
}
