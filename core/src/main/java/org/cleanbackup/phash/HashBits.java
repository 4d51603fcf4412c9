package org.cleanbackup.phash;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Step 4 of the hash, shared by every backend: median threshold and bit packing. */
final class HashBits {

    private HashBits() {
    }

    /**
     * Bit {@code k} is 1 when {@code c[k]} is greater than the median of the 64 values, the median being the mean
     * of the two middle ones, computed in float as {@code (s[31] + s[32]) * 0.5f} so that it is exact and the same
     * everywhere.
     */
    static PerceptualHash fromCoefficients(float[] c) {
        if (c.length != 64) {
            throw new IllegalArgumentException("need 64 coefficients, got " + c.length);
        }
        float median = median(c);
        long bits = 0;
        for (int k = 0; k < 64; k++) {
            if (c[k] > median) {
                bits |= 1L << k;
            }
        }
        return new PerceptualHash(bits);
    }

    static float median(float[] c) {
        float[] s = c.clone();
        Arrays.sort(s);
        return (s[31] + s[32]) * 0.5f;
    }

    static OrientationHashes orientations(float[] upright) {
        List<PerceptualHash> hashes = new ArrayList<>(8);
        for (Orientation o : Orientation.values()) {
            hashes.add(fromCoefficients(o.applyToCoefficients(upright)));
        }
        return new OrientationHashes(hashes);
    }
}
