package org.cleanbackup.metadata;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cleanbackup.internal.ByteRanges;

/**
 * Where an audio file's sound lies, without its tags: the byte ranges that a tagger leaves as they are, so that two
 * copies of one recording with other tags have the same bytes there.
 *
 * <ul>
 * <li>MP3: everything but ID3v2 tags at the start (with their footer), and ID3v1, APEv2, Lyrics3 and an appended
 *     ID3v2 at the end; a leading Xing/Info/VBRI frame (the stream's table of contents, which a muxer writes anew)
 *     is left out too.</li>
 * <li>FLAC: the frames after the metadata blocks (and before an ID3v1 tag some taggers append); STREAMINFO's MD5 of
 *     the decoded samples is kept as a cross-check.</li>
 * <li>MP4/M4A: the contents of the {@code mdat} boxes (the samples). A tagger rewrites {@code moov} (and so the
 *     chunk offsets in {@code stco}/{@code co64}) but leaves the sample bytes and their order alone, and
 *     {@code ffmpeg -c copy} writes the same samples in the same order; reading the chunk tables instead would trust
 *     three more untrusted tables ({@code stsc}, {@code stsz}, {@code stco}) for no file this finds better.</li>
 * <li>Ogg Vorbis and Opus: the packet bytes of the audio packets (the body bytes of each page after the header
 *     packets), never the page headers, whose sequence numbers and CRCs change when the comment header grows.</li>
 * <li>WAV: the {@code data} chunk; AIFF/AIFC: the sound data of the {@code SSND} chunk.</li>
 * </ul>
 *
 * <p>Hostile input: every declared size is checked against the file's length before it is used, nothing is
 * allocated from a declared size, walks are bounded in steps, and a malformed file is a {@link StructureException}
 * (its caller compares such a file whole).
 */
public final class AudioPayload {

    /** What a file's audio is. */
    public enum Format { MP3, FLAC, MP4, OGG_VORBIS, OGG_OPUS, WAV, AIFF }

    /**
     * An audio file's payload.
     *
     * @param format    the container
     * @param ranges    where the sound lies in the file
     * @param samplesMd5 FLAC's MD5 of the decoded samples as hex, or null (not FLAC, or not set)
     * @param tags      where the tags lie (for {@link AudioTags}), in file order
     */
    public record Found(Format format, ByteRanges ranges, String samplesMd5, List<TagBlock> tags) {
        public Found {
            tags = List.copyOf(tags);
        }
    }

    /** A block of tags: its kind and where it lies. */
    record TagBlock(Kind kind, long offset, long length) {
        enum Kind { ID3V2, ID3V1, APE, LYRICS3, VORBIS_COMMENT, FLAC_PICTURE, MP4_MOOV, RIFF_INFO, AIFF_TEXT }
    }

    /** The most tag blocks at the end of an MP3 (they may come in any order). */
    private static final int MAX_TRAILERS = 8;
    /** The most ID3v2 tags one after another at the start of an MP3 or FLAC file. */
    private static final int MAX_LEADING_TAGS = 8;
    /** FLAC allows 128 block types and no count; real files have a handful, padding and pictures included. */
    private static final int MAX_FLAC_BLOCKS = 10_000;

    private AudioPayload() {
    }

    /**
     * The payload of {@code file}, or null when it is none of the formats above (compare it whole).
     *
     * @throws Malformed   the file claims to be one of them but its structure does not hold (one line)
     * @throws IOException it could not be read
     */
    public static Found of(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return of(new ByteSource.OfChannel(channel));
        } catch (StructureException e) {
            throw new Malformed(e.getMessage());
        } catch (java.io.EOFException e) {
            throw new Malformed("cut short");
        }
    }

    /** The file claims to be an audio format but its structure does not hold; the message is one line. */
    public static final class Malformed extends IOException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null);
        }
    }

    static Found of(ByteSource file) throws IOException, StructureException {
        long n = file.length();
        if (n < 12) {
            return null;
        }
        byte[] head = file.bytes(0, 12);
        String magic4 = new String(head, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
        String at8 = new String(head, 8, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (magic4.equals("RIFF") && at8.equals("WAVE")) {
            return wav(file);
        }
        if (magic4.equals("FORM") && (at8.equals("AIFF") || at8.equals("AIFC"))) {
            return aiff(file);
        }
        if (magic4.equals("OggS")) {
            return ogg(file);
        }
        if (new String(head, 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals("ftyp")) {
            return mp4(file);
        }
        List<TagBlock> tags = new ArrayList<>();
        long start = skipId3v2(file, 0, tags);
        if (start + 4 <= n && file.fourCc(start).equals("fLaC")) {
            return flac(file, start, tags);
        }
        if (start + 4 <= n && isMpegAudioFrame(file.u32(start, true))) {
            return mp3(file, start, tags);
        }
        if (start > 0) { // after an ID3v2 tag, padding or junk a tagger left before the first frame
            long frame = firstFrame(file, start);
            if (frame >= 0) {
                return mp3(file, frame, tags);
            }
        }
        return null;
    }

    /* ------------------------------------------------------------------ MP3 */

    /** Past the ID3v2 tags at {@code pos} (none: {@code pos}). */
    private static long skipId3v2(ByteSource file, long pos, List<TagBlock> tags) throws IOException,
            StructureException {
        for (int i = 0; i < MAX_LEADING_TAGS && pos + 10 <= file.length(); i++) {
            byte[] h = file.bytes(pos, 10);
            if (h[0] != 'I' || h[1] != 'D' || h[2] != '3') {
                return pos;
            }
            long size = syncSafe(h, 6);
            long length = 10 + size + ((h[5] & 0x10) != 0 ? 10 : 0);
            if (size < 0 || pos + length > file.length()) {
                throw new StructureException("ID3v2 tag declares " + size + " bytes, more than the file holds");
            }
            tags.add(new TagBlock(TagBlock.Kind.ID3V2, pos, length));
            pos += length;
        }
        return pos;
    }

    /** A 28-bit ID3v2 size (7 bits a byte); -1 when a byte has its high bit set. */
    private static long syncSafe(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            if ((b[at + i] & 0x80) != 0) {
                return -1;
            }
            v = v << 7 | b[at + i];
        }
        return v;
    }

    /** How far past an ID3v2 tag the first frame is looked for. */
    private static final int MAX_JUNK = 64 << 10;

    /**
     * The first MPEG audio frame within {@value #MAX_JUNK} bytes from {@code from} whose next frame follows where its
     * length says (so that a stray sync pattern is not taken for one), or -1.
     */
    private static long firstFrame(ByteSource file, long from) throws IOException {
        int span = (int) Math.min(MAX_JUNK, file.length() - from);
        if (span < 4) {
            return -1;
        }
        byte[] b = file.bytes(from, span);
        for (int i = 0; i + 4 <= span; i++) {
            if ((b[i] & 0xFF) != 0xFF || (b[i + 1] & 0xE0) != 0xE0) {
                continue;
            }
            long header = (b[i] & 0xFFL) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | b[i + 3] & 0xFF;
            int length = frameLength(header);
            long next = from + i + length;
            if (length > 4 && (next == file.length() || next + 4 <= file.length()
                    && isMpegAudioFrame(file.u32(next, true)))) {
                return from + i;
            }
        }
        return -1;
    }

    private static boolean isMpegAudioFrame(long header) {
        return (header & 0xFFE00000L) == 0xFFE00000L && frameLength(header) > 0;
    }

    private static final int[][] BITRATES = { // kbit/s: [MPEG-1 layer III], [MPEG-2/2.5 layer III]
            {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, -1},
            {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, -1}};
    private static final int[] RATES = {44100, 48000, 32000, -1};

    /** The length of an MPEG layer III frame from its header; 0 when the header is not one (or free format). */
    static int frameLength(long h) {
        int version = (int) (h >>> 19) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5, 1: reserved
        int layer = (int) (h >>> 17) & 3; // 1: layer III
        int bitrateIndex = (int) (h >>> 12) & 15;
        int rateIndex = (int) (h >>> 10) & 3;
        if (version == 1 || layer == 0 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) {
            return 0;
        }
        if (layer != 1) {
            return 1; // layer I or II: a frame all the same, its length not needed here
        }
        boolean mpeg1 = version == 3;
        int rate = RATES[rateIndex] >> (mpeg1 ? 0 : version == 2 ? 1 : 2);
        int kbps = BITRATES[mpeg1 ? 0 : 1][bitrateIndex];
        int padding = (int) (h >>> 9) & 1;
        return (mpeg1 ? 144 : 72) * kbps * 1000 / rate + padding;
    }

    private static Found mp3(ByteSource file, long start, List<TagBlock> tags) throws IOException,
            StructureException {
        long end = file.length();
        List<TagBlock> trailers = new ArrayList<>();
        for (int i = 0; i < MAX_TRAILERS; i++) {
            long before = end;
            if (end - start >= 128 && file.fourCc(end - 128).startsWith("TAG")) {
                trailers.add(new TagBlock(TagBlock.Kind.ID3V1, end - 128, 128));
                end -= 128;
            }
            if (end - start >= 32 && Arrays.equals(file.bytes(end - 32, 8), "APETAGEX".getBytes(
                    java.nio.charset.StandardCharsets.ISO_8859_1))) {
                long size = file.u32(end - 32 + 12, false); // items + footer
                long flags = file.u32(end - 32 + 20, false);
                long length = size + ((flags & 0x80000000L) != 0 ? 32 : 0);
                if (size < 32 || length > end - start) {
                    throw new StructureException("APEv2 tag declares " + size + " bytes, more than the file holds");
                }
                trailers.add(new TagBlock(TagBlock.Kind.APE, end - length, length));
                end -= length;
            }
            if (end - start >= 15 && Arrays.equals(file.bytes(end - 9, 9), "LYRICS200".getBytes(
                    java.nio.charset.StandardCharsets.ISO_8859_1))) {
                long size = digits(file.bytes(end - 15, 6));
                long length = size + 15;
                if (size < 11 || length > end - start) {
                    throw new StructureException("Lyrics3 tag declares " + size + " bytes, more than the file holds");
                }
                trailers.add(new TagBlock(TagBlock.Kind.LYRICS3, end - length, length));
                end -= length;
            } else if (end - start >= 20 && Arrays.equals(file.bytes(end - 9, 9), "LYRICSEND".getBytes(
                    java.nio.charset.StandardCharsets.ISO_8859_1))) {
                long from = lyrics3v1Start(file, start, end);
                trailers.add(new TagBlock(TagBlock.Kind.LYRICS3, from, end - from));
                end = from;
            }
            if (end - start >= 20 && file.fourCc(end - 10).startsWith("3DI")) { // an ID3v2 footer: a tag at the end
                byte[] f = file.bytes(end - 10, 10);
                long size = syncSafe(f, 6);
                long length = size + 20;
                if (size < 0 || length > end - start) {
                    throw new StructureException("appended ID3v2 tag declares " + size + " bytes, more than the "
                            + "file holds");
                }
                trailers.add(new TagBlock(TagBlock.Kind.ID3V2, end - length, length));
                end -= length;
            }
            if (end == before) {
                break;
            }
        }
        // The first frame may be a Xing/Info (LAME) or VBRI frame: a table of contents, not sound.
        long h = file.u32(start, true);
        int frame = frameLength(h);
        if (frame > 4 && start + frame <= end) {
            int scan = Math.min(frame, 64);
            byte[] first = file.bytes(start, scan);
            String text = new String(first, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (text.indexOf("Xing") > 0 || text.indexOf("Info") > 0 || text.indexOf("VBRI") > 0) {
                start += frame;
            }
        }
        tags.addAll(trailers.reversed());
        return new Found(Format.MP3, new ByteRanges.Builder().add(start, end - start).build(), null, tags);
    }

    private static long digits(byte[] b) throws StructureException {
        long v = 0;
        for (byte c : b) {
            if (c < '0' || c > '9') {
                throw new StructureException("Lyrics3 tag with a size that is not a number");
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Lyrics3 v1: "LYRICSBEGIN" at most 5,100 bytes before "LYRICSEND". */
    private static long lyrics3v1Start(ByteSource file, long start, long end) throws IOException,
            StructureException {
        int span = (int) Math.min(5100 + 20, end - start);
        byte[] tail = file.bytes(end - span, span);
        String text = new String(tail, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.lastIndexOf("LYRICSBEGIN");
        if (at < 0) {
            throw new StructureException("Lyrics3 tag without its start");
        }
        return end - span + at;
    }

    /* ------------------------------------------------------------------ FLAC */

    private static Found flac(ByteSource file, long start, List<TagBlock> tags) throws IOException,
            StructureException {
        long pos = start + 4;
        String md5 = null;
        for (int i = 0; ; i++) {
            if (i >= MAX_FLAC_BLOCKS) {
                throw new StructureException("FLAC file with more than " + MAX_FLAC_BLOCKS + " metadata blocks");
            }
            long header = file.u32(pos, true);
            boolean last = (header & 0x80000000L) != 0;
            int type = (int) (header >>> 24) & 0x7F;
            long length = header & 0xFFFFFF;
            long data = pos + 4;
            if (data + length > file.length()) {
                throw new StructureException("FLAC metadata block declares " + length + " bytes, more than the "
                        + "file holds");
            }
            if (type == 0 && length >= 34) {
                byte[] sum = file.bytes(data + 18, 16);
                md5 = isZero(sum) ? null : java.util.HexFormat.of().formatHex(sum);
            } else if (type == 4) {
                tags.add(new TagBlock(TagBlock.Kind.VORBIS_COMMENT, data, length));
            } else if (type == 6) {
                tags.add(new TagBlock(TagBlock.Kind.FLAC_PICTURE, data, length));
            } else if (type == 127) {
                throw new StructureException("FLAC metadata block of the invalid type 127");
            }
            pos = data + length;
            if (last) {
                break;
            }
        }
        long end = file.length();
        if (end - pos >= 128 && file.fourCc(end - 128).startsWith("TAG")) {
            tags.add(new TagBlock(TagBlock.Kind.ID3V1, end - 128, 128));
            end -= 128;
        }
        if (pos + 2 <= end && (file.u16(pos, true) & 0xFFFC) != 0xFFF8) {
            throw new StructureException("no FLAC frame after the metadata blocks");
        }
        return new Found(Format.FLAC, new ByteRanges.Builder().add(pos, end - pos).build(), md5, tags);
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /* ------------------------------------------------------------------ MP4 */

    private static Found mp4(ByteSource file) throws IOException, StructureException {
        ByteRanges.Builder ranges = new ByteRanges.Builder();
        List<TagBlock> tags = new ArrayList<>();
        long pos = 0;
        long end = file.length();
        int boxes = 0;
        while (pos + 8 <= end) {
            if (++boxes > BoxCheck.MAX_BOXES) {
                throw new StructureException("more than " + BoxCheck.MAX_BOXES + " boxes");
            }
            long size = file.u32(pos, true);
            String type = file.fourCc(pos + 4);
            int header = 8;
            if (size == 1) {
                if (pos + 16 > end) {
                    throw new StructureException("'" + type + "' box cut short");
                }
                size = file.u64(pos + 8);
                header = 16;
            } else if (size == 0) {
                size = end - pos;
            }
            if (size < header || size > end - pos) {
                throw new StructureException("'" + PngChunkCheck.printable(type) + "' box declares " + size
                        + " bytes, more than the file holds");
            }
            if (type.equals("mdat")) {
                addChecked(ranges, pos + header, size - header);
            } else if (type.equals("moov")) {
                tags.add(new TagBlock(TagBlock.Kind.MP4_MOOV, pos, size));
            }
            pos += size;
        }
        if (ranges.count() == 0) {
            throw new StructureException("MP4 file without media data");
        }
        return new Found(Format.MP4, ranges.build(), null, tags);
    }

    private static void addChecked(ByteRanges.Builder ranges, long offset, long length) throws StructureException {
        try {
            ranges.add(offset, length);
        } catch (IllegalStateException e) {
            throw new StructureException("more than " + ByteRanges.MAX_RANGES + " pieces of sound");
        }
    }

    /* ------------------------------------------------------------------ Ogg */

    private static Found ogg(ByteSource file) throws IOException, StructureException {
        long pos = 0;
        long end = file.length();
        long serial = -1;
        int headerPackets = -1; // known once the first packet is
        int packets = 0; // packets that began so far
        boolean inPacket = false;
        Format format = null;
        ByteRanges.Builder ranges = new ByteRanges.Builder();
        long commentStart = -1;
        long commentEnd = -1;
        byte[] lacing = new byte[255];
        while (pos < end) {
            if (pos + 27 > end || !file.fourCc(pos).equals("OggS")) {
                throw new StructureException("Ogg page expected at byte " + pos);
            }
            if (file.u8(pos + 4) != 0) {
                throw new StructureException("Ogg page of an unknown version");
            }
            long pageSerial = file.u32(pos + 14, false);
            if (serial < 0) {
                serial = pageSerial;
            } else if (pageSerial != serial) {
                throw new StructureException("Ogg file with more than one stream");
            }
            int segments = file.u8(pos + 26);
            file.read(pos + 27, lacing, 0, segments);
            long body = pos + 27 + segments;
            long at = body;
            for (int s = 0; s < segments; s++) {
                int len = lacing[s] & 0xFF;
                if (at + len > end) {
                    throw new StructureException("Ogg page runs past the end of the file");
                }
                if (!inPacket) { // a packet begins here
                    packets++;
                    inPacket = true;
                    if (packets == 1) {
                        if (len >= 8 && file.fourCc(at + 1).equals("vorb")) {
                            format = Format.OGG_VORBIS;
                            headerPackets = 3;
                        } else if (len >= 8 && file.fourCc(at).equals("Opus")) {
                            format = Format.OGG_OPUS;
                            headerPackets = 2;
                        } else {
                            return null; // Ogg FLAC, Speex, Theora...: compared whole
                        }
                    } else if (packets == 2) {
                        commentStart = at;
                    }
                }
                if (packets > headerPackets) {
                    addChecked(ranges, at, len);
                } else if (packets == 2) {
                    commentEnd = at + len;
                }
                at += len;
                if (len < 255) {
                    inPacket = false;
                }
            }
            pos = at;
        }
        if (packets <= headerPackets) {
            throw new StructureException("Ogg file without audio packets");
        }
        List<TagBlock> tags = commentStart < 0 ? List.of()
                : List.of(new TagBlock(TagBlock.Kind.VORBIS_COMMENT, commentStart, commentEnd - commentStart));
        return new Found(format, ranges.build(), null, tags);
    }

    /* ------------------------------------------------------------------ WAV, AIFF */

    private static Found wav(ByteSource file) throws IOException, StructureException {
        return chunks(file, false, "data", Format.WAV);
    }

    private static Found aiff(ByteSource file) throws IOException, StructureException {
        return chunks(file, true, "SSND", Format.AIFF);
    }

    private static Found chunks(ByteSource file, boolean bigEndian, String sound, Format format)
            throws IOException, StructureException {
        long pos = 12;
        long end = file.length();
        ByteRanges payload = null;
        List<TagBlock> tags = new ArrayList<>();
        int chunks = 0;
        while (pos + 8 <= end) {
            if (++chunks > RiffCheck.MAX_CHUNKS) {
                throw new StructureException("more than " + RiffCheck.MAX_CHUNKS + " chunks");
            }
            String id = file.fourCc(pos);
            long size = file.u32(pos + 4, bigEndian);
            long data = pos + 8;
            long available = end - data;
            if (id.equals(sound)) {
                if (payload != null) {
                    throw new StructureException("two '" + sound + "' chunks");
                }
                long length = Math.min(size, available); // a recorder cut short leaves its declared size
                if (format == Format.AIFF) {
                    if (length < 8) {
                        throw new StructureException("SSND chunk too short");
                    }
                    long offset = file.u32(data, true);
                    if (offset > length - 8) {
                        throw new StructureException("SSND offset past its chunk");
                    }
                    payload = new ByteRanges.Builder().add(data + 8 + offset, length - 8 - offset).build();
                } else {
                    payload = new ByteRanges.Builder().add(data, length).build();
                }
            } else if (size > available) {
                throw new StructureException("'" + PngChunkCheck.printable(id) + "' chunk declares " + size
                        + " bytes, more than the file holds");
            } else if (id.equals("LIST") || id.equals("id3 ") || id.equals("ID3 ") || id.equals("NAME")
                    || id.equals("AUTH") || id.equals("ANNO") || id.equals("(c) ")) {
                if (id.equals("LIST")) {
                    tags.add(new TagBlock(TagBlock.Kind.RIFF_INFO, pos, size + 8)); // from the chunk's header
                } else if (id.equalsIgnoreCase("id3 ")) {
                    tags.add(new TagBlock(TagBlock.Kind.ID3V2, data, size)); // the tag itself
                } else {
                    tags.add(new TagBlock(TagBlock.Kind.AIFF_TEXT, pos, size + 8));
                }
            }
            pos = data + size + (size & 1);
        }
        if (payload == null) {
            throw new StructureException("no '" + sound.trim() + "' chunk");
        }
        return new Found(format, payload, null, tags);
    }
}
