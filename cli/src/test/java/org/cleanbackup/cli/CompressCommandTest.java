package org.cleanbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cleanbackup compress} through the real command line. */
class CompressCommandTest {

    private static final long TIME = 1_500_000_000_000L;

    @TempDir
    Path dir;

    private Path photos;
    private String stdout;
    private String stderr;

    /** A photo-like JPEG at quality 100 (so every level makes it smaller). */
    private static byte[] jpeg(int w, int h, long seed) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8 | random.nextInt(40));
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(1.0f);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private void put(String relative, byte[] content) throws IOException {
        Path file = photos.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        Files.setLastModifiedTime(file, FileTime.fromMillis(TIME));
    }

    @BeforeEach
    void aPhoneBackup() throws IOException {
        photos = dir.resolve("phone");
        put("2019/07/IMG_0001.jpg", jpeg(320, 240, 1));
        put("2019/07/IMG_0002.JPG", jpeg(240, 320, 2));
        put("2020/screens/shot.png", pngUncompressed());
        put("2020/anim.gif", "GIF89a not really compressible".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @AfterEach
    void clearProperties() {
        System.clearProperty("cleanbackup.ffmpeg");
    }

    private static byte[] pngUncompressed() throws IOException {
        BufferedImage image = new BufferedImage(120, 80, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 80; y++) {
            for (int x = 0; x < 120; x++) {
                image.setRGB(x, y, (x + y) % 256 << 24 | x << 16 | y << 8);
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(1.0f);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(1, List.of("--journal", dir.resolve("journal.db").toString(),
                "--log-file", dir.resolve("log.txt").toString()));
        if (args[0].equals("compress")) {
            all.addAll(1, List.of("--retry-delay", "1ms"));
        }
        String[] argv = all.toArray(String[]::new);
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), argv);
        stdout = o.toString();
        stderr = e.toString();
        return code;
    }

    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                tree.put(root.relativize(p).toString(), Files.isDirectory(p) ? "dir"
                        : java.util.Arrays.hashCode(Files.readAllBytes(p)) + "@" + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return tree;
    }

    private static boolean ffmpegInstalled() {
        try {
            Process p = new ProcessBuilder("ffmpeg", "-version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void compressesIntoDestKeepingFoldersTimesAndCopyingWhatItCannotCompress() throws IOException {
        Map<String, String> before = snapshot(photos);
        Path dest = dir.resolve("small");

        int code = run("compress", "--level", "2", "--json", dir.resolve("report.json").toString(),
                photos.toString(), dest.toString());

        assertThat(code).as(stderr).isZero();
        assertThat(snapshot(photos)).as("SOURCE is never changed").isEqualTo(before);
        for (String f : List.of("2019/07/IMG_0001.jpg", "2019/07/IMG_0002.JPG", "2020/screens/shot.png")) {
            assertThat(Files.size(dest.resolve(f))).as(f).isLessThan(Files.size(photos.resolve(f)));
            assertThat(Files.getLastModifiedTime(dest.resolve(f)).toMillis()).as(f).isEqualTo(TIME);
        }
        assertThat(dest.resolve("2020/anim.gif")).hasSameBinaryContentAs(photos.resolve("2020/anim.gif"));
        assertThat(stdout).contains("Compressed 3 of 4 files at level 2").contains("jpeg:   2 compressed")
                .contains("png:    1 compressed").contains("gif:    1 copied unchanged").contains("cleanbackup undo");
        JsonNode json = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        assertThat(json.at("/summary/files").asInt()).isEqualTo(4);
        assertThat(json.at("/summary/compressed").asInt()).isEqualTo(3);
        assertThat(json.at("/summary/bytesSaved").asLong()).isPositive();
        assertThat(json.at("/summary/formats/jpeg/compressed").asInt()).isEqualTo(2);
        try (Stream<Path> walk = Files.walk(dir)) {
            assertThat(walk.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".cleanbackup-tmp-")))
                    .as("no temporary file is left").isEmpty();
        }
    }

    @Test
    void theSummarySaysWhenAKilledRunsUnfinishedOutputWasRemoved() throws IOException {
        Path dest = Files.createDirectories(dir.resolve("small/2019"));
        // The name a run with process id 0xffffffff would write: above any Linux pid_max, so no live run has it.
        Path stale = dest.resolve(String.format("%sffffffff%08x.part",
                org.cleanbackup.compress.CompressionPlanner.TEMP_PREFIX, 7));
        Files.write(stale, new byte[100]);
        Files.setLastModifiedTime(stale, FileTime.fromMillis(TIME));

        int code = run("compress", "--level", "2", "--json", dir.resolve("report.json").toString(),
                photos.toString(), dir.resolve("small").toString());

        assertThat(code).as(stderr).isZero();
        assertThat(stale).doesNotExist();
        assertThat(stdout).contains("Removed 1 unfinished output file that an interrupted run had left behind.");
        JsonNode json = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        assertThat(json.at("/summary/staleTemporariesRemoved").asInt()).isEqualTo(1);
    }

    @Test
    void inPlaceThenUndoRestoresTheOriginalsByteForByte() throws IOException {
        Map<String, String> before = snapshot(photos);

        int code = run("compress", "--in-place", "--level", "3", photos.toString());
        assertThat(code).as(stderr).isZero();
        Path trashed = photos.resolve(".cleanbackup-trash/1/2019/07/IMG_0001.jpg");
        assertThat(trashed).as("the original waits in the trash").exists();
        assertThat(Files.size(photos.resolve("2019/07/IMG_0001.jpg"))).isLessThan(Files.size(trashed));
        assertThat(Files.getLastModifiedTime(photos.resolve("2019/07/IMG_0001.jpg")).toMillis()).isEqualTo(TIME);
        assertThat(photos.resolve("2020/anim.gif")).as("a format that is not compressed stays as it is").exists();
        Path real = photos.toRealPath();
        assertThat(stdout).as("each change, the compressed file named by its original, not its temporary name")
                .contains("Changes made:\n")
                .contains("  delete   " + real.resolve("2019/07/IMG_0001.jpg") + " -> "
                        + real.resolve(".cleanbackup-trash/1/2019/07/IMG_0001.jpg") + "  (")
                .contains("  compress " + real.resolve("2019/07/IMG_0001.jpg") + " -> "
                        + real.resolve("2019/07/IMG_0001.jpg") + "  (compressed jpeg, level 3: ")
                .doesNotContain(".cleanbackup-tmp-");

        int undo = run("undo", "last");
        assertThat(undo).as(stderr).isZero();
        assertThat(stdout).contains("Changes made:\n").contains("  restore  " + real.resolve(".cleanbackup-trash/1/"));
        Map<String, String> after = snapshot(photos);
        after.keySet().removeIf(k -> k.startsWith(".cleanbackup-trash"));
        assertThat(after).isEqualTo(before);
    }

    @Test
    void destInsideSourceIsRefusedAndNothingChanges() throws IOException {
        Map<String, String> before = snapshot(dir);
        int code = run("compress", photos.toString(), photos.resolve("small").toString());
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(stderr).contains("is inside SOURCE").contains("--in-place");
        Map<String, String> after = snapshot(dir);
        after.keySet().removeIf(k -> k.startsWith("log.txt"));
        before.keySet().removeIf(k -> k.startsWith("log.txt"));
        assertThat(after).isEqualTo(before);
    }

    @Test
    void dryRunChangesNothingAndSaysWhatItWouldSave() throws IOException {
        Map<String, String> before = snapshot(dir);
        int code = run("compress", "--dry-run", photos.toString(), dir.resolve("small").toString());
        assertThat(code).as(stderr).isZero();
        assertThat(stdout).contains("Dry run: these changes would be made").contains("Dry run: would compress 3 of 4")
                .contains("would save");
        Map<String, String> after = snapshot(dir);
        after.keySet().removeIf(k -> k.startsWith("log.txt"));
        before.keySet().removeIf(k -> k.startsWith("log.txt"));
        assertThat(after).isEqualTo(before);
    }

    @Test
    void withoutFfmpegVideosAreSkippedWithTheReasonAndImagesStillWork() throws IOException {
        put("2021/clip.mp4", new byte[2048]);
        System.setProperty("cleanbackup.ffmpeg", dir.resolve("no-ffmpeg-here").toString());
        Path dest = dir.resolve("small");

        int code = run("compress", photos.toString(), dest.toString());

        assertThat(code).as("skipped files are listed, not failures").isZero();
        assertThat(stderr).contains("skipped: " + photos.toRealPath().resolve("2021/clip.mp4") + ": ")
                .contains("not installed");
        assertThat(dest.resolve("2021/clip.mp4")).doesNotExist();
        assertThat(Files.size(dest.resolve("2019/07/IMG_0001.jpg"))).isLessThan(
                Files.size(photos.resolve("2019/07/IMG_0001.jpg")));
        assertThat(stdout).contains("video:  1 skipped");
    }

    @Test
    void onlyVideosLeavesImagesAlone() throws IOException {
        assumeTrue(ffmpegInstalled(), "needs ffmpeg on the PATH (CI installs it)");
        Path dest = dir.resolve("small");
        int code = run("compress", "--only", "videos", photos.toString(), dest.toString());
        assertThat(code).as(stderr).isZero();
        assertThat(dest).doesNotExist();
        assertThat(stdout).contains("Compressed 0 of 0 files");
    }

    @Test
    void aDamagedPhotoIsReportedOnOneLineAndCopiedUnchanged() throws IOException {
        byte[] whole = jpeg(200, 200, 9);
        put("broken.jpg", java.util.Arrays.copyOf(whole, whole.length / 2));
        Path dest = dir.resolve("small");
        int code = run("compress", photos.toString(), dest.toString());
        assertThat(code).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(stderr).containsPattern("problem: .*broken\\.jpg: damaged: .*; copied unchanged");
        assertThat(dest.resolve("broken.jpg")).hasSameBinaryContentAs(photos.resolve("broken.jpg"));
    }

    @Test
    void usageMistakesExitWithTwo() {
        assertThat(run("compress", "--level", "4", photos.toString(), dir.resolve("x").toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(stderr).contains("--level 4 does not exist");
        assertThat(run("compress", "--in-place", photos.toString(), dir.resolve("x").toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(run("compress", photos.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(stderr).contains("--in-place");
        assertThat(run("compress", "--only", "music", photos.toString(), dir.resolve("x").toString()))
                .isEqualTo(ExitCodes.USAGE);
    }
}
