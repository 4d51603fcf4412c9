package org.cleanbackup.hash;

/**
 * Service-provider interface for a content hash function (XXH3-128, MD5, SHA-256, ...).
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/org.cleanbackup.hash.ContentHasher}) and chosen by {@link #name()} through
 * {@link ContentHashers}. An implementation must be thread-safe; the {@link Digest}s it makes need not be, each
 * is used by one thread at a time.
 *
 * @since 0.1
 */
public interface ContentHasher {

    /** The short name users type, lower case, for example {@code "xxh3"}. Never null. */
    String name();

    /** A new digest in its initial state. Never null. */
    Digest newDigest();

    /**
     * The hash of {@code length} bytes at once; must equal feeding them to a {@link #newDigest()}. Implementations
     * may override it with a faster one-shot routine (most files are hashed whole from one buffer).
     */
    default byte[] hash(byte[] bytes, int offset, int length) {
        Digest digest = newDigest();
        digest.update(bytes, offset, length);
        return digest.finish();
    }

    /** A running hash computation over a sequence of bytes. */
    interface Digest {

        /** Feeds {@code length} bytes of {@code bytes} starting at {@code offset}. */
        void update(byte[] bytes, int offset, int length);

        /** Finishes the computation and returns the hash; the digest must not be used afterwards. */
        byte[] finish();
    }
}
