package org.cleanbackup.phash;

/**
 * The part of the orthonormal 2-D DCT-II that the perceptual hash needs: rows {@code u = 1..8} of the 32-point
 * DCT-II matrix, {@code C8[u-1][i] = sqrt(2/32) * cos(pi * (2i + 1) * u / 64)}, as {@code float}.
 *
 * <p>For kernel implementers: the 64 coefficients are {@code D = C8 * X * C8^T} (8x32 times 32x32 times 32x8).
 * To give the same bits in every backend, a kernel must use exactly these {@code float} values (they are written
 * as hexadecimal literals so that no libm or JIT difference can change them; the C kernel carries the same
 * literals) and must accumulate in this order, with a separate multiply and add (no fused multiply-add):
 * <pre>
 *   T[u][j] = ((0 + C8[u][0]*X[0][j]) + C8[u][1]*X[1][j]) + ... + C8[u][31]*X[31][j]
 *   D[u][v] = ((0 + T[u][0]*C8[v][0]) + T[u][1]*C8[v][1]) + ... + T[u][31]*C8[v][31]
 * </pre>
 * {@code X} is the 32x32 luma block in row-major order, row {@code i} being the i-th row from the top.
 *
 * @since 0.1
 */
public final class DctBasis {

    /** Number of basis rows kept: frequencies {@code u = 1..8}. */
    static final int ROWS = 8;

    /** Side of the luma block the hash is computed from. */
    static final int SIZE = 32;

    /*
     * Generated once with (float) (Math.sqrt(2.0 / 32) * StrictMath.cos(Math.PI * (2 * i + 1) * u / 64.0));
     * DctBasisTest recomputes them, so an edit here cannot go unnoticed.
     */
    private static final float[] C8 = {
            0x1.ff621ep-3f, 0x1.fa7558p-3f, 0x1.f0a7fp-3f, 0x1.e2121p-3f,
            0x1.ced7bp-3f, 0x1.b72834p-3f, 0x1.9b3e04p-3f, 0x1.7b5df2p-3f,
            0x1.57d694p-3f, 0x1.30ff8p-3f, 0x1.07387ap-3f, 0x1.b5d1p-4f,
            0x1.58f9a8p-4f, 0x1.f19f98p-5f, 0x1.2c8106p-5f, 0x1.91f66p-7f,
            -0x1.91f66p-7f, -0x1.2c8106p-5f, -0x1.f19f98p-5f, -0x1.58f9a8p-4f,
            -0x1.b5d1p-4f, -0x1.07387ap-3f, -0x1.30ff8p-3f, -0x1.57d694p-3f,
            -0x1.7b5df2p-3f, -0x1.9b3e04p-3f, -0x1.b72834p-3f, -0x1.ced7bp-3f,
            -0x1.e2121p-3f, -0x1.f0a7fp-3f, -0x1.fa7558p-3f, -0x1.ff621ep-3f,
            0x1.fd88dap-3f, 0x1.e9f416p-3f, 0x1.c38b3p-3f, 0x1.8bc806p-3f,
            0x1.44cf32p-3f, 0x1.e2b5d4p-4f, 0x1.294062p-4f, 0x1.917a6cp-6f,
            -0x1.917a6cp-6f, -0x1.294062p-4f, -0x1.e2b5d4p-4f, -0x1.44cf32p-3f,
            -0x1.8bc806p-3f, -0x1.c38b3p-3f, -0x1.e9f416p-3f, -0x1.fd88dap-3f,
            -0x1.fd88dap-3f, -0x1.e9f416p-3f, -0x1.c38b3p-3f, -0x1.8bc806p-3f,
            -0x1.44cf32p-3f, -0x1.e2b5d4p-4f, -0x1.294062p-4f, -0x1.917a6cp-6f,
            0x1.917a6cp-6f, 0x1.294062p-4f, 0x1.e2b5d4p-4f, 0x1.44cf32p-3f,
            0x1.8bc806p-3f, 0x1.c38b3p-3f, 0x1.e9f416p-3f, 0x1.fd88dap-3f,
            0x1.fa7558p-3f, 0x1.ced7bp-3f, 0x1.7b5df2p-3f, 0x1.07387ap-3f,
            0x1.f19f98p-5f, -0x1.91f66p-7f, -0x1.58f9a8p-4f, -0x1.30ff8p-3f,
            -0x1.9b3e04p-3f, -0x1.e2121p-3f, -0x1.ff621ep-3f, -0x1.f0a7fp-3f,
            -0x1.b72834p-3f, -0x1.57d694p-3f, -0x1.b5d1p-4f, -0x1.2c8106p-5f,
            0x1.2c8106p-5f, 0x1.b5d1p-4f, 0x1.57d694p-3f, 0x1.b72834p-3f,
            0x1.f0a7fp-3f, 0x1.ff621ep-3f, 0x1.e2121p-3f, 0x1.9b3e04p-3f,
            0x1.30ff8p-3f, 0x1.58f9a8p-4f, 0x1.91f66p-7f, -0x1.f19f98p-5f,
            -0x1.07387ap-3f, -0x1.7b5df2p-3f, -0x1.ced7bp-3f, -0x1.fa7558p-3f,
            0x1.f6297cp-3f, 0x1.a9b662p-3f, 0x1.1c73b4p-3f, 0x1.8f8b84p-5f,
            -0x1.8f8b84p-5f, -0x1.1c73b4p-3f, -0x1.a9b662p-3f, -0x1.f6297cp-3f,
            -0x1.f6297cp-3f, -0x1.a9b662p-3f, -0x1.1c73b4p-3f, -0x1.8f8b84p-5f,
            0x1.8f8b84p-5f, 0x1.1c73b4p-3f, 0x1.a9b662p-3f, 0x1.f6297cp-3f,
            0x1.f6297cp-3f, 0x1.a9b662p-3f, 0x1.1c73b4p-3f, 0x1.8f8b84p-5f,
            -0x1.8f8b84p-5f, -0x1.1c73b4p-3f, -0x1.a9b662p-3f, -0x1.f6297cp-3f,
            -0x1.f6297cp-3f, -0x1.a9b662p-3f, -0x1.1c73b4p-3f, -0x1.8f8b84p-5f,
            0x1.8f8b84p-5f, 0x1.1c73b4p-3f, 0x1.a9b662p-3f, 0x1.f6297cp-3f,
            0x1.f0a7fp-3f, 0x1.7b5df2p-3f, 0x1.58f9a8p-4f, -0x1.2c8106p-5f,
            -0x1.30ff8p-3f, -0x1.ced7bp-3f, -0x1.ff621ep-3f, -0x1.b72834p-3f,
            -0x1.07387ap-3f, -0x1.91f66p-7f, 0x1.b5d1p-4f, 0x1.9b3e04p-3f,
            0x1.fa7558p-3f, 0x1.e2121p-3f, 0x1.57d694p-3f, 0x1.f19f98p-5f,
            -0x1.f19f98p-5f, -0x1.57d694p-3f, -0x1.e2121p-3f, -0x1.fa7558p-3f,
            -0x1.9b3e04p-3f, -0x1.b5d1p-4f, 0x1.91f66p-7f, 0x1.07387ap-3f,
            0x1.b72834p-3f, 0x1.ff621ep-3f, 0x1.ced7bp-3f, 0x1.30ff8p-3f,
            0x1.2c8106p-5f, -0x1.58f9a8p-4f, -0x1.7b5df2p-3f, -0x1.f0a7fp-3f,
            0x1.e9f416p-3f, 0x1.44cf32p-3f, 0x1.917a6cp-6f, -0x1.e2b5d4p-4f,
            -0x1.c38b3p-3f, -0x1.fd88dap-3f, -0x1.8bc806p-3f, -0x1.294062p-4f,
            0x1.294062p-4f, 0x1.8bc806p-3f, 0x1.fd88dap-3f, 0x1.c38b3p-3f,
            0x1.e2b5d4p-4f, -0x1.917a6cp-6f, -0x1.44cf32p-3f, -0x1.e9f416p-3f,
            -0x1.e9f416p-3f, -0x1.44cf32p-3f, -0x1.917a6cp-6f, 0x1.e2b5d4p-4f,
            0x1.c38b3p-3f, 0x1.fd88dap-3f, 0x1.8bc806p-3f, 0x1.294062p-4f,
            -0x1.294062p-4f, -0x1.8bc806p-3f, -0x1.fd88dap-3f, -0x1.c38b3p-3f,
            -0x1.e2b5d4p-4f, 0x1.917a6cp-6f, 0x1.44cf32p-3f, 0x1.e9f416p-3f,
            0x1.e2121p-3f, 0x1.07387ap-3f, -0x1.2c8106p-5f, -0x1.7b5df2p-3f,
            -0x1.ff621ep-3f, -0x1.9b3e04p-3f, -0x1.f19f98p-5f, 0x1.b5d1p-4f,
            0x1.ced7bp-3f, 0x1.f0a7fp-3f, 0x1.30ff8p-3f, -0x1.91f66p-7f,
            -0x1.57d694p-3f, -0x1.fa7558p-3f, -0x1.b72834p-3f, -0x1.58f9a8p-4f,
            0x1.58f9a8p-4f, 0x1.b72834p-3f, 0x1.fa7558p-3f, 0x1.57d694p-3f,
            0x1.91f66p-7f, -0x1.30ff8p-3f, -0x1.f0a7fp-3f, -0x1.ced7bp-3f,
            -0x1.b5d1p-4f, 0x1.f19f98p-5f, 0x1.9b3e04p-3f, 0x1.ff621ep-3f,
            0x1.7b5df2p-3f, 0x1.2c8106p-5f, -0x1.07387ap-3f, -0x1.e2121p-3f,
            0x1.d906bcp-3f, 0x1.87de2ap-4f, -0x1.87de2ap-4f, -0x1.d906bcp-3f,
            -0x1.d906bcp-3f, -0x1.87de2ap-4f, 0x1.87de2ap-4f, 0x1.d906bcp-3f,
            0x1.d906bcp-3f, 0x1.87de2ap-4f, -0x1.87de2ap-4f, -0x1.d906bcp-3f,
            -0x1.d906bcp-3f, -0x1.87de2ap-4f, 0x1.87de2ap-4f, 0x1.d906bcp-3f,
            0x1.d906bcp-3f, 0x1.87de2ap-4f, -0x1.87de2ap-4f, -0x1.d906bcp-3f,
            -0x1.d906bcp-3f, -0x1.87de2ap-4f, 0x1.87de2ap-4f, 0x1.d906bcp-3f,
            0x1.d906bcp-3f, 0x1.87de2ap-4f, -0x1.87de2ap-4f, -0x1.d906bcp-3f,
            -0x1.d906bcp-3f, -0x1.87de2ap-4f, 0x1.87de2ap-4f, 0x1.d906bcp-3f,
    };

    private DctBasis() {
    }

    /**
     * The reference kernel: the 64 coefficients of a 32x32 block in exactly the prescribed order, in plain loops.
     * It is the {@code scalar} kernel, and what every other {@link DctKernel} must match bit for bit (the parity
     * tests of each module compare theirs with it).
     *
     * @param x   1024 luma values, row-major; not modified
     * @param out receives 64 values, element {@code (u-1)*8 + (v-1)}
     */
    public static void referenceDct(float[] x, float[] out) {
        float[] t = new float[ROWS * SIZE];
        // T = C8 * X: for each kept frequency u and column j, sum down the column in row order
        for (int u = 0; u < ROWS; u++) {
            int cu = u * SIZE;
            for (int j = 0; j < SIZE; j++) {
                float acc = 0f;
                for (int i = 0; i < SIZE; i++) {
                    acc += C8[cu + i] * x[i * SIZE + j];
                }
                t[cu + j] = acc;
            }
        }
        // D = T * C8^T: sum along each row of T in column order
        for (int u = 0; u < ROWS; u++) {
            for (int v = 0; v < ROWS; v++) {
                float acc = 0f;
                for (int j = 0; j < SIZE; j++) {
                    acc += t[u * SIZE + j] * C8[v * SIZE + j];
                }
                out[u * ROWS + v] = acc;
            }
        }
    }

    /** A copy of the 8x32 matrix, row-major: element {@code (u-1)*32 + i}. */
    public static float[] matrix() {
        return C8.clone();
    }

    /** A copy of the transposed 32x8 matrix, row-major: element {@code i*8 + (u-1)}. */
    public static float[] transposed() {
        float[] t = new float[SIZE * ROWS];
        for (int u = 0; u < ROWS; u++) {
            for (int i = 0; i < SIZE; i++) {
                t[i * ROWS + u] = C8[u * SIZE + i];
            }
        }
        return t;
    }
}
