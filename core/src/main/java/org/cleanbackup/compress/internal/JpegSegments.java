package org.cleanbackup.compress.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.cleanbackup.compress.CompressionException;
import org.cleanbackup.internal.JpegHeader;

/**
 * The header of a JPEG file (read by {@link JpegHeader}): its marker segments up to the first scan, as byte ranges of
 * the file. Used to copy the
 * metadata segments (EXIF, XMP, ICC, IPTC, comments) of an original byte for byte into a re-encoded image, which
 * is the one way to be sure nothing in them is reinterpreted or lost.
 *
 * @param segments        every segment before the first SOS, in file order (marker included)
 * @param frameMarker     the SOFn marker (0xC0 baseline, 0xC1 extended, 0xC2 progressive, ...), or -1 if none
 * @param precision       bits per sample (8 for almost every photo)
 * @param samplingFactors per component, horizontal factor * 16 + vertical factor, as in the SOF segment
 * @param adobeTransform  the transform flag of an Adobe APP14 segment (0 none/RGB/CMYK, 1 YCbCr, 2 YCCK), or -1
 * @param width           the image width from the frame header, or -1 if none
 * @param height          the image height from the frame header, or -1 if none
 * @param componentIds    per component, its identifier from the frame header (1, 2, 3 for most files)
 * @param jfif            whether the header has a JFIF APP0 segment
 */
record JpegSegments(List<Segment> segments, int frameMarker, int precision, int[] samplingFactors,
                    int adobeTransform, int width, int height, int[] componentIds, boolean jfif) {

    static final int SOI = 0xD8;
    static final int APP0 = 0xE0;
    static final int APP2 = 0xE2;
    static final int APP14 = 0xEE;
    static final int COM = 0xFE;

    /**
     * One marker segment.
     *
     * @param marker the marker's second byte (0xE1 for APP1)
     * @param offset where the segment starts in the file (at its 0xFF)
     * @param length the whole segment's length including the marker and length bytes
     */
    record Segment(int marker, int offset, int length) {

        boolean isApp() {
            return marker >= APP0 && marker <= 0xEF;
        }

        /** Whether the payload (after the two length bytes) starts with this ASCII identifier. */
        boolean hasId(byte[] file, String id) {
            byte[] idBytes = id.getBytes(StandardCharsets.ISO_8859_1);
            if (length - 4 < idBytes.length) {
                return false;
            }
            for (int i = 0; i < idBytes.length; i++) {
                if (file[offset + 4 + i] != idBytes[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    int components() {
        return samplingFactors.length;
    }

    /**
     * Whether a 3-component image is stored as RGB rather than YCbCr, by libjpeg's rule: an Adobe segment with
     * transform 0, or, with neither a JFIF nor an Adobe segment, the component identifiers 'R', 'G', 'B'.
     */
    boolean isRgb() {
        if (components() != 3) {
            return false;
        }
        if (adobeTransform >= 0) {
            return adobeTransform == 0;
        }
        if (jfif) {
            return false;
        }
        return componentIds[0] == 'R' && componentIds[1] == 'G' && componentIds[2] == 'B';
    }

    /**
     * Reads the header of {@code file}.
     *
     * @throws CompressionException when the bytes are not a JPEG or the header is cut short
     */
    static JpegSegments parse(byte[] file) throws CompressionException {
        JpegHeader.Info header;
        try {
            header = JpegHeader.read(JpegHeader.of(file, file.length));
        } catch (IOException e) { // an array: every read is checked before it is made
            throw new IllegalStateException(e);
        }
        JpegHeader.Walk walk = header.walk();
        switch (walk.end()) {
            case SCAN -> { }
            case NOT_A_JPEG -> throw CompressionException.failed("not a JPEG file (no start-of-image marker)");
            case NOT_A_MARKER -> throw CompressionException.failed("damaged: no marker at byte " + walk.position()
                    + " of the header");
            case BAD_LENGTH -> throw CompressionException.failed("damaged: a header segment runs past the end of the file");
            case TOO_MANY_SEGMENTS -> throw CompressionException.failed("damaged: more than "
                    + JpegHeader.MAX_SEGMENTS + " segments before the image data");
            default -> throw CompressionException.failed("damaged: the file ends inside its header");
        }
        if (header.shortFrame()) {
            throw CompressionException.failed("damaged: a short frame header");
        }
        List<Segment> segments = new ArrayList<>(header.segments().size());
        for (JpegHeader.Segment s : header.segments()) {
            segments.add(new Segment(s.marker(), (int) s.offset(), s.length() + 2));
        }
        return new JpegSegments(segments, header.frameMarker(), header.precision(), header.samplingFactors(),
                header.adobeTransform(), header.width(), header.height(), header.componentIds(), header.jfif());
    }

    /**
     * The metadata segments worth carrying over to a re-encoded image: every APPn and COM, except the Adobe APP14
     * (it describes the colour transform of the old pixel data, not of the new) and an MPF APP2 (its offsets point
     * at images after the old file's end, which the new file does not have).
     */
    List<Segment> metadataToKeep(byte[] file) {
        List<Segment> keep = new ArrayList<>();
        for (Segment s : segments) {
            if (s.marker() == COM || s.isApp()) {
                boolean adobe = s.marker() == APP14 && s.hasId(file, "Adobe");
                boolean mpf = s.marker() == APP2 && s.hasId(file, "MPF\0");
                if (!adobe && !mpf) {
                    keep.add(s);
                }
            }
        }
        return keep;
    }

    /**
     * The file {@code encoded} (a complete JPEG from an encoder) with its own APPn and COM segments replaced by
     * {@code kept} segments of {@code original}.
     */
    static byte[] splice(byte[] original, List<Segment> kept, byte[] encoded) throws CompressionException {
        JpegSegments fresh = parse(encoded);
        int bodyStart = 2;
        for (Segment s : fresh.segments()) {
            if (!(s.isApp() || s.marker() == COM)) {
                break;
            }
            bodyStart = s.offset() + s.length();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length + 65_536);
        out.write(0xFF);
        out.write(SOI);
        for (Segment s : kept) {
            out.write(original, s.offset(), s.length());
        }
        out.write(encoded, bodyStart, encoded.length - bodyStart);
        return out.toByteArray();
    }
}
