package org.cleanbackup.compress;

/**
 * How hard to compress: the three documented levels of {@code cleanbackup compress --level N}. PNG ignores the
 * level (always lossless at maximum deflate).
 */
public enum CompressionLevel {
    /** Level 1, high quality: JPEG quality 95, H.264 CRF 18, AAC 192 kbit/s. */
    HIGH(1, 95, 18, 192),
    /** Level 2, balanced, the default: JPEG quality 85, H.264 CRF 23, AAC 160 kbit/s. */
    BALANCED(2, 85, 23, 160),
    /** Level 3, small: JPEG quality 75, H.264 CRF 28, AAC 128 kbit/s. */
    SMALL(3, 75, 28, 128);

    private final int number;
    private final int jpegQuality;
    private final int crf;
    private final int audioKbps;

    CompressionLevel(int number, int jpegQuality, int crf, int audioKbps) {
        this.number = number;
        this.jpegQuality = jpegQuality;
        this.crf = crf;
        this.audioKbps = audioKbps;
    }

    /** The number users type: 1, 2 or 3. */
    public int number() {
        return number;
    }

    /** The JPEG quality on the usual 1..100 scale of libjpeg (and ImageMagick's {@code -quality}). */
    public int jpegQuality() {
        return jpegQuality;
    }

    /** The constant rate factor given to x264 (lower is better and bigger). */
    public int crf() {
        return crf;
    }

    /** The AAC bit rate used when a video's sound has to be re-encoded, in kbit/s. */
    public int audioKbps() {
        return audioKbps;
    }

    /**
     * The level with this number.
     *
     * @throws IllegalArgumentException for anything but 1, 2 or 3, with a message for the user
     */
    public static CompressionLevel of(int number) {
        for (CompressionLevel level : values()) {
            if (level.number == number) {
                return level;
            }
        }
        throw new IllegalArgumentException("--level " + number + " does not exist (1 high quality, 2 balanced, 3 small)");
    }
}
