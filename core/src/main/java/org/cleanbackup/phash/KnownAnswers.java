package org.cleanbackup.phash;

import java.util.Optional;

/**
 * Known-answer vectors for the self-test a backend must pass before it is used. The inputs are made by formulas
 * (no files, no random generator whose algorithm could change) and the answers were computed once with the
 * double-precision reference DCT; {@code KnownAnswersTest} recomputes them and checks that no coefficient lies
 * so close to the median that float rounding could flip a bit.
 */
final class KnownAnswers {

    static final String[] EXPECTED = {
            "2a552a552a2f55af",
            "8d70b44466eb5e1d",
            "6c5093d0fd63708f",
    };

    private KnownAnswers() {
    }

    /** Input {@code k} (0, 1 or 2): a smooth scene, a noise-like texture, off-centre ripples. */
    static float[] input(int k) {
        float[] x = new float[LumaBlock.LENGTH];
        long state = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < 32; i++) {
            for (int j = 0; j < 32; j++) {
                double v = switch (k) {
                    case 0 -> 128 + 60 * Math.sin(i * 0.3) + 50 * Math.cos(j * 0.21) + i * j * 0.05;
                    case 1 -> {
                        // 64-bit LCG (Knuth's MMIX constants), top byte as the value
                        state = state * 6364136223846793005L + 1442695040888963407L;
                        yield (state >>> 56);
                    }
                    case 2 -> 110 + 90 * Math.sin(Math.hypot(i - 11, j - 19) * 0.45) + (i * 7 + j * 3) % 13;
                    default -> throw new IllegalArgumentException("no known-answer input " + k);
                };
                x[i * 32 + j] = (float) Math.max(0, Math.min(255, v));
            }
        }
        return x;
    }

    /** Runs the vectors through {@code hasher}'s kernel and core's hash; empty when all match, else what went wrong. */
    static Optional<String> check(PerceptualHasher hasher) {
        try {
            for (int k = 0; k < EXPECTED.length; k++) {
                String got = hasher.hashBlock(input(k)).hex();
                if (!got.equals(EXPECTED[k])) {
                    return Optional.of("self-test vector " + k + " gave " + got + ", expected " + EXPECTED[k]);
                }
            }
            return Optional.empty();
        } catch (RuntimeException | LinkageError e) {
            return Optional.of("self-test failed: " + e);
        }
    }

    /** The reference DCT in double precision, straight from the definition; for tests and the known answers. */
    static double[] referenceDct(float[] x) {
        double[] out = new double[64];
        for (int u = 1; u <= 8; u++) {
            for (int v = 1; v <= 8; v++) {
                double sum = 0;
                for (int i = 0; i < 32; i++) {
                    for (int j = 0; j < 32; j++) {
                        sum += Math.cos(Math.PI * (2 * i + 1) * u / 64.0) * Math.cos(Math.PI * (2 * j + 1) * v / 64.0)
                                * x[i * 32 + j];
                    }
                }
                out[(u - 1) * 8 + (v - 1)] = sum * (2.0 / 32);
            }
        }
        return out;
    }
}
