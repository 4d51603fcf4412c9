package org.cleanbackup.internal.hash;

import com.dynatrace.hash4j.hashing.HashStream128;
import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hashing;
import org.cleanbackup.hash.ContentHasher;

/** XXH3-128 through hash4j, whose streaming form gives the same value as the reference C implementation. */
public final class Xxh3Hasher implements ContentHasher {

    @Override
    public String name() {
        return "xxh3";
    }

    @Override
    public Digest newDigest() {
        HashStream128 stream = Hashing.xxh3_128().hashStream();
        return new Digest() {
            @Override
            public void update(byte[] bytes, int offset, int length) {
                stream.putBytes(bytes, offset, length);
            }

            @Override
            public byte[] finish() {
                return canonical(stream.get());
            }
        };
    }

    /**
     * One-shot: the same value as streaming, and much faster while the JIT is still cold, which is most of a
     * short command's life.
     */
    @Override
    public byte[] hash(byte[] bytes, int offset, int length) {
        return canonical(Hashing.xxh3_128().hashBytesTo128Bits(bytes, offset, length));
    }

    /** Big-endian, high half first: the canonical XXH128 byte order (what xxhsum prints). */
    private static byte[] canonical(HashValue128 value) {
        long hi = value.getMostSignificantBits();
        long lo = value.getLeastSignificantBits();
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (hi >>> (56 - 8 * i));
            out[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return out;
    }
}
