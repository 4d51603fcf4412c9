package org.cleanbackup.phash.nativ;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.drew.imaging.ImageMetadataReader;
import com.drew.lang.GeoLocation;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.exif.GpsDirectory;
import com.drew.metadata.icc.IccDirectory;
import com.drew.metadata.xmp.XmpDirectory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.cleanbackup.compress.CompressionException;
import org.cleanbackup.compress.CompressionLevel;
import org.cleanbackup.compress.CompressionPlan;
import org.cleanbackup.compress.CompressionPlanner;
import org.cleanbackup.compress.Compressor;
import org.cleanbackup.compress.Compressors;
import org.cleanbackup.compress.FileResult;
import org.cleanbackup.compress.internal.JpegCompressor;
import org.cleanbackup.model.ProgressListener;
import org.cleanbackup.model.MediaType;
import org.cleanbackup.scan.ScanOptions;
import org.cleanbackup.scan.ScanRoot;
import org.cleanbackup.scan.Scanner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The libjpeg-turbo compressor against the ImageIO one it stands in for: same refusals, same metadata segments byte
 * for byte, same sampling, comparable quality (PSNR against the original), smaller files, damaged files refused.
 */
class NativeJpegCompressorTest {

    /** A real camera file (Fujifilm S2 Pro) with EXIF (DateTimeOriginal, GPS), an ICC profile and XMP. */
    private static final Path CAMERA = Path.of("../core/src/test/resources/compress/fujifilm-s2pro-gps-icc.jpg");

    private final NativeJpegCompressor nat = new NativeJpegCompressor();
    private final JpegCompressor imageIo = new JpegCompressor();

    @TempDir
    Path dir;

    @BeforeEach
    void needsTheLibrary() {
        NativeTestSupport.assumeNativeLibrary();
    }

    /** What must survive compression, as metadata-extractor reads it. */
    private record Kept(String dateTimeOriginal, GeoLocation gps, Integer iccSize, boolean xmp, Integer orientation) {

        static Kept of(Path file) throws Exception {
            Metadata m = ImageMetadataReader.readMetadata(file.toFile());
            ExifSubIFDDirectory sub = m.getFirstDirectoryOfType(ExifSubIFDDirectory.class);
            GpsDirectory gps = m.getFirstDirectoryOfType(GpsDirectory.class);
            IccDirectory icc = m.getFirstDirectoryOfType(IccDirectory.class);
            ExifIFD0Directory ifd0 = m.getFirstDirectoryOfType(ExifIFD0Directory.class);
            return new Kept(sub == null ? null : sub.getString(ExifSubIFDDirectory.TAG_DATETIME_ORIGINAL),
                    gps == null ? null : gps.getGeoLocation(),
                    icc == null ? null : icc.getInteger(IccDirectory.TAG_PROFILE_BYTE_COUNT),
                    m.getFirstDirectoryOfType(XmpDirectory.class) != null,
                    ifd0 == null ? null : ifd0.getInteger(ExifIFD0Directory.TAG_ORIENTATION));
        }
    }

    @Test
    void itPassesItsSelfTestAndIsChosenOverImageIo() {
        assertThat(nat.unavailableReason()).isEmpty();
        Compressor chosen = Compressors.load().forFileName("IMG_0001.JPG").orElseThrow();
        assertThat(chosen).isInstanceOf(NativeJpegCompressor.class);
        assertThat(chosen.toString()).contains("libjpeg-turbo");
    }

    @Test
    void theSystemPropertyTurnsItOffAndImageIoIsUsed() {
        System.setProperty(NativeJpegCompressor.ENCODER_PROPERTY, "imageio");
        try {
            assertThat(nat.unavailableReason()).hasValueSatisfying(r -> assertThat(r).contains("imageio"));
            assertThat(Compressors.load().forFileName("a.jpg").orElseThrow()).isInstanceOf(JpegCompressor.class);
        } finally {
            System.clearProperty(NativeJpegCompressor.ENCODER_PROPERTY);
        }
    }

    @ParameterizedTest(name = "level {0}: smaller, date, GPS, ICC, XMP kept, segments as ImageIO keeps them, PSNR close")
    @EnumSource(CompressionLevel.class)
    void eachLevelOnAMadeCameraJpeg(CompressionLevel level) throws Exception {
        Path original = Files.write(dir.resolve("camera.jpg"), cameraJpegAtQuality100(640, 480));
        Kept before = Kept.of(original);
        assertThat(before.dateTimeOriginal()).as("the fixture carries a capture date").isNotBlank();
        assertThat(before.gps()).as("the fixture carries GPS").isNotNull();
        assertThat(before.iccSize()).as("the fixture carries an ICC profile").isNotNull();

        Path ours = dir.resolve("native.part");
        Path theirs = dir.resolve("imageio.part");
        nat.compress(original, ours, level);
        imageIo.compress(original, theirs, level);

        assertThat(Files.size(ours)).isLessThan(Files.size(original));
        assertThat(Kept.of(ours)).isEqualTo(before);
        assertThat(metadataSegments(Files.readAllBytes(ours))).isEqualTo(metadataSegments(Files.readAllBytes(theirs)));
        assertThat(samplingFactors(Files.readAllBytes(ours))).isEqualTo(samplingFactors(Files.readAllBytes(original)));
        BufferedImage reference = decodeCleanly(Files.readAllBytes(original));
        double psnrOurs = psnr(reference, decodeCleanly(Files.readAllBytes(ours)));
        double psnrImageIo = psnr(reference, decodeCleanly(Files.readAllBytes(theirs)));
        assertThat(psnrOurs).as("PSNR of ours %.2f dB vs ImageIO's %.2f dB", psnrOurs, psnrImageIo)
                .isGreaterThan(psnrImageIo - 0.5);
    }

    @Test
    void higherLevelsGiveSmallerFiles() throws Exception {
        byte[] original = cameraJpegAtQuality100(640, 480);
        int high = nat.recompress(original, CompressionLevel.HIGH.jpegQuality()).length;
        int balanced = nat.recompress(original, CompressionLevel.BALANCED.jpegQuality()).length;
        int small = nat.recompress(original, CompressionLevel.SMALL.jpegQuality()).length;
        assertThat(high).isGreaterThan(balanced);
        assertThat(balanced).isGreaterThan(small);
    }

    @Test
    void greyAnd422JpegsKeepTheirLayout() throws Exception {
        BufferedImage grey = new BufferedImage(200, 120, BufferedImage.TYPE_BYTE_GRAY);
        grey.getGraphics().drawImage(photoLike(200, 120, 3), 0, 0, null);
        byte[] greyJpeg = jpeg(grey, 1.0f);
        Path in = Files.write(dir.resolve("grey.jpg"), greyJpeg);
        Path out = dir.resolve("grey.part");
        nat.compress(in, out, CompressionLevel.BALANCED);
        assertThat(samplingFactors(Files.readAllBytes(out))).containsExactly(0x11);
        assertThat(decodeCleanly(Files.readAllBytes(out)).getWidth()).isEqualTo(200);

        // 4:2:2 (Y 2x1), with a width and height that are not multiples of the MCU
        Path camera = Files.write(dir.resolve("odd.jpg"), cameraJpegAtQuality100(333, 217));
        byte[] out422 = JpegTestSupport.withSampling(Files.readAllBytes(camera), 0x21);
        Path odd = Files.write(dir.resolve("odd422.jpg"), out422);
        Path oddOut = dir.resolve("odd422.part");
        nat.compress(odd, oddOut, CompressionLevel.SMALL);
        assertThat(samplingFactors(Files.readAllBytes(oddOut))).containsExactly(0x21, 0x11, 0x11);
        BufferedImage back = decodeCleanly(Files.readAllBytes(oddOut));
        assertThat(back.getWidth() + "x" + back.getHeight()).isEqualTo("333x217");
        assertThat(psnr(decodeCleanly(out422), back)).isGreaterThan(30);
    }

    @Test
    void aTruncatedJpegIsRefusedAsDamagedAndNothingIsWritten() throws Exception {
        byte[] whole = cameraJpegAtQuality100(320, 240);
        Path cut = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(whole, whole.length * 2 / 3));
        Path out = dir.resolve("out.part");
        assertThatThrownBy(() -> nat.compress(cut, out, CompressionLevel.BALANCED))
                .isInstanceOfSatisfying(CompressionException.class, e -> assertThat(e.isUnsupported()).isFalse())
                .hasMessageStartingWith("damaged");
        assertThat(out).doesNotExist();
    }

    @Test
    void corruptScanDataIsRefusedWithoutHarmingTheJvm() throws Exception {
        byte[] bytes = cameraJpegAtQuality100(320, 240);
        Random random = new Random(1);
        for (int round = 0; round < 40; round++) {
            byte[] broken = bytes.clone();
            for (int k = 0; k < 30; k++) { // scramble bytes in the scan, after the metadata
                int at = broken.length / 2 + random.nextInt(broken.length / 2 - 2);
                broken[at] = (byte) random.nextInt(256);
            }
            try {
                nat.recompress(broken, 85);
            } catch (CompressionException e) {
                assertThat(e.getMessage()).startsWith("damaged");
            }
        }
        assertThat(nat.recompress(bytes, 85)).as("still works after the damaged ones").isNotEmpty();
    }

    @Test
    void inARunADamagedJpegFailsItsPartialOutputIsRemovedAndTheOthersAreCompressed() throws Exception {
        Path source = Files.createDirectories(dir.resolve("photos"));
        byte[] good = cameraJpegAtQuality100(480, 360);
        Files.write(source.resolve("good.jpg"), good);
        Files.write(source.resolve("cut.jpg"), Arrays.copyOf(good, good.length / 2));
        Files.setLastModifiedTime(source.resolve("good.jpg"), FileTime.fromMillis(1_600_000_000_000L));
        Path dest = dir.resolve("small");
        Compressors compressors = Compressors.load();
        CompressionPlanner planner = new CompressionPlanner(compressors, CompressionPlanner.Options.into(dest,
                CompressionLevel.BALANCED, EnumSet.of(MediaType.IMAGE), 2));
        var files = new Scanner(ScanOptions.of(List.of(ScanRoot.source(source)), EnumSet.of(MediaType.IMAGE)))
                .scan().files();
        CompressionPlan plan = planner.compressAndPlan(source.toRealPath(), files, "compress (test)", ProgressListener.NONE);
        try {
            assertThat(plan.files()).filteredOn(r -> r.file().path().endsWith("cut.jpg")).singleElement()
                    .satisfies(r -> {
                        assertThat(r.status()).isEqualTo(FileResult.Status.FAILED);
                        assertThat(r.reason()).startsWith("damaged");
                        assertThat(r.temporary()).isNull();
                    });
            assertThat(plan.files()).filteredOn(r -> r.file().path().endsWith("good.jpg")).singleElement()
                    .satisfies(r -> assertThat(r.status()).isEqualTo(FileResult.Status.COMPRESSED));
            assertThat(plan.leftoverTemporaryFiles()).hasSize(1); // the good one's, waiting to be placed
        } finally {
            plan.discardTemporaryFiles();
        }
        assertThat(plan.leftoverTemporaryFiles()).isEmpty();
    }

    @ParameterizedTest(name = "corpus, level {0}: smaller overall, metadata kept; at level 2 the same refusals,"
            + " segments and PSNR as ImageIO")
    @EnumSource(CompressionLevel.class)
    void corpusPhotos(CompressionLevel level) throws Exception {
        assumeThat(NativeTestSupport.corpusPresent()).as("needs the shared corpus (absent on a user's clone): "
                + NativeTestSupport.corpus()).isTrue();
        List<Path> files;
        try (Stream<Path> list = Files.list(NativeTestSupport.corpus().resolve("photos"))) {
            files = list.filter(p -> p.toString().toLowerCase().matches(".*\\.(jpg|jpeg)")).sorted().toList();
        }
        long before = 0;
        long after = 0;
        int withAll = 0;
        double psnrOurs = 0;
        double psnrImageIo = 0;
        int compared = 0;
        for (Path photo : files) {
            String name = photo.getFileName().toString();
            byte[] original = Files.readAllBytes(photo);
            Path ours = dir.resolve(name + ".native");
            Path theirs = dir.resolve(name + ".imageio");
            // ImageIO is compared at level 2 only: running it at every level doubles the test's time for nothing new
            boolean compare = level == CompressionLevel.BALANCED;
            String refusedOurs = refusal(() -> nat.compress(photo, ours, level));
            if (compare) {
                String refusedTheirs = refusal(() -> imageIo.compress(photo, theirs, level));
                assertThat(refusedOurs).as("refused by one, not the other: " + name).isEqualTo(refusedTheirs);
            }
            if (refusedOurs != null) {
                continue;
            }
            long size = original.length;
            long compressed = Files.size(ours);
            before += size;
            after += Math.min(size, compressed); // the planner keeps the original when it is not smaller
            Kept kept = Kept.of(photo);
            assertThat(Kept.of(ours)).as(name).isEqualTo(kept);
            if (compare) {
                assertThat(metadataSegments(Files.readAllBytes(ours))).as(name)
                        .isEqualTo(metadataSegments(Files.readAllBytes(theirs)));
            }
            if (compressed < size && kept.dateTimeOriginal() != null && kept.gps() != null && kept.iccSize() != null) {
                withAll++;
            }
            if (compare && files.indexOf(photo) % 4 == 0) { // decoding all takes ~30 s
                BufferedImage reference = decodeCleanly(original);
                psnrOurs += psnr(reference, decodeCleanly(Files.readAllBytes(ours)));
                psnrImageIo += psnr(reference, decodeCleanly(Files.readAllBytes(theirs)));
                compared++;
            }
            Files.delete(ours);
            Files.deleteIfExists(theirs);
        }
        assertThat(after).as("the corpus as a whole gets smaller").isLessThan(before);
        if (level != CompressionLevel.HIGH) {
            assertThat(withAll).as("files with date, GPS and ICC that got smaller").isPositive();
        }
        if (compared > 0) {
            assertThat(psnrOurs / compared).as("mean PSNR, ours against ImageIO's %.2f dB", psnrImageIo / compared)
                    .isGreaterThan(psnrImageIo / compared - 0.5);
        }
    }

    private interface Attempt {
        void run() throws IOException;
    }

    /** Null when it worked; else "unsupported" or "failed" (the kind of refusal). */
    private static String refusal(Attempt attempt) throws IOException {
        try {
            attempt.run();
            return null;
        } catch (CompressionException e) {
            return e.isUnsupported() ? "unsupported" : "failed";
        }
    }

    // ---- fixtures and measurements ----

    private static BufferedImage photoLike(int width, int height, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (x * 255 / width + random.nextInt(12)) & 0xFF;
                int g = (y * 255 / height + random.nextInt(12)) & 0xFF;
                int b = ((x / 16 + y / 16) % 2 == 0 ? 200 : 40) + random.nextInt(10);
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return image;
    }

    private static byte[] jpeg(BufferedImage image, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** A quality-100 JPEG of a made-up picture carrying the camera file's metadata segments. */
    private static byte[] cameraJpegAtQuality100(int width, int height) throws IOException {
        return JpegTestSupport.withMetadataOf(jpeg(photoLike(width, height, 7), 1.0f), Files.readAllBytes(CAMERA));
    }

    private static List<String> metadataSegments(byte[] file) {
        List<String> out = new ArrayList<>();
        for (byte[] s : JpegTestSupport.appAndComSegments(file)) {
            out.add(Integer.toHexString(s[1] & 0xFF) + ":" + s.length + ":" + Arrays.hashCode(s));
        }
        return out;
    }

    private static int[] samplingFactors(byte[] file) {
        return JpegTestSupport.samplingFactors(file);
    }

    /** Decodes with ImageIO, failing on any decoder warning (a damaged file decodes with warnings). */
    private static BufferedImage decodeCleanly(byte[] jpeg) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
        ImageReader reader = readers.next();
        List<String> warnings = new ArrayList<>();
        try (MemoryCacheImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg))) {
            reader.setInput(in, true, true);
            reader.addIIOReadWarningListener((r, w) -> warnings.add(w));
            BufferedImage image = reader.read(0);
            assertThat(warnings).as("decoder warnings").isEmpty();
            return image;
        } finally {
            reader.dispose();
        }
    }

    private static double psnr(BufferedImage x, BufferedImage y) {
        assertThat(y.getWidth() + "x" + y.getHeight()).isEqualTo(x.getWidth() + "x" + x.getHeight());
        int w = x.getWidth();
        int h = x.getHeight();
        int[] a = x.getRGB(0, 0, w, h, null, 0, w);
        int[] b = y.getRGB(0, 0, w, h, null, 0, w);
        double se = 0;
        for (int i = 0; i < a.length; i++) {
            for (int s = 0; s < 24; s += 8) {
                int d = ((a[i] >> s) & 255) - ((b[i] >> s) & 255);
                se += d * d;
            }
        }
        return se == 0 ? 99 : 10 * Math.log10(255.0 * 255 / (se / (3.0 * a.length)));
    }

    /** A 2 KB file declaring 65500 x 65500 (it got compress killed by the kernel) is refused from its header. */
    @Test
    void aJpegDeclaringAGiantSizeIsRefusedFromItsHeader() throws Exception {
        byte[] bomb = NativeDecodeTest.patchSize(java.nio.file.Files.readAllBytes(CAMERA), 65_500, 65_500);
        assertThatThrownBy(() -> nat.recompress(bomb, 85))
                .isInstanceOf(org.cleanbackup.compress.CompressionException.class)
                .hasMessageContaining("65500x65500").hasMessageContaining("too large to recompress");
    }

    /** Damage late in the file, after the output buffer has grown: an error, freed once (it crashed the JVM). */
    @Test
    void aLateErrorAfterTheOutputGrewIsAnErrorNotACrash() throws Exception {
        byte[] original = java.nio.file.Files.readAllBytes(CAMERA);
        for (int cut : new int[] {original.length - 2, original.length * 3 / 4, original.length / 2}) {
            byte[] truncated = java.util.Arrays.copyOf(original, cut);
            assertThatThrownBy(() -> nat.recompress(truncated, 95)).as("cut at %d", cut)
                    .isInstanceOf(org.cleanbackup.compress.CompressionException.class);
        }
        assertThat(nat.recompress(original, 95).length).as("and the next file still works").isPositive();
    }
}
