package org.cleanbackup.hash;

import java.nio.ByteBuffer;

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

    /**
     * The hash of the bytes between {@code data}'s position and limit, at once; the position moves to the limit.
     * Files are read into direct buffers, without a copy into the Java heap; an implementation that can hash such
     * memory in place overrides this. The default copies the bytes to an array.
     *
     * @since 0.1
     */
    default byte[] hash(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        return hash(bytes, 0, bytes.length);
    }

    /** A running hash computation over a sequence of bytes. */
    interface Digest {

        /** Feeds {@code length} bytes of {@code bytes} starting at {@code offset}. */
        void update(byte[] bytes, int offset, int length);

        /**
         * Feeds the bytes between {@code data}'s position and limit; the position moves to the limit. The default
         * copies them to an array, a chunk at a time.
         *
         * @since 0.1
         */
        default void update(ByteBuffer data) {
            byte[] chunk = new byte[Math.min(data.remaining(), 64 * 1024)];
            while (data.hasRemaining()) {
                int n = Math.min(chunk.length, data.remaining());
                data.get(chunk, 0, n);
                update(chunk, 0, n);
            }
        }

        /** Finishes the computation and returns the hash; the digest must not be used afterwards. */
        byte[] finish();
    }
}
