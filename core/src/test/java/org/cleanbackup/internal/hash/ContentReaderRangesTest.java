package org.cleanbackup.internal.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.cleanbackup.hash.ContentHashers;
import org.cleanbackup.internal.ByteRanges;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hashing and comparing some byte ranges of a file (an audio file's sound without its tags). */
class ContentReaderRangesTest {

    @TempDir
    Path dir;

    /** Ranges like an Ogg file's page bodies ({@code gap} bytes of header between bodies of {@code body} bytes). */
    private static ByteRanges pages(long size, int gap, int body) {
        ByteRanges.Builder b = new ByteRanges.Builder();
        for (long at = gap; at < size; at += gap + body) {
            b.add(at, Math.min(body, size - at));
        }
        return b.build();
    }

    private static byte[] gather(byte[] file, ByteRanges r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < r.count(); i++) {
            out.write(file, (int) r.offset(i), (int) r.length(i));
        }
        return out.toByteArray();
    }

    @ParameterizedTest(name = "ranges of {0} bytes with gaps")
    @ValueSource(ints = {1, 100, 4096, 70_000, 300_000})
    void hashOfRangesIsTheHashOfTheirBytes(int body) throws IOException {
        byte[] content = new byte[1_500_000];
        new Random(body).nextBytes(content);
        Path file = Files.write(dir.resolve("f"), content);
        ByteRanges ranges = pages(content.length, 31, body);
        ContentReader reader = new ContentReader(ContentHashers.defaultHasher());
        byte[] expected = ContentHashers.defaultHasher().hash(ByteBuffer.wrap(gather(content, ranges)));
        assertThat(reader.hashBytes(file, content.length, ranges)).isEqualTo(expected);
        ByteRanges edge = ranges.slice(ranges.length() - 4096, 4096);
        assertThat(reader.quickKey(file, content.length, edge))
                .isEqualTo(Xxh3Hasher.hash64(ByteBuffer.wrap(gather(content, edge))));
    }

    @Test
    void sameBytesComparesRangesOfDifferentLayouts() throws IOException {
        byte[] sound = new byte[2_500_000];
        new Random(7).nextBytes(sound);
        // one file: 100 bytes of "tag", then the sound; the other: the sound cut in pages with headers between
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        a.write(new byte[100], 0, 100);
        a.write(sound, 0, sound.length);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ByteRanges.Builder rb = new ByteRanges.Builder();
        for (int at = 0; at < sound.length; at += 5000) {
            b.write(new byte[27], 0, 27);
            rb.add(b.size(), Math.min(5000, sound.length - at));
            b.write(sound, at, Math.min(5000, sound.length - at));
        }
        Path fa = Files.write(dir.resolve("a"), a.toByteArray());
        Path fb = Files.write(dir.resolve("b"), b.toByteArray());
        ByteRanges ra = new ByteRanges.Builder().add(100, sound.length).build();
        assertThat(ContentReader.sameBytes(fa, ra, fb, rb.build())).isTrue();
        byte[] changed = b.toByteArray();
        changed[changed.length - 1] ^= 1;
        Files.write(fb, changed);
        assertThat(ContentReader.sameBytes(fa, ra, fb, rb.build())).isFalse();
        assertThat(ContentReader.sameBytes(fa, ra, fb, rb.build().slice(0, 10))).isFalse();
    }

    @Test
    void rangesSliceAndComplement() {
        ByteRanges r = new ByteRanges.Builder().add(10, 5).add(15, 5).add(30, 10).build();
        assertThat(r.count()).as("adjacent ranges merge").isEqualTo(2);
        assertThat(r.length()).isEqualTo(20);
        assertThat(r.slice(8, 4).toString()).isEqualTo("[18+2, 30+2]");
        assertThat(r.complement(50).toString()).isEqualTo("[0+10, 20+10, 40+10]");
        assertThat(ByteRanges.whole(9).isWhole(9)).isTrue();
        assertThatThrownBy(() -> new ByteRanges.Builder().add(10, 5).add(12, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.slice(15, 6)).isInstanceOf(IllegalArgumentException.class);
    }
}
