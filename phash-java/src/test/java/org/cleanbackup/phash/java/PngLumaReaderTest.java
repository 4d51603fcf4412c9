package org.cleanbackup.phash.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.cleanbackup.internal.DecodeMemory;
import org.cleanbackup.phash.ImageDecodeException;
import org.cleanbackup.phash.LumaBlock;
import org.cleanbackup.phash.Orientation;
import org.cleanbackup.phash.PerceptualHasher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming PNG reader against the ImageIO route it replaces: the same luma block and the same 64 hash bits for
 * every colour type, bit depth, filter type and odd size, and a one-line problem (never another exception, never gray
 * fill) for damaged, truncated and oversized files.
 */
class PngLumaReaderTest {

    private static final PerceptualHasher HASHER = TestImages.scalar();
    private static final long MAX = 150_000_000L;
    private static final int[][] SIZES = {{1, 1}, {33, 7}, {7, 33}, {1000, 3}, {100, 80}};
    /** 0..4: that filter on every row; 5: the five in turn, row by row. */
    private static final int CYCLE = 5;

    @TempDir
    Path dir;

    private int files;
    private int wholeRoutes;

    /** A colour type and bit depth, with the chunks that change how the JDK reads it. */
    record Format(int colorType, int bitDepth, String variant) {
        int channels() {
            return switch (colorType) {
                case 0, 3 -> 1;
                case 4 -> 2;
                case 2 -> 3;
                default -> 4;
            };
        }

        @Override
        public String toString() {
            return "type " + colorType + ", " + bitDepth + " bits" + (variant.isEmpty() ? "" : ", " + variant);
        }
    }

    static Stream<Format> formats() {
        List<Format> f = new ArrayList<>();
        for (int depth : new int[] {1, 2, 4, 8, 16}) {
            f.add(new Format(0, depth, ""));
            f.add(new Format(0, depth, "tRNS"));
        }
        for (int depth : new int[] {8, 16}) {
            f.add(new Format(2, depth, ""));
            f.add(new Format(2, depth, "tRNS"));
            f.add(new Format(4, depth, ""));
            f.add(new Format(6, depth, ""));
        }
        for (int depth : new int[] {1, 2, 4, 8}) {
            f.add(new Format(3, depth, ""));
            f.add(new Format(3, depth, "tRNS"));
            f.add(new Format(3, depth, "short palette")); // indices past the palette's end
        }
        return f.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void everyFormatSizeAndFilterGivesImageIosLumaAndHash(Format format) throws IOException {
        for (int[] size : SIZES) {
            for (int filter = 0; filter <= CYCLE; filter++) {
                byte[][] rows = rows(size[0], size[1], format, filter * 31L + size[0]);
                assertSameAsImageIo(write(rawPng(size[0], size[1], format, rows, filter, null)));
            }
        }
    }

    /** ImageIO's own writer: adaptive filters per row, its choice of chunks, several IDAT chunks for large images. */
    @Test
    void pngsWrittenByImageIo() throws IOException {
        for (int[] size : new int[][] {{1, 1}, {33, 7}, {1000, 3}, {257, 129}}) {
            int w = size[0];
            int h = size[1];
            for (BufferedImage img : List.of(new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY),
                    new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY),
                    new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR),
                    new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB),
                    new BufferedImage(w, h, BufferedImage.TYPE_4BYTE_ABGR),
                    new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY),
                    new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED),
                    indexed(w, h, 2, true), indexed(w, h, 4, true), indexed(w, h, 2, false), indexed(w, h, 4, false),
                    component(w, h, ColorSpace.CS_sRGB, DataBuffer.TYPE_USHORT, false),
                    component(w, h, ColorSpace.CS_sRGB, DataBuffer.TYPE_USHORT, true),
                    component(w, h, ColorSpace.CS_GRAY, DataBuffer.TYPE_BYTE, true),
                    component(w, h, ColorSpace.CS_GRAY, DataBuffer.TYPE_USHORT, true))) {
                paint(img, w * 7L + h);
                assertSameAsImageIo(write(TestImages.encode(img, "png")));
            }
        }
    }

    /** The bundled photos as PNGs (colour, gray, palette, 16-bit gray), and the PNG of the samples folder. */
    @Test
    void photosAndSamples() throws IOException {
        for (String name : TestImages.PHOTOS) {
            BufferedImage rgb = TestImages.read(TestImages.copy(name, dir));
            BufferedImage palette = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_BYTE_INDEXED);
            palette.createGraphics().drawImage(rgb, 0, 0, null);
            BufferedImage gray = TestImages.grayscale(rgb);
            for (BufferedImage img : List.of(rgb, palette, gray, BadInputTest.gray16(gray))) {
                assertSameAsImageIo(write(TestImages.encode(img, "png")));
            }
        }
        Path screenshot = Path.of("../samples/phone/Screenshot_2021-03-15-10-10-10.png");
        assertThat(screenshot).as("the repository's sample PNG").isRegularFile();
        assertSameAsImageIo(screenshot);
    }

    @Test
    void exifOrientationIsReadAsBefore() throws IOException {
        byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0};
        Format rgb = new Format(2, 8, "");
        byte[][] rows = rows(40, 30, rgb, 5);
        Path withExif = write(rawPng(40, 30, rgb, rows, CYCLE, chunk("eXIf", tiff)));
        assertThat(ImageLumaDecoder.decode(withExif, MAX).orientation()).isEqualTo(Orientation.ROTATE_90);
        assertSameAsImageIo(withExif);
        Path withText = write(rawPng(40, 30, rgb, rows, CYCLE,
                chunk("tEXt", "Comment\0no EXIF here".getBytes(StandardCharsets.ISO_8859_1))));
        assertThat(PngLumaReader.read(withText, MAX).mayHoldExif()).isTrue();
        assertSameAsImageIo(withText);
        Path plain = write(rawPng(40, 30, rgb, rows, CYCLE, null));
        assertThat(PngLumaReader.read(plain, MAX).mayHoldExif()).isFalse();
        assertThat(ImageLumaDecoder.decode(plain, MAX).orientation()).isEqualTo(Orientation.NORMAL);
    }

    @Test
    void interlacedPngsGoThroughImageIo() throws IOException {
        BufferedImage img = new BufferedImage(61, 37, BufferedImage.TYPE_3BYTE_BGR);
        paint(img, 3);
        ImageWriter w = ImageIO.getImageWritersByFormatName("png").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            w.setOutput(ios);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT); // Adam7
            w.write(null, new IIOImage(img, null, null), p);
        } finally {
            w.dispose();
        }
        Path png = write(out.toByteArray());
        assertThat(out.toByteArray()[28]).as("IHDR interlace method").isEqualTo((byte) 1);
        assertThat(PngLumaReader.read(png, MAX)).isNull();
        LumaBlock old = ImageLumaDecoder.decodeWithImageIo(png, ImageLumaDecoder.Kind.PNG, MAX);
        assertThat(ImageLumaDecoder.decode(png, MAX).luma()).containsExactly(old.luma());
    }

    @Test
    void aHugeDeclaredSizeIsRefusedFromTheHeaderAlone() throws IOException {
        // signature and IHDR, nothing else: any check past the header would call the file truncated
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Arrays.copyOf(rawPng(1, 1, new Format(0, 8, ""), new byte[][] {{0}}, 0, null), 8));
        out.writeBytes(ihdr(65_500, 65_500, 8, 0, 0));
        Path bomb = write(out.toByteArray());
        assertProblem(bomb, "image claims 65500 x 65500 = 4290250000 pixels, above the limit of 150000000");
        assertThatThrownBy(() -> PngLumaReader.read(bomb, MAX)).isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("above the limit");
    }

    @Test
    void badCrcsAreFoundInEveryChunk() throws IOException {
        Format rgb = new Format(2, 8, "");
        byte[] png = rawPng(50, 20, rgb, rows(50, 20, rgb, 9), CYCLE, null);
        // IHDR's data, the middle of IDAT (the zlib error it causes is not what is reported), IEND's CRC
        assertProblem(write(flip(png, 26)), "chunk IHDR fails its CRC check");
        assertProblem(write(flip(png, 33 + 8 + 200)), "chunk IDAT fails its CRC check");
        assertProblem(write(flip(png, png.length - 1)), "chunk IEND fails its CRC check");
        byte[] text = rawPngTextAfterImage(png);
        assertThat(ImageLumaDecoder.decode(write(text), MAX).luma()).containsExactly(
                ImageLumaDecoder.decode(write(png), MAX).luma());
        assertProblem(write(flip(text, text.length - 12 - 5)), "chunk tEXt fails its CRC check");
    }

    @Test
    void everyTruncationIsAOneLineProblem() throws IOException {
        Format palette = new Format(3, 4, "tRNS");
        byte[] png = rawPngTextAfterImage(rawPng(33, 7, palette, rows(33, 7, palette, 2), CYCLE, null));
        for (int length = 0; length < png.length; length++) {
            Path cut = write(Arrays.copyOf(png, length));
            assertThatThrownBy(() -> ImageLumaDecoder.decode(cut, MAX)).as("cut at %d of %d", length, png.length)
                    .isInstanceOf(ImageDecodeException.class)
                    .satisfies(e -> assertThat(e.getMessage()).startsWith(cut + ": ").doesNotContain("\n"));
            if (length >= 8) {
                assertThatThrownBy(() -> PngLumaReader.read(cut, MAX)).isInstanceOf(ImageDecodeException.class);
            }
        }
        assertThat(ImageLumaDecoder.decode(write(png), MAX).luma()).hasSize(1024);
    }

    @Test
    void imageDataShortOfTheDeclaredRowsIsTruncatedNotGray() throws IOException {
        Format gray = new Format(0, 8, "");
        byte[][] rows = rows(20, 10, gray, 1);
        byte[] png = rawPng(20, 10, gray, Arrays.copyOf(rows, 3), 0, null); // claims 10 rows, holds 3
        assertProblem(write(png), "truncated PNG (its compressed image data ends after 3 of 10 rows)");
    }

    @Test
    void aZlibBombCostsOneRowAndItsExcessIsIgnored() throws IOException {
        Format gray = new Format(0, 8, "");
        byte[][] rows = rows(16, 16, gray, 4);
        Path clean = write(rawPng(16, 16, gray, rows, 0, null));
        // the 16 rows, then 256 MiB of zeros the header does not account for (about 250 KB compressed)
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (byte[] r : rows) {
            raw.write(0);
            raw.writeBytes(r);
        }
        Deflater d = new Deflater(9);
        d.setInput(raw.toByteArray());
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        byte[] chunk = new byte[1 << 16];
        byte[] zeros = new byte[1 << 20];
        for (int i = 0; i < 256; i++) {
            while (!d.needsInput()) {
                z.write(chunk, 0, d.deflate(chunk));
            }
            d.setInput(zeros);
        }
        d.finish();
        while (!d.finished()) {
            z.write(chunk, 0, d.deflate(chunk));
        }
        d.end();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(Arrays.copyOf(Files.readAllBytes(clean), 8));
        png.writeBytes(ihdr(16, 16, 8, 0, 0));
        png.writeBytes(chunk("IDAT", z.toByteArray()));
        png.writeBytes(chunk("IEND", new byte[0]));
        Path bomb = write(png.toByteArray());
        assertThat(Files.size(bomb)).isLessThan(1 << 20);
        assertThat(PngLumaReader.read(bomb, MAX).block()).containsExactly(PngLumaReader.read(clean, MAX).block());
        assertSameAsImageIo(bomb);
    }

    @Test
    void damagedHeadersAndDataAreNamed() throws IOException {
        Format gray = new Format(0, 8, "");
        byte[] ok = rawPng(10, 4, gray, rows(10, 4, gray, 3), 0, null);
        byte[] badDepth = ok.clone();
        badDepth[24] = 4;
        badDepth[25] = 2; // RGB of 4 bits does not exist
        fixCrc(badDepth, 8);
        assertProblem(write(badDepth), "IHDR gives colour type 2 with bit depth 4");

        byte[] filter = rawPng(10, 4, gray, rows(10, 4, gray, 3), 7, null);
        assertProblem(write(filter), "row 0 has the unknown filter type 7");

        Format palette = new Format(3, 8, "");
        byte[] noPlte = dropChunk(rawPng(10, 4, palette, rows(10, 4, palette, 3), 0, null), "PLTE");
        assertProblem(write(noPlte), "no PLTE chunk before the image data");

        byte[] noIdat = dropChunk(ok, "IDAT");
        assertProblem(write(noIdat), "no image data");

        byte[] garbage = ok.clone();
        int idat = 33;
        for (int i = idat + 8; i < idat + 8 + 6; i++) {
            garbage[i] = (byte) 0xFF; // not a zlib header
        }
        fixCrc(garbage, idat);
        assertProblem(write(garbage), "its image data does not inflate");
    }

    /**
     * With libdeflate on the machine, every valid PNG goes through it (the whole-buffer route) with ImageIO's luma, and
     * what it declines (excess data, damage) is still read or named by the streaming route.
     */
    @Test
    void libdeflateTakesValidPngsAndLeavesTheRestToTheStream() throws IOException {
        assumeTrue(Libdeflate.available(),
                () -> "libdeflate is not usable here: " + Libdeflate.unavailableReason().orElse(""));
        List<Format> all = formats().toList();
        for (Format format : all) {
            for (int filter = 0; filter <= CYCLE; filter++) {
                byte[][] rows = rows(100, 80, format, filter * 17L);
                Path png = write(rawPng(100, 80, format, rows, filter, null));
                assertThat(PngLumaReader.readWhole(png, MAX)).as("%s, filter %d", format, filter).isNotNull();
                assertSameAsImageIo(png);
            }
        }
        assertThat(wholeRoutes).isEqualTo(all.size() * (CYCLE + 1));

        Format gray = new Format(0, 8, "");
        byte[] ok = rawPng(10, 4, gray, rows(10, 4, gray, 3), 0, null);
        byte[] garbage = ok.clone();
        for (int i = 33 + 8; i < 33 + 8 + 6; i++) {
            garbage[i] = (byte) 0xFF;
        }
        fixCrc(garbage, 33);
        Path bad = write(garbage);
        assertThat(PngLumaReader.readWhole(bad, MAX)).isNull();
        assertProblem(bad, "its image data does not inflate");
        byte[] truncated = Arrays.copyOf(ok, ok.length - 20);
        Path cut = write(truncated);
        assertThat(PngLumaReader.readWhole(cut, MAX)).isNull();
        assertProblem(cut, "truncated PNG");
        assertThat(PngLumaReader.readWhole(write(ok), MAX)).isNotNull();
    }

    /**
     * The whole-buffer route holds a lease of the decode budget and gives it back when it declines: a file whose rows
     * need 60% of what the route may hold, cut short in its image data, goes through ten times (leaked leases would
     * soon make a call wait for ever; the thread is given a minute).
     */
    @Test
    void aDeclinedFileGivesItsMemoryBack() throws Exception {
        assumeTrue(Libdeflate.available());
        int width = 8000; // RGB: 3 bytes a pixel, so that 60% of the budget stays under the pixel limit
        long most = Math.min(DecodeMemory.budget(), PngLumaReader.WHOLE_MAX_BYTES);
        int height = (int) (most * 0.6 / (3 * width + 1));
        assertThat((long) width * height).isLessThan(MAX);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        png.writeBytes(ihdr(width, height, 8, 2, 0));
        Deflater d = new Deflater();
        d.setInput(new byte[3 * width + 1]);
        byte[] z = new byte[1024];
        int n = d.deflate(z, 0, z.length, Deflater.SYNC_FLUSH);
        d.end();
        png.writeBytes(chunk("IDAT", Arrays.copyOf(z, n)));
        Path cut = write(png.toByteArray()); // no IEND
        FutureTask<Integer> declines = new FutureTask<>(() -> {
            int declined = 0;
            for (int i = 0; i < 10; i++) {
                declined += PngLumaReader.readWhole(cut, MAX) == null ? 1 : 0;
            }
            return declined;
        });
        Thread t = Thread.ofPlatform().daemon().start(declines);
        try {
            assertThat(declines.get(1, TimeUnit.MINUTES)).isEqualTo(10);
        } finally {
            t.interrupt(); // a thread left waiting for the budget stops
        }
        assertProblem(cut, "truncated PNG");
    }

    // ---- checks

    private void assertSameAsImageIo(Path png) throws IOException {
        LumaBlock old = ImageLumaDecoder.decodeWithImageIo(png, ImageLumaDecoder.Kind.PNG, MAX);
        PngLumaReader.Luma streamed = PngLumaReader.read(png, MAX);
        assertThat(streamed).as("%s is not interlaced", png).isNotNull();
        float[] a = old.luma();
        float[] b = streamed.block();
        for (int i = 0; i < a.length; i++) {
            assertThat(b[i]).as("%s cell %d", png, i).isCloseTo(a[i], within(1e-3f));
        }
        assertThat(b).as("%s, bit for bit", png).containsExactly(a);
        assertThat(HASHER.hashBlock(b)).isEqualTo(HASHER.hashBlock(a));
        // both routes, whichever read() took: the stream through the JDK's inflater, and libdeflate's whole buffer
        assertThat(PngLumaReader.readStreaming(png, MAX).block()).as("%s streamed", png).containsExactly(a);
        PngLumaReader.Luma whole = PngLumaReader.readWhole(png, MAX);
        if (whole != null) {
            assertThat(whole.block()).as("%s through libdeflate", png).containsExactly(a);
            wholeRoutes++;
        }
        LumaBlock decoded = ImageLumaDecoder.decode(png, MAX);
        assertThat(decoded.orientation()).isEqualTo(old.orientation());
        assertThat(decoded.luma()).containsExactly(a);
    }

    private static void assertProblem(Path file, String reason) {
        assertThatThrownBy(() -> ImageLumaDecoder.decode(file, MAX)).isInstanceOf(ImageDecodeException.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).startsWith(file + ": ").doesNotContain("\n");
                    assertThat(((ImageDecodeException) e).reason()).contains(reason);
                });
    }

    private Path write(byte[] bytes) throws IOException {
        return Files.write(dir.resolve("image-" + files++ + ".png"), bytes);
    }

    // ---- content

    /** Unfiltered packed rows: a diagonal gradient with noise, every channel different. */
    private static byte[][] rows(int w, int h, Format f, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int channels = f.channels();
        int depth = f.bitDepth();
        int max = (1 << depth) - 1;
        int rowBytes = (w * channels * depth + 7) / 8;
        byte[][] rows = new byte[h][rowBytes];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < channels; c++) {
                    double t = (x + 2.0 * y + 11 * c) / (w + 2.0 * h + 11 * channels);
                    int v = (int) Math.max(0, Math.min(max, Math.round(t * max + random.nextGaussian() * max / 8)));
                    if (f.colorType() == 3 && f.variant().equals("short palette")) {
                        v = random.nextInt(max + 1); // any index, most past the 5 entries
                    }
                    int sample = x * channels + c;
                    if (depth == 16) {
                        rows[y][2 * sample] = (byte) (v >> 8);
                        rows[y][2 * sample + 1] = (byte) v;
                    } else if (depth == 8) {
                        rows[y][sample] = (byte) v;
                    } else {
                        int bit = sample * depth;
                        rows[y][bit / 8] |= (byte) (v << (8 - depth - bit % 8));
                    }
                }
            }
        }
        return rows;
    }

    private static void paint(BufferedImage img, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                for (int b = 0; b < r.getNumBands(); b++) {
                    int bits = r.getSampleModel().getSampleSize(b);
                    int max = (1 << bits) - 1;
                    double t = (x + 3.0 * y + 7 * b) / (img.getWidth() + 3.0 * img.getHeight() + 7 * r.getNumBands());
                    int v = (int) Math.max(0, Math.min(max, Math.round(t * max + random.nextGaussian() * max / 10)));
                    r.setSample(x, y, b, v);
                }
            }
        }
    }

    /** A 2- or 4-bit indexed image: a gray ramp (ImageIO writes it as PNG gray) or colours (a PNG palette). */
    private static BufferedImage indexed(int w, int h, int bits, boolean gray) {
        int n = 1 << bits;
        byte[] r = new byte[n];
        byte[] g = new byte[n];
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            r[i] = (byte) (i * 255 / (n - 1));
            g[i] = gray ? r[i] : (byte) (255 - i * 40);
            b[i] = gray ? r[i] : (byte) (i * 97);
        }
        return new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY, new IndexColorModel(bits, n, r, g, b));
    }

    private static BufferedImage component(int w, int h, int space, int dataType, boolean alpha) {
        ColorSpace cs = ColorSpace.getInstance(space);
        ComponentColorModel cm = new ComponentColorModel(cs, alpha, false,
                alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, dataType);
        return new BufferedImage(cm, cm.createCompatibleWritableRaster(w, h), false, null);
    }

    // ---- PNG bytes written by hand, so that every filter type and chunk can be chosen

    private static byte[] rawPng(int w, int h, Format f, byte[][] rows, int filter, byte[] extraChunk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        out.writeBytes(ihdr(w, h, f.bitDepth(), f.colorType(), 0));
        if (extraChunk != null) {
            out.writeBytes(extraChunk);
        }
        if (f.colorType() == 3) {
            int entries = f.variant().equals("short palette") ? 5 : 1 << f.bitDepth();
            byte[] plte = new byte[entries * 3];
            for (int i = 0; i < plte.length; i++) {
                plte[i] = (byte) (i * 89 + 17);
            }
            out.writeBytes(chunk("PLTE", plte));
        }
        if (f.variant().equals("tRNS")) {
            byte[] trns = switch (f.colorType()) {
                case 0 -> new byte[] {0, 1}; // gray 1 is transparent
                case 2 -> new byte[] {0, 10, 0, 20, 0, 30};
                default -> new byte[] {0, (byte) 128, 64}; // the first three palette entries
            };
            out.writeBytes(chunk("tRNS", trns));
        }
        int channels = f.channels();
        int bpp = Math.max(1, channels * f.bitDepth() / 8);
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        byte[] prev = new byte[rows.length == 0 ? 0 : rows[0].length];
        for (int y = 0; y < rows.length; y++) {
            int type = filter == CYCLE ? y % 5 : filter;
            raw.write(type);
            raw.writeBytes(filterRow(type, rows[y], prev, bpp));
            prev = rows[y];
        }
        byte[] z = deflate(raw.toByteArray());
        // two IDAT chunks when there is enough data, as real encoders split it
        int half = z.length / 2;
        out.writeBytes(chunk("IDAT", Arrays.copyOfRange(z, 0, half)));
        out.writeBytes(chunk("IDAT", Arrays.copyOfRange(z, half, z.length)));
        out.writeBytes(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    /** The encoder's side of the five filters (PNG specification, section 9). */
    private static byte[] filterRow(int type, byte[] cur, byte[] prev, int bpp) {
        byte[] out = new byte[cur.length];
        for (int i = 0; i < cur.length; i++) {
            int a = i >= bpp ? cur[i - bpp] & 0xFF : 0;
            int b = prev[i] & 0xFF;
            int c = i >= bpp ? prev[i - bpp] & 0xFF : 0;
            int predictor = switch (type) {
                case 0 -> 0;
                case 1 -> a;
                case 2 -> b;
                case 3 -> (a + b) / 2;
                case 4 -> {
                    int p = a + b - c;
                    int pa = Math.abs(p - a);
                    int pb = Math.abs(p - b);
                    int pc = Math.abs(p - c);
                    yield pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                }
                default -> 0; // an invalid type: the data as it is
            };
            out[i] = (byte) (cur[i] - predictor);
        }
        return out;
    }

    private static byte[] deflate(byte[] data) {
        Deflater d = new Deflater();
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    private static byte[] ihdr(int w, int h, int depth, int colorType, int interlace) {
        ByteBuffer b = ByteBuffer.allocate(13).putInt(w).putInt(h);
        b.put((byte) depth).put((byte) colorType).put((byte) 0).put((byte) 0).put((byte) interlace);
        return chunk("IHDR", b.array());
    }

    static byte[] chunk(String type, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(12 + data.length);
        b.putInt(data.length).put(type.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 4, 4 + data.length);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** The same PNG with a tEXt chunk between its image data and IEND. */
    private static byte[] rawPngTextAfterImage(byte[] png) {
        byte[] text = chunk("tEXt", "Comment\0after the pixels".getBytes(StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, png.length - 12);
        out.writeBytes(text);
        out.write(png, png.length - 12, 12);
        return out.toByteArray();
    }

    private static byte[] dropChunk(byte[] png, String type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, 8);
        for (int p = 8; p < png.length; ) {
            int len = ByteBuffer.wrap(png).getInt(p);
            if (!new String(png, p + 4, 4, StandardCharsets.ISO_8859_1).equals(type)) {
                out.write(png, p, 12 + len);
            }
            p += 12 + len;
        }
        return out.toByteArray();
    }

    private static byte[] flip(byte[] png, int at) {
        byte[] b = png.clone();
        b[at] ^= 0x10;
        return b;
    }

    /** Recomputes the CRC of the chunk that starts at {@code at}. */
    private static void fixCrc(byte[] png, int at) {
        ByteBuffer bb = ByteBuffer.wrap(png);
        int len = bb.getInt(at);
        CRC32 crc = new CRC32();
        crc.update(png, at + 4, 4 + len);
        bb.putInt(at + 8 + len, (int) crc.getValue());
    }
}
