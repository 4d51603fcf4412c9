package org.cleanbackup.phash.java;

import org.cleanbackup.phash.DctBasis;

/** The DCT kernel in plain Java, in exactly the accumulation order {@link DctBasis} prescribes. */
final class ScalarKernel {

    private static final float[] C = DctBasis.matrix();

    private ScalarKernel() {
    }

    static void dct(float[] x, float[] out) {
        float[] t = new float[8 * 32];
        // T = C8 * X: for each kept frequency u and column j, sum down the column in row order
        for (int u = 0; u < 8; u++) {
            int cu = u * 32;
            for (int j = 0; j < 32; j++) {
                float acc = 0f;
                for (int i = 0; i < 32; i++) {
                    acc += C[cu + i] * x[i * 32 + j];
                }
                t[cu + j] = acc;
            }
        }
        // D = T * C8^T: sum along each row of T in column order
        for (int u = 0; u < 8; u++) {
            for (int v = 0; v < 8; v++) {
                float acc = 0f;
                for (int j = 0; j < 32; j++) {
                    acc += t[u * 32 + j] * C[v * 32 + j];
                }
                out[u * 8 + v] = acc;
            }
        }
    }
}
