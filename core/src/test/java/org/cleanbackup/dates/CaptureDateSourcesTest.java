package org.cleanbackup.dates;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The capture dates that exiftool reads and a plain EXIF reader misses, each in a small file made here: IPTC and XMP
 * creation dates over IFD0's DateTime (the last edit), a Reconyx maker note, FLIR's own segments, and an AVI's
 * RIFF date written the way Canon writes it.
 */
class CaptureDateSourcesTest {

    @TempDir
    Path dir;

    private final CaptureDates dates = new CaptureDates();

    // ---- building blocks ----------------------------------------------------------------------------------------

    /** A JPEG with no metadata at all (ImageIO writes only JFIF). */
    private static byte[] plainJpeg() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB), "jpeg", out);
        return out.toByteArray();
    }

    private static byte[] segment(int marker, byte[] data) {
        return ByteBuffer.allocate(4 + data.length).put((byte) 0xFF).put((byte) marker)
                .putShort((short) (data.length + 2)).put(data).array();
    }

    private Path jpeg(String name, byte[]... segments) throws IOException {
        byte[] jpeg = plainJpeg();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        for (byte[] s : segments) {
            out.write(s);
        }
        out.write(jpeg, 2, jpeg.length - 2);
        Path file = dir.resolve(name);
        Files.write(file, out.toByteArray());
        return file;
    }

    /** A little-endian EXIF block: IFD0 with Make and DateTime, and an EXIF IFD holding {@code makerNote}. */
    private static byte[] exif(String make, String dateTime, byte[] makerNote) {
        ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
        b.put("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1));
        int base = b.position();
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        int entries = 2 + (makerNote != null ? 1 : 0);
        int ifd0 = 8;
        int data = ifd0 + 2 + 12 * entries + 4;
        byte[] makeBytes = (make + "\0").getBytes(StandardCharsets.ISO_8859_1);
        byte[] dateBytes = (dateTime + "\0").getBytes(StandardCharsets.ISO_8859_1);
        int makeAt = data;
        int dateAt = makeAt + makeBytes.length;
        int exifIfd = dateAt + dateBytes.length;
        b.putShort((short) entries);
        b.putShort((short) 0x010F).putShort((short) 2).putInt(makeBytes.length).putInt(makeAt);
        b.putShort((short) 0x0132).putShort((short) 2).putInt(dateBytes.length).putInt(dateAt);
        if (makerNote != null) {
            b.putShort((short) 0x8769).putShort((short) 4).putInt(1).putInt(exifIfd);
        }
        b.putInt(0);
        b.put(makeBytes).put(dateBytes);
        if (makerNote != null) {
            int noteAt = exifIfd + 2 + 12 + 4;
            b.putShort((short) 1);
            b.putShort((short) 0x927C).putShort((short) 7).putInt(makerNote.length).putInt(noteAt);
            b.putInt(0);
            b.put(makerNote);
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        assertThat(base).isEqualTo(6);
        return out;
    }

    // ---- IPTC and XMP over IFD0 DateTime ------------------------------------------------------------------------

    private static byte[] iptc(String date, String time) {
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        for (String[] r : new String[][] {{"55", date}, {"60", time}}) {
            if (r[1] == null) {
                continue;
            }
            byte[] value = r[1].getBytes(StandardCharsets.ISO_8859_1);
            records.write(0x1C);
            records.write(2);
            records.write(Integer.parseInt(r[0]));
            records.write(value.length >> 8);
            records.write(value.length);
            records.writeBytes(value);
        }
        byte[] iim = records.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(14 + 12 + iim.length + 1);
        b.put("Photoshop 3.0\0".getBytes(StandardCharsets.ISO_8859_1));
        b.put("8BIM".getBytes(StandardCharsets.ISO_8859_1)).putShort((short) 0x0404).putShort((short) 0); // empty name
        b.putInt(iim.length).put(iim);
        if ((iim.length & 1) == 1) {
            b.put((byte) 0);
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return segment(0xED, out);
    }

    @Test
    void iptcCreationDateBeatsTheEditTimeInIfd0() throws IOException {
        Path file = jpeg("edited.jpg", segment(0xE1, exif("Canon", "2023:01:04 10:00:00", null)),
                iptc("20090909", "101010+0200"));

        CaptureDate date = dates.read(file);

        assertThat(date.source()).isEqualTo(CaptureDate.Source.IPTC);
        assertThat(date.localTime()).isEqualTo(LocalDateTime.of(2009, 9, 9, 10, 10, 10));
        assertThat(date.offset()).isEqualTo(ZoneOffset.ofHours(2));
    }

    @Test
    void iptcDateWithoutATimeStillFilesThePhoto() throws IOException {
        Path file = jpeg("date-only.jpg", segment(0xE1, exif("Canon", "2023:01:04 10:00:00", null)),
                iptc("20090909", null));

        CaptureDate date = dates.read(file);

        assertThat(date.source()).isEqualTo(CaptureDate.Source.IPTC);
        assertThat(date.localTime()).isEqualTo(LocalDateTime.of(2009, 9, 9, 0, 0));
    }

    @Test
    void xmpDateCreatedBeatsTheEditTimeInIfd0() throws IOException {
        String xmp = "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF"
                + " xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"\""
                + " xmlns:photoshop=\"http://ns.adobe.com/photoshop/1.0/\" photoshop:DateCreated=\"2009-09-09T08:30:00\"/>"
                + "</rdf:RDF></x:xmpmeta>";
        Path file = jpeg("xmp.jpg", segment(0xE1, exif("Canon", "2023:01:04 10:00:00", null)),
                segment(0xE1, xmp.getBytes(StandardCharsets.UTF_8)));

        CaptureDate date = dates.read(file);

        assertThat(date.source()).isEqualTo(CaptureDate.Source.XMP);
        assertThat(date.localTime()).isEqualTo(LocalDateTime.of(2009, 9, 9, 8, 30));
    }

    @Test
    void ifd0DateTimeIsStillUsedWhenItIsTheOnlyDate() throws IOException {
        Path file = jpeg("only-ifd0.jpg", segment(0xE1, exif("Canon", "2023:01:04 10:00:00", null)));

        assertThat(dates.read(file).source()).isEqualTo(CaptureDate.Source.EXIF_DATETIME);
    }

    // ---- maker notes ----------------------------------------------------------------------------------------------

    @Test
    void reconyxTrailCameraDateFromItsMakerNote() throws IOException {
        ByteBuffer note = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        note.putShort(0, (short) 61697); // HyperFire maker-note version
        int at = 22; // DateTimeOriginal: seconds, minutes, hour, month, day, year as int16
        for (int v : new int[] {2, 4, 9, 3, 5, 2016}) {
            note.putShort(at, (short) v);
            at += 2;
        }
        Path file = jpeg("RCNX0001.JPG", segment(0xE1, exif("RECONYX", "2020:01:01 00:00:00", note.array())));

        CaptureDate date = dates.read(file);

        assertThat(date.source()).isEqualTo(CaptureDate.Source.MAKER_NOTE);
        assertThat(date.localTime()).isEqualTo(LocalDateTime.of(2016, 3, 5, 9, 4, 2));
    }

    /** An FFF file in one FLIR chunk: header, a directory of one CameraInfo record, the record. */
    private static byte[] flirSegment(long unixSeconds, int millis, int minutesWest) {
        int recordAt = 64 + 32;
        int recordLength = 0x400;
        ByteBuffer fff = ByteBuffer.allocate(recordAt + recordLength); // header big-endian
        fff.put("FFF\0".getBytes(StandardCharsets.ISO_8859_1)).put(new byte[16]).putInt(100).putInt(64).putInt(1);
        fff.position(64);
        fff.putShort((short) 0x20).putShort((short) 0).putInt(0x100).putInt(1).putInt(recordAt).putInt(recordLength);
        ByteBuffer record = fff.slice(recordAt, recordLength).order(ByteOrder.LITTLE_ENDIAN);
        record.putShort(0, (short) 2);
        record.putInt(0x384, (int) unixSeconds).putInt(0x388, millis).putShort(0x38C, (short) minutesWest);
        ByteBuffer segment = ByteBuffer.allocate(8 + fff.capacity());
        segment.put("FLIR\0".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0).put((byte) 0);
        segment.put(fff.array());
        return segment.array();
    }

    @Test
    void flirDateFromItsOwnSegments() throws IOException {
        // 2021-05-16T19:27:36.107Z at -07:00, as the corpus FLIR photo (exiftool: 2021:05:16 12:27:36.107-07:00)
        Path file = jpeg("FLIR0001.jpg", segment(0xE1, exif("FLIR Systems AB", "", null)),
                segment(0xE1, flirSegment(1_621_193_256L, 107, 420)));

        CaptureDate date = dates.read(file);

        assertThat(date.source()).isEqualTo(CaptureDate.Source.MAKER_NOTE);
        assertThat(date.localTime()).isEqualTo(LocalDateTime.of(2021, 5, 16, 12, 27, 36, 107_000_000));
        assertThat(date.offset()).isEqualTo(ZoneOffset.ofHours(-7));
    }

    @Test
    void flirSegmentsInAnotherMakersFileAreNotRead() throws IOException {
        Path file = jpeg("other.jpg", segment(0xE1, exif("Canon", "", null)),
                segment(0xE1, flirSegment(1_621_193_256L, 107, 420)));

        assertThat(dates.read(file).source()).isNotEqualTo(CaptureDate.Source.MAKER_NOTE);
    }

    // ---- AVI ----------------------------------------------------------------------------------------------------

    private static byte[] riffChunk(String id, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + data.length + (data.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(id.getBytes(StandardCharsets.ISO_8859_1)).putInt(data.length).put(data);
        return b.array();
    }

    private static byte[] list(String id, String type, byte[]... chunks) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(type.getBytes(StandardCharsets.ISO_8859_1));
        for (byte[] c : chunks) {
            body.writeBytes(c);
        }
        return riffChunk(id, body.toByteArray());
    }

    @Test
    void canonAviDateInCapitalLetters() throws IOException {
        byte[] avih = new byte[56];
        byte[] idit = "MON SEP 10 20:52:00 2012\n\0".getBytes(StandardCharsets.ISO_8859_1);
        Path file = dir.resolve("MVI_4823.AVI");
        Files.write(file, list("RIFF", "AVI ", list("LIST", "hdrl", riffChunk("avih", avih), riffChunk("IDIT", idit)),
                list("LIST", "movi")));

        CaptureDate date = dates.read(file);

        assertThat(date.source()).isEqualTo(CaptureDate.Source.AVI);
        assertThat(date.localTime()).isEqualTo(LocalDateTime.of(2012, 9, 10, 20, 52));
    }
}
