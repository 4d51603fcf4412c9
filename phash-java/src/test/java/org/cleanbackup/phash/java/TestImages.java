package org.cleanbackup.phash.java;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.RescaleOp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.cleanbackup.phash.PerceptualHasher;

/** Test images: the bundled photos, and transformed or damaged copies made on the fly. */
final class TestImages {

    static final String[] PHOTOS = {"photo-turtle.jpg", "photo-boat.jpg", "photo-stadium.jpg"};

    private TestImages() {
    }

    /** The {@code scalar} backend as PerceptualHashers builds it from this module alone. */
    static PerceptualHasher scalar() {
        return PerceptualHasher.of(new ScalarDctKernel(), List.of(new JavaLumaDecoder()));
    }

    /** The {@code vector} backend as PerceptualHashers builds it from this module alone. */
    static PerceptualHasher vector() {
        return PerceptualHasher.of(new VectorDctKernel(), List.of(new JavaLumaDecoder()));
    }

    static byte[] resource(String name) {
        try (InputStream in = TestImages.class.getResourceAsStream("/phash/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /phash/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path copy(String name, Path dir) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, resource(name));
        return p;
    }

    static BufferedImage read(Path p) throws IOException {
        BufferedImage img = ImageIO.read(p.toFile());
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = rgb.createGraphics();
        g.drawImage(img, 0, 0, null);
        g.dispose();
        return rgb;
    }

    static byte[] jpeg(BufferedImage img, float quality, boolean progressive) throws IOException {
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            w.setOutput(ios);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            if (progressive) {
                p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            w.write(null, new IIOImage(img, null, null), p);
        } finally {
            w.dispose();
        }
        return out.toByteArray();
    }

    static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, format, out)) {
            throw new IllegalStateException("no writer for " + format + " and image type " + img.getType());
        }
        return out.toByteArray();
    }

    static BufferedImage resize(BufferedImage src, double factor) {
        int w = (int) Math.round(src.getWidth() * factor);
        int h = (int) Math.round(src.getHeight() * factor);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    static BufferedImage grayscale(BufferedImage src) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < src.getHeight(); y++) {
            for (int x = 0; x < src.getWidth(); x++) {
                int c = src.getRGB(x, y);
                int luma = Math.round(ImageLumaDecoder.luma(c >> 16 & 0xFF, c >> 8 & 0xFF, c & 0xFF));
                out.getRaster().setSample(x, y, 0, luma);
            }
        }
        return out;
    }

    static BufferedImage brighten(BufferedImage src) {
        return new RescaleOp(1.1f, 25f, null).filter(src, null);
    }

    /** Cuts {@code fraction} of the width and height off, half on each side. */
    static BufferedImage crop(BufferedImage src, double fraction) {
        int dx = (int) Math.round(src.getWidth() * fraction / 2);
        int dy = (int) Math.round(src.getHeight() * fraction / 2);
        BufferedImage sub = src.getSubimage(dx, dy, src.getWidth() - 2 * dx, src.getHeight() - 2 * dy);
        BufferedImage out = new BufferedImage(sub.getWidth(), sub.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        out.createGraphics().drawImage(sub, 0, 0, null);
        return out;
    }

    static BufferedImage rotate90(BufferedImage src) {
        BufferedImage out = new BufferedImage(src.getHeight(), src.getWidth(), BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < src.getHeight(); y++) {
            for (int x = 0; x < src.getWidth(); x++) {
                out.setRGB(src.getHeight() - 1 - y, x, src.getRGB(x, y)); // clockwise
            }
        }
        return out;
    }

    /** A JPEG with an EXIF APP1 segment holding only the orientation tag, inserted after SOI. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0,
                0, 0, 0, 0};
        byte[] exif = new byte[6 + tiff.length];
        System.arraycopy("Exif\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, exif, 0, 6);
        System.arraycopy(tiff, 0, exif, 6, tiff.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        out.write(0xFF);
        out.write(0xE1);
        int len = exif.length + 2;
        out.write(len >> 8);
        out.write(len & 0xFF);
        out.writeBytes(exif);
        // drop the original's own APP1 (EXIF) segments so ours is the one read
        int p = 2;
        while (p + 4 < jpeg.length && (jpeg[p] & 0xFF) == 0xFF && (jpeg[p + 1] & 0xFF) >= 0xE0
                && (jpeg[p + 1] & 0xFF) <= 0xEF) {
            int segLen = ((jpeg[p + 2] & 0xFF) << 8) | (jpeg[p + 3] & 0xFF);
            if ((jpeg[p + 1] & 0xFF) != 0xE1) {
                out.write(jpeg, p, segLen + 2);
            }
            p += segLen + 2;
        }
        out.write(jpeg, p, jpeg.length - p);
        return out.toByteArray();
    }

    /** Overwrites the frame header's height and width (a decompression bomb's header). */
    static byte[] withJpegSize(byte[] jpeg, int width, int height) {
        byte[] b = jpeg.clone();
        int p = 2;
        while (p + 9 < b.length) {
            int marker = b[p + 1] & 0xFF;
            int len = ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
            if (marker >= 0xC0 && marker <= 0xC2) {
                b[p + 5] = (byte) (height >> 8);
                b[p + 6] = (byte) height;
                b[p + 7] = (byte) (width >> 8);
                b[p + 8] = (byte) width;
                return b;
            }
            p += len + 2;
        }
        throw new IllegalStateException("no frame header");
    }

    /** Overwrites a PNG's IHDR size and recomputes its CRC, so only the size is wrong. */
    static byte[] withPngSize(byte[] png, int width, int height) {
        byte[] b = png.clone();
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b);
        bb.putInt(16, width).putInt(20, height);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b, 12, 17);
        bb.putInt(29, (int) crc.getValue());
        return b;
    }

    /** A PNG with one byte of its first IDAT's data changed (CRC left as it was). */
    static byte[] withBadPngCrc(byte[] png) {
        byte[] b = png.clone();
        for (int p = 8; p + 8 < b.length; ) {
            int len = java.nio.ByteBuffer.wrap(b).getInt(p);
            String type = new String(b, p + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (type.equals("IDAT")) {
                b[p + 8 + len / 2] ^= 0x01;
                return b;
            }
            p += 12 + len;
        }
        throw new IllegalStateException("no IDAT");
    }

    /** Flips {@code count} bytes after the first 600 (past the headers), deterministically. */
    static byte[] byteFlipped(byte[] data, int count, long seed) {
        byte[] b = data.clone();
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            int p = 600 + r.nextInt(b.length - 600);
            b[p] = (byte) ~b[p];
        }
        return b;
    }
}
