package org.cleanbackup.phash.java;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.cleanbackup.phash.DctBasis;

/**
 * The DCT kernel with the Vector API. Each lane computes one output element with the same sequence of separate
 * multiplies and adds as core's {@link org.cleanbackup.phash.DctBasis#referenceDct reference kernel} (lanes never
 * sum across each other), so the results are
 * bit-identical: only independent elements are computed side by side.
 */
final class VectorKernel {

    /** For T = C8 * X the lanes run along a row of X (32 columns): the widest species that divides 32. */
    private static final VectorSpecies<Float> WIDE = FloatVector.SPECIES_PREFERRED;
    /** For D = T * C8^T the lanes run over v = 1..8: at most 8 lanes. */
    private static final VectorSpecies<Float> NARROW =
            WIDE.length() >= 8 ? FloatVector.SPECIES_256 : WIDE;

    private static final float[] C = DctBasis.matrix();
    private static final float[] CT = DctBasis.transposed();

    private VectorKernel() {
    }

    static boolean isWidthUsable() {
        return 32 % WIDE.length() == 0 && 8 % NARROW.length() == 0;
    }

    static String describe() {
        return WIDE.vectorBitSize() + "-bit and " + NARROW.vectorBitSize() + "-bit float vectors";
    }

    static void dct(float[] x, float[] out) {
        float[] t = new float[8 * 32];
        int wl = WIDE.length();
        for (int u = 0; u < 8; u++) {
            int cu = u * 32;
            for (int j = 0; j < 32; j += wl) {
                FloatVector acc = FloatVector.zero(WIDE);
                for (int i = 0; i < 32; i++) {
                    // mul then add, never fma: the order and roundings of the reference kernel
                    acc = acc.add(FloatVector.fromArray(WIDE, x, i * 32 + j).mul(C[cu + i]));
                }
                acc.intoArray(t, cu + j);
            }
        }
        int nl = NARROW.length();
        for (int u = 0; u < 8; u++) {
            for (int v = 0; v < 8; v += nl) {
                FloatVector acc = FloatVector.zero(NARROW);
                for (int j = 0; j < 32; j++) {
                    // lane v: T[u][j] * C8[v][j]; CT holds C8[v][j] at j*8 + v
                    acc = acc.add(FloatVector.fromArray(NARROW, CT, j * 8 + v).mul(t[u * 32 + j]));
                }
                acc.intoArray(out, u * 8 + v);
            }
        }
    }
}
