package org.cleanbackup.similar;

import java.util.Locale;

/**
 * How different two images' perceptual hashes may be (in bits of 64) and still count as the same picture, and two
 * songs' fingerprints (as a share of differing bits) and still count as the same recording. The image values were
 * chosen from measurements on transformed copies of real photos (docs/benchmarks.md, "Similar images: precision and
 * recall"); the song values from transcodes, cuts and volume changes against different songs (docs/audio.md: copies
 * 0.065 at most, different songs 0.374 at least).
 */
public enum Sensitivity {
    /** Only near-identical images: the same picture re-saved or slightly recompressed; songs within 0.10. */
    EXACT(2, 0.10),
    /**
     * The same picture resized, recompressed, converted, brightened, grayscaled or slightly cropped; the same song
     * transcoded, cut or made quieter (0.20: room for real music's noisier lossy copies). The default.
     */
    STANDARD(10, 0.20),
    /** Also heavier edits; more risk of pairing different photos of one scene (bursts); songs within 0.30. */
    AGGRESSIVE(12, 0.30);

    private final int threshold;
    private final double maxBitErrorRate;

    Sensitivity(int threshold, double maxBitErrorRate) {
        this.threshold = threshold;
        this.maxBitErrorRate = maxBitErrorRate;
    }

    /** The largest share of differing fingerprint bits at which two songs still count as one recording. */
    public double maxBitErrorRate() {
        return maxBitErrorRate;
    }

    /** The largest Hamming distance that still counts as similar. */
    public int threshold() {
        return threshold;
    }

    /** Parses "exact", "standard" or "aggressive". */
    public static Sensitivity parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown sensitivity '" + name + "' (exact, standard or aggressive)");
        }
    }
}
