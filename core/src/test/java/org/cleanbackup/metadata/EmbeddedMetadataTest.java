package org.cleanbackup.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.cleanbackup.dates.CaptureDate;
import org.cleanbackup.dates.CaptureDates;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile structures are refused before a parser allocates from them; real files pass and are read. */
class EmbeddedMetadataTest {

    private static final Path SAMPLES = Path.of("..", "samples").toAbsolutePath().normalize();
    private static final Path CORPUS = Path.of("..", "..", "shared", "corpus").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    // ---- ISO media -------------------------------------------------------------------------------------------

    static byte[] box(String type, byte[]... children) {
        int size = 8;
        for (byte[] c : children) {
            size += c.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(size).put(type.getBytes(StandardCharsets.ISO_8859_1));
        for (byte[] c : children) {
            b.put(c);
        }
        return b.array();
    }

    static byte[] ints(int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    static byte[] ftyp() {
        return box("ftyp", "isom".getBytes(StandardCharsets.ISO_8859_1), ints(0x200),
                "isommp41".getBytes(StandardCharsets.ISO_8859_1));
    }

    private Path write(String name, byte[]... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p);
        }
        Path file = dir.resolve(name);
        Files.write(file, out.toByteArray());
        return file;
    }

    @Test
    void sampleTableClaimingTwoBillionEntriesIsRefused() throws IOException {
        // version/flags 0, entry count 2^31 - 1, then one real entry
        byte[] stts = box("stts", ints(0, Integer.MAX_VALUE, 1, 1));
        Path file = write("big.mp4", ftyp(), box("moov", box("trak", box("mdia", box("minf", box("stbl", stts))))));

        EmbeddedMetadata.Result result = EmbeddedMetadata.read(file);

        assertThat(result).isInstanceOf(EmbeddedMetadata.Result.Refused.class);
        assertThat(((EmbeddedMetadata.Result.Refused) result).reason()).contains("'stts'").contains("2147483647");
    }

    @Test
    void tenThousandNestedBoxesAreRefusedWithoutDeepRecursion() throws IOException {
        byte[] inner = box("udta");
        for (int i = 0; i < 10_000; i++) {
            inner = box("moov", inner);
        }
        Path file = write("deep.mov", ftyp(), inner);

        assertThat(EmbeddedMetadata.checkStructure(file)).hasValueSatisfying(r -> assertThat(r).contains("nested"));
    }

    @Test
    void metadataBoxLargerThanTheFileIsRefused() throws IOException {
        ByteBuffer mvhd = ByteBuffer.allocate(16).putInt(0x7FFF_FFF0).put("mvhd".getBytes(StandardCharsets.ISO_8859_1))
                .putInt(0).putInt(0);
        Path file = write("huge-mvhd.mp4", ftyp(), box("moov", mvhd.array()));

        assertThat(EmbeddedMetadata.checkStructure(file)).hasValueSatisfying(r -> assertThat(r).contains("'mvhd'"));
    }

    @Test
    void truncatedMediaDataIsNotRefused() throws IOException {
        // the last box of a cut-off video runs past the end: common, harmless, and the moov before it is readable
        ByteBuffer mdat = ByteBuffer.allocate(16).putInt(1_000_000).put("mdat".getBytes(StandardCharsets.ISO_8859_1));
        Path file = write("cut.mp4", ftyp(), box("moov", box("udta")), mdat.array());

        assertThat(EmbeddedMetadata.checkStructure(file)).isEmpty();
    }

    @Test
    void realVideoAndHeicPassAndAreRead() throws IOException {
        for (Path file : List.of(SAMPLES.resolve("phone/with-gps.mp4"), resource("cheers_1440x960.heic"))) {
            EmbeddedMetadata.Result result = EmbeddedMetadata.read(file);
            assertThat(result).as(file.toString()).isInstanceOf(EmbeddedMetadata.Result.Read.class);
            assertThat(result.metadata().orElseThrow().getDirectoryCount()).as(file.toString()).isPositive();
        }
    }

    // ---- JPEG ------------------------------------------------------------------------------------------------

    private static byte[] segment(int marker, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + data.length);
        b.put((byte) 0xFF).put((byte) marker).putShort((short) (data.length + 2)).put(data);
        return b.array();
    }

    private static byte[] withSegments(byte[] jpeg, byte[]... segments) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2); // SOI
        for (byte[] s : segments) {
            out.write(s);
        }
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    private static byte[] sampleJpeg() throws IOException {
        return Files.readAllBytes(SAMPLES.resolve("photos/inbox/Pentax Optio S4.jpg"));
    }

    @Test
    void extendedXmpDeclaringGigabytesIsRefused() throws IOException {
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        chunk.write("http://ns.adobe.com/xmp/extension/\0".getBytes(StandardCharsets.ISO_8859_1));
        chunk.write("0123456789ABCDEF0123456789ABCDEF".getBytes(StandardCharsets.ISO_8859_1));
        chunk.write(ints(0xF000_0000, 0)); // full length 4 GB, this chunk at offset 0
        chunk.write("<x:xmpmeta/>".getBytes(StandardCharsets.ISO_8859_1));
        Path file = write("xmp.jpg", withSegments(sampleJpeg(), segment(0xE1, chunk.toByteArray())));

        assertThat(EmbeddedMetadata.read(file)).isInstanceOfSatisfying(EmbeddedMetadata.Result.Refused.class,
                r -> assertThat(r.reason()).contains("Extended XMP"));
    }

    /** An EXIF block whose IFD0 is followed by {@code chain} more IFDs, each linking the next. */
    private static byte[] exifWithIfdChain(int chain, boolean loop) {
        ByteBuffer b = ByteBuffer.allocate(6 + 8 + 18 * (chain + 1));
        b.put("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1));
        b.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        for (int i = 0; i <= chain; i++) {
            int offset = 8 + 18 * i;
            b.putShort((short) 1); // one entry: ImageWidth = 1
            b.putShort((short) 0x0100).putShort((short) 3).putInt(1).putShort((short) 1).putShort((short) 0);
            b.putInt(i < chain ? offset + 18 : loop ? 8 : 0);
        }
        return b.array();
    }

    @Test
    void exifChainOfThousandsOfIfdsIsRefused() throws IOException {
        Path file = write("chain.jpg", withSegments(sampleJpeg(), segment(0xE1, exifWithIfdChain(3000, false))));

        assertThat(EmbeddedMetadata.checkStructure(file)).hasValueSatisfying(r -> assertThat(r).contains("IFD"));
    }

    @Test
    void exifIfdLoopIsLeftToTheReaderWhichStopsThere() throws IOException {
        Path file = write("loop.jpg", withSegments(sampleJpeg(), segment(0xE1, exifWithIfdChain(3, true))));

        assertThat(EmbeddedMetadata.read(file)).isInstanceOf(EmbeddedMetadata.Result.Read.class);
    }

    @Test
    void realJpegPassesAndItsDateIsRead() throws IOException {
        Path file = SAMPLES.resolve("photos/inbox/Pentax Optio S4.jpg");

        assertThat(EmbeddedMetadata.read(file)).isInstanceOf(EmbeddedMetadata.Result.Read.class);
        assertThat(new CaptureDates().read(file).source()).isEqualTo(CaptureDate.Source.EXIF_ORIGINAL);
    }

    // ---- PNG -------------------------------------------------------------------------------------------------

    private static byte[] chunk(String type, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(12 + data.length);
        b.putInt(data.length).put(type.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 4, 4 + data.length);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    private static byte[] pngWith(byte[]... chunks) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        out.write(chunk("IHDR", ByteBuffer.allocate(13).putInt(1).putInt(1).put((byte) 8).array()));
        for (byte[] c : chunks) {
            out.write(c);
        }
        out.write(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    @Test
    void compressedTextChunkThatInflatesToAGigabyteIsRefused() throws IOException {
        Deflater deflater = new Deflater(9);
        deflater.setInput(new byte[64 << 20]); // 64 MiB of zeros: about 64 KB compressed
        deflater.finish();
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        z.write("Comment\0\0".getBytes(StandardCharsets.ISO_8859_1)); // keyword, NUL, method 0
        byte[] buffer = new byte[65536];
        while (!deflater.finished()) {
            z.write(buffer, 0, deflater.deflate(buffer));
        }
        Path file = write("bomb.png", pngWith(chunk("zTXt", z.toByteArray())));

        assertThat(EmbeddedMetadata.checkStructure(file)).hasValueSatisfying(r -> assertThat(r).contains("zTXt"));
    }

    @Test
    void chunkDeclaringMoreThanTheFileIsRefused() throws IOException {
        byte[] lying = ByteBuffer.allocate(12).putInt(0x4000_0000).put("tEXt".getBytes(StandardCharsets.ISO_8859_1))
                .putInt(0).array();
        Path file = write("lying.png", pngWith(lying));

        assertThat(EmbeddedMetadata.checkStructure(file)).hasValueSatisfying(r -> assertThat(r).contains("tEXt"));
    }

    @Test
    void realPngPasses() throws IOException {
        assertThat(EmbeddedMetadata.read(SAMPLES.resolve("phone/Screenshot_2021-03-15-10-10-10.png")))
                .isInstanceOf(EmbeddedMetadata.Result.Read.class);
    }

    // ---- what callers see -------------------------------------------------------------------------------------

    @Test
    void aRefusedVideoIsDatedByItsNameWithANote() throws IOException {
        byte[] stts = box("stts", ints(0, Integer.MAX_VALUE));
        Path file = write("VID_20190305_101010.mp4", ftyp(), box("moov", box("trak", stts)));

        CaptureDate date = new CaptureDates().read(file);

        assertThat(date.source()).isEqualTo(CaptureDate.Source.FILE_NAME);
        assertThat(date.localTime()).isEqualTo(LocalDateTime.of(2019, 3, 5, 10, 10, 10));
        assertThat(date.note()).startsWith("metadata not read: ").contains("'stts'");
    }

    @Test
    void emptyAndOneByteFilesAreNotRefusedButUnreadable() throws IOException {
        for (int n = 0; n <= 1; n++) {
            Path file = write("tiny" + n + ".jpg", new byte[n]);
            assertThat(EmbeddedMetadata.read(file)).as("%d bytes", n)
                    .isInstanceOf(EmbeddedMetadata.Result.Unreadable.class);
        }
    }

    /** No false refusals: every real photo, video and HEIC of the shared corpus passes the checks. */
    @Test
    void noRealCorpusFileIsRefused() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(CORPUS), "the shared corpus is absent (a user's clone has none)");
        List<String> refused = new ArrayList<>();
        for (String folder : List.of("photos", "heic", "video", "webp", "audio")) {
            try (Stream<Path> files = Files.list(CORPUS.resolve(folder))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    if (f.getFileName().toString().contains("Exception")) {
                        continue; // the deliberately malformed ones
                    }
                    EmbeddedMetadata.checkStructure(f).ifPresent(r -> refused.add(f.getFileName() + ": " + r));
                }
            }
        }
        assertThat(refused).isEmpty();
    }

    private static Path resource(String name) {
        return Path.of("src", "test", "resources", "metadata", name).toAbsolutePath();
    }
}
