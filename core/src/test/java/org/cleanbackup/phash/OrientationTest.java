package org.cleanbackup.phash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Step 5: flips and quarter turns computed in the DCT domain equal the DCT of the transformed pixels. */
class OrientationTest {

    @ParameterizedTest
    @EnumSource(Orientation.class)
    void coefficientTransformEqualsPixelTransform(Orientation o) {
        TestKernel t = new TestKernel("t");
        PerceptualHasher k = t.hasher();
        for (int v = 0; v < 3; v++) {
            float[] x = KnownAnswers.input(v);
            float[] c = new float[64];
            k.dct(x, c);
            float[] viaCoefficients = o.applyToCoefficients(c);
            float[] viaPixels = new float[64];
            k.dct(o.applyToPixels(x, 32), viaPixels);
            for (int i = 0; i < 64; i++) {
                // the pixel route sums the same products in another order: equal up to float rounding
                assertThat(viaCoefficients[i]).isCloseTo(viaPixels[i], within(1e-2f));
            }
            // the known-answer inputs keep every coefficient clear of the median, so the bits agree exactly
            assertThat(HashBits.fromCoefficients(viaCoefficients))
                    .isEqualTo(k.hashBlock(o.applyToPixels(x, 32)));
        }
    }

    @Test
    void pixelTransformsMatchTheirNames() {
        // a 2x2 example read as [[a b] [c d]]
        float[] x = {1, 2, 3, 4};
        assertThat(Orientation.MIRROR_HORIZONTAL.applyToPixels(x, 2)).containsExactly(2, 1, 4, 3);
        assertThat(Orientation.MIRROR_VERTICAL.applyToPixels(x, 2)).containsExactly(3, 4, 1, 2);
        assertThat(Orientation.ROTATE_180.applyToPixels(x, 2)).containsExactly(4, 3, 2, 1);
        assertThat(Orientation.TRANSPOSE.applyToPixels(x, 2)).containsExactly(1, 3, 2, 4);
        assertThat(Orientation.ROTATE_90.applyToPixels(x, 2)).containsExactly(3, 1, 4, 2); // clockwise
        assertThat(Orientation.ROTATE_270.applyToPixels(x, 2)).containsExactly(2, 4, 1, 3);
        assertThat(Orientation.TRANSVERSE.applyToPixels(x, 2)).containsExactly(4, 2, 3, 1);
    }

    @Test
    void exifValuesRoundTripAndJunkMeansNormal() {
        for (Orientation o : Orientation.values()) {
            assertThat(Orientation.fromExif(o.exifValue())).isEqualTo(o);
        }
        assertThat(Orientation.fromExif(0)).isEqualTo(Orientation.NORMAL);
        assertThat(Orientation.fromExif(9)).isEqualTo(Orientation.NORMAL);
        assertThat(Orientation.fromExif(-1)).isEqualTo(Orientation.NORMAL);
    }

    @Test
    void orientationHashesFindATurnedCopy() {
        TestKernel t = new TestKernel("t");
        PerceptualHasher k = t.hasher();
        float[] x = KnownAnswers.input(2);
        PerceptualHash turned = k.hashBlock(Orientation.ROTATE_90.applyToPixels(x, 32));
        OrientationHashes variants = k.hashBlockOrientations(x);
        assertThat(variants.get(Orientation.ROTATE_90)).isEqualTo(turned);
        assertThat(variants.minDistance(turned)).isZero();
        assertThat(variants.upright()).isEqualTo(k.hashBlock(x));
        assertThat(variants.upright().distance(turned)).isGreaterThan(PerceptualHash.DEFAULT_THRESHOLD);
    }
}
