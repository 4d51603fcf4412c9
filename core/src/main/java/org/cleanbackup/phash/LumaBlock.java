package org.cleanbackup.phash;

import java.util.Objects;

/**
 * What a backend's decoder produces: the 32x32 area-averaged luma of an image as stored, and the EXIF orientation
 * still to be applied to it. Core applies the orientation in the DCT domain, where it is exact and free.
 *
 * @param luma        1024 values in 0..255, row-major, top row first; held, not copied: do not change it
 * @param orientation how the stored image must be transformed to be shown upright
 * @since 0.1
 */
public record LumaBlock(float[] luma, Orientation orientation) {

    /** Number of values in a block (32 x 32). */
    public static final int LENGTH = DctBasis.SIZE * DctBasis.SIZE;

    public LumaBlock {
        Objects.requireNonNull(luma, "luma");
        Objects.requireNonNull(orientation, "orientation");
        if (luma.length != LENGTH) {
            throw new IllegalArgumentException("a luma block has " + LENGTH + " values, got " + luma.length);
        }
    }
}
