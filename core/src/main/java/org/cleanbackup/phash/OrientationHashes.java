package org.cleanbackup.phash;

import java.util.List;
import java.util.Objects;

/**
 * The hashes of one image under each of the eight {@link Orientation}s, all computed from one DCT. The hash of a
 * copy that was mirrored or turned by quarter turns equals (up to rounding) one of these, so comparing a hash with
 * {@link #minDistance(PerceptualHash)} finds such copies.
 *
 * @param hashes eight hashes, indexed by {@link Orientation#ordinal()}; {@code hashes.get(0)} is the image as shown
 * @since 0.1
 */
public record OrientationHashes(List<PerceptualHash> hashes) {

    public OrientationHashes {
        hashes = List.copyOf(hashes);
        if (hashes.size() != Orientation.values().length) {
            throw new IllegalArgumentException("need one hash per orientation (8), got " + hashes.size());
        }
    }

    /** The hash of the image transformed by {@code orientation}. */
    public PerceptualHash get(Orientation orientation) {
        return hashes.get(orientation.ordinal());
    }

    /** The hash of the image the way it is shown (EXIF orientation applied, no further transformation). */
    public PerceptualHash upright() {
        return hashes.get(0);
    }

    /** The smallest distance between {@code other} and any of the eight hashes. */
    public int minDistance(PerceptualHash other) {
        Objects.requireNonNull(other, "other");
        return hashes.stream().mapToInt(h -> h.distance(other)).min().orElseThrow();
    }
}
