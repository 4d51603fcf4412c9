package org.cleanbackup.phash.java;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a whole file into a buffer that each thread reuses, so hashing thousands of photos does not allocate (and
 * have the garbage collector clear) a new multi-megabyte array per file. The bytes are valid until the same thread
 * reads the next file; nobody may keep them.
 */
final class FileBytes {

    /** {@code data[0..length)} holds the file. */
    record Bytes(byte[] data, int length) {
    }

    /** Buffers up to this size are kept for the next file; a larger file gets its own array. */
    private static final int KEEP_AT_MOST = 8 << 20;

    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[1 << 20]);

    private FileBytes() {
    }

    /** The file's bytes, or null when it is larger than {@code maxBytes}. */
    static Bytes read(Path file, int maxBytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > maxBytes) {
                return null;
            }
            byte[] buf = BUFFER.get();
            // one byte more than the size, so that a file that grew while being read is noticed
            if (buf.length < size + 1) {
                buf = new byte[(int) Math.min(maxBytes + 1L, Math.max(size + 1, (long) buf.length * 2))];
                if (buf.length <= KEEP_AT_MOST) {
                    BUFFER.set(buf);
                }
            }
            ByteBuffer bb = ByteBuffer.wrap(buf);
            while (bb.hasRemaining() && ch.read(bb) >= 0) {
                // read until the end of the file or a full buffer
            }
            if (!bb.hasRemaining()) {
                return null; // it grew past what we allowed for: let the streaming path have it
            }
            return new Bytes(buf, bb.position());
        }
    }
}
