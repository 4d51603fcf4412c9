package org.cleanbackup.hash;

import java.util.HexFormat;
import java.util.Objects;

/**
 * The hash of a file's content (or of its first bytes, when hashing was limited).
 *
 * @param algorithm the {@link ContentHasher#name()} that made it
 * @param hex       the hash in lower-case hexadecimal
 */
public record ContentHash(String algorithm, String hex) {

    public ContentHash {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(hex, "hex");
    }

    /** Wraps raw hash bytes. */
    public static ContentHash of(String algorithm, byte[] bytes) {
        return new ContentHash(algorithm, HexFormat.of().formatHex(bytes));
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
