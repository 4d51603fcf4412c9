package org.cleanbackup.metadata;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Random access to the bytes of a file or of a region of an array, for the structure checks. Every read names an
 * absolute position and is checked against {@link #length()}, so a declared offset can never read outside the data.
 */
abstract sealed class ByteSource {

    /** How many bytes there are. */
    abstract long length();

    /** Fills {@code into} from {@code position}; fails with EOFException when that runs past the end. */
    final void read(long position, byte[] into, int offset, int count) throws IOException {
        checkRange(position, count);
        readInRange(position, into, offset, count);
    }

    /** {@link #read}, once the range is known to lie inside the data. */
    abstract void readInRange(long position, byte[] into, int offset, int count) throws IOException;

    /** Fails with EOFException unless {@code count} bytes from {@code position} lie inside the data. */
    private void checkRange(long position, int count) throws EOFException {
        if (position < 0 || count < 0 || position > length() - count) {
            throw new EOFException("past the end of the data");
        }
    }

    final int u8(long position) throws IOException {
        byte[] b = new byte[1];
        read(position, b, 0, 1);
        return b[0] & 0xFF;
    }

    final int u16(long position, boolean bigEndian) throws IOException {
        byte[] b = new byte[2];
        read(position, b, 0, 2);
        return bigEndian ? (b[0] & 0xFF) << 8 | b[1] & 0xFF : (b[1] & 0xFF) << 8 | b[0] & 0xFF;
    }

    final long u32(long position, boolean bigEndian) throws IOException {
        byte[] b = new byte[4];
        read(position, b, 0, 4);
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v = v << 8 | b[bigEndian ? i : 3 - i] & 0xFF;
        }
        return v;
    }

    final long u64(long position) throws IOException {
        return u32(position, true) << 32 | u32(position + 4, true);
    }

    /** Four bytes as ISO-8859-1 text (a box or chunk type). */
    final String fourCc(long position) throws IOException {
        byte[] b = new byte[4];
        read(position, b, 0, 4);
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    final byte[] bytes(long position, int count) throws IOException {
        checkRange(position, count); // before the array is allocated: a declared count may be anything
        byte[] b = new byte[count];
        read(position, b, 0, count);
        return b;
    }

    /** A file, read through a channel with a small page cache (the checks read many small fields). */
    static final class OfChannel extends ByteSource {
        private static final int PAGE = 8192;
        private final FileChannel channel;
        private final long length;
        private final ByteBuffer page = ByteBuffer.allocate(PAGE);
        private long pageStart = -1;
        private int pageLength;

        OfChannel(FileChannel channel) throws IOException {
            this.channel = channel;
            this.length = channel.size();
        }

        @Override
        long length() {
            return length;
        }

        @Override
        void readInRange(long position, byte[] into, int offset, int count) throws IOException {
            while (count > 0) {
                if (pageStart < 0 || position < pageStart || position >= pageStart + pageLength) {
                    fill(position - position % PAGE);
                }
                int from = (int) (position - pageStart);
                int n = Math.min(count, pageLength - from);
                if (n <= 0) {
                    throw new EOFException("the file ended early");
                }
                System.arraycopy(page.array(), from, into, offset, n);
                position += n;
                offset += n;
                count -= n;
            }
        }

        private void fill(long start) throws IOException {
            page.clear();
            while (page.hasRemaining()) {
                if (channel.read(page, start + page.position()) < 0) {
                    break;
                }
            }
            pageStart = start;
            pageLength = page.position();
        }
    }

    /** A region of an array (a JPEG segment's TIFF block). */
    static final class OfArray extends ByteSource {
        private final byte[] data;
        private final int start;
        private final int length;

        OfArray(byte[] data, int start, int length) {
            this.data = data;
            this.start = start;
            this.length = length;
        }

        @Override
        long length() {
            return length;
        }

        @Override
        void readInRange(long position, byte[] into, int offset, int count) {
            System.arraycopy(data, start + (int) position, into, offset, count);
        }
    }
}
