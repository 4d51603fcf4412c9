package org.cleanbackup.phash.java;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cleanbackup.internal.JpegHeader;

/**
 * Finds the largest embedded JPEG preview in a camera RAW file, which cameras write at (or near) full size: decoding
 * the sensor data itself is out of scope, and the preview is what the camera showed.
 *
 * <p>TIFF-based RAWs (NEF, CR2, ARW, DNG, PEF, ORF, RW2) are walked IFD by IFD, following SubIFDs and the EXIF IFD;
 * candidates are {@code JPEGInterchangeFormat}/{@code Length} pairs and JPEG-compressed strips. Fuji RAF files give
 * the offset in their header. A candidate counts only if it starts with a JPEG SOI and has a baseline or progressive
 * frame header (DNG's lossless JPEG tiles do not).
 */
final class RawPreview {

    private static final int MAX_IFDS = 64;
    private static final int MAX_ENTRIES = 4096;

    private RawPreview() {
    }

    private record Candidate(long offset, long length) {
    }

    /** The largest usable JPEG preview's bytes, or null when there is none. */
    static byte[] largestJpeg(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            List<Candidate> candidates = new ArrayList<>();
            byte[] head = read(ch, 0, (int) Math.min(size, 100));
            if (head.length >= 92 && new String(head, 0, 15, java.nio.charset.StandardCharsets.ISO_8859_1)
                    .equals("FUJIFILMCCD-RAW")) {
                ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.BIG_ENDIAN);
                candidates.add(new Candidate(Integer.toUnsignedLong(b.getInt(84)), Integer.toUnsignedLong(b.getInt(88))));
            } else if (head.length >= 8) {
                walkTiff(ch, size, head, candidates);
            }
            Candidate best = null;
            for (Candidate c : candidates) {
                if (c.length > 4 && c.offset + c.length <= size && c.length < Integer.MAX_VALUE - 16
                        && (best == null || c.length > best.length) && isDecodableJpeg(ch, c)) {
                    best = c;
                }
            }
            return best == null ? null : read(ch, best.offset, (int) best.length);
        }
    }

    private static void walkTiff(FileChannel ch, long size, byte[] head, List<Candidate> out) throws IOException {
        ByteOrder order = head[0] == 'M' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        long first = Integer.toUnsignedLong(ByteBuffer.wrap(head).order(order).getInt(4));
        Deque<Long> todo = new ArrayDeque<>(List.of(first));
        Set<Long> seen = new HashSet<>();
        while (!todo.isEmpty() && seen.size() < MAX_IFDS) {
            long ifd = todo.pop();
            if (ifd < 8 || ifd + 2 > size || !seen.add(ifd)) {
                continue; // loops and wild offsets in damaged files
            }
            ByteBuffer countBuf = ByteBuffer.wrap(read(ch, ifd, 2)).order(order);
            int count = Short.toUnsignedInt(countBuf.getShort());
            if (count == 0 || count > MAX_ENTRIES || ifd + 2 + 12L * count + 4 > size) {
                continue;
            }
            ByteBuffer e = ByteBuffer.wrap(read(ch, ifd + 2, 12 * count + 4)).order(order);
            long jpegOffset = -1;
            long jpegLength = -1;
            long stripOffset = -1;
            long stripLength = -1;
            int compression = 0;
            for (int i = 0; i < count; i++) {
                int base = i * 12;
                int tag = Short.toUnsignedInt(e.getShort(base));
                int type = Short.toUnsignedInt(e.getShort(base + 2));
                long n = Integer.toUnsignedLong(e.getInt(base + 4));
                long value = type == 3 ? Short.toUnsignedInt(e.getShort(base + 8)) : Integer.toUnsignedLong(e.getInt(base + 8));
                switch (tag) {
                    case 0x0103 -> compression = (int) value;
                    case 0x0111 -> stripOffset = n == 1 ? value : -1;
                    case 0x0117 -> stripLength = n == 1 ? value : -1;
                    case 0x0201 -> jpegOffset = value;
                    case 0x0202 -> jpegLength = value;
                    case 0x8769 -> todo.push(value); // EXIF IFD
                    case 0x014A -> { // SubIFDs: one offset inline, or an array of them
                        if (n == 1) {
                            todo.push(value);
                        } else if (n > 1 && n < 32 && value + 4 * n <= size) {
                            ByteBuffer a = ByteBuffer.wrap(read(ch, value, (int) (4 * n))).order(order);
                            for (int k = 0; k < n; k++) {
                                todo.push(Integer.toUnsignedLong(a.getInt(k * 4)));
                            }
                        }
                    }
                    default -> { }
                }
            }
            if (jpegOffset > 0 && jpegLength > 0) {
                out.add(new Candidate(jpegOffset, jpegLength));
            }
            if ((compression == 6 || compression == 7) && stripOffset > 0 && stripLength > 0) {
                out.add(new Candidate(stripOffset, stripLength));
            }
            long next = Integer.toUnsignedLong(e.getInt(12 * count));
            if (next != 0) {
                todo.add(next);
            }
        }
    }

    /** SOI, then markers up to a SOF0/1/2 frame header (baseline, extended or progressive Huffman JPEG). */
    private static boolean isDecodableJpeg(FileChannel ch, Candidate c) throws IOException {
        byte[] b = read(ch, c.offset, (int) Math.min(c.length, 65536));
        int frame = JpegHeader.read(JpegHeader.of(b, b.length)).frameMarker();
        return frame == 0xC0 || frame == 0xC1 || frame == 0xC2; // not lossless or arithmetic-coded frames
    }

    private static byte[] read(FileChannel ch, long offset, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (ch.read(buf, offset + buf.position()) < 0) {
                break;
            }
        }
        byte[] out = new byte[buf.position()];
        buf.flip().get(out);
        return out;
    }
}
