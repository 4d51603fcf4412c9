package org.cleanbackup.internal.hash;

import com.dynatrace.hash4j.hashing.HashStream128;
import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hashing;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.SplittableRandom;
import org.cleanbackup.hash.ContentHasher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * XXH3-128: the system's xxHash library when it can be used ({@link SystemXxh3}), hash4j otherwise. Both give the
 * reference implementation's value; the library is only used after it gave hash4j's value on a range of lengths
 * that covers each of XXH3's code paths. The system property {@code cleanbackup.xxh3=java} forces hash4j.
 */
public final class Xxh3Hasher implements ContentHasher {

    private static final Logger LOG = LoggerFactory.getLogger(Xxh3Hasher.class);

    /** The native library, looked up once per JVM on first use. */
    private static final class Native {
        static final SystemXxh3 LIB = checked(
                "java".equals(System.getProperty("cleanbackup.xxh3")) ? Optional.empty() : SystemXxh3.load());
    }

    @Override
    public String name() {
        return "xxh3";
    }

    /** {@code "libxxhash"} when the system library hashes, {@code "hash4j"} when the pure-Java code does. */
    static String implementation() {
        return Native.LIB != null ? "libxxhash" : "hash4j";
    }

    @Override
    public Digest newDigest() {
        SystemXxh3 lib = Native.LIB;
        if (lib != null) {
            SystemXxh3.Stream stream = lib.newStream();
            return new Digest() {
                @Override
                public void update(byte[] bytes, int offset, int length) {
                    stream.update(bytes, offset, length);
                }

                @Override
                public void update(ByteBuffer data) {
                    if (!data.isDirect()) {
                        Digest.super.update(data);
                        return;
                    }
                    stream.update(MemorySegment.ofBuffer(data)); // from position to limit, in place
                    data.position(data.limit());
                }

                @Override
                public byte[] finish() {
                    return canonical(stream.finish());
                }
            };
        }
        HashStream128 stream = Hashing.xxh3_128().hashStream();
        return new Digest() {
            @Override
            public void update(byte[] bytes, int offset, int length) {
                stream.putBytes(bytes, offset, length);
            }

            @Override
            public byte[] finish() {
                return canonical(halves(stream.get()));
            }
        };
    }

    /** One-shot: the same value as streaming, and faster (most files are hashed whole from one buffer). */
    @Override
    public byte[] hash(byte[] bytes, int offset, int length) {
        SystemXxh3 lib = Native.LIB;
        return canonical(lib != null ? lib.hash(bytes, offset, length)
                : halves(Hashing.xxh3_128().hashBytesTo128Bits(bytes, offset, length)));
    }

    /** A direct buffer is hashed in place by the library; anything else as the default does. */
    @Override
    public byte[] hash(ByteBuffer data) {
        SystemXxh3 lib = Native.LIB;
        if (lib == null || !data.isDirect()) {
            return ContentHasher.super.hash(data);
        }
        byte[] hash = canonical(lib.hash(MemorySegment.ofBuffer(data)));
        data.position(data.limit());
        return hash;
    }

    /**
     * XXH3-64 of the bytes between {@code data}'s position and limit; the position moves to the limit. Not a
     * {@link ContentHasher}: a quick key for telling files apart before their real hash (a file's first and last
     * bytes), never shown or stored. The system library when it can be used, hash4j otherwise.
     */
    static long hash64(ByteBuffer data) {
        SystemXxh3 lib = Native.LIB;
        long hash;
        if (lib != null && data.isDirect()) {
            hash = lib.hash64(MemorySegment.ofBuffer(data));
        } else if (data.hasArray()) {
            hash = Hashing.xxh3_64().hashBytesToLong(data.array(), data.arrayOffset() + data.position(), data.remaining());
        } else {
            byte[] bytes = new byte[data.remaining()];
            data.duplicate().get(bytes);
            hash = Hashing.xxh3_64().hashBytesToLong(bytes);
        }
        data.position(data.limit());
        return hash;
    }

    /** The library if it agrees with hash4j on every length XXH3 treats differently, else null (logged). */
    private static SystemXxh3 checked(Optional<SystemXxh3> candidate) {
        if (candidate.isEmpty()) {
            return null;
        }
        SystemXxh3 lib = candidate.get();
        byte[] data = new byte[5000];
        new SplittableRandom(2026).nextBytes(data);
        // 0-16, 17-128, 129-240 bytes and longer inputs take different paths; 1024 is one stripe block.
        for (int length : new int[] {0, 1, 3, 4, 8, 9, 16, 17, 128, 129, 240, 241, 1024, 1025, 4096, 4999}) {
            long[] expected = halves(Hashing.xxh3_128().hashBytesTo128Bits(data, 1, length));
            SystemXxh3.Stream stream = lib.newStream();
            stream.update(data, 1, length / 2);
            stream.update(data, 1 + length / 2, length - length / 2);
            long expected64 = Hashing.xxh3_64().hashBytesToLong(data, 1, length);
            if (!java.util.Arrays.equals(lib.hash(data, 1, length), expected)
                    || !java.util.Arrays.equals(stream.finish(), expected)
                    || lib.hash64(MemorySegment.ofArray(data).asSlice(1, length)) != expected64) {
                LOG.warn("the system's xxHash library gives other XXH3 values than"
                        + " hash4j (length " + length + "); using hash4j");
                return null;
            }
        }
        return lib;
    }

    private static long[] halves(HashValue128 value) {
        return new long[] {value.getMostSignificantBits(), value.getLeastSignificantBits()};
    }

    /** Big-endian, high half first: the canonical XXH128 byte order (what xxhsum prints). */
    private static byte[] canonical(long[] highLow) {
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (highLow[0] >>> (56 - 8 * i));
            out[8 + i] = (byte) (highLow[1] >>> (56 - 8 * i));
        }
        return out;
    }
}
