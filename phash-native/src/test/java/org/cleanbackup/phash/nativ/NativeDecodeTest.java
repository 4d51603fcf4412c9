package org.cleanbackup.phash.nativ;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.cleanbackup.phash.HashResult;
import org.cleanbackup.phash.ImageDecodeException;
import org.cleanbackup.phash.PerceptualHash;
import org.cleanbackup.phash.PerceptualHasher;
import org.cleanbackup.phash.PerceptualHashers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libjpeg-turbo decoding through FFM: close to the Java decoder, and damaged files never take the JVM down. The one
 * test class that needs phash-java (a test dependency): it compares the two decoders, and checks that what the native
 * decoder declines reaches the Java one.
 */
class NativeDecodeTest {

    private PerceptualHasher nat;
    private PerceptualHasher java;

    @TempDir
    Path dir;

    @BeforeEach
    void needsTheLibrary() {
        NativeTestSupport.assumeNativeLibrary();
        nat = PerceptualHashers.get("native");
        java = PerceptualHashers.get("scalar");
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] bundled(String name) throws IOException {
        return Files.readAllBytes(NativeTestSupport.BUNDLED.resolve(name));
    }

    @Test
    void nativeIsTheFastestBackendAndListsItself() {
        assertThat(PerceptualHashers.fastest().name()).isEqualTo("native");
        assertThat(PerceptualHashers.backends()).extracting(b -> b.name() + ":" + b.usable() + ":" + b.active())
                .containsExactly("native:true:true", "vector:true:false", "scalar:true:false");
        assertThat(NativeLibrary.platform()).matches("[a-z]+/[a-z0-9_]+");
    }

    /**
     * End to end (decode included), native against Java: the decoders differ (DCT-domain scaling of the Y channel
     * against full decoding and RGB luma), so bits may differ a little. Target: at most 2 bits on 99% of images.
     */
    @Test
    void endToEndHammingDistanceToTheJavaDecoder() throws IOException {
        List<Path> photos = NativeTestSupport.photos();
        int[] histogram = new int[65];
        for (Path p : photos) {
            histogram[nat.hash(p).distance(java.hash(p))]++;
        }
        StringBuilder shown = new StringBuilder();
        for (int d = 0; d <= 64; d++) {
            if (histogram[d] > 0) {
                shown.append(d).append(" bits: ").append(histogram[d]).append("; ");
            }
        }
        System.out.println("[native vs Java end to end] " + photos.size() + " images: " + shown);
        int within2 = histogram[0] + histogram[1] + histogram[2];
        assertThat(within2).as(shown.toString()).isGreaterThanOrEqualTo((int) Math.ceil(photos.size() * 0.99));
    }

    @Test
    void exifOrientationIsReadByTheCParser() throws IOException {
        byte[] jpeg = bundled("photo-boat.jpg");
        for (int o = 1; o <= 8; o++) {
            Path tagged = write("o" + o + ".jpg", withExif(jpeg, o));
            assertThat(nat.decode(tagged).orientation().exifValue()).isEqualTo(o);
            assertThat(nat.decode(tagged).orientation()).isEqualTo(java.decode(tagged).orientation());
        }
    }

    static byte[] withExif(byte[] jpeg, int orientation) {
        byte[] tiff = {'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte) orientation, 0, 0, 0,
                0, 0, 0, 0};
        byte[] out = new byte[jpeg.length + 4 + 6 + tiff.length];
        out[0] = (byte) 0xFF;
        out[1] = (byte) 0xD8;
        out[2] = (byte) 0xFF;
        out[3] = (byte) 0xE1;
        int len = 2 + 6 + tiff.length;
        out[4] = (byte) (len >> 8);
        out[5] = (byte) len;
        System.arraycopy("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), 0, out, 6, 6);
        System.arraycopy(tiff, 0, out, 12, tiff.length);
        // the inserted APP1 comes first, so the C parser (first EXIF APP1 wins) and metadata-extractor agree
        System.arraycopy(jpeg, 2, out, 12 + tiff.length, jpeg.length - 2);
        return out;
    }

    private void assertProblem(Path file, String reason) {
        assertThatThrownBy(() -> nat.hash(file)).isInstanceOf(ImageDecodeException.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).startsWith(file + ": ").doesNotContain("\n");
                    assertThat(((ImageDecodeException) e).reason()).containsIgnoringCase(reason);
                });
    }

    @Test
    void truncatedJpegIsAnErrorFromLibjpegNotACrash() throws IOException {
        byte[] jpeg = bundled("photo-boat.jpg");
        assertProblem(write("cut.jpg", Arrays.copyOf(jpeg, jpeg.length / 2)), "truncated JPEG (Premature end of JPEG file)");
        assertProblem(write("header-only.jpg", Arrays.copyOf(jpeg, 300)), "JPEG");
    }

    @Test
    void zeroLengthAndTextFilesGoToTheJavaDecodersMessages() throws IOException {
        assertProblem(write("empty.jpg", new byte[0]), "empty file");
        assertProblem(write("notes.jpg", "not a picture".getBytes(StandardCharsets.UTF_8)), "it holds text");
    }

    @Test
    void bombIsRefusedFromTheHeader() throws IOException {
        byte[] jpeg = bundled("photo-boat.jpg");
        assertProblem(write("bomb.jpg", patchSize(jpeg, 65_000, 65_000)), "65000 x 65000 = 4225000000 pixels, above the limit");
    }

    /** A progressive JPEG whose first scan is repeated {@code copies} times: every copy is another full pass. */
    static byte[] withRepeatedFirstScan(int copies) throws IOException {
        BufferedImage image = new BufferedImage(64, 64,
                BufferedImage.TYPE_INT_RGB);
        javax.imageio.ImageWriter writer = javax.imageio.ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var out = javax.imageio.ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
            writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        byte[] b = bytes.toByteArray();
        int sos = 2;
        while ((b[sos + 1] & 0xFF) != 0xDA) {
            sos += 2 + (((b[sos + 2] & 0xFF) << 8) | (b[sos + 3] & 0xFF));
        }
        int end = sos + 2 + (((b[sos + 2] & 0xFF) << 8) | (b[sos + 3] & 0xFF));
        while (!((b[end] & 0xFF) == 0xFF && b[end + 1] != 0 && ((b[end + 1] & 0xFF) < 0xD0 || (b[end + 1] & 0xFF) > 0xD7))) {
            end++; // the scan's entropy-coded data runs to the next marker
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b, 0, end);
        for (int i = 0; i < copies; i++) {
            out.write(b, sos, end - sos);
        }
        out.write(b, end, b.length - end);
        return out.toByteArray();
    }

    @Test
    void aProgressiveJpegOfThousandsOfScansIsRefused() throws IOException {
        assertProblem(write("scans.jpg", withRepeatedFirstScan(600)), "more than 500 scans");
    }

    static byte[] patchSize(byte[] jpeg, int w, int h) {
        byte[] b = jpeg.clone();
        for (int p = 2; p + 9 < b.length; ) {
            int marker = b[p + 1] & 0xFF;
            if (marker >= 0xC0 && marker <= 0xC2) {
                b[p + 5] = (byte) (h >> 8);
                b[p + 6] = (byte) h;
                b[p + 7] = (byte) (w >> 8);
                b[p + 8] = (byte) w;
                return b;
            }
            p += 2 + (((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF));
        }
        throw new IllegalStateException("no SOF");
    }

    @Test
    void cmykJpegFallsBackToJavaAndStillMatches() throws IOException {
        Path cmyk = NativeTestSupport.BUNDLED.resolve("boat-cmyk.jpg");
        Path rgb = NativeTestSupport.BUNDLED.resolve("photo-boat.jpg");
        assertThat(nat.hash(cmyk).distance(nat.hash(rgb))).isLessThanOrEqualTo(PerceptualHash.DEFAULT_THRESHOLD);
    }

    @Test
    void byteFlippedJpegsNeverCrashTheJvm() throws Exception {
        byte[] jpeg = bundled("photo-stadium.jpg");
        SplittableRandom r = new SplittableRandom(99);
        List<Path> files = new ArrayList<>();
        for (int n = 0; n < 200; n++) {
            byte[] b = jpeg.clone();
            for (int k = 0; k < 1 + n % 20; k++) {
                int p = 2 + r.nextInt(b.length - 2); // headers included: Huffman tables, SOF, SOS all get hit
                b[p] = (byte) r.nextInt(256);
            }
            files.add(write("f" + n + ".jpg", b));
        }
        List<HashResult> results = nat.hashAll(files, 2, x -> { });
        assertThat(results).hasSize(200);
        long failed = results.stream().filter(x -> x instanceof HashResult.Failed).count();
        System.out.println("[byte-flipped JPEGs] " + (200 - failed) + " hashed, " + failed + " reported as problems");
        results.stream().filter(x -> x instanceof HashResult.Failed).map(x -> ((HashResult.Failed) x).message())
                .forEach(m -> assertThat(m).isNotBlank().doesNotContain("\n"));
    }

    @Test
    void fuzzedCorpusFilesWhenPresent() throws Exception {
        org.assertj.core.api.Assumptions.assumeThat(NativeTestSupport.corpusPresent())
                .as("the shared test corpus is absent (a user's clone has none)").isTrue();
        List<Path> files = new ArrayList<>();
        try (var s = Files.list(NativeTestSupport.corpus().resolve("fuzzed"))) {
            s.sorted().forEach(files::add);
        }
        assertThat(nat.hashAll(files, 2, x -> { })).hasSize(files.size());
    }
}
