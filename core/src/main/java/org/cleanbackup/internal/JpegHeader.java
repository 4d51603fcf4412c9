package org.cleanbackup.internal;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Internal: not part of the API. The one reader of a JPEG's header: the marker segments from SOI to the first scan
 * (SOS), the frame header (SOFn: precision, size, components), the JFIF and Adobe markers, and the EXIF orientation.
 * Used by the metadata structure check, the recompressors, the Java pHash decoder's colour test and RAW preview
 * finder; the Java DC-only decoder reads the orientation with {@link #exifOrientation(byte[], int, int)}.
 *
 * <p>Bounded on hostile input: it never allocates from a declared length (a segment is an offset and a length; the
 * one segment it copies, an EXIF APP1, is at most 64 KiB because a segment's length is 16 bits), it stops after
 * {@value #MAX_SEGMENTS} segments, and every read is checked against the data's end.
 */
public final class JpegHeader {

    /** Real files have a few dozen; a file of millions of empty segments only costs time. */
    public static final int MAX_SEGMENTS = 65_536;

    static final int SOI = 0xD8;
    static final int EOI = 0xD9;
    public static final int SOS = 0xDA;
    static final int APP0 = 0xE0;
    static final int APP1 = 0xE1;
    static final int APP14 = 0xEE;

    private JpegHeader() {
    }

    /** Random access to the bytes of a file, a stream or an array. */
    public interface Source {

        /** How many bytes there are ({@link Long#MAX_VALUE} when not known: reads then find the end). */
        long length();

        /** Fills {@code into} from {@code position}; an {@link EOFException} when that runs past the end. */
        void read(long position, byte[] into, int offset, int count) throws IOException;
    }

    /** The first {@code length} bytes of {@code data}. */
    public static Source of(byte[] data, int length) {
        Objects.checkFromIndexSize(0, length, data.length);
        return new Source() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public void read(long position, byte[] into, int offset, int count) throws EOFException {
                if (position < 0 || count < 0 || position > length - count) {
                    throw new EOFException("past the end of the data");
                }
                System.arraycopy(data, (int) position, into, offset, count);
            }
        };
    }

    /**
     * One marker segment with a length field.
     *
     * @param marker the marker's second byte (0xE1 for APP1)
     * @param offset where the segment starts (at its 0xFF; fill bytes before it not included)
     * @param length the declared length: 2 length bytes plus the payload (the segment takes {@code length + 2} bytes)
     */
    public record Segment(int marker, long offset, int length) {

        /** Where the payload starts. */
        public long dataStart() {
            return offset + 4;
        }

        /** The payload's declared length. */
        public int dataLength() {
            return length - 2;
        }

        /** Whether this is a frame header: SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
        boolean isFrame() {
            return JpegHeader.isFrame(marker);
        }
    }

    /** Whether {@code marker} is a frame header (SOFn). */
    static boolean isFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    /** How a walk ended. */
    public enum End {
        /** At the first SOS: its segment was visited, the header is complete. */
        SCAN,
        /** At an EOI before any scan. */
        END_OF_IMAGE,
        /** The data has no SOI at its start. */
        NOT_A_JPEG,
        /** A byte that is not a marker where a marker should be ({@link Walk#position()} says where). */
        NOT_A_MARKER,
        /** The data ends inside a marker or its length field. */
        TRUNCATED,
        /** A segment's length is below 2 or runs past the end of the data. */
        BAD_LENGTH,
        /** The visitor asked to stop. */
        STOPPED,
        /** More than {@value JpegHeader#MAX_SEGMENTS} segments. */
        TOO_MANY_SEGMENTS
    }

    /** How a walk ended, and where (the position of the marker or byte at fault, or after the last segment). */
    public record Walk(End end, long position) {
    }

    /** Sees each segment of a walk; returns false to stop it. May throw its own checked exception {@code X}. */
    @FunctionalInterface
    public interface Visitor<X extends Exception> {
        boolean segment(Segment segment) throws IOException, X;
    }

    /**
     * Walks the marker segments from SOI up to and including the first SOS, calling {@code visitor} for each one
     * with a length field (stand-alone markers, RSTn and TEM, and fill bytes are stepped over).
     */
    public static <X extends Exception> Walk walk(Source data, Visitor<X> visitor) throws IOException, X {
        long length = data.length();
        byte[] two = new byte[2];
        if (!readFully(data, 0, two) || (two[0] & 0xFF) != 0xFF || (two[1] & 0xFF) != SOI) {
            return new Walk(End.NOT_A_JPEG, 0);
        }
        long pos = 2;
        int segments = 0;
        while (true) {
            if (!readFully(data, pos, two)) {
                return new Walk(End.TRUNCATED, pos);
            }
            if ((two[0] & 0xFF) != 0xFF) {
                return new Walk(End.NOT_A_MARKER, pos);
            }
            int marker = two[1] & 0xFF;
            if (marker == 0xFF) {
                pos++; // a fill byte before the marker
                continue;
            }
            if (marker == SOI || marker == 0x01 || marker >= 0xD0 && marker <= 0xD7) {
                pos += 2; // stand-alone markers carry no length
                continue;
            }
            if (marker == EOI) {
                return new Walk(End.END_OF_IMAGE, pos);
            }
            if (!readFully(data, pos + 2, two)) {
                return new Walk(End.TRUNCATED, pos);
            }
            int segmentLength = (two[0] & 0xFF) << 8 | two[1] & 0xFF;
            if (segmentLength < 2 || pos + 2 + segmentLength > length) {
                return new Walk(End.BAD_LENGTH, pos);
            }
            if (++segments > MAX_SEGMENTS) {
                return new Walk(End.TOO_MANY_SEGMENTS, pos);
            }
            Segment segment = new Segment(marker, pos, segmentLength);
            if (!visitor.segment(segment)) {
                return new Walk(End.STOPPED, pos);
            }
            pos += 2 + segmentLength;
            if (marker == SOS) {
                return new Walk(End.SCAN, pos);
            }
        }
    }

    /**
     * What a header says.
     *
     * @param walk            how the walk ended
     * @param segments        every segment walked, in file order
     * @param frameMarker     the first SOFn marker (0xC0 baseline, 0xC1 extended, 0xC2 progressive, ...), or -1
     * @param shortFrame      whether that frame header is too short for what it declares (then no components)
     * @param precision       its bits per sample, or 8 without one
     * @param width           its width, or -1
     * @param height          its height, or -1
     * @param componentIds    its component identifiers (1, 2, 3 for most files), as many as it holds
     * @param samplingFactors per component, horizontal factor * 16 + vertical factor
     * @param jfif            whether an APP0 "JFIF\0" segment came before the scan
     * @param adobeTransform  the transform flag of the last Adobe APP14 segment (0 none/RGB/CMYK, 1 YCbCr, 2 YCCK),
     *                        or -1
     * @param exifOrientation the EXIF orientation (1..8) of the first "Exif\0\0" APP1 of at least 14 bytes, 1 when
     *                        there is none or it is out of range; what the native decoder's C parser reads too
     */
    public record Info(Walk walk, List<Segment> segments, int frameMarker, boolean shortFrame, int precision, int width,
                       int height, int[] componentIds, int[] samplingFactors, boolean jfif, int adobeTransform,
                       int exifOrientation) {

        /** The number of components the frame header declares, or 0 without one. */
        int components() {
            return componentIds.length;
        }
    }

    /** Reads the header of {@code data}; never throws for damaged data (see {@link Info#walk()}). */
    public static Info read(Source data) throws IOException {
        return read(data, Integer.MAX_VALUE);
    }

    /** {@link #read(Source)}, stopping after {@code maxSegments} segments ({@link End#STOPPED}). */
    public static Info read(Source data, int maxSegments) throws IOException {
        var state = new Object() {
            final List<Segment> segments = new ArrayList<>();
            int frameMarker = -1;
            boolean shortFrame;
            int precision = 8;
            int width = -1;
            int height = -1;
            int[] ids = new int[0];
            int[] sampling = new int[0];
            boolean jfif;
            int adobe = -1;
            int orientation = 1;
            boolean exifSeen;
        };
        Walk walk = JpegHeader.<RuntimeException>walk(data, s -> {
            if (state.segments.size() >= maxSegments) {
                return false;
            }
            state.segments.add(s);
            int n = s.dataLength();
            if (s.isFrame() && state.frameMarker < 0) {
                state.frameMarker = s.marker();
                state.shortFrame = true;
                if (n >= 6) {
                    byte[] f = bytes(data, s.dataStart(), Math.min(n, 6 + 3 * 255));
                    state.precision = f[0] & 0xFF;
                    state.height = (f[1] & 0xFF) << 8 | f[2] & 0xFF;
                    state.width = (f[3] & 0xFF) << 8 | f[4] & 0xFF;
                    int components = f[5] & 0xFF;
                    if (f.length >= 6 + 3 * components) {
                        state.shortFrame = false;
                        state.ids = new int[components];
                        state.sampling = new int[components];
                        for (int c = 0; c < components; c++) {
                            state.ids[c] = f[6 + 3 * c] & 0xFF;
                            state.sampling[c] = f[7 + 3 * c] & 0xFF;
                        }
                    }
                }
            } else if (s.marker() == APP0 && n >= 5 && startsWith(bytes(data, s.dataStart(), 5), "JFIF\0")) {
                state.jfif = true;
            } else if (s.marker() == APP14 && n >= 12) { // the last one counts, as in libjpeg
                byte[] a = bytes(data, s.dataStart(), 12);
                if (startsWith(a, "Adobe")) {
                    state.adobe = a[11] & 0xFF;
                }
            } else if (s.marker() == APP1 && n >= 14 && !state.exifSeen
                    && startsWith(bytes(data, s.dataStart(), 6), "Exif\0\0")) {
                state.exifSeen = true;
                byte[] exif = bytes(data, s.dataStart(), n); // at most 65,533 bytes: the length is 16 bits
                state.orientation = exifOrientation(exif, 6, n - 6);
            }
            return true;
        });
        return new Info(walk, List.copyOf(state.segments), state.frameMarker, state.shortFrame, state.precision,
                state.width, state.height, state.ids, state.sampling, state.jfif, state.adobe, state.orientation);
    }

    /**
     * The EXIF orientation in a TIFF block (an APP1 payload after "Exif\0\0"): tag 0x0112 of IFD0, 1 when absent,
     * out of range or out of the block. Reads only inside {@code d[t .. t + len)}.
     */
    public static int exifOrientation(byte[] d, int t, int len) {
        if (len < 8) {
            return 1;
        }
        boolean big;
        if (d[t] == 'M' && d[t + 1] == 'M') {
            big = true;
        } else if (d[t] == 'I' && d[t + 1] == 'I') {
            big = false;
        } else {
            return 1;
        }
        long ifd = read32(d, t + 4, big);
        if (ifd + 2 > len) {
            return 1;
        }
        int count = read16(d, t + (int) ifd, big);
        for (int i = 0; i < count; i++) {
            long e = ifd + 2 + 12L * i;
            if (e + 12 > len) {
                return 1;
            }
            if (read16(d, t + (int) e, big) == 0x0112) {
                int v = read16(d, t + (int) e + 8, big);
                return v >= 1 && v <= 8 ? v : 1;
            }
        }
        return 1;
    }

    private static int read16(byte[] d, int i, boolean big) {
        return big ? (d[i] & 0xFF) << 8 | d[i + 1] & 0xFF : (d[i + 1] & 0xFF) << 8 | d[i] & 0xFF;
    }

    private static long read32(byte[] d, int i, boolean big) {
        return big ? (long) read16(d, i, true) << 16 | read16(d, i + 2, true)
                : (long) read16(d, i + 2, false) << 16 | read16(d, i, false);
    }

    /** Whether {@code b} starts with the ISO-8859-1 text {@code id}. */
    static boolean startsWith(byte[] b, String id) {
        if (b.length < id.length()) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (b[i] != (byte) id.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** {@code count} bytes (at most a segment's 65,533) from {@code position}, which the walk checked are there. */
    private static byte[] bytes(Source data, long position, int count) throws IOException {
        byte[] b = new byte[count];
        data.read(position, b, 0, count);
        return b;
    }

    private static boolean readFully(Source data, long position, byte[] into) throws IOException {
        if (position > data.length() - into.length) {
            return false;
        }
        try {
            data.read(position, into, 0, into.length);
            return true;
        } catch (EOFException e) {
            return false;
        }
    }
}
