import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * A stand-in for the hidden hold-out's mix (issue 17): from each camera JPEG of a folder, the original and seven
 * variants, written with the JDK's own ImageIO writers (no ImageMagick or PIL needed):
 * <pre>
 *   NAME.orig.jpg    the camera file, byte for byte
 *   NAME.png.png     PNG export, full size, 8-bit RGB
 *   NAME.third.png   a third of the size (bicubic), PNG
 *   NAME.half.jpg    half size (bicubic), JPEG quality 90
 *   NAME.q60.jpg     recompressed at JPEG quality 60
 *   NAME.rot90.jpg   turned 90 degrees clockwise (pixels, no EXIF), JPEG quality 90
 *   NAME.gray.jpg    grayscale (one component), JPEG quality 90
 *   NAME.crop.jpg    3% cut off each side, JPEG quality 90
 * </pre>
 * The variant is the second-to-last dot-part of the name, which the benchmark groups the times by. A photo ImageIO
 * cannot read (a CMYK JPEG) is copied as its original only.
 *
 * <p>Run with a JDK 25: {@code java benchmarks/MakePhashMix.java PHOTOS_DIR OUT_DIR}; files already there are kept.
 */
public class MakePhashMix {

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java MakePhashMix.java PHOTOS_DIR OUT_DIR");
            System.exit(2);
        }
        File[] jpegs = new File(args[0]).listFiles((d, n) -> n.toLowerCase(Locale.ROOT).matches(".*\\.jpe?g"));
        if (jpegs == null || jpegs.length == 0) {
            System.err.println("no JPEGs in " + args[0]);
            System.exit(2);
        }
        Arrays.sort(jpegs);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        int made = 0;
        for (File jpeg : jpegs) {
            String base = jpeg.getName().replaceAll("\\.[^.]*$", "").replaceAll("[^A-Za-z0-9_-]+", "_");
            Path orig = out.resolve(base + ".orig.jpg");
            if (!Files.exists(orig)) {
                Files.copy(jpeg.toPath(), orig, StandardCopyOption.COPY_ATTRIBUTES);
                made++;
            }
            BufferedImage src;
            try {
                src = ImageIO.read(jpeg);
            } catch (IOException e) {
                src = null;
            }
            if (src == null) {
                System.err.println(jpeg.getName() + ": ImageIO cannot read it; original only");
                continue;
            }
            BufferedImage rgb = rgb(src, src.getWidth(), src.getHeight());
            made += write(out.resolve(base + ".png.png"), rgb, "png", 0);
            made += write(out.resolve(base + ".third.png"),
                    rgb(src, Math.max(1, src.getWidth() / 3), Math.max(1, src.getHeight() / 3)), "png", 0);
            made += write(out.resolve(base + ".half.jpg"),
                    rgb(src, Math.max(1, src.getWidth() / 2), Math.max(1, src.getHeight() / 2)), "jpeg", 0.9f);
            made += write(out.resolve(base + ".q60.jpg"), rgb, "jpeg", 0.6f);
            made += write(out.resolve(base + ".rot90.jpg"), rotate90(rgb), "jpeg", 0.9f);
            BufferedImage gray = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
            gray.createGraphics().drawImage(rgb, 0, 0, null);
            made += write(out.resolve(base + ".gray.jpg"), gray, "jpeg", 0.9f);
            int cx = rgb.getWidth() * 3 / 100;
            int cy = rgb.getHeight() * 3 / 100;
            BufferedImage crop = copy(rgb.getSubimage(cx, cy, rgb.getWidth() - 2 * cx, rgb.getHeight() - 2 * cy));
            made += write(out.resolve(base + ".crop.jpg"), crop, "jpeg", 0.9f);
        }
        System.err.println("made " + made + " files in " + out);
    }

    private static BufferedImage rgb(BufferedImage src, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return img;
    }

    private static BufferedImage copy(BufferedImage src) {
        return rgb(src, src.getWidth(), src.getHeight());
    }

    private static BufferedImage rotate90(BufferedImage src) {
        int w = src.getWidth();
        int h = src.getHeight();
        BufferedImage img = new BufferedImage(h, w, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(h - 1 - y, x, src.getRGB(x, y));
            }
        }
        return img;
    }

    /** 1 when written, 0 when the file was already there. */
    private static int write(Path file, BufferedImage img, String format, float quality) throws IOException {
        if (Files.exists(file)) {
            return 0;
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        try (ImageOutputStream os = ImageIO.createImageOutputStream(tmp.toFile())) {
            writer.setOutput(os);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (quality > 0) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
            }
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        Files.move(tmp, file);
        return 1;
    }
}
