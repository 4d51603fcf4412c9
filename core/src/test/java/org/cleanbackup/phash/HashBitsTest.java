package org.cleanbackup.phash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Step 4: median threshold and bit order. */
class HashBitsTest {

    @Test
    void bitKIsSetWhenCoefficientKIsAboveTheMedian() {
        float[] c = new float[64];
        for (int k = 0; k < 64; k++) {
            c[k] = k; // median = (31 + 32) / 2 = 31.5: coefficients 32..63 are above
        }
        assertThat(HashBits.median(c)).isEqualTo(31.5f);
        assertThat(HashBits.fromCoefficients(c).bits()).isEqualTo(0xFFFF_FFFF_0000_0000L);
    }

    @Test
    void coefficientUvIsBitUMinus1Times8PlusVMinus1() {
        float[] c = new float[64];
        java.util.Arrays.fill(c, -1f);
        // 33 values at -1 and 31 at +1 keep the median at -1, so exactly the +1 ones are set
        int[][] uv = {{1, 1}, {1, 8}, {8, 1}, {3, 5}};
        for (int[] p : uv) {
            c[(p[0] - 1) * 8 + (p[1] - 1)] = 1f;
        }
        long bits = HashBits.fromCoefficients(c).bits();
        assertThat(bits).isEqualTo(1L | 1L << 7 | 1L << 56 | 1L << (2 * 8 + 4));
    }

    @Test
    void valuesEqualToTheMedianAreZero() {
        float[] c = new float[64];
        for (int k = 0; k < 64; k++) {
            c[k] = k < 40 ? 5f : 9f; // both middle values are 5: median 5, only the 9s are set
        }
        assertThat(Long.bitCount(HashBits.fromCoefficients(c).bits())).isEqualTo(24);
    }

    @Test
    void needsSixtyFourCoefficients() {
        assertThatThrownBy(() -> HashBits.fromCoefficients(new float[63])).isInstanceOf(IllegalArgumentException.class);
    }
}
