package org.cleanbackup.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JpegHeaderTest {

    /** A marker segment: FF, marker, 16-bit length, payload. */
    private static void segment(ByteArrayOutputStream out, int marker, byte[] payload) {
        out.write(0xFF);
        out.write(marker);
        out.write((payload.length + 2) >> 8);
        out.write(payload.length + 2);
        out.writeBytes(payload);
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** SOI, JFIF, an EXIF APP1 with the orientation, Adobe, a 3-component SOF0 of 640 x 480, SOS, a little data. */
    private static byte[] header(int orientation, boolean bigEndian) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        segment(out, 0xE0, latin1("JFIF\0\1\1\0\0\1\0\1\0\0"));
        byte[] tiff = bigEndian
                ? new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0,
                        0, 0, 0, 0}
                : new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte) orientation, 0, 0, 0,
                        0, 0, 0, 0};
        ByteArrayOutputStream exif = new ByteArrayOutputStream();
        exif.writeBytes(latin1("Exif\0\0"));
        exif.writeBytes(tiff);
        segment(out, 0xE1, exif.toByteArray());
        out.write(0xFF); // a fill byte before the next marker
        segment(out, 0xEE, latin1("Adobe\0\144\0\0\0\0\1"));
        segment(out, 0xC0, new byte[] {8, 0x01, (byte) 0xE0, 0x02, (byte) 0x80, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1});
        segment(out, 0xDA, new byte[] {1, 1, 0, 0, 63, 0});
        out.writeBytes(new byte[] {0x12, 0x34});
        return out.toByteArray();
    }

    private static JpegHeader.Info read(byte[] b) throws IOException {
        return JpegHeader.read(JpegHeader.of(b, b.length));
    }

    @Test
    void readsTheFrameTheMarkersAndTheOrientation() throws IOException {
        for (boolean big : new boolean[] {true, false}) {
            JpegHeader.Info info = read(header(6, big));
            assertThat(info.walk().end()).isEqualTo(JpegHeader.End.SCAN);
            assertThat(info.frameMarker()).isEqualTo(0xC0);
            assertThat(info.shortFrame()).isFalse();
            assertThat(info.width()).isEqualTo(640);
            assertThat(info.height()).isEqualTo(480);
            assertThat(info.precision()).isEqualTo(8);
            assertThat(info.componentIds()).containsExactly(1, 2, 3);
            assertThat(info.samplingFactors()).containsExactly(0x22, 0x11, 0x11);
            assertThat(info.jfif()).isTrue();
            assertThat(info.adobeTransform()).isEqualTo(1);
            assertThat(info.exifOrientation()).isEqualTo(6);
            assertThat(info.segments()).extracting(JpegHeader.Segment::marker)
                    .containsExactly(0xE0, 0xE1, 0xEE, 0xC0, 0xDA);
        }
        assertThat(read(header(9, true)).exifOrientation()).as("out of range").isEqualTo(1);
    }

    @Test
    void damageEndsTheWalkWithWhereAndWhy() throws IOException {
        byte[] good = header(1, true);
        assertThat(read(new byte[] {1, 2, 3}).walk().end()).isEqualTo(JpegHeader.End.NOT_A_JPEG);
        // cut everywhere inside the header: never an exception, never a segment past the end
        int sos = 0;
        for (JpegHeader.Segment s : read(good).segments()) {
            sos = (int) s.offset();
        }
        for (int cut = 2; cut < sos; cut++) {
            JpegHeader.Info info = read(java.util.Arrays.copyOf(good, cut));
            assertThat(info.walk().end()).as("cut at %d", cut)
                    .isIn(JpegHeader.End.TRUNCATED, JpegHeader.End.BAD_LENGTH);
            for (JpegHeader.Segment s : info.segments()) {
                assertThat(s.offset() + 2 + s.length()).isLessThanOrEqualTo(cut);
            }
        }
        byte[] noMarker = good.clone();
        noMarker[2] = 0x00;
        assertThat(read(noMarker).walk()).isEqualTo(new JpegHeader.Walk(JpegHeader.End.NOT_A_MARKER, 2));
    }

    @Test
    void aHugeDeclaredLengthIsNeverAllocated() throws IOException {
        // an APP1 "Exif" that claims 65,535 bytes in a file of 30: the walk refuses it before reading anything
        byte[] b = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE1, (byte) 0xFF, (byte) 0xFF, 'E', 'x', 'i', 'f', 0, 0,
                'M', 'M', 0, 42, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        JpegHeader.Info info = read(b);
        assertThat(info.walk().end()).isEqualTo(JpegHeader.End.BAD_LENGTH);
        assertThat(info.segments()).isEmpty();
        // an IFD whose entry count runs past the block: orientation 1, nothing read outside
        byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, (byte) 0xFF, (byte) 0xFF};
        assertThat(JpegHeader.exifOrientation(tiff, 0, tiff.length)).isEqualTo(1);
        byte[] farIfd = {'I', 'I', 42, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F};
        assertThat(JpegHeader.exifOrientation(farIfd, 0, farIfd.length)).isEqualTo(1);
    }

    @Test
    void millionsOfEmptySegmentsStopAtTheCap() throws IOException {
        int n = JpegHeader.MAX_SEGMENTS + 10;
        byte[] b = new byte[2 + 4 * n];
        b[0] = (byte) 0xFF;
        b[1] = (byte) 0xD8;
        for (int i = 0; i < n; i++) {
            b[2 + 4 * i] = (byte) 0xFF;
            b[3 + 4 * i] = (byte) 0xFE; // COM, length 2: empty
            b[5 + 4 * i] = 2;
        }
        List<JpegHeader.Segment> seen = new ArrayList<>();
        JpegHeader.Walk walk = JpegHeader.<RuntimeException>walk(JpegHeader.of(b, b.length), s -> seen.add(s));
        assertThat(walk.end()).isEqualTo(JpegHeader.End.TOO_MANY_SEGMENTS);
        assertThat(seen).hasSize(JpegHeader.MAX_SEGMENTS);
        assertThat(JpegHeader.read(JpegHeader.of(b, b.length), 256).walk().end()).isEqualTo(JpegHeader.End.STOPPED);
    }

    @Test
    void randomDamageNeverThrows() throws IOException {
        byte[] good = header(3, false);
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 5_000; i++) {
            byte[] b = good.clone();
            for (int k = 0; k < 3; k++) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
            JpegHeader.Info info = read(b);
            assertThat(info.exifOrientation()).isBetween(1, 8);
            assertThat(info.components()).isBetween(0, 255);
        }
    }
}
