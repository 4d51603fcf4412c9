package org.cleanbackup.metadata;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * The IFD graph of a TIFF structure (an EXIF block, a TIFF file, a TIFF-based RAW file): how many IFDs it links and
 * how deep the links go. Metadata readers follow sub-IFD and next-IFD links by recursion, so a chain of thousands
 * of small IFDs, each at a new offset, overflows their stack although no single value is out of bounds. Values
 * pointing outside the data are left to the reader, which checks them itself.
 */
final class TiffCheck {

    /** Far above real files (IFD0, IFD1, EXIF, GPS, interoperability, a RAW file's sub-IFDs: under 20). */
    static final int MAX_IFDS = 256;
    /** Links followed from IFD0, sub-IFD and next-IFD alike. */
    static final int MAX_DEPTH = 16;

    private static final Set<Integer> IFD_POINTERS = Set.of(
            0x8769, // EXIF
            0x8825, // GPS
            0xA005, // interoperability
            0x014A); // SubIFDs (RAW files, DNG)

    private TiffCheck() {
    }

    private record Ifd(long offset, int depth) {
    }

    /** Checks the TIFF structure that starts at position 0 of {@code data}. */
    static void check(ByteSource data, String what) throws IOException, StructureException {
        if (data.length() < 8) {
            return; // too short to hold an IFD: the reader reports it
        }
        int order = data.u16(0, true);
        boolean big;
        if (order == 0x4D4D) {
            big = true;
        } else if (order == 0x4949) {
            big = false;
        } else {
            return; // not TIFF: the reader reports it
        }
        Deque<Ifd> pending = new ArrayDeque<>();
        pending.push(new Ifd(data.u32(4, big), 0));
        Set<Long> seen = new HashSet<>();
        while (!pending.isEmpty()) {
            Ifd ifd = pending.pop();
            if (ifd.offset() < 8 || ifd.offset() > data.length() - 2 || !seen.add(ifd.offset())) {
                continue; // outside the data, or a loop: the reader skips both
            }
            if (seen.size() > MAX_IFDS) {
                throw new StructureException(what + " links more than " + MAX_IFDS + " IFDs");
            }
            if (ifd.depth() > MAX_DEPTH) {
                throw new StructureException(what + " nests IFDs more than " + MAX_DEPTH + " deep");
            }
            int count = data.u16(ifd.offset(), big);
            long end = ifd.offset() + 2 + 12L * count;
            if (end + 4 > data.length()) {
                continue; // an IFD cut off by the end: the reader stops there
            }
            for (int i = 0; i < count; i++) {
                long entry = ifd.offset() + 2 + 12L * i;
                int tag = data.u16(entry, big);
                int type = data.u16(entry + 2, big);
                long components = data.u32(entry + 4, big);
                if (!IFD_POINTERS.contains(tag) || (type != 4 && type != 13) || components == 0) {
                    continue;
                }
                long values = components == 1 ? entry + 8 : data.u32(entry + 8, big);
                if (components > MAX_IFDS || values < 0 || values + 4 * components > data.length()) {
                    continue; // the reader refuses such a pointer itself
                }
                for (long c = 0; c < components; c++) {
                    pending.push(new Ifd(data.u32(values + 4 * c, big), ifd.depth() + 1));
                }
            }
            long next = data.u32(end, big);
            if (next != 0) {
                pending.push(new Ifd(next, ifd.depth() + 1));
            }
        }
    }
}
