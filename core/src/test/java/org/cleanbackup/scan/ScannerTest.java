package org.cleanbackup.scan;

import org.cleanbackup.model.FileId;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.MediaType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScannerTest {

    @TempDir
    Path dir;

    private Path write(String relative, String content) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private ScanResult scan(ScanOptions options) {
        return new Scanner(options).scan();
    }

    private static List<String> names(ScanResult result) {
        return result.files().stream().map(f -> f.path().getFileName().toString()).sorted().toList();
    }

    @Test
    void keepsMediaOfTheAskedTypesWhateverTheCaseOfTheExtension() throws IOException {
        write("a.MP3", "x");
        write("b.Flac", "x");
        write("c.jpg", "x");
        write("notes.txt", "x");
        write("noext", "x");
        var audio = scan(ScanOptions.of(List.of(ScanRoot.source(dir)), Set.of(MediaType.AUDIO)));
        assertThat(names(audio)).containsExactly("a.MP3", "b.Flac");
        var custom = scan(new ScanOptions(List.of(ScanRoot.source(dir)), Set.of(".TXT"), false, false, List.of()));
        assertThat(names(custom)).containsExactly("notes.txt");
    }

    @Test
    void emptyFilesAreLeftOutUnlessAsked() throws IOException {
        write("empty.mp3", "");
        write("full.mp3", "x");
        var options = ScanOptions.of(List.of(ScanRoot.source(dir)), MediaType.all());
        assertThat(names(scan(options))).containsExactly("full.mp3");
        assertThat(names(scan(options.with(false, true)))).containsExactly("empty.mp3", "full.mp3");
    }

    @Test
    void symbolicLinksAreNotFollowedByDefaultAndLoopsAreReportedWhenFollowing() throws IOException {
        Path real = write("real/a.mp3", "x");
        Files.createSymbolicLink(dir.resolve("link-to-file.mp3"), real);
        Files.createSymbolicLink(dir.resolve("real/loop"), dir); // real/loop -> dir, which contains real
        var options = ScanOptions.of(List.of(ScanRoot.source(dir)), MediaType.all());

        var plain = scan(options);
        assertThat(names(plain)).containsExactly("a.mp3");
        assertThat(plain.problems()).isEmpty();

        var following = scan(options.with(true, false));
        assertThat(names(following)).contains("a.mp3", "link-to-file.mp3");
        assertThat(following.problems()).anySatisfy(p -> assertThat(p.message()).contains("loop"));
    }

    @Test
    void missingRepeatedAndNestedRootsAreReportedAndFilesCountedOnce() throws IOException {
        write("music/a.mp3", "a");
        write("music/ref/b.mp3", "b");
        var result = scan(ScanOptions.of(List.of(ScanRoot.source(dir.resolve("music")),
                ScanRoot.source(dir.resolve("music")), ScanRoot.reference(dir.resolve("music/ref")),
                ScanRoot.source(dir.resolve("nope"))), MediaType.all()));
        assertThat(names(result)).containsExactly("a.mp3", "b.mp3");
        assertThat(result.files()).filteredOn(f -> f.path().endsWith("b.mp3")).singleElement()
                .satisfies(f -> assertThat(f.reference()).as("a reference inside a source stays protected").isTrue());
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo(dir.resolve("nope"));
            assertThat(p.message()).isEqualTo("folder does not exist");
        });
        assertThat(result.notes()).anySatisfy(n -> assertThat(n).contains("twice"))
                .anySatisfy(n -> assertThat(n).contains("inside"));
    }

    @Test
    void oddNamesAreScannedLikeAnyOther() throws IOException {
        write("with space and ümlaut.mp3", "1");
        write("new\nline.mp3", "2");
        String longName = "x".repeat(251) + ".mp3"; // 255 bytes, the usual limit
        write(longName, "3");
        assertThat(names(scan(ScanOptions.of(List.of(ScanRoot.source(dir)), MediaType.all()))))
                .containsExactlyInAnyOrder("with space and ümlaut.mp3", "new\nline.mp3", longName);
    }

    @Test
    void aNameThatIsNotUtf8IsReportedAndSkipped() throws Exception {
        Process p = new ProcessBuilder("bash", "-c", "touch \"$1/bad$(printf '\\377')name.mp3\"", "bash",
                dir.toString()).start();
        assumeTrue(p.waitFor() == 0, "bash could not create a non-UTF-8 file name here");
        write("good.mp3", "x");
        var result = scan(ScanOptions.of(List.of(ScanRoot.source(dir)), MediaType.all()).with(false, true));
        assertThat(names(result)).containsExactly("good.mp3");
        assertThat(result.problems()).singleElement()
                .satisfies(pr -> assertThat(pr.message()).contains("not valid UTF-8"));
        assertThat(result.leftOut().unreadable()).as("skipped, and counted as left out").isEqualTo(1);
    }

    @Test
    void filesInAFolderWhoseNameIsNotUtf8AreFoundWithTheirRealPath() throws Exception {
        Process p = new ProcessBuilder("bash", "-c", "mkdir \"$1/bad$(printf '\\377')folder\" && "
                + "printf 12345 > \"$1/bad$(printf '\\377')folder/x.mp3\"", "bash", dir.toString()).start();
        assumeTrue(p.waitFor() == 0, "bash could not create a non-UTF-8 name here");

        var result = scan(ScanOptions.of(List.of(ScanRoot.source(dir)), MediaType.all()));

        assertThat(result.files()).singleElement().satisfies(f -> {
            assertThat(f.size()).isEqualTo(5);
            assertThat(Files.readAllBytes(f.path())).as("the path names the real file").hasSize(5);
        });
    }

    @Test
    void theTrashAndExcludedFoldersAreNeverScanned() throws IOException {
        write("a.mp3", "x");
        write(ScanOptions.TRASH_FOLDER + "/1/a.mp3", "x");
        write("out/a.mp3", "x");
        var result = scan(ScanOptions.of(List.of(ScanRoot.source(dir)), MediaType.all())
                .excluding(List.of(dir.resolve("out"))));
        assertThat(result.files()).extracting(MediaFile::path).containsExactly(dir.toRealPath().resolve("a.mp3"));
    }

    @Test
    void unreadableFoldersAreProblemsNotStops() throws IOException {
        assumeTrue(!"root".equals(System.getProperty("user.name")),
                "running as root: permissions do not stop root, so an unreadable folder cannot be made");
        write("locked/a.mp3", "x");
        write("open/b.mp3", "x");
        Path locked = dir.resolve("locked");
        locked.toFile().setReadable(false);
        try {
            var result = scan(ScanOptions.of(List.of(ScanRoot.source(dir)), MediaType.all()));
            assertThat(names(result)).containsExactly("b.mp3");
            assertThat(result.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("permission"));
        } finally {
            locked.toFile().setReadable(true);
        }
    }

    @Test
    void filesComeInTheOrderOfASingleThreadedDepthFirstWalk() throws IOException {
        // Many folders at several depths, so that several threads list at once.
        for (int a = 0; a < 12; a++) {
            for (int b = 0; b < 6; b++) {
                write("d" + a + "/e" + b + "/f" + (a * 7 + b) + ".mp3", "x" + a + b);
                write("d" + a + "/g" + b + ".mp3", "y");
            }
            write("h" + a + ".mp3", "z");
        }
        List<Path> expected = new java.util.ArrayList<>();
        Files.walkFileTree(dir.toRealPath(), new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
                expected.add(file);
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });

        var result = scan(ScanOptions.of(List.of(ScanRoot.source(dir)), MediaType.all()));

        assertThat(result.files()).extracting(MediaFile::path).containsExactlyElementsOf(expected);
    }

    @Test
    void hardLinksAreCountedOnceInTheTotalSize() throws IOException {
        Path a = write("a.mp3", "12345");
        Files.createLink(dir.resolve("b.mp3"), a);
        var result = scan(ScanOptions.of(List.of(ScanRoot.source(dir)), MediaType.all()));
        assertThat(result.files()).hasSize(2);
        assertThat(result.totalBytes()).isEqualTo(5);
    }

    @Test
    void theTotalSizeTellsFilesApartByDeviceAndInode() {
        Path root = dir.toAbsolutePath();
        List<MediaFile> files = List.of(
                new MediaFile(root.resolve("a"), root, false, 10, 0, new FileId(1, 7)),
                new MediaFile(root.resolve("b"), root, false, 10, 0, new FileId(2, 7)), // same inode, other disk
                new MediaFile(root.resolve("c"), root, false, 10, 0, new FileId(1, 7)), // a link to a
                new MediaFile(root.resolve("d"), root, false, 3, 0, null), // no id: counted
                new MediaFile(root.resolve("e"), root, false, 4, 0, new FileId(1, 8)));

        assertThat(new ScanResult(files, List.of(), List.of()).totalBytes()).isEqualTo(10 + 10 + 3 + 4);
    }

    /**
     * Every regular file is asked for with "*", never by an empty set; the trash and temporary copies stay out, and
     * what is left out is counted by reason (in source folders only).
     */
    @Test
    void everyFileMeansAnyExtensionButNeverTheTrashOrATemporaryCopy() throws IOException {
        write("docs/manual.pdf", "%PDF-1.4 a");
        write("docs/archive.zip", "PK a");
        write("docs/README", "no extension");
        write("docs/photo.jpg", "jpeg");
        write(".cleanbackup-trash/3/old.pdf", "%PDF-1.4 b");
        write("docs/.cleanbackup-tmp-0000000100000001.part", "half a copy");
        write("docs/empty.pdf", "");
        Files.createSymbolicLink(dir.resolve("docs/link.pdf"), dir.resolve("docs/manual.pdf"));
        List<ScanRoot> roots = List.of(ScanRoot.source(dir));

        var every = scan(ScanOptions.everyFile(roots));
        assertThat(names(every)).containsExactly("README", "archive.zip", "manual.pdf", "photo.jpg");
        assertThat(every.leftOut()).isEqualTo(new LeftOut(java.util.Map.of(), 1, 1, 0, 0));
        assertThat(new ScanOptions(roots, Set.of("pdf", "*"), false, false, List.of()).extensions())
                .as("'*' among others still means any").isEqualTo(ScanOptions.EVERY_FILE);

        var media = scan(ScanOptions.of(roots, MediaType.all()));
        assertThat(names(media)).containsExactly("photo.jpg");
        // the empty PDF is counted by its extension: it was never asked for, empty or not
        assertThat(media.leftOut().byExtension()).isEqualTo(java.util.Map.of("pdf", 2L, "zip", 1L, "", 1L));
        assertThat(media.leftOut().notRegular()).isEqualTo(1);
        assertThat(media.leftOut().describe()).isEqualTo("Left out: 4 files of other types (.pdf: 2,"
                + " no extension: 1, .zip: 1), 1 link or special file (not followed).");

        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new ScanOptions(roots, Set.of(), false, false, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EVERY_FILE");
    }

    @Test
    void anUnreadableFolderIsAProblemAndCountedAsLeftOut() throws IOException {
        Path locked = Files.createDirectories(dir.resolve("locked"));
        write("locked/a.mp3", "x");
        write("open/b.mp3", "y");
        Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
        try {
            assumeTrue(!Files.isReadable(locked), "running as a user who reads every folder (root)");
            var result = scan(ScanOptions.of(List.of(ScanRoot.source(dir)), MediaType.all()));
            assertThat(names(result)).containsExactly("b.mp3");
            assertThat(result.problems()).singleElement().satisfies(p -> assertThat(p.path()).isEqualTo(locked));
            assertThat(result.leftOut().unreadable()).isEqualTo(1);
            assertThat(result.leftOut().describe()).isEqualTo("Left out: 1 unreadable (a problem).");
        } finally {
            Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        }
    }
}
