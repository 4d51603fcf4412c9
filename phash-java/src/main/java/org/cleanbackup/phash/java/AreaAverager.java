package org.cleanbackup.phash.java;

/**
 * Step 2 of the hash: shrinks a W x H luma image to 32 x 32 by exact area averaging, one source row at a time so
 * that a large image never needs a full luma copy.
 *
 * <p>Output cell {@code (oy, ox)} covers the source rectangle {@code [ox*W/32, (ox+1)*W/32) x [oy*H/32,
 * (oy+1)*H/32)}; each source pixel contributes in proportion to the area it shares with it, and the sum is divided by
 * the cell's area. It works for any size, including images smaller than 32 pixels (a pixel then covers several
 * cells). The native backend implements the same rule in C.
 */
final class AreaAverager {

    static final int N = 32;

    private final int height;
    private final int width;
    // horizontal, per output cell o: whole source pixels [full0[o], full1[o]), plus up to two partly covered pixels
    private final int[] full0;
    private final int[] full1;
    private final int[] headPixel;
    private final double[] headWeight;
    private final int[] tailPixel;
    private final double[] tailWeight;
    // vertical: worked out per source row as it comes (a few cells), not kept in arrays of the image's height,
    // so a tall image (a 1 x 150,000,000 PNG is 300 KB of zlib) costs no memory here
    private final double extentY;
    private final double[] rowSums = new double[N];
    private final double[] sums = new double[N * N];
    private final double cellArea;

    AreaAverager(int width, int height) {
        this(width, height, width, height);
    }

    /**
     * For a DCT-scaled image: {@code width x height} pixels that span {@code extentX x extentY} pixels of the
     * image's own scale. At 1/8 scale a 346-pixel side gives 44 pixels whose last one stands for a partial block: the
     * extent is 43.25, and the last pixel then counts with a quarter of its width, so the cells are those of the
     * full-size image (the native backend does the same).
     */
    AreaAverager(int width, int height, double extentX, double extentY) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image has no pixels: " + width + " x " + height);
        }
        if (!(extentX > width - 1 && extentX <= width && extentY > height - 1 && extentY <= height)) {
            throw new IllegalArgumentException("extent " + extentX + " x " + extentY + " does not fit "
                    + width + " x " + height + " pixels");
        }
        this.width = width;
        this.height = height;
        full0 = new int[N];
        full1 = new int[N];
        headPixel = new int[N];
        headWeight = new double[N];
        tailPixel = new int[N];
        tailWeight = new double[N];
        for (int o = 0; o < N; o++) {
            double lo = o * extentX / N;
            double hi = (o + 1) * extentX / N;
            int a = (int) Math.ceil(lo);
            int b = (int) Math.floor(hi);
            if (a <= b) {
                full0[o] = a;
                full1[o] = b;
                headPixel[o] = Math.max(a - 1, 0);
                headWeight[o] = a - lo;
                tailPixel[o] = Math.min(b, width - 1);
                tailWeight[o] = b < width ? hi - b : 0;
            } else { // the cell lies inside one pixel (images narrower than 32)
                headPixel[o] = (int) Math.floor(lo);
                headWeight[o] = hi - lo;
                tailPixel[o] = headPixel[o];
            }
        }
        this.extentY = extentY;
        cellArea = (extentX / N) * (extentY / N);
    }

    /** Adds source row {@code y}; {@code luma[0..width)} holds its values in 0..255. Rows may come in any order. */
    void addRow(int y, float[] luma) {
        for (int o = 0; o < N; o++) {
            // whole pixels summed plainly (the hot loop), the two partly covered ones weighted
            double whole = 0;
            for (int x = full0[o], end = full1[o]; x < end; x++) {
                whole += luma[x];
            }
            rowSums[o] = whole + headWeight[o] * luma[headPixel[o]] + tailWeight[o] * luma[tailPixel[o]];
        }
        addRowSums(y);
    }

    /**
     * Adds source row {@code y} from unsigned bytes: pixel {@code x} at {@code data[offset + x * step]}. Sums whole
     * pixels as integers, exactly.
     */
    void addRow(int y, byte[] data, int offset, int step) {
        for (int o = 0; o < N; o++) {
            int whole = 0;
            for (int x = full0[o], end = full1[o], p = offset + x * step; x < end; x++, p += step) {
                whole += data[p] & 0xFF;
            }
            rowSums[o] = whole + headWeight[o] * (data[offset + headPixel[o] * step] & 0xFF)
                    + tailWeight[o] * (data[offset + tailPixel[o] * step] & 0xFF);
        }
        addRowSums(y);
    }

    private void addRowSums(int s) {
        // output rows overlapping [s, s+1): oy from floor(s*32/extentY) while oy*extentY/32 < s+1 (the product in
        // long: s * 32 passes the int range above 67 million rows)
        for (int oy = (int) ((long) s * N / extentY); oy < N && oy * extentY / N < s + 1; oy++) {
            double lo = Math.max(s, oy * extentY / N);
            double hi = Math.min(s + 1, (oy + 1) * extentY / N);
            if (hi > lo) {
                int base = oy * N;
                double w = hi - lo;
                for (int o = 0; o < N; o++) {
                    sums[base + o] += w * rowSums[o];
                }
            }
        }
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** The 32 x 32 block, row-major. */
    float[] result() {
        float[] out = new float[N * N];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (sums[i] / cellArea);
        }
        return out;
    }
}
