package org.cleanbackup.metadata;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.cleanbackup.internal.JpegHeader;

/**
 * The segments of a JPEG before its first scan, where metadata lives: each segment inside the file; the EXIF
 * block's IFD graph ({@link TiffCheck}); Extended XMP, whose declared full length readers allocate at once; ICC
 * profile chunks, which readers concatenate chunk by chunk. The compressed data after the first SOS is not read:
 * metadata readers stop there too.
 */
final class JpegCheck {

    /** Real files have a few dozen; a file of millions of empty segments only costs time. */
    static final int MAX_SEGMENTS = JpegHeader.MAX_SEGMENTS;
    /** ICC profiles are a few KB to a few MB; chunks are numbered in one byte. */
    static final long MAX_ICC_BYTES = 16L << 20;

    private static final byte[] EXIF = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] XMP_EXTENSION = "http://ns.adobe.com/xmp/extension/\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] ICC = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);

    private JpegCheck() {
    }

    static void check(ByteSource file) throws IOException, StructureException {
        long length = file.length();
        var state = new Object() {
            long iccBytes;
            int iccChunks;
            final Map<String, Long> xmpLengths = new HashMap<>();

            void check(int marker, long data, int dataLength) throws IOException, StructureException {
                if (marker == 0xE1 && startsWith(file, data, dataLength, EXIF)) {
                    byte[] block = file.bytes(data, dataLength);
                    TiffCheck.check(new ByteSource.OfArray(block, EXIF.length, block.length - EXIF.length), "EXIF block");
                } else if (marker == 0xE1 && startsWith(file, data, dataLength, XMP_EXTENSION)) {
                    checkExtendedXmp(file, data + XMP_EXTENSION.length, dataLength - XMP_EXTENSION.length, length,
                            xmpLengths);
                } else if (marker == 0xE2 && startsWith(file, data, dataLength, ICC)) {
                    iccBytes += dataLength;
                    if (++iccChunks > 255 || iccBytes > MAX_ICC_BYTES) {
                        throw new StructureException("JPEG ICC profile in more than 255 chunks or over "
                                + (MAX_ICC_BYTES >> 20) + " MiB");
                    }
                }
            }
        };
        JpegHeader.Source source = new JpegHeader.Source() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public void read(long position, byte[] into, int offset, int count) throws IOException {
                file.read(position, into, offset, count);
            }
        };
        JpegHeader.Walk walk = JpegHeader.<StructureException>walk(source, s -> {
            state.check(s.marker(), s.dataStart(), s.dataLength());
            return true;
        });
        switch (walk.end()) {
            case TOO_MANY_SEGMENTS -> throw new StructureException("JPEG with more than " + MAX_SEGMENTS
                    + " segments before its image data");
            case BAD_LENGTH -> {
                // a truncated file: what is there of its last segment is what a reader would read
                int segmentLength = file.u16(walk.position() + 2, true);
                if (segmentLength >= 2) {
                    long data = walk.position() + 4;
                    state.check(file.u8(walk.position() + 1), data, (int) Math.min(segmentLength - 2L, length - data));
                }
            }
            default -> {
                // the scan, the end, or damage the reader reports: the metadata is behind us
            }
        }
    }

    /** A chunk: 32 bytes of GUID, the full length, this chunk's offset. The full length must fit in the file. */
    private static void checkExtendedXmp(ByteSource file, long at, int available, long fileLength,
                                         Map<String, Long> lengths) throws IOException, StructureException {
        if (available < 40) {
            return;
        }
        String guid = new String(file.bytes(at, 32), StandardCharsets.ISO_8859_1);
        long full = file.u32(at + 32, true);
        if (full > fileLength) {
            throw new StructureException("JPEG Extended XMP declares " + full + " bytes, more than the whole file ("
                    + fileLength + " bytes)");
        }
        Long earlier = lengths.putIfAbsent(guid, full);
        if (earlier != null && earlier != full) {
            throw new StructureException("JPEG Extended XMP chunks disagree on its length (" + earlier + " and "
                    + full + ")");
        }
    }

    private static boolean startsWith(ByteSource file, long at, int available, byte[] prefix) throws IOException {
        if (available < prefix.length) {
            return false;
        }
        byte[] b = file.bytes(at, prefix.length);
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
