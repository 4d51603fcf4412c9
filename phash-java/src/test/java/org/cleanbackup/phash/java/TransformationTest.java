package org.cleanbackup.phash.java;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cleanbackup.phash.Orientation;
import org.cleanbackup.phash.OrientationHashes;
import org.cleanbackup.phash.PerceptualHash;
import org.cleanbackup.phash.PerceptualHasher;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Edited copies of real photos stay within the default threshold; unrelated photos stay far apart. */
class TransformationTest {

    private static final PerceptualHasher HASHER = TestImages.scalar();

    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"photo-turtle.jpg", "photo-boat.jpg", "photo-stadium.jpg"})
    void editedCopiesStayWithinTheDefaultThreshold(String photo) throws IOException {
        Path original = TestImages.copy(photo, dir);
        BufferedImage img = TestImages.read(original);
        PerceptualHash h = HASHER.hash(original);

        record Case(String name, Path file) {
        }
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("resized to 50%", write("half.jpg", TestImages.jpeg(TestImages.resize(img, 0.5), 0.9f, false))));
        cases.add(new Case("resized to 173%", write("big.png", TestImages.encode(TestImages.resize(img, 1.73), "png"))));
        cases.add(new Case("recompressed q40", write("q40.jpg", TestImages.jpeg(img, 0.4f, false))));
        cases.add(new Case("converted to PNG", write("copy.png", TestImages.encode(img, "png"))));
        cases.add(new Case("grayscale", write("gray.jpg", TestImages.jpeg(TestImages.grayscale(img), 0.9f, false))));
        cases.add(new Case("brightened", write("bright.jpg", TestImages.jpeg(TestImages.brighten(img), 0.9f, false))));
        cases.add(new Case("cropped 3%", write("crop.jpg", TestImages.jpeg(TestImages.crop(img, 0.03), 0.9f, false))));
        for (Case c : cases) {
            int d = h.distance(HASHER.hash(c.file));
            assertThat(d).as("%s, %s: %d bits", photo, c.name, d).isLessThanOrEqualTo(PerceptualHash.DEFAULT_THRESHOLD);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"photo-turtle.jpg", "photo-boat.jpg", "photo-stadium.jpg"})
    void aTurnedCopyIsFoundThroughTheOrientationVariants(String photo) throws IOException {
        Path original = TestImages.copy(photo, dir);
        Path turned = write("turned.jpg", TestImages.jpeg(TestImages.rotate90(TestImages.read(original)), 0.9f, false));
        OrientationHashes variants = HASHER.hashOrientations(original);
        PerceptualHash t = HASHER.hash(turned);
        assertThat(variants.get(Orientation.ROTATE_90).distance(t)).isLessThanOrEqualTo(PerceptualHash.DEFAULT_THRESHOLD);
        assertThat(variants.minDistance(t)).isLessThanOrEqualTo(PerceptualHash.DEFAULT_THRESHOLD);
        // without the variants the turned copy would not match
        assertThat(variants.upright().distance(t)).isGreaterThan(PerceptualHash.DEFAULT_THRESHOLD);
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 6, 8, 2})
    void exifOrientationIsApplied(int exif) throws IOException {
        byte[] jpeg = TestImages.resource("photo-boat.jpg");
        Path plain = write("plain.jpg", TestImages.withExifOrientation(jpeg, 1));
        Path tagged = write("tagged.jpg", TestImages.withExifOrientation(jpeg, exif));
        Orientation o = Orientation.fromExif(exif);
        assertThat(HASHER.decode(tagged).orientation()).isEqualTo(o);
        // same pixels, orientation applied in the DCT domain: exactly the variant
        assertThat(HASHER.hash(tagged)).isEqualTo(HASHER.hashOrientations(plain).get(o));
        if (exif == 6) {
            // and close to the photo really turned clockwise
            Path turned = write("turned.jpg", TestImages.jpeg(TestImages.rotate90(TestImages.read(plain)), 0.95f, false));
            assertThat(HASHER.hash(tagged).distance(HASHER.hash(turned))).isLessThanOrEqualTo(PerceptualHash.DEFAULT_THRESHOLD);
        }
    }

    @org.junit.jupiter.api.Test
    void unrelatedPhotosAreFarApart() throws IOException {
        List<PerceptualHash> hashes = new ArrayList<>();
        for (String p : TestImages.PHOTOS) {
            hashes.add(HASHER.hash(TestImages.copy(p, dir)));
        }
        for (int i = 0; i < hashes.size(); i++) {
            for (int j = i + 1; j < hashes.size(); j++) {
                assertThat(hashes.get(i).distance(hashes.get(j))).isGreaterThan(PerceptualHash.DEFAULT_THRESHOLD + 2);
            }
        }
    }
}
