package org.cleanbackup.phash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Step 3: the DCT basis is the orthonormal DCT-II, rows u = 1..8. */
class DctBasisTest {

    @Test
    void literalsAreTheFormulaRoundedToFloat() {
        float[] c = DctBasis.matrix();
        for (int u = 1; u <= 8; u++) {
            for (int i = 0; i < 32; i++) {
                float want = (float) (Math.sqrt(2.0 / 32) * StrictMath.cos(Math.PI * (2 * i + 1) * u / 64.0));
                assertThat(c[(u - 1) * 32 + i]).as("C8[%d][%d]", u, i).isEqualTo(want);
            }
        }
    }

    @Test
    void rowsAreOrthonormal() {
        float[] c = DctBasis.matrix();
        for (int a = 0; a < 8; a++) {
            for (int b = 0; b < 8; b++) {
                double dot = 0;
                for (int i = 0; i < 32; i++) {
                    dot += (double) c[a * 32 + i] * c[b * 32 + i];
                }
                assertThat(dot).isCloseTo(a == b ? 1.0 : 0.0, within(1e-6));
            }
        }
    }

    @Test
    void transposedIsTheTranspose() {
        float[] c = DctBasis.matrix();
        float[] t = DctBasis.transposed();
        for (int u = 0; u < 8; u++) {
            for (int i = 0; i < 32; i++) {
                assertThat(t[i * 8 + u]).isEqualTo(c[u * 32 + i]);
            }
        }
    }

    @Test
    void aFlatBlockHasNoEnergyOutsideDc() {
        // rows 1..8 skip the DC row, so a uniform image gives all-zero coefficients (up to rounding)
        float[] x = new float[1024];
        java.util.Arrays.fill(x, 200f);
        float[] out = new float[64];
        new TestKernel("t").dct(x, out);
        for (float v : out) {
            assertThat(v).isCloseTo(0f, within(1e-3f));
        }
    }

    @Test
    void aHorizontalCosineLightsUpOnlyItsCoefficient() {
        // X[i][j] = cos(pi (2j+1) 3 / 64): pure horizontal frequency v = 3, vertical frequency 0 (not kept)...
        // so add vertical frequency u = 2 to land inside the kept 8x8 block at (2, 3)
        float[] x = new float[1024];
        for (int i = 0; i < 32; i++) {
            for (int j = 0; j < 32; j++) {
                x[i * 32 + j] = (float) (100 * Math.cos(Math.PI * (2 * i + 1) * 2 / 64.0)
                        * Math.cos(Math.PI * (2 * j + 1) * 3 / 64.0));
            }
        }
        float[] out = new float[64];
        new TestKernel("t").dct(x, out);
        for (int k = 0; k < 64; k++) {
            // orthonormal: the energy sum(x^2) = 100^2 * 16 * 16 lands in one coefficient of value 100 * 16
            assertThat(out[k]).isCloseTo(k == (2 - 1) * 8 + (3 - 1) ? 1600f : 0f, within(1e-2f));
        }
    }
}
