package org.cleanbackup.phash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KnownAnswersTest {

    /** The hash straight from the definition, in double precision. */
    static String referenceHash(float[] x) {
        double[] c = KnownAnswers.referenceDct(x);
        double[] s = c.clone();
        Arrays.sort(s);
        double median = (s[31] + s[32]) / 2;
        long bits = 0;
        for (int k = 0; k < 64; k++) {
            if (c[k] > median) {
                bits |= 1L << k;
            }
        }
        return new PerceptualHash(bits).hex();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void expectedAnswersAreTheDefinition(int k) {
        assertThat(KnownAnswers.EXPECTED[k]).isEqualTo(referenceHash(KnownAnswers.input(k)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void noCoefficientIsSoCloseToTheMedianThatRoundingCouldFlipIt(int k) {
        double[] c = KnownAnswers.referenceDct(KnownAnswers.input(k));
        double[] s = c.clone();
        Arrays.sort(s);
        double median = (s[31] + s[32]) / 2;
        // float kernels differ from the double reference by ~1e-4 on these magnitudes (hundreds)
        assertThat(s[32] - s[31]).isGreaterThan(1e-2);
        for (double v : c) {
            assertThat(Math.abs(v - median)).isGreaterThan(1e-3);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void prescribedFloatKernelMatchesTheDoubleReference(int k) {
        float[] x = KnownAnswers.input(k);
        float[] got = new float[64];
        new TestKernel("t").dct(x, got);
        double[] want = KnownAnswers.referenceDct(x);
        for (int i = 0; i < 64; i++) {
            assertThat((double) got[i]).isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-2));
        }
        assertThat(KnownAnswers.check(new TestKernel("t").hasher())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void inputsAreValidLuma(int k) {
        for (float v : KnownAnswers.input(k)) {
            assertThat(v).isBetween(0f, 255f);
        }
    }

    /** A decoder that gives every JPEG the same block, or declines everything. */
    private record FixedDecoder(Optional<LumaBlock> block) implements LumaDecoder {
        @Override
        public String name() {
            return "fixed";
        }

        @Override
        public int priority() {
            return 0;
        }

        @Override
        public String formats() {
            return "any";
        }

        @Override
        public Optional<String> unavailableReason() {
            return Optional.empty();
        }

        @Override
        public Optional<LumaBlock> decode(Path file, long maxPixels) {
            return block;
        }
    }

    @Test
    void aDecoderIsHeldToTheKnownJpeg() {
        // whatever a decoder that ignores the file returns, it is not the known picture
        assertThat(KnownAnswers.checkDecoder(new FixedDecoder(Optional.of(
                new LumaBlock(KnownAnswers.input(1), Orientation.NORMAL)))))
                .hasValueSatisfying(m -> assertThat(m).startsWith("self-test image decoded to ")
                        .contains("expected " + KnownAnswers.DECODED));
        // one that throws fails with the reason
        assertThat(KnownAnswers.checkDecoder(new TestKernel("t").decoder()))
                .hasValueSatisfying(m -> assertThat(m).startsWith("self-test failed: java.nio.file.NoSuchFileException"));
        // one that does not take JPEGs has nothing to be tested on
        assertThat(KnownAnswers.checkDecoder(new FixedDecoder(Optional.empty()))).isEmpty();
    }
}
