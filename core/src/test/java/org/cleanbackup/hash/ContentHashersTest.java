package org.cleanbackup.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContentHashersTest {

    private static String hash(String algorithm, String text) {
        ContentHasher.Digest digest = ContentHashers.byName(algorithm).newDigest();
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        // Feed in two pieces: streaming must give the same value as one call.
        digest.update(bytes, 0, bytes.length / 2);
        digest.update(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
        return ContentHash.of(algorithm, digest.finish()).hex();
    }

    @Test
    void knownAnswers() {
        // Reference values: `printf abc | md5sum`, `sha256sum`, and `xxhsum -H2` (XXH128) from xxHash 0.8.
        assertThat(hash("md5", "abc")).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
        assertThat(hash("sha256", "abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(hash("xxh3", "")).isEqualTo("99aa06d3014798d86001c324468d497f");
        assertThat(hash("xxh3", "abc")).isEqualTo("06b05ab6733a618578af5f94892f3950");
    }

    @Test
    void unknownNamesListTheAvailableOnes() {
        assertThatThrownBy(() -> ContentHashers.byName("crc32"))
                .hasMessageContaining("crc32").hasMessageContaining("xxh3").hasMessageContaining("sha256");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}: one-shot equals streaming")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"xxh3", "md5", "sha256"})
    void oneShotEqualsStreaming(String algorithm) {
        ContentHasher hasher = ContentHashers.byName(algorithm);
        byte[] bytes = new byte[300_000];
        new java.util.Random(3).nextBytes(bytes);
        for (int length : new int[] {0, 1, 16, 17, 128, 129, 240, 241, 1024, 4096, 100_000, 300_000}) {
            ContentHasher.Digest digest = hasher.newDigest();
            for (int at = 0; at < length; at += 7_777) {
                digest.update(bytes, at, Math.min(7_777, length - at));
            }
            assertThat(hasher.hash(bytes, 0, length)).as("%d bytes", length).isEqualTo(digest.finish());
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}: direct and heap buffers hash like arrays")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"xxh3", "md5", "sha256"})
    void buffersHashLikeArrays(String algorithm) {
        ContentHasher hasher = ContentHashers.byName(algorithm);
        byte[] bytes = new byte[200_000];
        new java.util.Random(5).nextBytes(bytes);
        for (int length : new int[] {0, 17, 4096, 200_000}) {
            byte[] expected = hasher.hash(bytes, 0, length);
            java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(length + 10).position(10);
            direct.put(bytes, 0, length).flip().position(10); // the bytes lie after a 10-byte offset
            assertThat(hasher.hash(direct)).as("direct, %d bytes", length).isEqualTo(expected);
            assertThat(direct.hasRemaining()).isFalse();
            assertThat(hasher.hash(java.nio.ByteBuffer.wrap(bytes, 0, length))).as("heap").isEqualTo(expected);

            ContentHasher.Digest digest = hasher.newDigest();
            direct.position(10);
            digest.update(direct.slice(10, length / 2));
            digest.update(java.nio.ByteBuffer.wrap(bytes, length / 2, length - length / 2));
            assertThat(digest.finish()).as("streamed, %d bytes", length).isEqualTo(expected);
        }
    }
}
