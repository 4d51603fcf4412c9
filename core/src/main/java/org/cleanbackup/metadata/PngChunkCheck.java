package org.cleanbackup.metadata;

import java.io.IOException;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The chunks of a PNG as a metadata reader sees them: every chunk it loads (all but image data) inside the file,
 * and every compressed text or ICC chunk, which readers inflate whole, below a bound when inflated (a 1 MB zTXt
 * chunk can inflate to a gigabyte).
 */
final class PngChunkCheck {

    /** Text and ICC profiles are kilobytes; the bound is far above any real one. */
    static final long MAX_INFLATED = 16L << 20;
    static final int MAX_CHUNKS = 1_000_000;

    private static final Set<String> IMAGE_DATA = Set.of("IDAT", "fdAT");

    private PngChunkCheck() {
    }

    static void check(ByteSource file) throws IOException, StructureException {
        long pos = 8;
        long length = file.length();
        int chunks = 0;
        while (pos + 8 <= length) {
            if (++chunks > MAX_CHUNKS) {
                throw new StructureException("PNG with more than " + MAX_CHUNKS + " chunks");
            }
            long size = file.u32(pos, true);
            String type = file.fourCc(pos + 4);
            if (size > Integer.MAX_VALUE) {
                return; // readers refuse a negative length
            }
            long data = pos + 8;
            if (!IMAGE_DATA.contains(type) && size > length - data) {
                throw new StructureException("PNG '" + printable(type) + "' chunk declares " + size
                        + " bytes, more than the file holds");
            }
            if (type.equals("IEND")) {
                return;
            }
            if (type.equals("zTXt") || type.equals("iCCP")) {
                long nul = findNul(file, data, Math.min(data + 80, data + size));
                if (nul >= 0) {
                    inflateBounded(file, nul + 2, data + size - (nul + 2), type);
                }
            } else if (type.equals("iTXt")) {
                long nul = findNul(file, data, Math.min(data + 80, data + size));
                if (nul >= 0 && nul + 2 < data + size && file.u8(nul + 1) == 1) {
                    long text = nul + 3;
                    text = findNul(file, text, data + size); // language tag
                    if (text >= 0) {
                        text = findNul(file, text + 1, data + size); // translated keyword
                    }
                    if (text >= 0) {
                        inflateBounded(file, text + 1, data + size - (text + 1), type);
                    }
                }
            }
            pos = data + size + 4; // data and CRC
        }
    }

    private static long findNul(ByteSource file, long from, long end) throws IOException {
        for (long p = from; p < end && p < file.length(); p++) {
            if (file.u8(p) == 0) {
                return p;
            }
        }
        return -1;
    }

    private static void inflateBounded(ByteSource file, long from, long count, String type)
            throws IOException, StructureException {
        if (count <= 0 || from + count > file.length()) {
            return;
        }
        Inflater inflater = new Inflater();
        try {
            byte[] in = new byte[8192];
            byte[] out = new byte[65536];
            long inflated = 0;
            long pos = from;
            long end = from + count;
            while (!inflater.finished()) {
                if (inflater.needsInput()) {
                    if (pos >= end) {
                        return; // truncated: the reader reports it
                    }
                    int n = (int) Math.min(in.length, end - pos);
                    file.read(pos, in, 0, n);
                    pos += n;
                    inflater.setInput(in, 0, n);
                }
                int n = inflater.inflate(out);
                if (n == 0 && inflater.needsDictionary()) {
                    return;
                }
                inflated += n;
                if (inflated > MAX_INFLATED) {
                    throw new StructureException("PNG '" + type + "' chunk inflates to more than "
                            + (MAX_INFLATED >> 20) + " MiB");
                }
            }
        } catch (DataFormatException e) {
            // damaged data: the reader reports it
        } finally {
            inflater.end();
        }
    }

    static String printable(String type) {
        StringBuilder s = new StringBuilder();
        for (char c : type.toCharArray()) {
            s.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return s.toString();
    }
}
