package org.cleanbackup.phash.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Step 2: area averaging to 32 x 32. */
class AreaAveragerTest {

    private static float[] average(int w, int h, float[][] image) {
        AreaAverager a = new AreaAverager(w, h);
        for (int y = 0; y < h; y++) {
            a.addRow(y, image[y]);
        }
        return a.result();
    }

    @Test
    void integerRatioAveragesEachBlock() {
        // 64 x 96: each output cell is a 2 x 3 block whose mean we know
        float[][] img = new float[96][64];
        for (int y = 0; y < 96; y++) {
            for (int x = 0; x < 64; x++) {
                img[y][x] = (x / 2) * 3 + (y / 3) + (x % 2) * 2 + (y % 3);
            }
        }
        float[] out = average(64, 96, img);
        for (int oy = 0; oy < 32; oy++) {
            for (int ox = 0; ox < 32; ox++) {
                // mean over the block of (x%2)*2 is 1 and of (y%3) is 1
                assertThat(out[oy * 32 + ox]).isCloseTo(ox * 3 + oy + 2f, within(1e-4f));
            }
        }
    }

    @Test
    void fractionalRatioKeepsTheMeanAndFlatImagesFlat() {
        SplittableRandom r = new SplittableRandom(7);
        int w = 101;
        int h = 47;
        float[][] img = new float[h][w];
        double sum = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img[y][x] = r.nextInt(256);
                sum += img[y][x];
            }
        }
        float[] out = average(w, h, img);
        double outMean = 0;
        for (float v : out) {
            outMean += v / 1024.0;
        }
        assertThat(outMean).isCloseTo(sum / (w * h), within(1e-3));

        float[][] flat = new float[h][w];
        for (float[] row : flat) {
            java.util.Arrays.fill(row, 77f);
        }
        for (float v : average(w, h, flat)) {
            assertThat(v).isCloseTo(77f, within(1e-3f));
        }
    }

    @Test
    void weightsFollowOverlapArea() {
        // 33 pixels wide: cell 0 covers [0, 33/32) = all of pixel 0 and 1/32 of pixel 1; cell 1 covers
        // [33/32, 66/32): the other 31/32 of pixel 1 and 2/32 of pixel 2
        float[][] img = new float[1][33];
        img[0][1] = 100;
        float[] out = average(33, 1, img);
        assertThat(out[0]).isCloseTo(100f * (1f / 32) / (33f / 32), within(1e-4f));
        assertThat(out[1]).isCloseTo(100f * (31f / 32) / (33f / 32), within(1e-4f));
        assertThat(out[2]).isZero();
    }

    @Test
    void smallImagesAreEnlargedByRepeatingPixels() {
        float[][] img = {{10, 20}, {30, 40}};
        float[] out = average(2, 2, img);
        assertThat(out[0]).isEqualTo(10f);
        assertThat(out[31]).isEqualTo(20f);
        assertThat(out[31 * 32]).isEqualTo(30f);
        assertThat(out[1023]).isEqualTo(40f);
    }

    @Test
    void lumaUsesBt601Weights() {
        assertThat(ImageLumaDecoder.luma(255, 0, 0)).isCloseTo(76.245f, within(1e-3f));
        assertThat(ImageLumaDecoder.luma(0, 255, 0)).isCloseTo(149.685f, within(1e-3f));
        assertThat(ImageLumaDecoder.luma(0, 0, 255)).isCloseTo(29.07f, within(1e-3f));
        assertThat(ImageLumaDecoder.luma(200, 200, 200)).isCloseTo(200f, within(1e-3f));
    }
}
