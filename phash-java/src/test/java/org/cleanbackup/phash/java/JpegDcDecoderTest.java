package org.cleanbackup.phash.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.cleanbackup.phash.ImageDecodeException;
import org.cleanbackup.phash.LumaBlock;
import org.cleanbackup.phash.Orientation;
import org.cleanbackup.phash.PerceptualHash;
import org.cleanbackup.phash.PerceptualHasher;
import org.cleanbackup.phash.PerceptualHashers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The DC-only JPEG decoder against ImageIO's full decode. For images made of flat 8 x 8 blocks every AC coefficient
 * is zero, so a full decode gives each block exactly {@code (DC * Q + 4) >> 3} + 128 as well: the 1/8-scale plane
 * must equal the block means of ImageIO's luma exactly. Real photos agree to rounding. Damaged files give a clean
 * problem or a fallback, never another exception.
 */
class JpegDcDecoderTest {

    private static final long LIMIT = PerceptualHashers.DEFAULT_MAX_PIXELS;

    @TempDir
    Path dir;

    /** Chroma sampling of the luma component (the chroma components get 1 x 1); "gray" is a one-component JPEG. */
    enum Sampling {
        S444(1, 1), S422(2, 1), S420(2, 2), S440(1, 2), S411(4, 1), GRAY(1, 1);

        final int h;
        final int v;

        Sampling(int h, int v) {
            this.h = h;
            this.v = v;
        }
    }

    static Stream<Arguments> flatBlockCases() {
        List<Arguments> cases = new ArrayList<>();
        int[][] sizes = {{256, 256}, {333, 271}, {517, 300}, {260, 1001}};
        int[] restarts = {0, 1, 7};
        int n = 0;
        for (Sampling s : Sampling.values()) {
            for (int[] size : sizes) {
                cases.add(Arguments.of(s, size[0], size[1], restarts[n++ % restarts.length]));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}x{2} restart interval {3}")
    @MethodSource("flatBlockCases")
    void flatBlockImagesMatchImageIoExactly(Sampling sampling, int width, int height, int restartInterval)
            throws Exception {
        BufferedImage img = flatBlocks(width, height, sampling == Sampling.GRAY, width * 31L + height);
        byte[] jpeg = encode(img, sampling, restartInterval, 0.75f);
        if (restartInterval > 0) {
            assertThat(indexOf(jpeg, (byte) 0xFF, (byte) 0xDD)).as("the encoder wrote a DRI marker").isPositive();
        }
        JpegDcDecoder.Plane plane = JpegDcDecoder.decode(dir.resolve("t.jpg"), jpeg, jpeg.length, LIMIT);
        assertThat(plane.width()).isEqualTo((width + 7) / 8);
        assertThat(plane.height()).isEqualTo((height + 7) / 8);
        double[] means = imageIoBlockMeans(jpeg, plane.width(), plane.height());
        for (int i = 0; i < means.length; i++) {
            if (means[i] != (plane.pixels()[i] & 0xFF)) {
                fail("block %d (%d, %d): ImageIO mean %s, DC-only %d", i, i % plane.width(), i / plane.width(),
                        means[i], plane.pixels()[i] & 0xFF);
            }
        }
    }

    /** Sampling factors of Y, Cb, Cr, the scans (component indexes), the restart interval. */
    static Stream<Arguments> layouts() {
        return Stream.of(
                Arguments.of(new int[] {2, 2, 1, 1, 1, 1}, null, 3),
                Arguments.of(new int[] {1, 1, 1, 1, 1, 1}, new int[][] {{2}, {0}, {1}}, 0),
                Arguments.of(new int[] {2, 2, 1, 1, 1, 1}, new int[][] {{0}, {1, 2}}, 5),
                Arguments.of(new int[] {2, 1, 1, 1, 1, 1}, new int[][] {{1}, {2}, {0}}, 7),
                Arguments.of(new int[] {4, 1, 1, 1, 1, 1}, null, 0),
                Arguments.of(new int[] {2, 2, 1, 2, 2, 1}, null, 2),
                Arguments.of(new int[] {1, 2, 1, 1, 1, 1}, new int[][] {{0}, {1}, {2}}, 1),
                Arguments.of(new int[] {1, 1}, null, 4)); // grayscale
    }

    @ParameterizedTest(name = "[{index}] restart interval {2}")
    @MethodSource("layouts")
    void anyScanLayoutSamplingAndRestartIntervalGivesTheBlockLevels(int[] sampling, int[][] scans, int restart)
            throws Exception {
        FlatJpegWriter w = new FlatJpegWriter();
        w.width = 301;
        w.height = 263;
        w.components = sampling.length / 2;
        for (int c = 0; c < w.components; c++) {
            w.h[c] = sampling[2 * c];
            w.v[c] = sampling[2 * c + 1];
        }
        w.scans = scans;
        w.restartInterval = restart;
        byte[] jpeg = w.write();
        JpegDcDecoder.Plane plane = JpegDcDecoder.decode(dir.resolve("t.jpg"), jpeg, jpeg.length, LIMIT);
        double[] imageIo = imageIoBlockMeans(jpeg, plane.width(), plane.height());
        for (int by = 0; by < plane.height(); by++) {
            for (int bx = 0; bx < plane.width(); bx++) {
                int i = by * plane.width() + bx;
                assertThat(imageIo[i]).as("ImageIO, block (%d, %d)", bx, by).isEqualTo(w.lumaLevel(bx, by));
                assertThat(plane.pixels()[i] & 0xFF).as("DC-only, block (%d, %d)", bx, by)
                        .isEqualTo(w.lumaLevel(bx, by));
            }
        }
    }

    @Test
    void structuresLibjpegTurboWouldDecodeDifferentlyFallBack() throws Exception {
        FlatJpegWriter w = new FlatJpegWriter();
        w.width = 400;
        w.height = 300;
        w.h = new int[] {1, 2, 1};
        w.v = new int[] {1, 2, 1};
        assertFallback(w.write(), "the luma component is subsampled");
        w.h = new int[] {1, 1, 1};
        w.v = new int[] {1, 1, 1};
        w.precision = 12;
        assertFallback(w.write(), "12-bit samples");
        w.precision = 8;
        w.ids = new int[] {'R', 'G', 'B'};
        w.jfif = false;
        assertFallback(w.write(), "RGB JPEG");
        w.jfif = true; // libjpeg: a JFIF marker means YCbCr whatever the ids say
        byte[] jfif = w.write();
        assertThat(JpegDcDecoder.decode(dir.resolve("t.jpg"), jfif, jfif.length, LIMIT).pixels()[0] & 0xFF)
                .isEqualTo(w.lumaLevel(0, 0));
    }

    @Test
    void realPhotosAgreeWithImageIoToRounding() throws Exception {
        List<Path> photos = new ArrayList<>();
        for (String name : TestImages.PHOTOS) {
            photos.add(TestImages.copy(name, dir));
        }
        Path corpus = CorpusTest.corpus().resolve("photos");
        if (Files.isDirectory(corpus)) {
            try (Stream<Path> s = Files.list(corpus)) {
                s.sorted().forEach(photos::add);
            }
        }
        int decoded = 0;
        for (Path p : photos) {
            byte[] jpeg = Files.readAllBytes(p);
            JpegDcDecoder.Plane plane;
            try {
                plane = JpegDcDecoder.decode(p, jpeg, jpeg.length, LIMIT);
            } catch (JpegDcDecoder.Fallback e) {
                continue; // progressive, CMYK or small: ImageIO's job
            }
            decoded++;
            double[] means = imageIoBlockMeans(jpeg, plane.width(), plane.height());
            double sum = 0;
            int within3 = 0;
            for (int i = 0; i < means.length; i++) {
                double d = Math.abs(means[i] - (plane.pixels()[i] & 0xFF));
                sum += d;
                within3 += d <= 3 ? 1 : 0;
            }
            // the full decode rounds and clamps each pixel, DC-only each block: they differ by a fraction on average,
            // by more only where a block's pixels were clipped at 0 or 255
            assertThat(sum / means.length).as("%s: mean |difference|", p.getFileName()).isLessThan(0.4);
            assertThat((double) within3 / means.length).as("%s: blocks within 3", p.getFileName())
                    .isGreaterThan(0.99);
        }
        assertThat(decoded).isGreaterThanOrEqualTo(3);
    }

    /** The whole-file hash through the DC-only path against the full ImageIO decode of the same file. */
    @Test
    void hashesMatchTheFullDecodeWithinTwoBits() throws Exception {
        PerceptualHasher hasher = TestImages.scalar();
        List<Path> photos = new ArrayList<>();
        for (String name : TestImages.PHOTOS) {
            photos.add(TestImages.copy(name, dir));
        }
        Path corpus = CorpusTest.corpus().resolve("photos");
        if (Files.isDirectory(corpus)) {
            try (Stream<Path> s = Files.list(corpus)) {
                s.sorted().forEach(photos::add);
            }
        }
        int[] histogram = new int[65];
        for (Path p : photos) {
            PerceptualHash fast = hasher.hashBlock(ImageLumaDecoder.decode(p).luma());
            PerceptualHash full = hasher.hashBlock(
                    ImageLumaDecoder.decodeWithImageIo(p, ImageLumaDecoder.Kind.JPEG, LIMIT).luma());
            histogram[fast.distance(full)]++;
        }
        StringBuilder shown = new StringBuilder();
        for (int d = 0; d <= 64; d++) {
            if (histogram[d] > 0) {
                shown.append(d).append(" bits: ").append(histogram[d]).append("; ");
            }
        }
        System.out.println("[DC-only vs full ImageIO decode] " + photos.size() + " images: " + shown);
        assertThat(histogram[0] + histogram[1] + histogram[2]).as(shown.toString())
                .isGreaterThanOrEqualTo((int) Math.ceil(photos.size() * 0.95));
    }

    @Test
    void exifOrientationIsReadAsMetadataExtractorReadsIt() throws Exception {
        List<Path> photos = new ArrayList<>();
        byte[] boat = TestImages.resource("photo-boat.jpg");
        for (int o = 1; o <= 8; o++) {
            photos.add(Files.write(dir.resolve("o" + o + ".jpg"), TestImages.withExifOrientation(boat, o)));
        }
        Path corpus = CorpusTest.corpus().resolve("photos");
        if (Files.isDirectory(corpus)) {
            try (Stream<Path> s = Files.list(corpus)) {
                s.sorted().forEach(photos::add);
            }
        }
        for (Path p : photos) {
            byte[] jpeg = Files.readAllBytes(p);
            try {
                JpegDcDecoder.Plane plane = JpegDcDecoder.decode(p, jpeg, jpeg.length, LIMIT);
                assertThat(Orientation.fromExif(plane.exifOrientation())).as(p.getFileName().toString())
                        .isEqualTo(ImageLumaDecoder.jpegOrientation(p));
            } catch (JpegDcDecoder.Fallback e) {
                // not decoded here
            }
        }
        LumaBlock turned = ImageLumaDecoder.decode(photos.get(5));
        assertThat(turned.orientation()).isEqualTo(Orientation.fromExif(6));
    }

    @Test
    void whatItCannotDecodeExactlyFallsBack() throws Exception {
        BufferedImage img = flatBlocks(400, 300, false, 7);
        assertFallback(TestImages.jpeg(img, 0.9f, true), "SOF marker C2"); // progressive
        assertFallback(TestImages.resource("boat-cmyk.jpg"), "4 components");
        assertFallback(encode(flatBlocks(200, 300, false, 1), Sampling.S420, 0, 0.9f), "256 pixels");
        byte[] rst = encode(img, Sampling.S420, 2, 0.9f);
        int at = indexOf(rst, (byte) 0xFF, (byte) 0xD1);
        rst[at + 1] = (byte) 0xD3;
        assertFallback(rst, "expected restart marker RST1");
    }

    @Test
    void truncatedFilesAreProblemsAndDamagedOnesNeverThrowAnythingElse() throws Exception {
        byte[] jpeg = encode(TestImages.read(TestImages.copy("photo-stadium.jpg", dir)), Sampling.S420, 5, 0.9f);
        Path file = dir.resolve("damaged.jpg");
        for (int cut : new int[] {jpeg.length - 2, jpeg.length - 1000, jpeg.length / 2, 700}) {
            assertThatThrownBy(() -> JpegDcDecoder.decode(file, jpeg, cut, LIMIT))
                    .isInstanceOf(ImageDecodeException.class)
                    .hasMessage(file + ": truncated JPEG (Premature end of JPEG file)");
        }
        SplittableRandom random = new SplittableRandom(4);
        int outcomes = 0;
        for (int round = 0; round < 400; round++) {
            byte[] b = jpeg.clone();
            int flips = 1 + random.nextInt(12);
            for (int i = 0; i < flips; i++) {
                int p = 2 + random.nextInt(b.length - 2);
                b[p] = (byte) (round % 2 == 0 ? ~b[p] : random.nextInt(256));
            }
            int length = round % 5 == 0 ? random.nextInt(b.length) : b.length;
            try {
                JpegDcDecoder.Plane plane = JpegDcDecoder.decode(file, b, length, LIMIT);
                assertThat(plane.pixels()).hasSize(plane.width() * plane.height());
            } catch (JpegDcDecoder.Fallback | ImageDecodeException e) {
                assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
            }
            outcomes++;
        }
        assertThat(outcomes).isEqualTo(400);
    }

    @Test
    void thePixelLimitIsCheckedFromTheFrameHeader() throws Exception {
        byte[] bomb = TestImages.withJpegSize(TestImages.resource("photo-stadium.jpg"), 65_000, 65_000);
        Path file = dir.resolve("bomb.jpg");
        assertThatThrownBy(() -> JpegDcDecoder.decode(file, bomb, bomb.length, LIMIT))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("65000 x 65000 = 4225000000 pixels, above the limit of " + LIMIT);
    }

    private void assertFallback(byte[] jpeg, String reason) {
        assertThatThrownBy(() -> JpegDcDecoder.decode(dir.resolve("f.jpg"), jpeg, jpeg.length, LIMIT))
                .isInstanceOf(JpegDcDecoder.Fallback.class).hasMessageContaining(reason);
    }

    // ---- helpers ----

    /** An image of 8 x 8 blocks, each one flat colour (or gray level). */
    static BufferedImage flatBlocks(int width, int height, boolean gray, long seed) {
        BufferedImage img = new BufferedImage(width, height,
                gray ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        SplittableRandom r = new SplittableRandom(seed);
        for (int by = 0; by < height; by += 8) {
            for (int bx = 0; bx < width; bx += 8) {
                int rgb = r.nextInt(1 << 24);
                int level = r.nextInt(256);
                for (int y = by; y < Math.min(by + 8, height); y++) {
                    for (int x = bx; x < Math.min(bx + 8, width); x++) {
                        if (gray) {
                            img.getRaster().setSample(x, y, 0, level);
                        } else {
                            img.setRGB(x, y, rgb);
                        }
                    }
                }
            }
        }
        return img;
    }

    /** A baseline JPEG from the JDK's writer with the luma sampling factors and restart interval asked for. */
    static byte[] encode(BufferedImage img, Sampling sampling, int restartInterval, float quality) throws IOException {
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        try {
            ImageWriteParam param = w.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            IIOMetadata meta = w.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), param);
            String format = "javax_imageio_jpeg_image_1.0";
            Element root = (Element) meta.getAsTree(format);
            Element sequence = (Element) root.getElementsByTagName("markerSequence").item(0);
            NodeList specs = root.getElementsByTagName("componentSpec");
            for (int i = 0; i < specs.getLength(); i++) {
                Element spec = (Element) specs.item(i);
                spec.setAttribute("HsamplingFactor", String.valueOf(i == 0 ? sampling.h : 1));
                spec.setAttribute("VsamplingFactor", String.valueOf(i == 0 ? sampling.v : 1));
            }
            if (restartInterval > 0) {
                Element dri = new javax.imageio.metadata.IIOMetadataNode("dri");
                dri.setAttribute("interval", String.valueOf(restartInterval));
                Node sof = root.getElementsByTagName("sof").item(0);
                sequence.insertBefore(dri, sof);
            }
            meta.setFromTree(format, root);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
                w.setOutput(ios);
                w.write(null, new IIOImage(img, null, meta), param);
            }
            return out.toByteArray();
        } finally {
            w.dispose();
        }
    }

    /** The mean of ImageIO's decoded luma (raw raster band 0) over each 8 x 8 block, partial edge blocks included. */
    static double[] imageIoBlockMeans(byte[] jpeg, int blocksX, int blocksY) throws IOException {
        ImageReader reader = ImageIO.getImageReadersByFormatName("jpeg").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
            reader.setInput(in);
            Raster raster = reader.readRaster(0, null);
            int w = raster.getWidth();
            int h = raster.getHeight();
            double[] means = new double[blocksX * blocksY];
            int[] row = new int[w];
            long[] sums = new long[blocksX * blocksY];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    sums[(y / 8) * blocksX + x / 8] += row[x];
                }
            }
            for (int by = 0; by < blocksY; by++) {
                for (int bx = 0; bx < blocksX; bx++) {
                    int n = (Math.min(w, bx * 8 + 8) - bx * 8) * (Math.min(h, by * 8 + 8) - by * 8);
                    means[by * blocksX + bx] = (double) sums[by * blocksX + bx] / n;
                }
            }
            return means;
        } finally {
            reader.dispose();
        }
    }

    private static int indexOf(byte[] b, byte first, byte second) {
        for (int i = 0; i + 1 < b.length; i++) {
            if (b[i] == first && b[i + 1] == second) {
                return i;
            }
        }
        return -1;
    }
}
