package org.cleanbackup.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileIdTest {

    @TempDir
    Path dir;

    @Test
    void readsTheSameDeviceAndInodeAsTheUnixAttributes() throws IOException {
        Path file = Files.writeString(dir.resolve("a.mp3"), "x");
        Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();

        FileId id = FileId.fromFileKey(key);

        assertThat(id).isNotNull();
        assertThat(id.device()).isEqualTo(((Number) Files.getAttribute(file, "unix:dev")).longValue());
        assertThat(id.inode()).isEqualTo(((Number) Files.getAttribute(file, "unix:ino")).longValue());
    }

    @Test
    void hardLinksShareAnIdAndOtherFilesDoNot() throws IOException {
        Path a = Files.writeString(dir.resolve("a.mp3"), "x");
        Path link = Files.createLink(dir.resolve("link.mp3"), a);
        Path b = Files.writeString(dir.resolve("b.mp3"), "x");

        assertThat(idOf(link)).isEqualTo(idOf(a));
        assertThat(idOf(b)).isNotEqualTo(idOf(a));
    }

    @Test
    void parsesTheLargestValuesAndRejectsOtherForms() {
        assertThat(FileId.fromFileKey("(dev=ffffffffffffffff,ino=18446744073709551615)"))
                .isEqualTo(new FileId(-1L, -1L));
        assertThat(FileId.fromFileKey("(dev=803,ino=42)")).isEqualTo(new FileId(0x803, 42));
        assertThat(FileId.fromFileKey(null)).isNull();
        assertThat(FileId.fromFileKey("(dev=,ino=42)")).isNull();
        assertThat(FileId.fromFileKey("(dev=zz,ino=42)")).isNull();
        assertThat(FileId.fromFileKey("(dev=803,ino=42")).isNull();
        assertThat(FileId.fromFileKey("dev=803,ino=42)")).isNull();
        assertThat(FileId.fromFileKey("some other key")).isNull();
    }

    private static FileId idOf(Path file) throws IOException {
        return FileId.fromFileKey(Files.readAttributes(file, BasicFileAttributes.class).fileKey());
    }
}
