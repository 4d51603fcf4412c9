package org.cleanbackup.compress.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.cleanbackup.compress.CompressionException;
import org.cleanbackup.compress.CompressionLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PngCompressorTest {

    @TempDir
    Path dir;

    private final PngCompressor png = new PngCompressor();

    /** Images of the kinds PNG holds, written by ImageIO with no compression at all. */
    private static BufferedImage image(String kind) {
        int w = 200;
        int h = 150;
        BufferedImage image = switch (kind) {
            case "rgba", "interlaced" -> new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
            case "gray16" -> new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
            case "palette" -> {
                byte[] r = new byte[16];
                byte[] g = new byte[16];
                byte[] b = new byte[16];
                for (int i = 0; i < 16; i++) {
                    r[i] = (byte) (i * 16);
                    g[i] = (byte) (255 - i * 16);
                    b[i] = (byte) (i * 7);
                }
                yield new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY, new IndexColorModel(4, 16, r, g, b));
            }
            default -> throw new IllegalArgumentException(kind);
        };
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int alpha = kind.equals("rgba") || kind.equals("interlaced") ? (x + y) % 256 : 255;
                image.setRGB(x, y, alpha << 24 | (x * 255 / w) << 16 | (y * 255 / h) << 8 | ((x / 10 + y / 10) % 2) * 255);
            }
        }
        return image;
    }

    private static byte[] uncompressedPng(BufferedImage image, boolean interlaced) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(1.0f); // deflate level 0: stored blocks
        if (interlaced) {
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static byte[] chunk(String type, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        out.writeBytes(new byte[] {(byte) (data.length >>> 24), (byte) (data.length >>> 16), (byte) (data.length >>> 8),
                (byte) data.length});
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        int c = (int) crc.getValue();
        out.writeBytes(new byte[] {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
        return out.toByteArray();
    }

    private static byte[] zlib(byte[] data) {
        Deflater d = new Deflater();
        d.setInput(data);
        d.finish();
        byte[] buf = new byte[data.length + 64];
        int n = d.deflate(buf);
        d.end();
        return Arrays.copyOf(buf, n);
    }

    /** The chunks a user cares about: text of the three kinds and an ICC profile, plus a private safe-to-copy one. */
    private static List<byte[]> metadataChunks() throws IOException {
        List<byte[]> chunks = new ArrayList<>();
        chunks.add(chunk("tEXt", "Title\0Holiday 1998".getBytes(StandardCharsets.ISO_8859_1)));
        chunks.add(chunk("iTXt", "Description\0\0\0de\0Beschreibung\0Strand von Sylt".getBytes(StandardCharsets.UTF_8)));
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        z.writeBytes("Comment\0\0".getBytes(StandardCharsets.ISO_8859_1));
        z.writeBytes(zlib("a long comment that is stored compressed".getBytes(StandardCharsets.ISO_8859_1)));
        chunks.add(chunk("zTXt", z.toByteArray()));
        byte[] icc = java.awt.color.ICC_Profile.getInstance(java.awt.color.ColorSpace.CS_sRGB).getData();
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes("sRGB IEC61966-2.1\0\0".getBytes(StandardCharsets.ISO_8859_1));
        p.writeBytes(zlib(icc));
        chunks.add(chunk("iCCP", p.toByteArray()));
        chunks.add(chunk("prVt", "safe to copy".getBytes(StandardCharsets.ISO_8859_1)));
        return chunks;
    }

    /** The PNG with extra chunks right after IHDR (8 bytes signature + 25 bytes IHDR). */
    private static byte[] withChunks(byte[] png, List<byte[]> extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, 33);
        extra.forEach(out::writeBytes);
        out.write(png, 33, png.length - 33);
        return out.toByteArray();
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void assertSamePixels(Path a, Path b) throws IOException {
        BufferedImage x = ImageIO.read(a.toFile());
        BufferedImage y = ImageIO.read(b.toFile());
        assertThat(y.getColorModel().getClass()).isEqualTo(x.getColorModel().getClass());
        Raster rx = x.getRaster();
        Raster ry = y.getRaster();
        assertThat(ry.getNumBands()).isEqualTo(rx.getNumBands());
        assertThat(ry.getPixels(0, 0, ry.getWidth(), ry.getHeight(), (int[]) null))
                .isEqualTo(rx.getPixels(0, 0, rx.getWidth(), rx.getHeight(), (int[]) null));
    }

    @ParameterizedTest(name = "{0}: smaller, pixel-identical, metadata chunks kept byte for byte")
    @ValueSource(strings = {"rgba", "palette", "gray16", "interlaced"})
    void losslessAndKeepsChunks(String kind) throws IOException {
        List<byte[]> extra = metadataChunks();
        Path original = dir.resolve(kind + ".png");
        Files.write(original, withChunks(uncompressedPng(image(kind), kind.equals("interlaced")), extra));
        Path out = dir.resolve(kind + ".part");

        png.compress(original, out, CompressionLevel.SMALL); // the level must not matter: PNG stays lossless

        byte[] result = Files.readAllBytes(out);
        assertThat(result.length).isLessThan((int) Files.size(original));
        assertSamePixels(original, out);
        for (byte[] c : extra) {
            assertThat(contains(result, c)).as("chunk " + new String(c, 4, 4, StandardCharsets.ISO_8859_1)).isTrue();
        }
        assertThat(ImageIO.getImageReaders(ImageIO.createImageInputStream(out.toFile())).next().getFormatName())
                .isEqualToIgnoringCase("png");
    }

    @Test
    void dropsUnknownChunksThatAreNotSafeToCopy() throws IOException {
        byte[] unsafe = chunk("prVT", "offsets into the old IDAT".getBytes(StandardCharsets.ISO_8859_1));
        Path original = dir.resolve("a.png");
        Files.write(original, withChunks(uncompressedPng(image("rgba"), false), List.of(unsafe)));
        Path out = dir.resolve("a.part");
        png.compress(original, out, CompressionLevel.BALANCED);
        assertThat(contains(Files.readAllBytes(out), unsafe)).isFalse();
        assertSamePixels(original, out);
    }

    @Test
    void aCorruptChunkIsReportedAsDamaged() throws IOException {
        byte[] bytes = uncompressedPng(image("rgba"), false);
        bytes[bytes.length / 2] ^= 0x55; // inside IDAT: its checksum no longer matches
        Path original = dir.resolve("bad.png");
        Files.write(original, bytes);
        Path out = dir.resolve("bad.part");
        assertThatThrownBy(() -> png.compress(original, out, CompressionLevel.BALANCED))
                .isInstanceOf(CompressionException.class).hasMessageContaining("damaged");
        assertThat(out).doesNotExist();
    }

    @Test
    void unfilterUndoesEveryFilterOfAdaptiveFiltering() throws CompressionException {
        byte[] raw = new byte[3 * 30 * 4];
        new java.util.Random(1).nextBytes(raw);
        byte[] filtered = PngCompressor.filterAdaptive(raw, 30, 12, 4);
        assertThat(PngCompressor.unfilter(filtered, 30, 12, 4)).isEqualTo(raw);
    }

    @Test
    void anImageThatWouldNeedMoreThanTheDecodingBudgetIsRefusedBeforeItIsInflated() throws IOException {
        // 100 megapixels of gray: under the pixel limits, but recompressing holds about six copies of it
        long side = 10_000;
        assertThat(org.cleanbackup.internal.DecodeMemory.withinBudget(side * (side + 1) * 6)).isFalse();
        java.io.ByteArrayOutputStream idat = new java.io.ByteArrayOutputStream();
        try (var z = new java.util.zip.DeflaterOutputStream(idat)) {
            z.write(new byte[1000]); // far less than the image needs: it must not even be read
        }
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt((int) side).putInt((int) side)
                .put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        file.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        file.write(chunk("IHDR", ihdr.array()));
        file.write(chunk("IDAT", idat.toByteArray()));
        file.write(chunk("IEND", new byte[0]));
        Path original = dir.resolve("huge.png");
        Files.write(original, file.toByteArray());
        Path out = dir.resolve("huge.part");
        assertThatThrownBy(() -> png.compress(original, out, CompressionLevel.BALANCED))
                .isInstanceOf(CompressionException.class).hasMessageContaining("to recompress, more than")
                .hasMessageContaining(org.cleanbackup.internal.DecodeMemory.PROPERTY);
        assertThat(out).doesNotExist();
    }
}
