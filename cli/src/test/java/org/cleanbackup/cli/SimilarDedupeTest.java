package org.cleanbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dedupe --mode similar on pictures the test paints and transforms, through the real command and backends. */
class SimilarDedupeTest {

    @TempDir
    Path dir;

    private Path photos;
    private String stdout;
    private String stderr;

    /** A photo-like scene: a sky gradient, a few shapes, some noise. */
    static BufferedImage scene(long seed, int width, int height) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, new Color(random.nextInt(0xFFFFFF)), width, height,
                new Color(random.nextInt(0xFFFFFF))));
        g.fillRect(0, 0, width, height);
        for (int i = 0; i < 12; i++) {
            g.setColor(new Color(random.nextInt(0xFFFFFF)));
            int w = width / 8 + random.nextInt(width / 3);
            int h = height / 8 + random.nextInt(height / 3);
            if (random.nextBoolean()) {
                g.fillOval(random.nextInt(width), random.nextInt(height), w, h);
            } else {
                g.fillRect(random.nextInt(width), random.nextInt(height), w, h);
            }
        }
        g.dispose();
        for (int i = 0; i < width * height / 20; i++) {
            image.setRGB(random.nextInt(width), random.nextInt(height), random.nextInt(0xFFFFFF));
        }
        return image;
    }

    static BufferedImage resized(BufferedImage source, double factor) {
        int w = (int) (source.getWidth() * factor);
        int h = (int) (source.getHeight() * factor);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(source, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    static void jpeg(BufferedImage image, Path file, float quality) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter writer = writers.next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    @BeforeEach
    void paint() throws IOException {
        photos = Files.createDirectories(dir.resolve("photos"));
        BufferedImage beach = scene(1, 1200, 800);
        jpeg(beach, photos.resolve("beach.jpg"), 0.92f);
        jpeg(resized(beach, 0.5), photos.resolve("beach-small.jpg"), 0.9f);
        jpeg(beach, photos.resolve("beach-q40.jpg"), 0.4f);
        ImageIO.write(resized(beach, 0.4), "png", photos.resolve("beach-thumb.png").toFile());
        jpeg(scene(2, 1200, 800), photos.resolve("mountain.jpg"), 0.92f);
        jpeg(scene(3, 800, 1200), photos.resolve("forest.jpg"), 0.92f);
        Files.writeString(photos.resolve("broken.jpg"), "this is not a JPEG at all");
    }

    private int run(String... args) {
        String[] all = new String[args.length + 6];
        all[0] = args[0];
        System.arraycopy(new String[] {"--journal", dir.resolve("j.db").toString(), "--log-file",
                dir.resolve("log").toString(), "--cache", dir.resolve("cache.db").toString()}, 0, all, 1, 6);
        System.arraycopy(args, 1, all, 7, args.length - 1);
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), all);
        stdout = o.toString();
        stderr = e.toString();
        return code;
    }

    @Test
    void findsTheTransformedCopiesKeepsTheBestAndUndoes() throws IOException {
        Path out = dir.resolve("similar");
        int code = run("dedupe", "--mode", "similar", "--action", "move", "--to", out.toString(), photos.toString());

        assertThat(code).as("the damaged file makes it 1: %s", stderr).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(stderr).contains("broken.jpg").hasLineCount(1);
        assertThat(photos.resolve("beach.jpg")).as("most pixels, larger file: kept").exists();
        assertThat(out.resolve("photos/beach-small.jpg")).exists();
        assertThat(out.resolve("photos/beach-q40.jpg")).exists();
        assertThat(out.resolve("photos/beach-thumb.png")).exists();
        assertThat(photos.resolve("mountain.jpg")).as("a different picture stays").exists();
        assertThat(photos.resolve("forest.jpg")).exists();
        assertThat(photos.resolve("broken.jpg")).as("damaged: reported, never grouped").exists();
        assertThat(stdout).contains("Images hashed: 6");

        assertThat(run("undo")).isZero();
        assertThat(photos.resolve("beach-small.jpg")).exists();
        assertThat(out).doesNotExist();

        assertThat(run("dedupe", "--mode", "similar", photos.toString())).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(stdout).as("unchanged files come from the cache").contains("from the cache: 6");
    }

    private int duplicates(String... flags) {
        String[] args = new String[flags.length + 5];
        args[0] = "dedupe";
        args[1] = "--mode";
        args[2] = "similar";
        args[3] = "--json";
        args[4] = "-";
        System.arraycopy(flags, 0, args, 5, flags.length);
        run(args);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"duplicates\" : (\\d+)").matcher(stdout);
        assertThat(m.find()).as(stdout).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void presetsAreTheDocumentedThresholdsAndAHigherThresholdNeverFindsLess() throws IOException {
        // A heavier edit: a third of the picture painted over, so distances spread across thresholds.
        BufferedImage beach = ImageIO.read(photos.resolve("beach.jpg").toFile());
        Graphics2D g = beach.createGraphics();
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, beach.getWidth() / 3, beach.getHeight());
        g.dispose();
        jpeg(beach, photos.resolve("beach-edited.jpg"), 0.9f);
        String folder = photos.toString();
        int previous = 0;
        for (int t = 0; t <= 16; t += 2) {
            int found = duplicates("--threshold", Integer.toString(t), folder);
            assertThat(found).as("threshold %d", t).isGreaterThanOrEqualTo(previous);
            previous = found;
        }
        assertThat(duplicates("--sensitivity", "exact", folder)).isEqualTo(duplicates("--threshold", "2", folder));
        assertThat(duplicates("--sensitivity", "standard", folder)).isEqualTo(duplicates("--threshold", "10", folder));
        assertThat(duplicates("--sensitivity", "aggressive", folder)).isEqualTo(duplicates("--threshold", "12", folder));
        assertThat(duplicates(folder)).as("standard is the default").isEqualTo(duplicates("--threshold", "10", folder));
        assertThat(duplicates("--threshold", "8", folder)).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aRotatedCopyIsFoundOnlyWithOrientations() throws IOException {
        BufferedImage beach = ImageIO.read(photos.resolve("beach.jpg").toFile());
        BufferedImage turned = new BufferedImage(beach.getHeight(), beach.getWidth(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < beach.getHeight(); y++) {
            for (int x = 0; x < beach.getWidth(); x++) {
                turned.setRGB(beach.getHeight() - 1 - y, x, beach.getRGB(x, y));
            }
        }
        Path only = Files.createDirectories(dir.resolve("rot"));
        Files.copy(photos.resolve("beach.jpg"), only.resolve("beach.jpg"));
        jpeg(turned, only.resolve("beach-turned.jpg"), 0.92f);
        run("dedupe", "--mode", "similar", "--no-cache", only.toString());
        assertThat(stdout).contains("0 duplicates");
        run("dedupe", "--mode", "similar", "--orientations", "--no-cache", only.toString());
        assertThat(stdout).contains("1 duplicate");
    }

    /**
     * A JPEG as a camera writes it: the pixels, then EXIF with Make, Model, DateTimeOriginal and the pixel size in
     * PixelXDimension/PixelYDimension.
     */
    static void cameraJpeg(BufferedImage image, Path file) throws IOException {
        java.io.ByteArrayOutputStream plain = new java.io.ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", plain);
        byte[] jpeg = plain.toByteArray();
        java.nio.ByteBuffer tiff = java.nio.ByteBuffer.allocate(512).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        byte[] make = "Canon\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] model = "Canon PowerShot A85\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] date = "2005:01:31 05:51:17\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int ifd0 = 8;
        int exifIfd = ifd0 + 2 + 3 * 12 + 4;
        int data = exifIfd + 2 + 3 * 12 + 4;
        tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(ifd0);
        tiff.putShort((short) 3);
        tiff.putShort((short) 0x010F).putShort((short) 2).putInt(make.length).putInt(data);
        tiff.putShort((short) 0x0110).putShort((short) 2).putInt(model.length).putInt(data + make.length);
        tiff.putShort((short) 0x8769).putShort((short) 4).putInt(1).putInt(exifIfd);
        tiff.putInt(0);
        tiff.putShort((short) 3);
        tiff.putShort((short) 0x9003).putShort((short) 2).putInt(date.length).putInt(data + make.length + model.length);
        tiff.putShort((short) 0xA002).putShort((short) 4).putInt(1).putInt(image.getWidth());
        tiff.putShort((short) 0xA003).putShort((short) 4).putInt(1).putInt(image.getHeight());
        tiff.putInt(0);
        tiff.put(make).put(model).put(date);
        int length = tiff.position();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(0xE1);
        out.write((length + 8) >> 8);
        out.write((length + 8) & 0xFF);
        out.write("Exif\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.write(tiff.array(), 0, length);
        out.write(jpeg, 2, jpeg.length - 2);
        Files.write(file, out.toByteArray());
    }

    /**
     * The camera original beside a larger PNG export and an upscale, all with the same file time (so only the files
     * tell them apart): best keeps the original and says why; largest keeps the upscale, today's rule for those who
     * want it.
     */
    @Test
    void keepBestKeepsTheCameraOriginalOverALargerExportAndAnUpscale() throws IOException {
        Path set = Files.createDirectories(dir.resolve("set"));
        BufferedImage original = scene(7, 640, 480);
        cameraJpeg(original, set.resolve("IMG_0001.JPG"));
        ImageIO.write(original, "png", set.resolve("export.png").toFile());
        jpeg(resized(original, 1.25), set.resolve("upscaled.jpg"), 0.98f);
        java.nio.file.attribute.FileTime time = java.nio.file.attribute.FileTime.fromMillis(1_600_000_000_000L);
        for (String name : new String[] {"IMG_0001.JPG", "export.png", "upscaled.jpg"}) {
            Files.setLastModifiedTime(set.resolve(name), time);
        }
        assertThat(Files.size(set.resolve("export.png"))).isGreaterThan(Files.size(set.resolve("IMG_0001.JPG")));

        assertThat(run("dedupe", "--mode", "similar", set.toString())).as(stderr).isZero();
        assertThat(stdout).containsPattern("keep  .*IMG_0001\\.JPG  \\(best copy: camera original \\(Canon PowerShot A85,"
                + " DateTimeOriginal\\)");

        assertThat(run("dedupe", "--mode", "similar", "--keep", "largest", set.toString())).as(stderr).isZero();
        assertThat(stdout).containsPattern("keep  .*upscaled\\.jpg  \\(largest copy: 0\\.48 MP");
    }
}
