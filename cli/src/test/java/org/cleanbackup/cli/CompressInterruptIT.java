package org.cleanbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C while {@code compress} is compressing, with a real process: the library installs no shutdown hook, the
 * command's stop flag stops the compression after the file in hand, nothing is changed, no temporary file is left
 * (neither the finished results waiting to be placed nor a partial one), and the exit status is 130.
 */
class CompressInterruptIT {

    /** Hard links of one photo: many files to compress (so the stop comes well before the end), no disk space. */
    private static final int FILES = 200;

    @TempDir
    Path dir;

    @Test
    void ctrlCWhileCompressingChangesNothingAndLeavesNoTemporaryFile() throws Exception {
        Path source = Files.createDirectories(dir.resolve("photos"));
        Path dest = Files.createDirectories(dir.resolve("small"));
        Path first = source.resolve("photo000.jpg");
        writeNoiseJpeg(first, 1500, 1500);
        for (int i = 1; i < FILES; i++) {
            Files.createLink(source.resolve(String.format("photo%03d.jpg", i)), first);
        }

        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = List.of(java, "-Dorg.sqlite.tmpdir=" + Files.createDirectories(dir.resolve("sqlite")),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "compress", "--threads", "1", "--journal", dir.resolve("journal.db").toString(),
                "--log-file", dir.resolve("run.log").toString(), source.toString(), dest.toString());
        Path output = dir.resolve("run.out");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();

        // Signal once a finished result waits in DEST: some compressed, one in hand, more to come.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (child.isAlive() && System.nanoTime() < deadline && temporaries(dest).isEmpty()) {
            Thread.sleep(5);
        }
        new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("stopped within a minute").isTrue();
        String said = Files.readString(output);

        assertThat(child.exitValue()).as("exit status after SIGINT: %s", said).isEqualTo(130);
        assertThat(said).as("stopped while compressing").contains("stopping: the file in progress");
        assertThat(said).contains("interrupted before any change; nothing was changed");
        assertThat(temporaries(dest)).as("no result left waiting: %s", said).isEmpty();
        assertThat(temporaries(source)).isEmpty();
        try (Stream<Path> placed = Files.list(dest)) {
            assertThat(placed.toList()).as("nothing was placed").isEmpty();
        }
        try (Stream<Path> originals = Files.list(source)) {
            assertThat(originals.toList()).hasSize(FILES)
                    .allSatisfy(p -> assertThat(Files.mismatch(p, first)).isEqualTo(-1L));
        }
    }

    private static List<Path> temporaries(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(p -> p.getFileName().toString().startsWith(".cleanbackup-tmp-")).toList();
        } catch (java.io.UncheckedIOException e) {
            return List.of(); // the child is changing the folder: look again
        }
    }

    /** A photo of noise at JPEG quality 100: large, and made much smaller by any level. */
    private static void writeNoiseJpeg(Path file, int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(1);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(1.0f);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }
}
