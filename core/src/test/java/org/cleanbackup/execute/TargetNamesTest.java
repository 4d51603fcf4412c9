package org.cleanbackup.execute;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Free names ({@code name.ext}, {@code name_1.ext}, ...) checked against real files, and numbered names that stay within
 * the 255 bytes a file system allows a name, never cutting a UTF-8 character in half. Every name chosen is created on
 * disk, so a name the file system refuses fails the test.
 */
class TargetNamesTest {

    /** The limit of ext4, XFS, Btrfs, tmpfs and APFS (and NTFS in UTF-16 units): bytes of one name. */
    private static final int NAME_MAX = 255;

    @TempDir
    Path dir;

    // --- Coupling to the API under test: adapt here when it moves. ---

    private static Path free(Path wanted, Set<Path> reserved) {
        return TargetNames.free(wanted, reserved);
    }

    private static Path free(Path wanted, Set<Path> reserved, List<UnaryOperator<Path>> companions) {
        return TargetNames.free(wanted, reserved, companions);
    }

    private static Path numbered(Path path, int n) {
        return TargetNames.numbered(path, n);
    }

    // --- Helpers. ---

    private Path create(String name) throws IOException {
        return Files.createFile(dir.resolve(name));
    }

    private static int bytes(Path file) {
        return file.getFileName().toString().getBytes(StandardCharsets.UTF_8).length;
    }

    /** A name of exactly {@code total} UTF-8 bytes: {@code unit} repeated, padded with 'a', then {@code extension}. */
    private static String nameOfBytes(int total, String unit, String extension) {
        int room = total - extension.getBytes(StandardCharsets.UTF_8).length;
        int unitBytes = unit.getBytes(StandardCharsets.UTF_8).length;
        String stem = unit.repeat(room / unitBytes) + "a".repeat(room % unitBytes);
        String name = stem + extension;
        assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSize(total);
        return name;
    }

    /** The name is whole UTF-8 text: no half of a surrogate pair, and it survives a round trip through bytes. */
    private static void assertWholeCharacters(Path file) {
        String name = file.getFileName().toString();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isHighSurrogate(c)) {
                assertThat(i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))).as(name).isTrue();
            } else if (Character.isLowSurrogate(c)) {
                assertThat(i > 0 && Character.isHighSurrogate(name.charAt(i - 1))).as(name).isTrue();
            }
        }
        assertThat(new String(name.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(name);
    }

    // --- Free names. ---

    @Test
    void aFreeNameIsKeptAndReserved() {
        Set<Path> reserved = new HashSet<>();
        Path wanted = dir.resolve("photo.jpg");

        assertThat(free(wanted, reserved)).isEqualTo(wanted);
        assertThat(reserved).containsExactly(wanted);
    }

    @Test
    void aTakenNameMovesOnToTheFirstFreeNumber() throws IOException {
        create("photo.jpg");
        create("photo_1.jpg");
        create("photo_3.jpg");

        assertThat(free(dir.resolve("photo.jpg"), new HashSet<>())).isEqualTo(dir.resolve("photo_2.jpg"));
    }

    @Test
    void aNameReservedInThisRunCountsAsTaken() {
        Set<Path> reserved = new HashSet<>();
        Path wanted = dir.resolve("IMG_1.JPG");

        Path first = free(wanted, reserved);
        Path second = free(wanted, reserved);
        Path third = free(wanted, reserved);

        assertThat(List.of(first, second, third)).extracting(p -> p.getFileName().toString())
                .containsExactly("IMG_1.JPG", "IMG_1_1.JPG", "IMG_1_2.JPG");
        assertThat(reserved).containsExactlyInAnyOrder(first, second, third);
    }

    @Test
    void aDanglingSymbolicLinkTakesItsName() throws IOException {
        Files.createSymbolicLink(dir.resolve("song.mp3"), dir.resolve("nowhere.mp3"));

        assertThat(free(dir.resolve("song.mp3"), new HashSet<>())).isEqualTo(dir.resolve("song_1.mp3"));
    }

    @Test
    void namesWithoutExtensionAndHiddenNamesGetTheNumberAtTheEnd() throws IOException {
        create("README");
        create(".hidden");
        create("archive.tar.gz");

        assertThat(free(dir.resolve("README"), new HashSet<>())).isEqualTo(dir.resolve("README_1"));
        assertThat(free(dir.resolve(".hidden"), new HashSet<>())).isEqualTo(dir.resolve(".hidden_1"));
        assertThat(free(dir.resolve("archive.tar.gz"), new HashSet<>())).isEqualTo(dir.resolve("archive.tar_1.gz"));
    }

    @Test
    void aNameIsFreeOnlyWhenItsCompanionsNamesAreFreeToo() throws IOException {
        create("IMG_1.jpg");
        create("IMG_1_1.xmp"); // IMG_1_1.jpg is free, but its sidecar's name is not
        UnaryOperator<Path> xmp = p -> p.resolveSibling(p.getFileName().toString().replace(".jpg", ".xmp"));
        Set<Path> reserved = new HashSet<>();

        Path chosen = free(dir.resolve("IMG_1.jpg"), reserved, List.of(xmp));

        assertThat(chosen).isEqualTo(dir.resolve("IMG_1_2.jpg"));
        assertThat(reserved).containsExactlyInAnyOrder(dir.resolve("IMG_1_2.jpg"), dir.resolve("IMG_1_2.xmp"));
    }

    // --- The 255-byte limit. ---

    @ParameterizedTest(name = "a 255-byte name of \"{0}\" characters")
    @ValueSource(strings = {"a", "é", "日", "😀"}) // 1, 2, 3 and 4 bytes in UTF-8 (the last a surrogate pair in Java)
    void numberedNamesOfALongNameStayWithin255BytesAndCutNoCharacter(String unit) throws IOException {
        Path longest = create(nameOfBytes(NAME_MAX, unit, ".jpg"));
        Set<Path> reserved = new HashSet<>();

        for (int n = 1; n <= 12; n++) { // _1 to _12: the number grows a digit on the way
            Path next = free(longest, reserved);
            assertThat(bytes(next)).as(next.getFileName().toString()).isLessThanOrEqualTo(NAME_MAX);
            assertThat(next.getFileName().toString()).endsWith("_" + n + ".jpg");
            assertWholeCharacters(next);
            String stem = next.getFileName().toString().substring(0, next.getFileName().toString().length()
                    - ("_" + n + ".jpg").length());
            assertThat(longest.getFileName().toString()).as("the stem is shortened from its end").startsWith(stem);
            Files.createFile(next); // the file system takes the name
        }
        assertThat(dir.toFile().list()).hasSize(13);
    }

    @Test
    void aNumberedNameIsShortenedOnlyAsMuchAsItMustBe() {
        Path name = dir.resolve(nameOfBytes(NAME_MAX, "日", ".jpg")); // 83 characters of 3 bytes, "aa", ".jpg"

        Path numbered = numbered(name, 1);

        // "_1" needs 2 bytes: "aa" goes, and no more.
        assertThat(numbered.getFileName().toString()).isEqualTo("日".repeat(83) + "_1.jpg");
        assertThat(bytes(numbered)).isEqualTo(255);
        assertThat(bytes(numbered(dir.resolve(nameOfBytes(NAME_MAX, "日", ".jpg")), 100)))
                .as("4 bytes for _100: one character of 3 bytes goes too, 1 byte is left unused").isEqualTo(254);
    }

    @Test
    void aShortNameIsNotShortened() {
        assertThat(numbered(dir.resolve("日本の夏.heic"), 7)).isEqualTo(dir.resolve("日本の夏_7.heic"));
    }

    @Test
    void aLongExtensionIsKeptWholeAndTheStemGives() throws IOException {
        String extension = "." + "x".repeat(200);
        Path longest = create(nameOfBytes(NAME_MAX, "ü", extension));

        Path next = free(longest, new HashSet<>());

        assertThat(next.getFileName().toString()).endsWith("_1" + extension);
        assertThat(bytes(next)).isLessThanOrEqualTo(NAME_MAX);
        assertWholeCharacters(next);
        Files.createFile(next);
    }

    /**
     * A name whose only dot is near its start ("Dr. Who and the ... .") has an "extension" that leaves no room for
     * the number: the numbered name must still fit, or it can never be created.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Dr", "D"})
    void aNameWhoseExtensionLeavesNoRoomForTheNumberStillGetsOneThatFits(String before) throws IOException {
        String name = before + "." + "ö".repeat((NAME_MAX - before.length() - 1) / 2);
        name += "x".repeat(NAME_MAX - name.getBytes(StandardCharsets.UTF_8).length);
        Path longest = create(name);
        Set<Path> reserved = new HashSet<>();

        for (int n = 1; n <= 10; n++) {
            Path next = free(longest, reserved);
            assertThat(bytes(next)).as(next.getFileName().toString()).isLessThanOrEqualTo(NAME_MAX);
            assertThat(next.getFileName().toString()).startsWith(before + ".ö").endsWith("_" + n);
            assertWholeCharacters(next);
            Files.createFile(next);
        }
    }
}
