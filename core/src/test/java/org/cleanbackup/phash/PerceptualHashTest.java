package org.cleanbackup.phash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PerceptualHashTest {

    @Test
    void hexIsSixteenDigitsMostSignificantFirstAndRoundTrips() {
        PerceptualHash h = new PerceptualHash(0x00ab_0000_0000_0001L);
        assertThat(h.hex()).isEqualTo("00ab000000000001");
        assertThat(h).hasToString("00ab000000000001");
        assertThat(PerceptualHash.fromHex("00AB000000000001")).isEqualTo(h);
        assertThat(PerceptualHash.fromHex(new PerceptualHash(-1L).hex()).bits()).isEqualTo(-1L);
        assertThatThrownBy(() -> PerceptualHash.fromHex("abc")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void distanceCountsDifferingBits() {
        PerceptualHash a = new PerceptualHash(0b1011L);
        assertThat(a.distance(new PerceptualHash(0b0001L))).isEqualTo(2);
        assertThat(a.distance(a)).isZero();
        assertThat(new PerceptualHash(0).distance(new PerceptualHash(-1L))).isEqualTo(64);
        int t = PerceptualHash.DEFAULT_THRESHOLD;
        assertThat(new PerceptualHash(0).isSimilarTo(new PerceptualHash((1L << t) - 1))).as("t bits apart").isTrue();
        assertThat(new PerceptualHash(0).isSimilarTo(new PerceptualHash((1L << (t + 1)) - 1))).as("t+1 bits").isFalse();
    }

    @Test
    void decodeExceptionIsOneLineNamingTheFile() {
        var e = new ImageDecodeException(Path.of("dir", "bad.jpg"), "  Corrupt JPEG data:\r\n 2 extraneous bytes ");
        assertThat(e.getMessage()).isEqualTo(Path.of("dir", "bad.jpg") + ": Corrupt JPEG data: 2 extraneous bytes");
        assertThat(e.reason()).isEqualTo("Corrupt JPEG data: 2 extraneous bytes");
        assertThat(e.file()).isEqualTo(Path.of("dir", "bad.jpg"));
        assertThat(new ImageDecodeException(Path.of("x"), null).reason()).isEqualTo("could not decode the image");
    }
}
