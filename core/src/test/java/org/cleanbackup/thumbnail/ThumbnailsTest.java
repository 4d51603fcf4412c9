package org.cleanbackup.thumbnail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.cleanbackup.internal.TemporaryFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Thumbnails} with the built-in ImageIO decoder (core alone: no native library on this class path; phash-native
 * runs the same checks on libjpeg-turbo). Every input is made here, in a temporary folder.
 */
class ThumbnailsTest {

    @TempDir
    Path dir;

    private final Thumbnails thumbnails = Thumbnails.create(null);

    @ParameterizedTest(name = "EXIF orientation {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void orientationIsAppliedToThePixels(int orientation) throws IOException {
        Path file = write("o.jpg", withExif(jpeg(marked(400, 200)), orientation));
        BufferedImage thumb = decode(thumbnails.jpeg(file, 100).orElseThrow());
        assertOriented(thumb, orientation, 100, 50);
    }

    /**
     * The stored picture is 2:1 with a red top-left quarter; after orientation {@code o} the sides are {@code w x h}
     * (swapped for 5..8) and the red quarter sits where the EXIF definition puts the stored top-left corner.
     */
    static void assertOriented(BufferedImage thumb, int o, int w, int h) {
        boolean swap = o >= 5;
        assertThat(thumb.getWidth()).as("width").isEqualTo(swap ? h : w);
        assertThat(thumb.getHeight()).as("height").isEqualTo(swap ? w : h);
        // where the stored top-left corner lands: 1, 5 top-left; 2, 6 top-right; 3, 7 bottom-right; 4, 8 bottom-left
        boolean right = o == 2 || o == 3 || o == 6 || o == 7;
        boolean bottom = o == 3 || o == 4 || o == 7 || o == 8;
        int x = right ? thumb.getWidth() - 4 : 3;
        int y = bottom ? thumb.getHeight() - 4 : 3;
        assertThat(isRed(thumb.getRGB(x, y))).as("red at the corner (%d, %d)", x, y).isTrue();
        assertThat(isRed(thumb.getRGB(thumb.getWidth() - 1 - x, thumb.getHeight() - 1 - y)))
                .as("the opposite corner is not red").isFalse();
    }

    @Test
    void theLongerSideIsAtMostMaxSideAndSmallImagesAreNotEnlarged() throws IOException {
        Path large = write("large.jpg", jpeg(marked(1000, 700)));
        BufferedImage thumb = decode(thumbnails.jpeg(large, 64).orElseThrow());
        assertThat(thumb.getWidth()).isEqualTo(64);
        assertThat(thumb.getHeight()).isEqualTo(45); // 700 * 64 / 1000, rounded
        Path small = write("small.jpg", jpeg(marked(40, 30)));
        BufferedImage same = decode(thumbnails.jpeg(small, 256).orElseThrow());
        assertThat(same.getWidth()).isEqualTo(40);
        assertThat(same.getHeight()).isEqualTo(30);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"png", "gif", "bmp"})
    void otherFormatsGoThroughImageIo(String format) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(marked(300, 150), format, bytes);
        Path file = write("image." + format, bytes.toByteArray());
        BufferedImage thumb = decode(thumbnails.jpeg(file, 120).orElseThrow());
        assertOriented(thumb, 1, 120, 60);
    }

    @Test
    void aTransparentPngIsShownOnWhite() throws IOException {
        BufferedImage clear = new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB); // all transparent
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(clear, "png", bytes);
        BufferedImage thumb = decode(thumbnails.jpeg(write("clear.png", bytes.toByteArray()), 32).orElseThrow());
        assertThat(new Color(thumb.getRGB(16, 16)).getGreen()).isGreaterThan(240);
    }

    @Test
    void badInputGivesEmptyAndNeverThrows() throws IOException {
        byte[] good = jpeg(marked(640, 480));
        byte[] garbage = new byte[5000];
        new java.util.Random(18).nextBytes(garbage);
        Path[] bad = {
                write("truncated.jpg", Arrays.copyOf(good, good.length / 2)),
                write("garbage.jpg", garbage),
                write("empty.jpg", new byte[0]),
                write("bomb.jpg", withFrameSize(good, 65_000, 65_000)),
                write("bomb.png", pngBomb()),
                write("text.png", "not a picture".getBytes(StandardCharsets.US_ASCII)),
                dir.resolve("missing.jpg"),
                dir,
        };
        for (Path file : bad) {
            assertThat(thumbnails.jpeg(file, 128)).as(file.getFileName().toString()).isEmpty();
        }
    }

    @Test
    void maxSideOutsideItsRangeIsTheCallersMistake() throws IOException {
        Path file = write("a.jpg", jpeg(marked(100, 50)));
        assertThatThrownBy(() -> thumbnails.jpeg(file, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> thumbnails.jpeg(file, Thumbnails.MAX_SIDE + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCacheHitReturnsTheSameBytesAndSurvivesAReopen() throws IOException {
        Path cacheFolder = dir.resolve("cache");
        Path file = write("photo.jpg", jpeg(marked(800, 600)));
        byte[] first = Thumbnails.create(cacheFolder).jpeg(file, 160).orElseThrow();
        try (Stream<Path> entries = Files.walk(cacheFolder)) {
            assertThat(entries.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .singleElement().satisfies(name -> assertThat(TemporaryFiles.isTemporaryName(name)).isFalse());
        }
        // Same size and modification time, other bytes: only a cache hit can still give the thumbnail, since
        // decoding the file now gives nothing. (This is the cache's documented blind spot, as for the hash cache.)
        FileTime mtime = Files.getLastModifiedTime(file);
        byte[] garbage = new byte[(int) Files.size(file)];
        Files.write(file, garbage);
        Files.setLastModifiedTime(file, mtime);
        assertThat(Thumbnails.create(cacheFolder).jpeg(file, 160)).hasValueSatisfying(b -> assertThat(b).isEqualTo(first));
        assertThat(thumbnails.jpeg(file, 160)).as("without the cache").isEmpty();
        // another size is another entry
        assertThat(Thumbnails.create(cacheFolder).jpeg(file, 100)).isEmpty();
    }

    @Test
    void aModifiedFileMissesTheCache() throws IOException {
        Path cacheFolder = dir.resolve("cache");
        Path file = write("photo.jpg", jpeg(marked(800, 600)));
        Thumbnails cached = Thumbnails.create(cacheFolder);
        byte[] first = cached.jpeg(file, 160).orElseThrow();

        // the modification time changes, the size stays: decoded again (garbage now: no thumbnail)
        Files.write(file, new byte[(int) Files.size(file)]);
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() - 60_000));
        assertThat(cached.jpeg(file, 160)).isEmpty();

        // a new picture of another size: its own thumbnail, which then replaces the old entry
        BufferedImage other = marked(600, 800);
        Files.write(file, jpeg(other));
        byte[] second = cached.jpeg(file, 160).orElseThrow();
        assertThat(second).isNotEqualTo(first);
        assertThat(decode(second).getHeight()).isEqualTo(160);
        assertThat(Thumbnails.create(cacheFolder).jpeg(file, 160)).hasValueSatisfying(b -> assertThat(b).isEqualTo(second));
    }

    @Test
    void usingNamesTheDecoderAndRefusesUnknownNames() {
        assertThat(thumbnails.using("imageio").toString()).contains("[imageio]").contains("no cache");
        assertThatThrownBy(() -> thumbnails.using("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("imageio");
    }

    // ---- inputs ----

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    /** A w x h gray picture with its top-left quarter red. */
    static BufferedImage marked(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.RED);
        g.fillRect(0, 0, w / 2, h / 2);
        g.dispose();
        return image;
    }

    static boolean isRed(int rgb) {
        Color c = new Color(rgb);
        return c.getRed() > 180 && c.getGreen() < 90 && c.getBlue() < 90;
    }

    static byte[] jpeg(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", bytes);
        return bytes.toByteArray();
    }

    static BufferedImage decode(byte[] jpeg) throws IOException {
        assertThat(jpeg).startsWith((byte) 0xFF, (byte) 0xD8);
        return ImageIO.read(new ByteArrayInputStream(jpeg));
    }

    /** The JPEG with an EXIF APP1 holding only the orientation tag, right after SOI. */
    static byte[] withExif(byte[] jpeg, int orientation) {
        byte[] tiff = {'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte) orientation, 0, 0, 0,
                0, 0, 0, 0};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        int len = 2 + 6 + tiff.length;
        out.writeBytes(new byte[]{(byte) 0xFF, (byte) 0xE1, (byte) (len >> 8), (byte) len});
        out.writeBytes("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(tiff);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** The JPEG with its frame header claiming {@code w x h}: a decompression bomb's header. */
    static byte[] withFrameSize(byte[] jpeg, int w, int h) {
        byte[] out = jpeg.clone();
        for (int i = 2; i + 9 < out.length; ) {
            int marker = out[i + 1] & 0xFF;
            if (marker == 0xC0 || marker == 0xC2) {
                out[i + 5] = (byte) (h >> 8);
                out[i + 6] = (byte) h;
                out[i + 7] = (byte) (w >> 8);
                out[i + 8] = (byte) w;
                return out;
            }
            i += 2 + ((out[i + 2] & 0xFF) << 8 | out[i + 3] & 0xFF);
        }
        throw new AssertionError("no frame header");
    }

    /** A PNG whose header (with a correct CRC) claims 100,000 x 100,000 pixels. */
    static byte[] pngBomb() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", bytes);
        byte[] png = bytes.toByteArray();
        java.nio.ByteBuffer.wrap(png, 16, 8).putInt(100_000).putInt(100_000); // IHDR width, height
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(png, 12, 17); // "IHDR" and its 13 bytes
        java.nio.ByteBuffer.wrap(png, 29, 4).putInt((int) crc.getValue());
        return png;
    }

    @Test
    void theTestInputsAreWhatTheyClaim() throws IOException {
        // the bomb's header is read as the size it claims (so the refusal above is the pixel limit's)
        try (var in = ImageIO.createImageInputStream(new ByteArrayInputStream(pngBomb()))) {
            var reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            assertThat(reader.getWidth(0)).isEqualTo(100_000);
        }
        assertThat(Optional.of(ImageIoDecoder.jpegOrientation(write("six.jpg", withExif(jpeg(marked(8, 8)), 6)))))
                .hasValue(org.cleanbackup.phash.Orientation.ROTATE_90);
    }
}
