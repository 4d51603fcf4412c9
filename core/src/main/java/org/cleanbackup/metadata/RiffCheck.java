package org.cleanbackup.metadata;

import java.io.IOException;

/**
 * The chunks of a RIFF file (WebP, AVI, WAV): nesting of LIST chunks, and the size of every data chunk, which readers
 * load whole from its declared size (a WebP's image chunk among them).
 */
final class RiffCheck {

    static final int MAX_DEPTH = 32;
    static final int MAX_CHUNKS = 1_000_000;

    private int chunks;
    private final ByteSource file;

    private RiffCheck(ByteSource file) {
        this.file = file;
    }

    static void check(ByteSource file) throws IOException, StructureException {
        new RiffCheck(file).walk(12, Math.min(file.length(), 8 + file.u32(4, false)), 0);
    }

    private void walk(long start, long end, int depth) throws IOException, StructureException {
        if (depth > MAX_DEPTH) {
            throw new StructureException("RIFF lists nested more than " + MAX_DEPTH + " deep");
        }
        long pos = start;
        while (pos + 8 <= end) {
            if (++chunks > MAX_CHUNKS) {
                throw new StructureException("RIFF file with more than " + MAX_CHUNKS + " chunks");
            }
            String id = file.fourCc(pos);
            long size = file.u32(pos + 4, false);
            long data = pos + 8;
            boolean list = id.equals("LIST") || id.equals("RIFF");
            if (list) {
                if (!file.fourCc(data).equals("movi")) { // the media itself: readers skip it
                    walk(data + 4, Math.min(data + size, end), depth + 1);
                }
            } else if (size > end - data && size > BoxCheck.MAX_METADATA_BOX) {
                throw new StructureException("RIFF '" + PngChunkCheck.printable(id) + "' chunk declares " + size
                        + " bytes, more than the file holds");
            }
            pos = data + size + (size & 1);
        }
    }
}
