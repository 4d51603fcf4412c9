package org.cleanbackup.phash.java;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.cleanbackup.thumbnail.ThumbnailDecoder;
import org.cleanbackup.thumbnail.Thumbnails;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pure-Java camera-JPEG thumbnail path: the DC-only decoder in colour ({@link JavaThumbnailDecoder}). */
class JavaThumbnailTest {

    @TempDir
    Path dir;

    private final Thumbnails java = Thumbnails.create(null).using("java");

    @ParameterizedTest(name = "EXIF orientation {0}")
    @ValueSource(ints = {1, 3, 6, 8})
    void colourAndOrientationComeThroughTheDcPath(int o) throws IOException {
        Path file = Files.write(dir.resolve("o.jpg"), TestImages.withExifOrientation(jpeg(marked(2048, 1024)), o));
        // the DC path takes it (1/8 is 256 x 128), rather than declining to ImageIO
        assertThat(new JavaThumbnailDecoder().decode(file, 200, 1L << 30)).get()
                .isInstanceOf(ThumbnailDecoder.Pixels.class);
        BufferedImage thumb = read(java.jpeg(file, 200).orElseThrow());
        boolean swap = o >= 5;
        assertThat(thumb.getWidth()).isEqualTo(swap ? 100 : 200);
        assertThat(thumb.getHeight()).isEqualTo(swap ? 200 : 100);
        boolean right = o == 3 || o == 6;
        boolean bottom = o == 3 || o == 8;
        int x = right ? thumb.getWidth() - 5 : 4;
        int y = bottom ? thumb.getHeight() - 5 : 4;
        Color red = new Color(thumb.getRGB(x, y));
        assertThat(red.getRed()).as("red at (%d, %d)", x, y).isGreaterThan(180);
        assertThat(red.getGreen()).isLessThan(90);
        Color gray = new Color(thumb.getRGB(thumb.getWidth() - 1 - x, thumb.getHeight() - 1 - y));
        assertThat(Math.abs(gray.getRed() - gray.getBlue())).isLessThan(20);
    }

    @Test
    void itDeclinesWhatOneEighthCannotServeAndImageIoTakesIt() throws IOException {
        Path small = Files.write(dir.resolve("small.jpg"), jpeg(marked(800, 600)));
        assertThat(new JavaThumbnailDecoder().decode(small, 256, 1L << 30)).isEmpty(); // 1/8 is 100 pixels
        assertThat(read(java.jpeg(small, 256).orElseThrow()).getWidth()).isEqualTo(256);
        Path png = dir.resolve("a.png");
        ImageIO.write(marked(64, 64), "png", png.toFile());
        assertThat(new JavaThumbnailDecoder().decode(png, 32, 1L << 30)).isEmpty();
    }

    @Test
    void aTruncatedJpegGivesEmpty() throws IOException {
        byte[] good = jpeg(marked(2048, 1536));
        Path cut = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(good, good.length * 2 / 3));
        assertThat(java.jpeg(cut, 128)).isEmpty();
    }

    private static BufferedImage read(byte[] jpeg) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(jpeg));
    }

    private static BufferedImage marked(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.RED);
        g.fillRect(0, 0, w / 2, h / 2);
        g.dispose();
        return image;
    }

    private static byte[] jpeg(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", bytes);
        return bytes.toByteArray();
    }
}
