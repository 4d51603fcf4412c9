package org.cleanbackup.internal.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hashing;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The system's xxHash library against hash4j: the same bits for every length and way of feeding. */
class SystemXxh3Test {

    private static SystemXxh3 lib;

    @BeforeAll
    static void load() {
        Optional<SystemXxh3> loaded = SystemXxh3.load();
        assumeTrue(loaded.isPresent(), "the system's xxHash library (Debian: libxxhash0) is not installed;"
                + " the pure-Java XXH3 is used instead");
        lib = loaded.get();
    }

    private static long[] reference(byte[] data, int offset, int length) {
        HashValue128 v = Hashing.xxh3_128().hashBytesTo128Bits(data, offset, length);
        return new long[] {v.getMostSignificantBits(), v.getLeastSignificantBits()};
    }

    @Test
    void oneShotMatchesHash4jForEveryLengthUpTo2048AndRandomLongerOnes() {
        byte[] data = new byte[3 << 20];
        SplittableRandom random = new SplittableRandom(7);
        random.nextBytes(data);
        for (int length = 0; length <= 2048; length++) {
            assertThat(lib.hash(data, 3, length)).as("%d bytes", length).isEqualTo(reference(data, 3, length));
        }
        for (int i = 0; i < 50; i++) {
            int length = random.nextInt(data.length - 100);
            int offset = random.nextInt(100);
            assertThat(lib.hash(data, offset, length)).as("%d bytes at %d", length, offset)
                    .isEqualTo(reference(data, offset, length));
        }
    }

    @Test
    void streamingInUnevenPiecesMatchesOneShot() {
        byte[] data = new byte[1 << 20];
        SplittableRandom random = new SplittableRandom(11);
        random.nextBytes(data);
        SystemXxh3.Stream stream = lib.newStream();
        int at = 0;
        while (at < data.length) {
            int piece = Math.min(random.nextInt(70_000), data.length - at);
            stream.update(data, at, piece);
            at += piece;
        }
        assertThat(stream.finish()).isEqualTo(reference(data, 0, data.length));
    }

    @Test
    void aRangeBeyondTheArrayIsRefusedBeforeTheCCodeCouldReadPastIt() {
        byte[] data = new byte[100];
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> lib.hash(data, 50, 51))
                .isInstanceOf(IndexOutOfBoundsException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> lib.newStream().update(data, 0, 101))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(lib.hash(data, 50, 50)).isEqualTo(reference(data, 50, 50));
    }

    @Test
    void theHasherUsesTheLibraryWhenItIsThere() {
        assertThat(Xxh3Hasher.implementation()).isEqualTo("libxxhash");
    }
}
