package org.cleanbackup.internal.hash;

import org.cleanbackup.internal.LibcFiles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Random;
import org.cleanbackup.hash.ContentHasher;
import org.cleanbackup.hash.ContentHashers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ContentReader through the C library's calls and through a channel: the same bytes, the same errors. */
class ContentReaderTest {

    @TempDir
    Path dir;

    private final ContentHasher hasher = ContentHashers.defaultHasher();
    private final ContentReader reader = new ContentReader(hasher);

    private Path write(String name, int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return Files.write(dir.resolve(name), bytes);
    }

    private byte[] whole(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return hasher.hash(bytes, 0, bytes.length);
    }

    @Test
    void theCLibraryIsUsedWhereTheTestsRun() {
        // Surefire starts the JVM with --enable-native-access, on Linux, with UTF-8 file names: the fast path must
        // be the one under test here, or the tests below would only test the channel.
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "the C library path is for Linux");
        assertThat(LibcFiles.get()).isPresent();
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1, 4095, 4096, 4097, 262_143, 262_144, 262_145, 1_000_003})
    void rangesHashAsTheBytesInThem(int size) throws IOException {
        Path file = write("f-" + size + ".bin", size);
        byte[] bytes = Files.readAllBytes(file);
        for (long[] range : new long[][] {{0, size}, {0, Math.min(4096, size)}, {size / 3, size - size / 3}}) {
            int offset = (int) range[0];
            int length = (int) range[1];
            assertThat(reader.hashBytes(file, size, offset, length))
                    .as("bytes %d..%d", offset, offset + length)
                    .isEqualTo(hasher.hash(bytes, offset, length));
        }
        assertThat(reader.bytesRead()).isPositive();
    }

    @Test
    void quickKeysAreXxh3Of64BitsOfTheRange() throws IOException {
        Path file = write("quick.bin", 10_000);
        byte[] bytes = Files.readAllBytes(file);
        for (int[] range : new int[][] {{0, 4096}, {10_000 - 4096, 4096}, {0, 0}, {123, 1}}) {
            assertThat(reader.quickKey(file, 10_000, range[0], range[1]))
                    .isEqualTo(com.dynatrace.hash4j.hashing.Hashing.xxh3_64().hashBytesToLong(bytes, range[0], range[1]));
        }
        Path other = Files.write(dir.resolve("other.bin"), bytes.clone());
        bytes[4095] ^= 1;
        Path changed = Files.write(dir.resolve("changed.bin"), bytes);
        assertThat(reader.quickKey(other, 10_000, 0, 4096)).isEqualTo(reader.quickKey(file, 10_000, 0, 4096));
        assertThat(reader.quickKey(changed, 10_000, 0, 4096)).isNotEqualTo(reader.quickKey(file, 10_000, 0, 4096));
        assertThatThrownBy(() -> reader.quickKey(file, 10_000, 0, ContentReader.QUICK_KEY_MAX + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNameWithSpacesQuotesAndAccentsIsRead() throws IOException {
        Path file = write("l'été \"96\" — copie (1).mp3", 5000);
        assertThat(reader.hashBytes(file, 5000, 0, 5000))
                .isEqualTo(whole(file));
    }

    @Test
    void aMissingFileFailsWithJavasException() {
        assertThatThrownBy(() -> reader.hashBytes(dir.resolve("gone.mp3"), 10, 0, 10))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("gone.mp3");
    }

    @Test
    void aFileThatShrankOrGrewIsReportedAsChanged() throws IOException {
        Path file = write("changing.mp3", 10_000);
        assertThatThrownBy(() -> reader.hashBytes(file, 12_000, 0, 12_000))
                .isInstanceOf(ContentReader.FileChangedException.class).hasMessageContaining("12000");
        assertThatThrownBy(() -> reader.hashBytes(file, 8_000, 0, 8_000))
                .isInstanceOf(ContentReader.FileChangedException.class);
    }

    @Test
    void aFolderIsNotReadAsAFile() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("folder.mp3"));
        assertThatThrownBy(() -> reader.hashBytes(folder, 4096, 0, 4096)).isInstanceOf(IOException.class);
    }

    @Test
    void aPathWhoseTextIsNotItsBytesIsReadThroughAChannel() throws IOException, InterruptedException {
        // A folder named with a byte that is not UTF-8: Java shows it as U+FFFD. Beside it, a folder really named
        // with U+FFFD, whose file has the same size: the text of the first path, turned into bytes, names the second.
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "needs a Linux file system");
        Process mkdir = new ProcessBuilder("sh", "-c", "mkdir \"$(printf 'bad\\377name')\" && "
                + "head -c 3000 /dev/urandom > \"$(printf 'bad\\377name')/x.mp3\"").directory(dir.toFile()).start();
        assertThat(mkdir.waitFor()).isZero();
        Path impostor = Files.createDirectory(dir.resolve("bad\uFFFDname"));
        Files.write(impostor.resolve("x.mp3"), new byte[3000]);
        Path folder;
        try (var listing = Files.list(dir)) {
            folder = listing.filter(p -> p.getFileName().toString().startsWith("bad") && !p.equals(impostor))
                    .findFirst().orElseThrow();
        }
        Path file = folder.resolve("x.mp3");
        assertThat(file.toString()).contains("\uFFFD");
        assertThat(reader.hashBytes(file, 3000, 0, 3000))
                .isEqualTo(whole(file));
    }
}
