package org.cleanbackup.similar;

import java.util.Locale;

/**
 * How different two images' perceptual hashes may be (in bits of 64) and still count as the same picture. The
 * values were chosen from measurements on transformed copies of real photos (docs/benchmarks.md, "Similar
 * images: precision and recall"): see the README for how.
 */
public enum Sensitivity {
    /** Only near-identical images: the same picture re-saved or slightly recompressed. */
    EXACT(2),
    /** The same picture resized, recompressed, converted, brightened, grayscaled or slightly cropped. The default. */
    STANDARD(10),
    /** Also heavier edits; more risk of pairing different photos of one scene (bursts). */
    AGGRESSIVE(12);

    private final int threshold;

    Sensitivity(int threshold) {
        this.threshold = threshold;
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
