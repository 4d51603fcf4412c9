package org.cleanbackup.fingerprint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.Optional;

/**
 * How audio fingerprints are written in the hash cache ({@code org.cleanbackup.cache.HashCache}), under the same
 * key as every other fact of a file (device and inode, trusted while size and modification time are unchanged).
 *
 * <p>An entry's algorithm names the definition's version and the window: {@code chromaprint-v2-60s}. Its value is
 * the {@link AudioFacts} and the raw words, tab-separated: codec, lossless (0/1), bit rate, tag count, duration in
 * milliseconds, then the words as base64 of their little-endian bytes (60 s is about 485 words, 2.6 KB). A file
 * that could not be decoded is remembered as {@code !} and the one-line reason, so an unchanged damaged file is not
 * decoded again.
 *
 * @since 0.4
 */
public final class FingerprintEntries {

    /**
     * The version of the definition (decoding, Chromaprint's algorithm, the facts); bumped when they change. v2: the
     * tag count is the standard fields, as exact mode counts them, and failures carry the decoding worker's words.
     */
    public static final String VERSION = "chromaprint-v2";

    private static final String FAILED = "!";

    private FingerprintEntries() {
    }

    /** The algorithm under which fingerprints of the first {@code seconds} are stored. */
    public static String algorithm(int seconds) {
        return VERSION + "-" + seconds + "s";
    }

    /** The value that stores this fingerprint. */
    public static String encode(AudioFingerprint fingerprint) {
        AudioFacts f = fingerprint.facts();
        int[] words = fingerprint.words();
        ByteBuffer bytes = ByteBuffer.allocate(4 * words.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asIntBuffer().put(words);
        return String.join("\t", f.codec().replace('\t', ' '), f.lossless() ? "1" : "0",
                Integer.toString(f.bitrate()), Integer.toString(f.tags()), Long.toString(f.durationMillis()),
                Base64.getEncoder().encodeToString(bytes.array()));
    }

    /** The fingerprint of a value that is not a {@link #failure(String) failure}; empty when it cannot be read. */
    public static Optional<AudioFingerprint> decode(String value) {
        String[] v = value.split("\t", -1);
        if (v.length != 6) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(v[5]);
            if (bytes.length % 4 != 0) {
                return Optional.empty();
            }
            int[] words = new int[bytes.length / 4];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(words);
            AudioFacts facts = new AudioFacts(v[0], v[1].equals("1"), Integer.parseInt(v[2]), Integer.parseInt(v[3]),
                    Long.parseLong(v[4]));
            return Optional.of(new AudioFingerprint(words, facts));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The value that remembers a file that could not be decoded, and why. */
    public static String failure(String reason) {
        return FAILED + reason;
    }

    /** The reason a remembered failure gave; empty when the value holds a fingerprint. */
    public static Optional<String> failureReason(String value) {
        return value.startsWith(FAILED) ? Optional.of(value.substring(FAILED.length())) : Optional.empty();
    }
}
