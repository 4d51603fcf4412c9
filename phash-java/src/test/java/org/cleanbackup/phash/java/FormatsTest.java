package org.cleanbackup.phash.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cleanbackup.phash.ImageDecodeException;
import org.cleanbackup.phash.PerceptualHash;
import org.cleanbackup.phash.PerceptualHasher;
import org.cleanbackup.phash.PerceptualHashers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every supported format decodes to (nearly) the same hash as the JPEG it was made from. */
class FormatsTest {

    private static final PerceptualHasher HASHER = TestImages.scalar();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"png", "bmp", "gif", "tiff"})
    void imageIoFormats(String format) throws IOException {
        Path original = TestImages.copy("photo-stadium.jpg", dir);
        BufferedImage img = TestImages.read(original);
        if (format.equals("gif")) {
            BufferedImage indexed = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_BYTE_INDEXED);
            indexed.createGraphics().drawImage(img, 0, 0, null);
            img = indexed;
        }
        Path copy = Files.write(dir.resolve("copy." + format), TestImages.encode(img, format));
        assertThat(ImageLumaDecoder.sniff(Files.readAllBytes(copy), 32, format).name().toLowerCase())
                .isEqualTo(format.equals("tiff") ? "tiff" : format);
        assertThat(HASHER.hash(original).distance(HASHER.hash(copy))).isLessThanOrEqualTo(PerceptualHash.DEFAULT_THRESHOLD);
    }

    @Test
    void heicThroughLibheif() throws IOException {
        assumeThat(Heif.unavailableReason()).as("libheif1 is not installed here, so HEIC cannot be decoded").isEmpty();
        Path heic = TestImages.copy("cheers.heic", dir);
        PerceptualHash h = HASHER.hash(heic);
        // no JPEG twin of this file here: check the decode is a real picture (not flat, not noise) and repeatable
        float[] luma = HASHER.decode(heic).luma();
        double min = 255;
        double max = 0;
        for (float v : luma) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(max - min).isGreaterThan(50);
        assertThat(HASHER.hash(heic)).isEqualTo(h);
    }

    @Test
    void heicWithoutLibheifSaysWhatToInstall() {
        assumeThat(Heif.unavailableReason()).as("libheif1 is installed here; this checks the message when it is not")
                .isPresent();
        Path heic;
        try {
            heic = TestImages.copy("cheers.heic", dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HASHER.hash(heic))
                .isInstanceOf(ImageDecodeException.class).hasMessageContaining("install libheif1");
    }

    @Test
    void rawFilesAreHashedThroughTheirEmbeddedPreview() throws IOException {
        byte[] jpeg = TestImages.resource("photo-boat.jpg");
        Path raw = Files.write(dir.resolve("DSC_0001.NEF"), tiffWithPreview(jpeg));
        Path plain = Files.write(dir.resolve("plain.jpg"), jpeg);
        assertThat(HASHER.hash(raw)).isEqualTo(HASHER.hash(plain));
    }

    @Test
    void rawWithoutPreviewIsAProblem() throws IOException {
        Path raw = Files.write(dir.resolve("x.cr2"), tiffWithPreview(new byte[]{1, 2, 3, 4, 5, 6}));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HASHER.hash(raw))
                .isInstanceOf(ImageDecodeException.class).hasMessageContaining("without an embedded JPEG preview");
    }

    /** A little-endian TIFF whose IFD0 has a small thumbnail and whose SubIFD points at the full JPEG. */
    static byte[] tiffWithPreview(byte[] jpeg) {
        ByteBuffer b = ByteBuffer.allocate(8 + 2 + 12 * 2 + 4 + 2 + 12 * 2 + 4 + jpeg.length).order(ByteOrder.LITTLE_ENDIAN);
        int ifd0 = 8;
        int sub = ifd0 + 2 + 24 + 4;
        int data = sub + 2 + 24 + 4;
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(ifd0);
        b.putShort((short) 2);
        b.putShort((short) 0x0103).putShort((short) 3).putInt(1).putInt(1); // uncompressed sensor data
        b.putShort((short) 0x014A).putShort((short) 4).putInt(1).putInt(sub);
        b.putInt(0);
        b.putShort((short) 2);
        b.putShort((short) 0x0201).putShort((short) 4).putInt(1).putInt(data);
        b.putShort((short) 0x0202).putShort((short) 4).putInt(1).putInt(jpeg.length);
        b.putInt(0);
        b.put(jpeg);
        return b.array();
    }

    @Test
    void corpusWebpWhenPresent() throws IOException {
        Path webp = CorpusTest.corpus().resolve("webp/webpvp8.webp");
        assumeThat(Files.exists(webp)).as("the shared test corpus is absent (a user's clone has none)").isTrue();
        assertThat(HASHER.hash(webp).bits()).isNotZero();
    }

    @Test
    void backendsAreFoundByServiceLoaderAndVectorIsPreferred() {
        assertThat(PerceptualHashers.backends()).extracting(b -> b.name() + ":" + b.usable())
                .containsExactly("vector:true", "scalar:true");
        assertThat(PerceptualHashers.fastest().name()).isEqualTo("vector");
        assertThat(PerceptualHashers.get("scalar").kernel()).isInstanceOf(ScalarDctKernel.class);
        // the java decoder passed its known-answer self-test (a JPEG core holds), else it would not be asked
        assertThat(PerceptualHashers.backends()).allSatisfy(b -> assertThat(b.decoders()).containsExactly("java"));
    }
}
