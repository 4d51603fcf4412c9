package org.cleanbackup.cache;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import org.cleanbackup.phash.OrientationHashes;
import org.cleanbackup.phash.PerceptualHasher;

/**
 * How perceptual hashes are written in the {@link HashCache}, one definition for every stage that reads or writes
 * them (similar dedupe, organize's look-alike filter, {@code hash --phash}), so each one's entries serve the others.
 *
 * <p>An entry's algorithm names the hash definition's version, whether the eight orientations are kept
 * ({@code -8}) and the backend ({@code "phash-v1-8/native"}). Its value is the codes in hex, comma-separated: one
 * code, or with orientations the upright code followed by the eight orientations' (identity first). A file that
 * could not be decoded is remembered too, as {@code !} and the one-line reason, so an unchanged damaged file is not
 * decoded again.
 */
public final class PerceptualEntries {

    /** The version of the hash definition; bumped when the bits would change. */
    public static final String VERSION = "phash-v1";

    private static final String FAILED = "!";

    private PerceptualEntries() {
    }

    /** The algorithm under which {@code backend}'s hashes are stored, with or without the eight orientations. */
    public static String algorithm(String backend, boolean orientations) {
        return VERSION + (orientations ? "-8" : "") + "/" + backend;
    }

    /**
     * Hashes a file into the codes an entry holds: its hash, or with {@code orientations} the upright hash (what a
     * search indexes) followed by all eight orientations' (what it queries with).
     *
     * @throws IOException when the file cannot be read or decoded ({@link org.cleanbackup.phash.ImageDecodeException})
     */
    public static long[] hash(PerceptualHasher hasher, Path file, boolean orientations) throws IOException {
        if (!orientations) {
            return new long[] {hasher.hash(file).bits()};
        }
        OrientationHashes all = hasher.hashOrientations(file);
        long[] codes = new long[all.hashes().size() + 1];
        codes[0] = all.upright().bits();
        for (int k = 0; k < all.hashes().size(); k++) {
            codes[k + 1] = all.hashes().get(k).bits();
        }
        return codes;
    }

    /** The value that stores these codes. */
    public static String encode(long[] codes) {
        StringBuilder sb = new StringBuilder();
        for (long c : codes) {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(HexFormat.of().toHexDigits(c));
        }
        return sb.toString();
    }

    /** The codes of a value that is not a {@link #failure(String) failure}. */
    public static long[] decode(String value) {
        String[] parts = value.split(",");
        long[] codes = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            codes[i] = HexFormat.fromHexDigitsToLong(parts[i]);
        }
        return codes;
    }

    /** The value that remembers a file that could not be decoded, and why. */
    public static String failure(String reason) {
        return FAILED + reason;
    }

    /** The reason a remembered failure gave; empty when the value holds codes. */
    public static Optional<String> failureReason(String value) {
        return value.startsWith(FAILED) ? Optional.of(value.substring(FAILED.length())) : Optional.empty();
    }
}
