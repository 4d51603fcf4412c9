package org.cleanbackup.cli.review;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/** Small real photo trees for the review's tests: JPEGs painted here, no file from outside the project. */
final class ReviewTrees {

    private ReviewTrees() {
    }

    /** A picture: a gradient and a few shapes from {@code seed}. */
    static BufferedImage picture(long seed, int width, int height) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(random.nextInt(0xFFFFFF)), width, height,
                new Color(random.nextInt(0xFFFFFF))));
        g.fillRect(0, 0, width, height);
        for (int i = 0; i < 10; i++) {
            g.setColor(new Color(random.nextInt(0xFFFFFF)));
            g.fillOval(random.nextInt(width), random.nextInt(height), width / 4, height / 4);
        }
        g.dispose();
        return image;
    }

    static Path jpeg(BufferedImage image, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        if (!ImageIO.write(image, "jpeg", file.toFile())) {
            throw new IOException("no JPEG writer");
        }
        return file;
    }

    /**
     * {@code photos/a/sunset.jpg} with an identical {@code photos/b/sunset.jpg} (older, so the tool keeps it), and
     * {@code photos/a/lake.jpg} with an identical {@code photos/b/lake copy.jpg}.
     */
    static Path exactPairs(Path dir) throws IOException {
        Path photos = dir.resolve("photos");
        jpeg(picture(1, 640, 480), photos.resolve("a/sunset.jpg"));
        Files.createDirectories(photos.resolve("b"));
        Files.copy(photos.resolve("a/sunset.jpg"), photos.resolve("b/sunset.jpg"));
        Files.setLastModifiedTime(photos.resolve("b/sunset.jpg"), java.nio.file.attribute.FileTime.fromMillis(1_000_000));
        jpeg(picture(2, 480, 640), photos.resolve("a/lake.jpg"));
        Files.copy(photos.resolve("a/lake.jpg"), photos.resolve("b/lake copy.jpg"));
        Files.setLastModifiedTime(photos.resolve("a/lake.jpg"), java.nio.file.attribute.FileTime.fromMillis(1_000_000));
        return photos;
    }
}
