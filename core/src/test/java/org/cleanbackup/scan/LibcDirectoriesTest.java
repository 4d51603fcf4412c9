package org.cleanbackup.scan;

import org.cleanbackup.model.FileId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The C library's folder listing against Java's: the same entries, in the same order, with the same attributes. */
class LibcDirectoriesTest {

    @TempDir
    Path dir;

    private LibcDirectories libc;

    @BeforeEach
    void onLinux() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "the C library listing is for Linux");
        // Surefire runs with --enable-native-access and UTF-8 names: the listing must be on here, or the scanner
        // tests would only test Java's.
        assertThat(LibcDirectories.get()).isPresent();
        libc = LibcDirectories.get().orElseThrow();
    }

    private List<Path> javaListing(Path folder) throws IOException {
        List<Path> paths = new ArrayList<>();
        try (var listing = Files.newDirectoryStream(folder)) {
            listing.forEach(paths::add);
        }
        return paths;
    }

    @Test
    void entriesAndAttributesAreJavasInJavasOrder() throws IOException {
        for (int i = 0; i < 40; i++) {
            Files.write(dir.resolve("file " + i + " é.mp3"), new byte[i * 37]);
        }
        Files.setLastModifiedTime(dir.resolve("file 3 é.mp3"), FileTime.fromMillis(1_234_567_890_123L));
        Files.createDirectory(dir.resolve("sub"));
        Files.createSymbolicLink(dir.resolve("link.mp3"), dir.resolve("file 5 é.mp3"));
        Files.createSymbolicLink(dir.resolve("broken.mp3"), dir.resolve("nowhere"));
        Files.createLink(dir.resolve("hard.mp3"), dir.resolve("file 7 é.mp3"));

        List<LibcDirectories.Entry> listed = libc.list(dir, false).orElseThrow();

        assertThat(listed).extracting(LibcDirectories.Entry::path).containsExactlyElementsOf(javaListing(dir));
        for (LibcDirectories.Entry entry : listed) {
            BasicFileAttributes expected = Files.readAttributes(entry.path(), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            LibcDirectories.Attributes actual = entry.attributes();
            assertThat(actual).as(entry.path().toString()).isNotNull();
            assertThat(entry.name()).isEqualTo(entry.path().getFileName().toString());
            assertThat(actual.isRegularFile()).isEqualTo(expected.isRegularFile());
            assertThat(actual.isDirectory()).isEqualTo(expected.isDirectory());
            assertThat(actual.isSymbolicLink()).isEqualTo(expected.isSymbolicLink());
            assertThat(actual.size()).isEqualTo(expected.size());
            assertThat(actual.lastModifiedTime()).isEqualTo(expected.lastModifiedTime());
            assertThat(actual.fileKey()).isEqualTo(FileId.fromFileKey(expected.fileKey()));
        }
        assertThat(listed).filteredOn(e -> e.path().endsWith("hard.mp3")).singleElement()
                .satisfies(e -> assertThat(e.attributes().fileKey()).isEqualTo(listed.stream()
                        .filter(o -> o.path().endsWith("file 7 é.mp3")).findFirst().orElseThrow()
                        .attributes().fileKey()));
    }

    @Test
    void followingLinksReadsTheTargetAndLeavesABrokenLinkToJava() throws IOException {
        Path target = Files.write(dir.resolve("target.mp3"), new byte[1000]);
        Files.createSymbolicLink(dir.resolve("link.mp3"), target);
        Files.createSymbolicLink(dir.resolve("broken.mp3"), dir.resolve("nowhere"));

        List<LibcDirectories.Entry> listed = libc.list(dir, true).orElseThrow();

        assertThat(listed).filteredOn(e -> e.path().endsWith("link.mp3")).singleElement().satisfies(e -> {
            assertThat(e.attributes().isRegularFile()).isTrue();
            assertThat(e.attributes().size()).isEqualTo(1000);
        });
        assertThat(listed).filteredOn(e -> e.path().endsWith("broken.mp3")).singleElement()
                .satisfies(e -> assertThat(e.attributes()).as("read again the Java way").isNull());
    }

    @Test
    void aFolderHoldingANameThatIsNotUtf8IsLeftToJava() throws Exception {
        Files.write(dir.resolve("good.mp3"), new byte[10]);
        Process p = new ProcessBuilder("bash", "-c", "mkdir \"$1/bad$(printf '\\377')folder\"", "bash",
                dir.toString()).start();
        assumeTrue(p.waitFor() == 0, "bash could not create a non-UTF-8 name here");

        assertThat(libc.list(dir, false)).as("a path made from the name's text would name another folder").isEmpty();
    }

    @Test
    void aRealReplacementCharacterIsJustAName() throws IOException {
        Files.write(dir.resolve("odd\uFFFDname.mp3"), new byte[10]);
        assertThat(libc.list(dir, false).orElseThrow()).extracting(e -> e.path().getFileName().toString())
                .containsExactly("odd\uFFFDname.mp3");
    }

    @Test
    void aFolderThatCannotBeOpenedIsLeftToJava() throws IOException {
        Path file = Files.write(dir.resolve("not-a-folder.mp3"), new byte[1]);
        assertThat(libc.list(file, false)).isEmpty();
        assertThat(libc.list(dir.resolve("missing"), false)).isEmpty();
    }

    /** O_DIRECTORY differs by architecture (AArch64's 0200000 is O_DIRECT): the flags follow os.arch. */
    @Test
    void directoryOpenFlagsFollowTheArchitecture() {
        assertThat(LibcDirectories.openDirectoryFlags("amd64")).isEqualTo(0200000 | 02000000);
        assertThat(LibcDirectories.openDirectoryFlags("aarch64")).isEqualTo(040000 | 02000000);
    }
}
