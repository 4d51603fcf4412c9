package org.cleanbackup.phash.nativ;

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
import java.util.Optional;
import javax.imageio.ImageIO;
import org.cleanbackup.thumbnail.ThumbnailDecoder;
import org.cleanbackup.thumbnail.Thumbnails;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The libjpeg-turbo thumbnail decoder ({@code cb_thumb_jpeg}) through {@link Thumbnails}: orientation, size, bad
 * input, what it declines, and agreement with the ImageIO path. Skipped, saying so, when this build has no native
 * library (built with {@code -Dcleanbackup.native.skip=true}, or without gcc or libjpeg's headers).
 */
class NativeThumbnailTest {

    @TempDir
    Path dir;

    private Thumbnails nativeOnly;

    @BeforeEach
    void nativeLibrary() {
        NativeTestSupport.assumeNativeLibrary();
        assertThat(new NativeThumbnailDecoder().unavailableReason()).as("self-test").isEmpty();
        nativeOnly = Thumbnails.create(null).using("libjpeg-turbo");
    }

    @ParameterizedTest(name = "EXIF orientation {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void orientationIsAppliedToThePixels(int o) throws IOException {
        Path file = Files.write(dir.resolve("o.jpg"), NativeDecodeTest.withExif(jpeg(marked(1600, 800)), o));
        // 1600 x 800 at 1/8 is 200 x 100: the box shrink takes it the rest of the way to 100 x 50
        BufferedImage thumb = read(nativeDecoder(file, 100));
        boolean swap = o >= 5;
        assertThat(thumb.getWidth()).isEqualTo(swap ? 50 : 100);
        assertThat(thumb.getHeight()).isEqualTo(swap ? 100 : 50);
        boolean right = o == 2 || o == 3 || o == 6 || o == 7;
        boolean bottom = o == 3 || o == 4 || o == 7 || o == 8;
        int x = right ? thumb.getWidth() - 4 : 3;
        int y = bottom ? thumb.getHeight() - 4 : 3;
        assertThat(isRed(thumb.getRGB(x, y))).as("red at (%d, %d)", x, y).isTrue();
        assertThat(isRed(thumb.getRGB(thumb.getWidth() - 1 - x, thumb.getHeight() - 1 - y))).isFalse();
    }

    @Test
    void theLongerSideIsMaxSideOnRealPhotosAndTheBackendsAgree() throws IOException {
        Thumbnails java = Thumbnails.create(null).using("imageio");
        for (String name : new String[]{"photo-turtle.jpg", "photo-boat.jpg", "photo-stadium.jpg"}) {
            Path photo = NativeTestSupport.BUNDLED.resolve(name);
            BufferedImage original = ImageIO.read(photo.toFile());
            for (int maxSide : new int[]{16, 64, 160, 333}) {
                BufferedImage n = read(nativeDecoder(photo, maxSide));
                int longer = Math.min(maxSide, Math.max(original.getWidth(), original.getHeight()));
                assertThat(Math.max(n.getWidth(), n.getHeight())).as(name + " at " + maxSide).isEqualTo(longer);
                double aspect = (double) original.getWidth() / original.getHeight();
                assertThat((double) n.getWidth() / n.getHeight()).isCloseTo(aspect, org.assertj.core.data.Offset.offset(
                        2.0 / Math.min(n.getWidth(), n.getHeight())));
                BufferedImage j = read(java.jpeg(photo, maxSide).orElseThrow());
                assertThat(j.getWidth()).isEqualTo(n.getWidth());
                assertThat(j.getHeight()).isEqualTo(n.getHeight());
                if (maxSide >= 64) {
                    System.out.printf("[thumbnail parity] %s at %d: %.2f%n", name, maxSide, meanDifference(n, j));
                    assertThat(meanDifference(n, j)).as(name + " at " + maxSide + ": native vs ImageIO").isLessThan(10);
                }
            }
        }
    }

    @Test
    void theJavaDcPathAgreesWithTheNativeOneOnCameraPhotos() throws IOException {
        org.assertj.core.api.Assumptions.assumeThat(NativeTestSupport.corpusPresent())
                .as("the shared corpus of camera photos is absent (it is not part of the repository)").isTrue();
        Thumbnails java = Thumbnails.create(null).using("java");
        int compared = 0;
        for (Path photo : NativeTestSupport.photos()) {
            Optional<byte[]> n = nativeOnly.jpeg(photo, 128);
            Optional<byte[]> j = java.jpeg(photo, 128);
            assertThat(j.isPresent()).as(photo.toString()).isEqualTo(n.isPresent());
            if (n.isPresent()) {
                BufferedImage a = read(n.get());
                BufferedImage b = read(j.get());
                assertThat(b.getWidth()).as(photo.toString()).isEqualTo(a.getWidth());
                assertThat(b.getHeight()).as(photo.toString()).isEqualTo(a.getHeight());
                assertThat(meanDifference(a, b)).as(photo.toString()).isLessThan(10);
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(40);
    }

    @Test
    void itDeclinesCmykAndOtherFormatsAndTheBuiltInDecoderTakesThem() throws IOException {
        Path cmyk = NativeTestSupport.BUNDLED.resolve("photo-boat.jpg").resolveSibling("boat-cmyk.jpg");
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(marked(200, 100), "png", png);
        Path pngFile = Files.write(dir.resolve("a.png"), png.toByteArray());
        NativeThumbnailDecoder decoder = new NativeThumbnailDecoder();
        assertThat(decoder.decode(cmyk, 64, 1L << 30)).isEmpty();
        assertThat(decoder.decode(pngFile, 64, 1L << 30)).isEmpty();
        // the default chain: libjpeg-turbo declines, ImageIO (TwelveMonkeys' CMYK reader on this class path) takes it
        assertThat(read(Thumbnails.create(null).jpeg(cmyk, 64).orElseThrow()).getWidth()).isEqualTo(64);
        assertThat(read(nativeOnly.jpeg(pngFile, 64).orElseThrow()).getWidth()).isEqualTo(64);
    }

    @Test
    void badJpegsGiveEmpty() throws IOException {
        byte[] good = Files.readAllBytes(NativeTestSupport.BUNDLED.resolve("photo-boat.jpg"));
        byte[] bomb = good.clone();
        for (int i = 2; i + 9 < bomb.length; i += 2 + ((bomb[i + 2] & 0xFF) << 8 | bomb[i + 3] & 0xFF)) {
            int marker = bomb[i + 1] & 0xFF;
            if (marker == 0xC0 || marker == 0xC2) {
                Arrays.fill(bomb, i + 5, i + 9, (byte) 0xFF); // 65,535 x 65,535
                break;
            }
        }
        byte[] noise = good.clone();
        for (int i = good.length / 3; i < good.length; i += 7) {
            noise[i] = (byte) 0xFF; // markers where entropy-coded data should be
        }
        for (var input : new Object[][]{{"truncated.jpg", Arrays.copyOf(good, good.length / 2)},
                {"bomb.jpg", bomb}, {"header-only.jpg", Arrays.copyOf(good, 40)}, {"noise.jpg", noise}}) {
            Path file = Files.write(dir.resolve((String) input[0]), (byte[]) input[1]);
            assertThat(nativeOnly.jpeg(file, 128)).as((String) input[0]).isEmpty();
        }
    }

    private byte[] nativeDecoder(Path file, int maxSide) throws IOException {
        Optional<ThumbnailDecoder.Decoded> d = new NativeThumbnailDecoder().decode(file, maxSide, 1L << 30);
        assertThat(d).get().isInstanceOf(ThumbnailDecoder.Jpeg.class);
        byte[] viaThumbnails = nativeOnly.jpeg(file, maxSide).orElseThrow();
        byte[] direct = ((ThumbnailDecoder.Jpeg) d.get()).bytes();
        assertThat(viaThumbnails).isEqualTo(direct); // Thumbnails passes the C encoder's bytes through untouched
        return direct;
    }

    private static BufferedImage read(byte[] jpeg) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
        assertThat(image).isNotNull();
        return image;
    }

    /**
     * The mean difference per channel between the two pictures' 4 x 4 block means: the shrink filters differ (a box
     * in C, halving then bilinear in Java) and may place an edge half a pixel apart, which block means forgive while a
     * wrong colour, orientation or crop still shows.
     */
    private static double meanDifference(BufferedImage a, BufferedImage b) {
        double sum = 0;
        int blocks = 0;
        for (int by = 0; by + 4 <= a.getHeight(); by += 4) {
            for (int bx = 0; bx + 4 <= a.getWidth(); bx += 4) {
                int[] d = new int[3];
                for (int y = by; y < by + 4; y++) {
                    for (int x = bx; x < bx + 4; x++) {
                        Color p = new Color(a.getRGB(x, y));
                        Color q = new Color(b.getRGB(x, y));
                        d[0] += p.getRed() - q.getRed();
                        d[1] += p.getGreen() - q.getGreen();
                        d[2] += p.getBlue() - q.getBlue();
                    }
                }
                sum += (Math.abs(d[0]) + Math.abs(d[1]) + Math.abs(d[2])) / 48.0;
                blocks++;
            }
        }
        return sum / blocks;
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

    private static boolean isRed(int rgb) {
        Color c = new Color(rgb);
        return c.getRed() > 180 && c.getGreen() < 90 && c.getBlue() < 90;
    }

    private static byte[] jpeg(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", bytes);
        return bytes.toByteArray();
    }
}
