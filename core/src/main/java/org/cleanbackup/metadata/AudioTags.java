package org.cleanbackup.metadata;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How full an audio file's tags are: how many of the standard fields (title, artist, album, album artist, track,
 * disc, date, genre, composer, comment) hold a value in any of its tags, plus one for an embedded picture. Of two
 * copies of one recording, the one a person took the trouble to tag is the one to keep.
 *
 * <p>Reads only the tag blocks {@link AudioPayload} found, each within its bounds, allocating nothing from a declared
 * size; a tag it cannot make sense of counts what it read up to there.
 *
 * @param fields  how many standard fields have a value
 * @param picture whether a picture is embedded
 */
public record AudioTags(int fields, boolean picture) {

    /** A file without tags. */
    public static final AudioTags NONE = new AudioTags(0, false);

    /** The standard fields. */
    enum Field { TITLE, ARTIST, ALBUM, ALBUM_ARTIST, TRACK, DISC, DATE, GENRE, COMPOSER, COMMENT, PICTURE }

    /** The fullness as one number: fields, and a picture counts as one more. */
    public int score() {
        return fields + (picture ? 1 : 0);
    }

    /** The tags of {@code file}; {@link #NONE} when it is no audio format {@link AudioPayload} knows. */
    public static AudioTags of(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteSource source = new ByteSource.OfChannel(channel);
            AudioPayload.Found found;
            try {
                found = AudioPayload.of(source);
            } catch (StructureException | java.io.EOFException e) {
                return NONE;
            }
            return found == null ? NONE : of(source, found);
        }
    }

    static AudioTags of(ByteSource file, AudioPayload.Found found) throws IOException {
        Set<Field> fields = EnumSet.noneOf(Field.class);
        for (AudioPayload.TagBlock block : found.tags()) {
            try {
                switch (block.kind()) {
                    case ID3V2 -> id3v2(file, block.offset(), block.length(), fields);
                    case ID3V1 -> id3v1(file, block.offset(), fields);
                    case APE -> ape(file, block.offset(), block.length(), fields);
                    case VORBIS_COMMENT -> vorbis(file, block.offset(), block.length(), found.format(), fields);
                    case FLAC_PICTURE -> fields.add(Field.PICTURE);
                    case MP4_MOOV -> mp4(file, block.offset(), block.offset() + block.length(), 0, fields);
                    case RIFF_INFO -> riffInfo(file, block.offset(), block.length(), fields);
                    case AIFF_TEXT -> aiffText(file, block.offset(), fields);
                    case LYRICS3 -> { }
                }
            } catch (java.io.EOFException | RuntimeException e) {
                // a tag cut short or nonsense: what was read counts
            }
        }
        boolean picture = fields.remove(Field.PICTURE);
        return new AudioTags(fields.size(), picture);
    }

    private static final Map<String, Field> ID3 = Map.ofEntries(
            Map.entry("TIT2", Field.TITLE), Map.entry("TPE1", Field.ARTIST), Map.entry("TALB", Field.ALBUM),
            Map.entry("TPE2", Field.ALBUM_ARTIST), Map.entry("TRCK", Field.TRACK), Map.entry("TPOS", Field.DISC),
            Map.entry("TYER", Field.DATE), Map.entry("TDRC", Field.DATE), Map.entry("TCON", Field.GENRE),
            Map.entry("TCOM", Field.COMPOSER), Map.entry("COMM", Field.COMMENT), Map.entry("APIC", Field.PICTURE),
            Map.entry("TT2", Field.TITLE), Map.entry("TP1", Field.ARTIST), Map.entry("TAL", Field.ALBUM),
            Map.entry("TP2", Field.ALBUM_ARTIST), Map.entry("TRK", Field.TRACK), Map.entry("TPA", Field.DISC),
            Map.entry("TYE", Field.DATE), Map.entry("TCO", Field.GENRE), Map.entry("TCM", Field.COMPOSER),
            Map.entry("COM", Field.COMMENT), Map.entry("PIC", Field.PICTURE));

    private static void id3v2(ByteSource file, long start, long length, Set<Field> fields) throws IOException {
        byte[] h = file.bytes(start, 10);
        if (h[0] != 'I' || h[1] != 'D' || h[2] != '3') {
            return;
        }
        int version = h[3];
        long end = start + Math.min(length, 10 + syncSafe(h, 6));
        long pos = start + 10;
        if ((h[5] & 0x40) != 0 && version >= 3) { // an extended header
            byte[] e = file.bytes(pos, 4);
            pos += version == 4 ? syncSafe(e, 0) : 4 + u32(e, 0);
        }
        int idLength = version == 2 ? 3 : 4;
        int headerLength = version == 2 ? 6 : 10;
        for (int frames = 0; frames < 10_000 && pos + headerLength <= end; frames++) {
            byte[] f = file.bytes(pos, headerLength);
            if (f[0] == 0) {
                return; // padding
            }
            String id = new String(f, 0, idLength, StandardCharsets.ISO_8859_1);
            long size = version == 2 ? (f[3] & 0xFFL) << 16 | (f[4] & 0xFF) << 8 | f[5] & 0xFF
                    : version == 4 ? syncSafe(f, 4) : u32(f, 4);
            long data = pos + headerLength;
            if (size < 0 || size > end - data) {
                return;
            }
            Field field = ID3.get(id);
            if (field != null && hasText(file, data, size, field == Field.COMMENT ? 4 : 1)) {
                fields.add(field);
            }
            pos = data + size;
        }
    }

    /** Whether a frame's value (after {@code skip} bytes of encoding and language) has a non-zero byte. */
    private static boolean hasText(ByteSource file, long data, long size, int skip) throws IOException {
        if (size <= skip) {
            return false;
        }
        byte[] b = file.bytes(data + skip, (int) Math.min(size - skip, 64));
        for (byte x : b) {
            if (x != 0 && x != (byte) 0xFF && x != (byte) 0xFE) {
                return true;
            }
        }
        return false;
    }

    private static void id3v1(ByteSource file, long start, Set<Field> fields) throws IOException {
        byte[] t = file.bytes(start, 128);
        if (filled(t, 3, 30)) {
            fields.add(Field.TITLE);
        }
        if (filled(t, 33, 30)) {
            fields.add(Field.ARTIST);
        }
        if (filled(t, 63, 30)) {
            fields.add(Field.ALBUM);
        }
        if (filled(t, 93, 4)) {
            fields.add(Field.DATE);
        }
        if (filled(t, 97, 28)) {
            fields.add(Field.COMMENT);
        }
        if (t[125] == 0 && t[126] != 0) {
            fields.add(Field.TRACK);
        }
        if ((t[127] & 0xFF) != 255) {
            fields.add(Field.GENRE);
        }
    }

    private static boolean filled(byte[] b, int from, int length) {
        for (int i = from; i < from + length; i++) {
            if (b[i] != 0 && b[i] != ' ') {
                return true;
            }
        }
        return false;
    }

    /** Field names in APEv2 items and Vorbis comments, upper case. */
    private static final Map<String, Field> NAMED = Map.ofEntries(
            Map.entry("TITLE", Field.TITLE), Map.entry("ARTIST", Field.ARTIST), Map.entry("ALBUM", Field.ALBUM),
            Map.entry("ALBUMARTIST", Field.ALBUM_ARTIST), Map.entry("ALBUM ARTIST", Field.ALBUM_ARTIST),
            Map.entry("ALBUM_ARTIST", Field.ALBUM_ARTIST), Map.entry("TRACK", Field.TRACK),
            Map.entry("TRACKNUMBER", Field.TRACK), Map.entry("DISC", Field.DISC), Map.entry("DISCNUMBER", Field.DISC),
            Map.entry("YEAR", Field.DATE), Map.entry("DATE", Field.DATE), Map.entry("GENRE", Field.GENRE),
            Map.entry("COMPOSER", Field.COMPOSER), Map.entry("COMMENT", Field.COMMENT),
            Map.entry("DESCRIPTION", Field.COMMENT), Map.entry("METADATA_BLOCK_PICTURE", Field.PICTURE),
            Map.entry("COVER ART (FRONT)", Field.PICTURE));

    private static void named(String key, boolean hasValue, Set<Field> fields) {
        Field field = NAMED.get(key.toUpperCase(Locale.ROOT));
        if (field != null && hasValue) {
            fields.add(field);
        }
    }

    private static void ape(ByteSource file, long start, long length, Set<Field> fields) throws IOException {
        long footer = start + length - 32;
        long items = file.u32(footer + 16, false);
        long size = file.u32(footer + 12, false);
        long pos = footer + 32 - size; // the first item (after the header, when there is one)
        for (long i = 0; i < Math.min(items, 10_000) && pos + 8 < footer; i++) {
            long valueLength = file.u32(pos, false);
            long key = pos + 8;
            int keyLength = 0;
            while (keyLength < 255 && key + keyLength < footer && file.u8(key + keyLength) != 0) {
                keyLength++;
            }
            named(new String(file.bytes(key, keyLength), StandardCharsets.ISO_8859_1), valueLength > 0, fields);
            pos = key + keyLength + 1 + valueLength;
        }
    }

    private static void vorbis(ByteSource file, long start, long length, AudioPayload.Format format,
                               Set<Field> fields) throws IOException {
        long end = start + length;
        long pos = start + (format == AudioPayload.Format.OGG_VORBIS ? 7 : format == AudioPayload.Format.OGG_OPUS
                ? 8 : 0);
        pos += 4 + file.u32(pos, false); // the vendor
        long count = file.u32(pos, false);
        pos += 4;
        for (long i = 0; i < Math.min(count, 10_000) && pos + 4 <= end; i++) {
            long n = file.u32(pos, false);
            pos += 4;
            if (n > end - pos) {
                return;
            }
            byte[] head = file.bytes(pos, (int) Math.min(n, 40));
            String text = new String(head, StandardCharsets.UTF_8);
            int eq = text.indexOf('=');
            if (eq > 0) {
                named(text.substring(0, eq), n > eq + 1, fields);
            }
            pos += n;
        }
    }

    private static final Map<String, Field> ILST = Map.ofEntries(
            Map.entry("\u00A9nam", Field.TITLE), Map.entry("\u00A9ART", Field.ARTIST),
            Map.entry("\u00A9alb", Field.ALBUM), Map.entry("aART", Field.ALBUM_ARTIST), Map.entry("trkn", Field.TRACK),
            Map.entry("disk", Field.DISC), Map.entry("\u00A9day", Field.DATE), Map.entry("\u00A9gen", Field.GENRE),
            Map.entry("gnre", Field.GENRE), Map.entry("\u00A9wrt", Field.COMPOSER),
            Map.entry("\u00A9cmt", Field.COMMENT), Map.entry("covr", Field.PICTURE));

    private static final Set<String> MP4_PATH = Set.of("moov", "udta", "meta", "ilst");

    /** The boxes in [start, end): descends moov/udta/meta/ilst and counts ilst's items with data. */
    private static void mp4(ByteSource file, long start, long end, int depth, Set<Field> fields) throws IOException {
        long pos = start + (depth == 0 ? 8 : 0);
        for (int boxes = 0; boxes < 10_000 && pos + 8 <= end && depth < 8; boxes++) {
            long size = file.u32(pos, true);
            String type = file.fourCc(pos + 4);
            if (size < 8 || size > end - pos) {
                return;
            }
            if (type.equals("meta") || type.equals("udta") || type.equals("ilst")) {
                long children = pos + 8 + (type.equals("meta") && file.u32(pos + 8, true) == 0 ? 4 : 0);
                if (type.equals("ilst")) {
                    for (long item = children; item + 8 <= pos + size; ) {
                        long itemSize = file.u32(item, true);
                        if (itemSize < 8 || itemSize > pos + size - item) {
                            break;
                        }
                        Field field = ILST.get(file.fourCc(item + 4));
                        if (field != null && itemSize > 8 + 16) { // a 'data' box with a value
                            fields.add(field);
                        }
                        item += itemSize;
                    }
                } else {
                    mp4(file, children, pos + size, depth + 1, fields);
                }
            }
            pos += size;
        }
    }

    private static final Map<String, Field> INFO = Map.of("INAM", Field.TITLE, "IART", Field.ARTIST,
            "IPRD", Field.ALBUM, "ITRK", Field.TRACK, "IPRT", Field.TRACK, "ICRD", Field.DATE, "IGNR", Field.GENRE,
            "ICMT", Field.COMMENT, "IMUS", Field.COMPOSER);

    private static void riffInfo(ByteSource file, long start, long length, Set<Field> fields) throws IOException {
        long end = start + length; // start is the LIST chunk's header
        if (!file.fourCc(start + 8).equals("INFO")) {
            return;
        }
        long pos = start + 12;
        for (int i = 0; i < 10_000 && pos + 8 <= end; i++) {
            String id = file.fourCc(pos);
            long size = file.u32(pos + 4, false);
            Field field = INFO.get(id);
            if (field != null && size > 1) {
                fields.add(field);
            }
            pos += 8 + size + (size & 1);
        }
    }

    private static void aiffText(ByteSource file, long start, Set<Field> fields) throws IOException {
        String id = file.fourCc(start);
        if (file.u32(start + 4, true) == 0) {
            return;
        }
        switch (id) {
            case "NAME" -> fields.add(Field.TITLE);
            case "AUTH" -> fields.add(Field.ARTIST);
            case "ANNO" -> fields.add(Field.COMMENT);
            default -> { }
        }
    }

    private static long syncSafe(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v = v << 7 | b[at + i] & 0x7F;
        }
        return v;
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xFFL) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | b[at + 3] & 0xFF;
    }
}
