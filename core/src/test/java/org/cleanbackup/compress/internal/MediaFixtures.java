package org.cleanbackup.compress.internal;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Test media: made by the test, or small files from the test resources, or the shared corpus when present. */
public final class MediaFixtures {

    /** The shared corpus; absent on a user's clone. */
    public static final Path CORPUS = Path.of("..", "..", "shared", "corpus").toAbsolutePath().normalize();

    private MediaFixtures() {
    }

    /** A photo-like picture: smooth gradients, edges and a little noise, so JPEG levels differ in size. */
    public static BufferedImage photoLike(int width, int height, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (x * 255 / width + random.nextInt(12)) & 0xFF;
                int g = (y * 255 / height + random.nextInt(12)) & 0xFF;
                int b = ((x / 16 + y / 16) % 2 == 0 ? 200 : 40) + random.nextInt(10);
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return image;
    }

    /** A JPEG of {@code image} at the given quality (0..1), as ImageIO writes it (with a JFIF header). */
    public static byte[] jpeg(BufferedImage image, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * A quality-100 JPEG of a made-up picture that carries the metadata segments (EXIF with DateTimeOriginal and
     * GPS, ICC, XMP) of a real camera file from the test resources: big enough that every level makes it smaller.
     */
    public static byte[] cameraJpegAtQuality100(int width, int height) throws IOException {
        byte[] camera = resource("/compress/fujifilm-s2pro-gps-icc.jpg");
        byte[] plain = jpeg(photoLike(width, height, 7), 1.0f);
        JpegSegments header = JpegSegments.parse(camera);
        return JpegSegments.splice(camera, header.metadataToKeep(camera), plain);
    }

    /** A file from the test resources. */
    public static byte[] resource(String name) throws IOException {
        try (InputStream in = MediaFixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }

    /** Whether a program runs (ffmpeg, ffprobe). */
    public static boolean installed(String program) {
        try {
            Process p = new ProcessBuilder(program, "-version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs a program and returns its standard output; fails the test when it exits non-zero. */
    public static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    /**
     * A short test video made by ffmpeg: colour bars and a sine tone, with a creation time and a 90 degree rotation.
     */
    public static Path testVideo(Path dir, String name, int seconds) throws IOException, InterruptedException {
        Path video = dir.resolve(name);
        Files.createDirectories(dir);
        run(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin",
                "-f", "lavfi", "-i", "testsrc=duration=" + seconds + ":size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:duration=" + seconds,
                // near-lossless input, so that every level really makes it smaller
                "-c:v", "libx264", "-qp", "0", "-c:a", "pcm_s16le",
                "-metadata", "creation_time=2021-06-15T10:20:30.000000Z",
                "-metadata:s:v:0", "rotate=90",
                video.toString()));
        return video;
    }
}
