package org.cleanbackup.internal.hash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.cleanbackup.hash.ContentHash;
import org.cleanbackup.hash.ContentHasher;
import org.cleanbackup.internal.ByteRanges;

/**
 * Internal: not part of the API. Reads parts of files and hashes them: the first bytes, the last bytes, or
 * everything. Each thread keeps one large buffer so whole-file hashing reads sequentially in big chunks without
 * allocating.
 */
public final class ContentReader {

    /** Read size for comparing two files: large enough that a spinning disk streams, small enough for many threads. */
    private static final int CHUNK = 1 << 20;

    /**
     * Read size for hashing: the kernel's read-ahead keeps a disk streaming all the same, and a buffer that stays in
     * the core's cache makes both the kernel's copy into it and the hash's pass over it faster than a 1 MiB one
     * (which also cost a dedupe run of a small folder 2 MiB of its footprint).
     */
    private static final int HASH_CHUNK = 256 << 10;

    /**
     * Each thread's read buffer for hashing: direct, so that the kernel copies file data straight into it (a heap
     * buffer costs a second copy through a temporary direct one) and a native hash reads it in place.
     */
    private static final ThreadLocal<ByteBuffer> DIRECT_BUFFER =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(HASH_CHUNK));

    /** The most bytes a {@link #quickKey} covers. */
    static final int QUICK_KEY_MAX = HASH_CHUNK;

    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[CHUNK]);
    /** The second file's buffer when comparing two files. */
    private static final ThreadLocal<byte[]> OTHER_BUFFER = ThreadLocal.withInitial(() -> new byte[CHUNK]);

    private final ContentHasher hasher;
    private final java.util.concurrent.atomic.LongAdder bytesRead = new java.util.concurrent.atomic.LongAdder();

    /** A reader that hashes with {@code hasher}. */
    public ContentReader(ContentHasher hasher) {
        this.hasher = hasher;
    }

    /** How many bytes this reader has read so far. */
    public long bytesRead() {
        return bytesRead.sum();
    }

    /** Hashes {@code length} bytes starting at {@code offset}, checking that the file still has {@code size} bytes. */
    ContentHash hashRange(Path path, long size, long offset, long length) throws IOException {
        return ContentHash.of(hasher.name(), hashBytes(path, size, offset, length));
    }

    /** {@link #hashRange} as raw hash bytes, for callers that only compare them. */
    public byte[] hashBytes(Path path, long size, long offset, long length) throws IOException {
        ByteBuffer buffer = DIRECT_BUFFER.get();
        try (ReadOnlyFile file = openSized(path, size)) {
            if (length <= buffer.capacity()) {
                // The common case: the whole range fits the buffer, so hash it in one call.
                readFully(file, buffer.clear().limit((int) length), offset, size);
                bytesRead.add(length);
                return hasher.hash(buffer.flip());
            }
            ContentHasher.Digest digest = hasher.newDigest();
            for (long done = 0; done < length; ) {
                int n = (int) Math.min(buffer.capacity(), length - done);
                readFully(file, buffer.clear().limit(n), offset + done, size);
                digest.update(buffer.flip());
                bytesRead.add(n);
                done += n;
            }
            return digest.finish();
        }
    }

    /**
     * A quick 64-bit key of {@code length} bytes (at most {@value #QUICK_KEY_MAX}) from {@code offset}: XXH3-64,
     * whatever this reader's hasher is. For telling files apart before their real hash (their first or last
     * bytes): files with other keys differ, and files with the same key go on to the real hash, so a key is never a
     * verdict and never shown.
     */
    public long quickKey(Path path, long size, long offset, int length) throws IOException {
        if (length > QUICK_KEY_MAX) {
            throw new IllegalArgumentException("a quick key covers at most " + QUICK_KEY_MAX + " bytes");
        }
        ByteBuffer buffer = DIRECT_BUFFER.get();
        try (ReadOnlyFile file = openSized(path, size)) {
            readFully(file, buffer.clear().limit(length), offset, size);
            bytesRead.add(length);
            return Xxh3Hasher.hash64(buffer.flip());
        }
    }

    /**
     * Hashes the bytes of {@code ranges} (an audio file's sound without its tags), read in file order, checking that
     * the file still has {@code size} bytes. Ranges close together (an Ogg file's page bodies) are read in one go:
     * each read fills the buffer from the next byte wanted up to the last one, gaps included.
     */
    public byte[] hashBytes(Path path, long size, ByteRanges ranges) throws IOException {
        if (ranges.count() == 1) {
            return hashBytes(path, size, ranges.offset(0), ranges.length(0));
        }
        ByteBuffer buffer = DIRECT_BUFFER.get();
        ContentHasher.Digest digest = hasher.newDigest();
        long last = ranges.count() == 0 ? 0 : ranges.offset(ranges.count() - 1) + ranges.length(ranges.count() - 1);
        try (ReadOnlyFile file = openSized(path, size)) {
            long windowStart = 0;
            int windowLength = 0;
            for (int i = 0; i < ranges.count(); i++) {
                long p = ranges.offset(i);
                long end = p + ranges.length(i);
                while (p < end) {
                    if (p < windowStart || p >= windowStart + windowLength) {
                        windowStart = p;
                        windowLength = (int) Math.min(buffer.capacity(), last - p);
                        readFully(file, buffer.clear().limit(windowLength), p, size);
                        bytesRead.add(windowLength);
                    }
                    int from = (int) (p - windowStart);
                    int n = (int) Math.min(end - p, windowLength - from);
                    digest.update(buffer.slice(from, n));
                    p += n;
                }
            }
        }
        return digest.finish();
    }

    /** {@link #quickKey(Path, long, long, int)} of the bytes of {@code ranges}, at most {@value #QUICK_KEY_MAX}. */
    public long quickKey(Path path, long size, ByteRanges ranges) throws IOException {
        if (ranges.length() > QUICK_KEY_MAX) {
            throw new IllegalArgumentException("a quick key covers at most " + QUICK_KEY_MAX + " bytes");
        }
        if (ranges.count() == 1) {
            return quickKey(path, size, ranges.offset(0), (int) ranges.length(0));
        }
        ByteBuffer buffer = DIRECT_BUFFER.get().clear();
        try (ReadOnlyFile file = openSized(path, size)) {
            for (int i = 0; i < ranges.count(); i++) {
                buffer.limit(buffer.position() + (int) ranges.length(i));
                readFully(file, buffer, ranges.offset(i), size);
            }
            bytesRead.add(ranges.length());
            return Xxh3Hasher.hash64(buffer.flip());
        }
    }

    /** Opens a file that must still have the size the scan saw. */
    private static ReadOnlyFile openSized(Path path, long size) throws IOException {
        ReadOnlyFile file = ReadOnlyFile.open(path);
        try {
            long actual = file.size();
            if (actual != size) {
                throw new FileChangedException(size, actual);
            }
            return file;
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** Positional reads: no seek, and the file's own position is never shared state. */
    private static void readFully(ReadOnlyFile file, ByteBuffer buffer, long position, long size) throws IOException {
        while (buffer.hasRemaining()) {
            int n = file.read(buffer, position);
            if (n < 0) {
                throw new FileChangedException(size, position);
            }
            position += n;
        }
    }

    /**
     * Whether two files hold the same bytes, compared chunk by chunk. Stronger than comparing hashes and much
     * cheaper ({@link java.util.Arrays#mismatch} is vectorized): this is how copies are verified.
     */
    public static boolean sameContent(Path a, Path b) throws IOException {
        try (FileChannel ca = FileChannel.open(a, StandardOpenOption.READ);
             FileChannel cb = FileChannel.open(b, StandardOpenOption.READ)) {
            if (ca.size() != cb.size()) {
                return false;
            }
            byte[] bufferA = BUFFER.get();
            byte[] bufferB = OTHER_BUFFER.get();
            ByteBuffer wa = ByteBuffer.wrap(bufferA);
            ByteBuffer wb = ByteBuffer.wrap(bufferB);
            long remaining = ca.size();
            while (remaining > 0) {
                int want = (int) Math.min(bufferA.length, remaining);
                readFully(ca, wa.clear().limit(want));
                readFully(cb, wb.clear().limit(want));
                if (java.util.Arrays.mismatch(bufferA, 0, want, bufferB, 0, want) >= 0) {
                    return false;
                }
                remaining -= want;
            }
            return true;
        }
    }

    /**
     * Whether the bytes of {@code ra} in {@code a} equal those of {@code rb} in {@code b}, compared chunk by chunk
     * ({@link #sameContent} for parts of files: an audio file's sound without its tags).
     */
    public static boolean sameBytes(Path a, ByteRanges ra, Path b, ByteRanges rb) throws IOException {
        if (ra.length() != rb.length()) {
            return false;
        }
        try (FileChannel ca = FileChannel.open(a, StandardOpenOption.READ);
             FileChannel cb = FileChannel.open(b, StandardOpenOption.READ)) {
            byte[] bufferA = BUFFER.get();
            byte[] bufferB = OTHER_BUFFER.get();
            long[] cursorA = new long[2]; // range index, offset within it
            long[] cursorB = new long[2];
            long remaining = ra.length();
            while (remaining > 0) {
                int want = (int) Math.min(bufferA.length, remaining);
                gather(ca, ra, cursorA, bufferA, want);
                gather(cb, rb, cursorB, bufferB, want);
                if (java.util.Arrays.mismatch(bufferA, 0, want, bufferB, 0, want) >= 0) {
                    return false;
                }
                remaining -= want;
            }
            return true;
        }
    }

    /** Reads the next {@code count} bytes of {@code ranges} from where {@code cursor} stands, moving it on. */
    private static void gather(FileChannel channel, ByteRanges ranges, long[] cursor, byte[] into, int count)
            throws IOException {
        int done = 0;
        while (done < count) {
            int i = (int) cursor[0];
            long left = ranges.length(i) - cursor[1];
            int n = (int) Math.min(left, count - done);
            ByteBuffer window = ByteBuffer.wrap(into, done, n);
            long position = ranges.offset(i) + cursor[1];
            while (window.hasRemaining()) {
                int read = channel.read(window, position);
                if (read < 0) {
                    throw new IOException("the file ended early (changed while it was read)");
                }
                position += read;
            }
            done += n;
            cursor[1] += n;
            if (cursor[1] == ranges.length(i)) {
                cursor[0]++;
                cursor[1] = 0;
            }
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("the file ended early (changed while it was read)");
            }
        }
    }

    /** Hashes the whole file. */
    public ContentHash hashFile(Path path, long size) throws IOException {
        return hashRange(path, size, 0, size);
    }

    /** The file's size changed between the scan and the read. */
    public static final class FileChangedException extends IOException {
        private static final long serialVersionUID = 1L;

        FileChangedException(long expected, long actual) {
            super("changed while the run went on (size was " + expected + " bytes, now " + actual + ")");
        }
    }
}
