package org.cleanbackup.phash;

/**
 * The eight ways an image can be flipped or turned by quarter turns, numbered as the EXIF {@code Orientation} tag
 * numbers them. For an image whose EXIF says {@code o}, applying {@code o} to the stored pixels gives the picture
 * the way it should be shown.
 *
 * @since 0.1
 */
public enum Orientation {
    /** As stored (EXIF 1). */
    NORMAL(1),
    /** Mirrored left to right (EXIF 2). */
    MIRROR_HORIZONTAL(2),
    /** Turned half a turn (EXIF 3). */
    ROTATE_180(3),
    /** Mirrored top to bottom (EXIF 4). */
    MIRROR_VERTICAL(4),
    /** Mirrored across the main diagonal: rows become columns (EXIF 5). */
    TRANSPOSE(5),
    /** Turned a quarter turn clockwise (EXIF 6). */
    ROTATE_90(6),
    /** Mirrored across the other diagonal (EXIF 7). */
    TRANSVERSE(7),
    /** Turned a quarter turn counter-clockwise (EXIF 8). */
    ROTATE_270(8);

    private final int exif;

    Orientation(int exif) {
        this.exif = exif;
    }

    /** The EXIF {@code Orientation} value, 1 to 8. */
    public int exifValue() {
        return exif;
    }

    /** The orientation with that EXIF value; {@link #NORMAL} for a value outside 1..8 (common in broken EXIF). */
    public static Orientation fromExif(int value) {
        return value >= 1 && value <= 8 ? values()[value - 1] : NORMAL;
    }

    /*
     * In the DCT domain (D = C X C^T, u the vertical and v the horizontal frequency) a horizontal mirror
     * multiplies D[u][v] by (-1)^v, a vertical mirror by (-1)^u and a transpose swaps u and v. A quarter turn
     * clockwise is a transpose followed by a horizontal mirror: R[i][j] = X[31-j][i].
     */

    /** Applies this orientation to 64 coefficients ({@code (u-1)*8 + (v-1)} order) and returns new ones. */
    float[] applyToCoefficients(float[] c) {
        boolean transpose = this == TRANSPOSE || this == ROTATE_90 || this == TRANSVERSE || this == ROTATE_270;
        boolean signV = this == MIRROR_HORIZONTAL || this == ROTATE_180 || this == ROTATE_90 || this == TRANSVERSE;
        boolean signU = this == MIRROR_VERTICAL || this == ROTATE_180 || this == ROTATE_270 || this == TRANSVERSE;
        float[] out = new float[64];
        for (int u = 1; u <= 8; u++) {
            for (int v = 1; v <= 8; v++) {
                float value = transpose ? c[(v - 1) * 8 + (u - 1)] : c[(u - 1) * 8 + (v - 1)];
                boolean negate = (signV && (v & 1) == 1) ^ (signU && (u & 1) == 1);
                out[(u - 1) * 8 + (v - 1)] = negate ? -value : value;
            }
        }
        return out;
    }

    /** Applies this orientation to a square row-major block of side {@code n} (the pixel-domain definition). */
    float[] applyToPixels(float[] x, int n) {
        float[] out = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int m = n - 1;
                float v = switch (this) {
                    case NORMAL -> x[i * n + j];
                    case MIRROR_HORIZONTAL -> x[i * n + (m - j)];
                    case ROTATE_180 -> x[(m - i) * n + (m - j)];
                    case MIRROR_VERTICAL -> x[(m - i) * n + j];
                    case TRANSPOSE -> x[j * n + i];
                    case ROTATE_90 -> x[(m - j) * n + i];
                    case TRANSVERSE -> x[(m - j) * n + (m - i)];
                    case ROTATE_270 -> x[j * n + (m - i)];
                };
                out[i * n + j] = v;
            }
        }
        return out;
    }
}
