package org.cleanbackup.phash.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.cleanbackup.thumbnail.Thumbnails;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HEIC thumbnails through libheif ({@link HeifThumbnailDecoder}), by way of {@link Thumbnails}. */
class HeifThumbnailTest {

    @TempDir
    Path dir;

    @BeforeEach
    void libheif() {
        assumeThat(Heif.unavailableReason()).as("libheif1 is not installed here, so HEIC cannot be decoded").isEmpty();
    }

    @Test
    void aHeicBecomesAColourThumbnailOfItsShape() throws IOException {
        Path heic = TestImages.copy("cheers.heic", dir); // 1440 x 960
        Thumbnails thumbnails = Thumbnails.create(null);
        assertThat(thumbnails.toString()).contains("libheif");
        BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(thumbnails.jpeg(heic, 120).orElseThrow()));
        assertThat(thumb.getWidth()).isEqualTo(120);
        assertThat(thumb.getHeight()).isEqualTo(80);
        // a picture in colour, not a flat or gray one: some pixel's channels differ clearly
        boolean colour = false;
        int min = 255;
        int max = 0;
        for (int y = 0; y < thumb.getHeight(); y++) {
            for (int x = 0; x < thumb.getWidth(); x++) {
                int rgb = thumb.getRGB(x, y);
                int r = rgb >> 16 & 0xFF;
                int g = rgb >> 8 & 0xFF;
                int b = rgb & 0xFF;
                colour |= Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 40;
                min = Math.min(min, g);
                max = Math.max(max, g);
            }
        }
        assertThat(colour).isTrue();
        assertThat(max - min).isGreaterThan(50);
    }

    @Test
    void aDamagedHeicGivesEmpty() throws IOException {
        byte[] heic = TestImages.resource("cheers.heic");
        Path truncated = Files.write(dir.resolve("cut.heic"), Arrays.copyOf(heic, heic.length / 2));
        byte[] scrambled = heic.clone();
        for (int i = 64; i < scrambled.length; i += 3) {
            scrambled[i] ^= (byte) 0x5A;
        }
        Path noise = Files.write(dir.resolve("noise.heic"), scrambled);
        Thumbnails thumbnails = Thumbnails.create(null);
        assertThat(thumbnails.jpeg(truncated, 120)).isEmpty();
        assertThat(thumbnails.jpeg(noise, 120)).isEmpty();
    }
}
