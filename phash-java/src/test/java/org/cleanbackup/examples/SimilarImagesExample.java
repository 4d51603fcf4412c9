package org.cleanbackup.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.cleanbackup.phash.HashResult;
import org.cleanbackup.phash.PerceptualHash;
import org.cleanbackup.phash.PerceptualHasher;
import org.cleanbackup.phash.PerceptualHashers;
import org.cleanbackup.similar.HashGrouping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Example: hash a folder of images with the fastest backend, then query and group the similar ones. */
class SimilarImagesExample {

    @TempDir
    Path dir;

    /** A simple picture: a sun over a pole, or (another picture) stripes of trees. */
    private void paint(String name, int width, Color background, boolean png) throws Exception { // png: format
        BufferedImage image = new BufferedImage(width, width * 3 / 4, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(background);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        if (background.equals(Color.ORANGE)) {
            g.setColor(Color.WHITE);
            g.fillOval(image.getWidth() / 4, image.getHeight() / 4, image.getWidth() / 3, image.getHeight() / 2);
            g.setColor(Color.BLACK);
            g.fillRect(image.getWidth() * 2 / 3, 0, image.getWidth() / 8, image.getHeight());
        } else {
            for (int x = 0; x < image.getWidth(); x += image.getWidth() / 6) {
                g.setColor(Color.YELLOW);
                g.fillRect(x, image.getHeight() / 2, image.getWidth() / 12, image.getHeight() / 2);
            }
        }
        g.dispose();
        ImageIO.write(image, png ? "png" : "jpg", dir.resolve(name).toFile());
    }

    @Test
    void hashAFolderAndFindLookAlikes() throws Exception {
        paint("sunset.jpg", 800, Color.ORANGE, false);
        paint("forest.jpg", 800, new Color(20, 90, 30), false);
        // A resized PNG copy of the sunset, as a photo app's export would make.
        BufferedImage big = ImageIO.read(dir.resolve("sunset.jpg").toFile());
        BufferedImage resized = new BufferedImage(200, 150, BufferedImage.TYPE_INT_RGB);
        Graphics2D pen = resized.createGraphics();
        pen.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        pen.drawImage(big, 0, 0, 200, 150, null);
        pen.dispose();
        ImageIO.write(resized, "png", dir.resolve("sunset-small.png").toFile());

        PerceptualHasher hasher = PerceptualHashers.fastest(); // native, else Vector API, else scalar
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().toList();
        }
        List<HashResult> results = hasher.hashAll(files); // in parallel; a damaged file is a Failed result
        List<Path> hashed = new ArrayList<>();
        long[] codes = results.stream().filter(r -> r instanceof HashResult.Hashed).mapToLong(r -> {
            hashed.add(r.path());
            return ((HashResult.Hashed) r).hash().bits();
        }).toArray();

        // Query: which images look like sunset.jpg?
        PerceptualHash sunset = hasher.hash(dir.resolve("sunset.jpg"));
        PerceptualHash small = hasher.hash(dir.resolve("sunset-small.png"));
        assertThat(sunset.distance(small)).as("bits apart").isLessThanOrEqualTo(PerceptualHash.DEFAULT_THRESHOLD);

        // Group them all: every member within 10 bits of its group's first image.
        List<int[]> groups = HashGrouping.groups(codes, PerceptualHash.DEFAULT_THRESHOLD, 2);
        assertThat(groups).singleElement().satisfies(g -> assertThat(g).hasSize(2));
        for (int i : groups.getFirst()) {
            assertThat(hashed.get(i).toString()).contains("sunset");
        }
    }
}
