package org.cleanbackup.thumbnail;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.cleanbackup.phash.Orientation;

/**
 * Turns a decoder's {@link ThumbnailDecoder.Pixels} into the finished JPEG: shrunk so the longer side is at most
 * {@code maxSide}, the orientation applied, drawn on white (a transparent PNG or GIF must not turn black, which is
 * what a JPEG does with alpha it cannot keep), encoded by the JDK's JPEG writer at {@link #QUALITY}.
 */
final class JpegFinish {

    /** The quality thumbnails are encoded at, as the native encoder's 80: small files, no visible blocks. */
    static final float QUALITY = 0.80f;

    private JpegFinish() {
    }

    static byte[] finish(ThumbnailDecoder.Pixels pixels, int maxSide) throws IOException {
        BufferedImage image = pixels.image();
        int w = image.getWidth();
        int h = image.getHeight();
        // the size from the full image's proportions, as the native decoder computes it, never above the pixels'
        long longer = Math.max(pixels.width(), pixels.height());
        int tw = Math.min(w, pixels.width());
        int th = Math.min(h, pixels.height());
        if (longer > maxSide) {
            tw = Math.min(w, Math.max(1, (int) ((pixels.width() * (long) maxSide + longer / 2) / longer)));
            th = Math.min(h, Math.max(1, (int) ((pixels.height() * (long) maxSide + longer / 2) / longer)));
        }
        // Halve (each pixel the mean of four: bilinear at exactly half) while more than twice the target, so the last
        // bilinear step never skips source pixels.
        while (w >= 2 * tw && h >= 2 * th && w > 1 && h > 1) {
            w = (w + 1) / 2;
            h = (h + 1) / 2;
            BufferedImage half = new BufferedImage(w, h, image.getColorModel().hasAlpha()
                    ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
            Graphics2D g = half.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(image, 0, 0, w, h, null);
            } finally {
                g.dispose();
            }
            image = half;
        }
        Orientation o = pixels.orientation();
        boolean swap = o.exifValue() >= 5;
        BufferedImage out = new BufferedImage(swap ? th : tw, swap ? tw : th, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            // At most twice the size asked for by now, where bilinear is enough.
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.transform(transform(o, tw, th));
            g.drawImage(image, 0, 0, tw, th, null);
        } finally {
            g.dispose();
        }
        return encode(out);
    }

    /** Maps the stored {@code w x h} picture onto the oriented canvas (EXIF 5..8 swap the sides). */
    static AffineTransform transform(Orientation o, int w, int h) {
        // AffineTransform(m00, m10, m01, m11, m02, m12): x' = m00 x + m01 y + m02, y' = m10 x + m11 y + m12
        return switch (o) {
            case NORMAL -> new AffineTransform();
            case MIRROR_HORIZONTAL -> new AffineTransform(-1, 0, 0, 1, w, 0);
            case ROTATE_180 -> new AffineTransform(-1, 0, 0, -1, w, h);
            case MIRROR_VERTICAL -> new AffineTransform(1, 0, 0, -1, 0, h);
            case TRANSPOSE -> new AffineTransform(0, 1, 1, 0, 0, 0);
            case ROTATE_90 -> new AffineTransform(0, 1, -1, 0, h, 0);
            case TRANSVERSE -> new AffineTransform(0, -1, -1, 0, h, w);
            case ROTATE_270 -> new AffineTransform(0, -1, 1, 0, 0, w);
        };
    }

    static byte[] encode(BufferedImage rgb) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(QUALITY);
            writer.write(null, new IIOImage(rgb, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
