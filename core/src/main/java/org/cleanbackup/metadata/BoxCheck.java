package org.cleanbackup.metadata;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * The box tree of an ISO base media file (MP4, QuickTime MOV, 3GP, HEIF/HEIC/AVIF) as a metadata reader walks it:
 * nesting depth (readers recurse into containers), the size of every box a reader would load whole (readers
 * allocate a leaf box's declared size before reading it), and the entry count of every sample table against the
 * bytes its box really holds (readers pre-size their lists from the count: a table claiming 2^31 entries in a
 * 100-byte box). Media data ({@code mdat}, free space) is skipped, never read.
 */
final class BoxCheck {

    /** Real files nest 8 to 10 deep (moov/trak/mdia/minf/stbl/stsd/...). */
    static final int MAX_DEPTH = 32;
    /** A fragmented video of many hours has tens of thousands; the bound only caps the time a check takes. */
    static final int MAX_BOXES = 1_000_000;
    /** A reader loads a metadata box whole; real ones (sample tables of long videos, previews) stay far below. */
    static final long MAX_METADATA_BOX = 64L << 20;

    /** The containers metadata-extractor's QuickTime, MP4 and HEIF readers descend into, and the usual others. */
    private static final Set<String> CONTAINERS = Set.of("moov", "udta", "trak", "mdia", "minf", "stbl", "ilst",
            "meta", "cmov", "text", "sbtl", "gmhd", "nmhd", "iprp", "ipco", "edts", "dinf", "mvex", "moof", "traf",
            "mfra", "tref", "sinf", "schi", "clip", "matt", "tapt", "wave");

    /** Boxes that hold media or nothing: readers skip them, so their size is not a concern. */
    private static final Set<String> MEDIA = Set.of("mdat", "free", "skip", "wide", "idat");

    /** The boxes metadata-extractor's HEIF reader loads whole (it also walks {@code mdat} as if it held boxes). */
    private static final Set<String> HEIF_LOADED = Set.of("ftyp", "pitm", "ipro", "iinf", "iloc", "hdlr", "hvc1",
            "ispe", "auxC", "irot", "colr", "pixi");

    private static final Set<String> HEIF_BRANDS = Set.of("heic", "heix", "hevc", "hevx", "heim", "heis", "mif1",
            "msf1", "avif", "avis");

    /**
     * Full boxes holding a 32-bit entry count right after version and flags, and the fewest bytes an entry takes.
     * (stsz and stz2 put other fields first: see {@link #checkTable}.)
     */
    private static final Map<String, Integer> TABLES = Map.ofEntries(
            Map.entry("stts", 8), Map.entry("ctts", 8), Map.entry("stsc", 12), Map.entry("stco", 4),
            Map.entry("co64", 8), Map.entry("stss", 4), Map.entry("stps", 4), Map.entry("stsd", 8),
            Map.entry("dref", 8), Map.entry("keys", 8), Map.entry("elst", 12), Map.entry("sbgp", 8),
            Map.entry("saio", 4), Map.entry("trun", 4));

    private final ByteSource file;
    private final boolean heif;
    private int boxes;

    private BoxCheck(ByteSource file, boolean heif) {
        this.file = file;
        this.heif = heif;
    }

    static void check(ByteSource file) throws IOException, StructureException {
        boolean heif = file.length() >= 12 && file.fourCc(4).equals("ftyp") && HEIF_BRANDS.contains(file.fourCc(8));
        new BoxCheck(file, heif).walk(0, file.length(), 0, false);
    }

    /** The boxes in [start, end); {@code lenient} inside HEIF media data, where "boxes" are mostly image bytes. */
    private void walk(long start, long end, int depth, boolean lenient) throws IOException, StructureException {
        if (depth > MAX_DEPTH) {
            throw new StructureException("boxes nested more than " + MAX_DEPTH + " deep");
        }
        long pos = start;
        while (pos + 8 <= end) {
            if (++boxes > MAX_BOXES) {
                throw new StructureException("more than " + MAX_BOXES + " boxes");
            }
            long size = file.u32(pos, true);
            String type = file.fourCc(pos + 4);
            int header = 8;
            if (size == 1) {
                if (pos + 16 > end) {
                    return;
                }
                size = file.u64(pos + 8);
                header = 16;
            } else if (size == 0) {
                size = end - pos; // to the end of its parent
            }
            if (size < header || size < 0) {
                return; // readers stop at a box smaller than its header
            }
            long boxEnd = pos + size;
            boolean pastParent = boxEnd > end || boxEnd < 0;
            if (lenient && !HEIF_LOADED.contains(type) && !CONTAINERS.contains(type)) {
                if (pastParent) {
                    return; // image bytes, not a box: readers skip past them and stop
                }
                pos = boxEnd;
                continue;
            }
            if (CONTAINERS.contains(type) || heif && type.equals("mdat")) {
                long childStart = pos + header + (type.equals("meta") && isFullBox(pos + header) ? 4 : 0);
                walk(childStart, Math.min(pastParent ? end : boxEnd, end), depth + 1, lenient || type.equals("mdat"));
            } else if (!MEDIA.contains(type)) {
                if (size > MAX_METADATA_BOX) {
                    throw new StructureException("'" + printable(type) + "' box declares " + size
                            + " bytes (a metadata box over " + (MAX_METADATA_BOX >> 20) + " MiB)");
                }
                if (lenient && pastParent) {
                    throw new StructureException("'" + printable(type) + "' box inside media data runs past it");
                }
                checkTable(type, pos + header, Math.min(boxEnd, end));
            }
            if (pastParent) {
                return; // the last box of a truncated file, or one that overlaps its parent's end: nothing follows
            }
            pos = boxEnd;
        }
    }

    /**
     * ISO's meta is a full box (version and flags first, zero in practice); Apple's QuickTime meta is not: it starts
     * with its first child's size, never zero.
     */
    private boolean isFullBox(long payload) throws IOException {
        return payload + 4 <= file.length() && file.u32(payload, true) == 0;
    }

    private void checkTable(String type, long payload, long end) throws IOException, StructureException {
        long available = end - payload;
        long count;
        long entryBytes;
        long fixed;
        if (type.equals("stsz")) {
            if (available < 12 || file.u32(payload + 4, true) != 0) {
                return; // one size for every sample: no table
            }
            count = file.u32(payload + 8, true);
            entryBytes = 4;
            fixed = 12;
        } else if (type.equals("stz2")) {
            if (available < 12) {
                return;
            }
            count = file.u32(payload + 8, true);
            int fieldBits = file.u8(payload + 7);
            if ((fieldBits == 4 || fieldBits == 8 || fieldBits == 16) && (count * fieldBits + 7) / 8 > available - 12) {
                throw tableTooLong(type, count, available);
            }
            return;
        } else if (TABLES.containsKey(type)) {
            if (available < 8) {
                return;
            }
            int version = file.u8(payload);
            count = file.u32(payload + 4, true);
            entryBytes = type.equals("elst") && version == 1 ? 20 : TABLES.get(type);
            fixed = 8;
            if (type.equals("trun") || type.equals("saio")) {
                entryBytes = 0; // entry size depends on flags; a count over the box bytes is still impossible
                if (count > available) {
                    throw tableTooLong(type, count, available);
                }
                return;
            }
        } else {
            return;
        }
        if (count * entryBytes > available - fixed) {
            throw tableTooLong(type, count, available);
        }
    }

    private static StructureException tableTooLong(String type, long count, long available) {
        return new StructureException("'" + type + "' table claims " + count + " entries in a box of " + available
                + " bytes");
    }

    private static String printable(String type) {
        StringBuilder s = new StringBuilder();
        for (char c : type.toCharArray()) {
            s.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return s.toString();
    }
}
