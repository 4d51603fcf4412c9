package org.cleanbackup.phash.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cleanbackup.phash.HashResult;
import org.cleanbackup.phash.ImageDecodeException;
import org.cleanbackup.phash.PerceptualHash;
import org.cleanbackup.phash.PerceptualHasher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged and unusual files: a one-line problem naming the file, or a correct hash; never a crash. */
class BadInputTest {

    private static final PerceptualHasher HASHER = TestImages.scalar();

    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static void assertProblem(Path file, String expectedReason) {
        assertThatThrownBy(() -> HASHER.hash(file))
                .isInstanceOf(ImageDecodeException.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).startsWith(file.toString() + ": ").doesNotContain("\n");
                    assertThat(((ImageDecodeException) e).reason()).containsIgnoringCase(expectedReason);
                });
    }

    @Test
    void truncatedJpeg() throws IOException {
        byte[] jpeg = TestImages.resource("photo-boat.jpg");
        assertProblem(write("cut.jpg", java.util.Arrays.copyOf(jpeg, jpeg.length * 6 / 10)), "truncated");
    }

    @Test
    void truncatedPng() throws IOException {
        byte[] png = TestImages.encode(TestImages.read(TestImages.copy("photo-boat.jpg", dir)), "png");
        assertProblem(write("cut.png", java.util.Arrays.copyOf(png, png.length / 2)), "truncated");
    }

    @Test
    void zeroLengthFile() throws IOException {
        assertProblem(write("empty.jpg", new byte[0]), "empty file");
    }

    @Test
    void textNamedJpg() throws IOException {
        assertProblem(write("notes.jpg", "Shopping list:\nmilk\neggs\n".getBytes(StandardCharsets.UTF_8)),
                "not an image although named .jpg: it holds text");
    }

    @Test
    void pngWithBadCrc() throws IOException {
        byte[] png = TestImages.encode(TestImages.read(TestImages.copy("photo-boat.jpg", dir)), "png");
        assertProblem(write("bad-crc.png", TestImages.withBadPngCrc(png)), "chunk IDAT fails its CRC check");
    }

    @Test
    void decompressionBombsAreRefusedFromTheHeader() throws IOException {
        byte[] jpeg = TestImages.resource("photo-boat.jpg");
        // 100,000 x 100,000 does not fit the JPEG header's 16-bit fields: 65,000 x 65,000 is the largest claim
        assertProblem(write("bomb.jpg", TestImages.withJpegSize(jpeg, 65_000, 65_000)), "above the limit");
        byte[] png = TestImages.encode(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY), "png");
        Path bomb = write("bomb.png", TestImages.withPngSize(png, 100_000, 100_000));
        assertProblem(bomb, "100000 x 100000 = 10000000000 pixels, above the limit of 150000000");
    }

    @Test
    void byteFlippedFilesNeverCrash() throws IOException {
        byte[] jpeg = TestImages.resource("photo-stadium.jpg");
        PerceptualHash original = HASHER.hash(write("ok.jpg", jpeg));
        int hashed = 0;
        for (int seed = 0; seed < 20; seed++) {
            Path p = write("flipped-" + seed + ".jpg", TestImages.byteFlipped(jpeg, 8, seed));
            try {
                PerceptualHash h = HASHER.hash(p);
                hashed++;
                assertThat(h.distance(original)).isLessThanOrEqualTo(64);
            } catch (ImageDecodeException e) {
                assertThat(e.getMessage()).startsWith(p.toString()).doesNotContain("\n");
            }
        }
        // 8 flipped bytes usually leave a decodable (if streaky) picture: most of them must still hash
        assertThat(hashed).isPositive();
    }

    @Test
    void unusualButValidImagesHashLikeTheOriginal() throws IOException {
        Path original = TestImages.copy("photo-boat.jpg", dir);
        BufferedImage img = TestImages.read(original);
        PerceptualHash h = HASHER.hash(original);

        Path progressive = write("progressive.jpg", TestImages.jpeg(img, 0.9f, true));
        Path cmyk = TestImages.copy("boat-cmyk.jpg", dir);
        BufferedImage palette = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_BYTE_INDEXED);
        palette.createGraphics().drawImage(img, 0, 0, null);
        Path palettePng = write("palette.png", TestImages.encode(palette, "png"));
        Path gray16 = write("gray16.png", TestImages.encode(gray16(TestImages.grayscale(img)), "png"));

        assertThat(h.distance(HASHER.hash(progressive))).isLessThanOrEqualTo(PerceptualHash.DEFAULT_THRESHOLD);
        assertThat(h.distance(HASHER.hash(cmyk))).isLessThanOrEqualTo(PerceptualHash.DEFAULT_THRESHOLD);
        assertThat(h.distance(HASHER.hash(palettePng))).isLessThanOrEqualTo(PerceptualHash.DEFAULT_THRESHOLD);
        assertThat(h.distance(HASHER.hash(gray16))).isLessThanOrEqualTo(PerceptualHash.DEFAULT_THRESHOLD);
    }

    static BufferedImage gray16(BufferedImage gray8) {
        BufferedImage out = new BufferedImage(gray8.getWidth(), gray8.getHeight(), BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < gray8.getHeight(); y++) {
            for (int x = 0; x < gray8.getWidth(); x++) {
                out.getRaster().setSample(x, y, 0, gray8.getRaster().getSample(x, y, 0) * 257);
            }
        }
        return out;
    }

    @Test
    void aBatchWithBadFilesStillHashesTheGoodOnes() throws Exception {
        List<Path> files = new ArrayList<>();
        files.add(write("empty.jpg", new byte[0]));
        files.add(TestImages.copy("photo-turtle.jpg", dir));
        files.add(write("notes.jpg", "hello".getBytes(StandardCharsets.UTF_8)));
        files.add(dir.resolve("missing.jpg"));
        files.add(TestImages.copy("photo-stadium.jpg", dir));
        byte[] jpeg = TestImages.resource("photo-boat.jpg");
        files.add(write("cut.jpg", java.util.Arrays.copyOf(jpeg, jpeg.length / 3)));
        List<HashResult> results = HASHER.hashAll(files, 2, r -> { });
        assertThat(results).extracting(r -> r instanceof HashResult.Hashed)
                .containsExactly(false, true, false, false, true, false);
        for (HashResult r : results) {
            if (r instanceof HashResult.Failed f) {
                assertThat(f.message()).isNotBlank().doesNotContain("\n");
                assertThat(f.problem().toString()).startsWith(f.path().toString());
            }
        }
    }

    @Test
    void missingFileIsAnIoErrorNotADecodeError() {
        Path missing = dir.resolve("gone.jpg");
        assertThatThrownBy(() -> HASHER.hash(missing)).isInstanceOf(java.nio.file.NoSuchFileException.class);
    }
}
