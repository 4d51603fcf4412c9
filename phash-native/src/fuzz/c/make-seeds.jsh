// Makes the small JPEG seeds in seeds/ (run from this folder: jshell make-seeds.jsh). Each is 48 x 40 pixels or
// less, a kB or two: libFuzzer's -max_len follows the largest seed, and small inputs mutate fast.
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;

BufferedImage picture(int w, int h, int type) {
    BufferedImage img = new BufferedImage(w, h, type);
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            int r = (x * 255) / w, g = (y * 255) / h, b = ((x ^ y) & 8) != 0 ? 200 : 40;
            img.setRGB(x, y, r << 16 | g << 8 | b);
        }
    }
    return img;
}

byte[] jpeg(BufferedImage img, float quality, boolean progressive, int restartInterval) throws Exception {
    var writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam p = writer.getDefaultWriteParam();
    p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    p.setCompressionQuality(quality);
    if (progressive) {
        p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
    }
    IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), p);
    if (restartInterval > 0) {
        String f = "javax_imageio_jpeg_image_1.0";
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(f);
        IIOMetadataNode seq = (IIOMetadataNode) root.getElementsByTagName("markerSequence").item(0);
        IIOMetadataNode dri = new IIOMetadataNode("dri");
        dri.setAttribute("interval", Integer.toString(restartInterval));
        seq.insertBefore(dri, seq.getFirstChild());
        meta.setFromTree(f, root);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (var ios = ImageIO.createImageOutputStream(out)) {
        writer.setOutput(ios);
        writer.write(null, new IIOImage(img, null, meta), p);
    }
    writer.dispose();
    return out.toByteArray();
}

/** An EXIF APP1 with one IFD0 entry, Orientation = 6, inserted after SOI. */
byte[] withOrientation(byte[] jpeg) {
    byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0};
    int len = 2 + 6 + tiff.length;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    out.write(0xFF); out.write(0xE1); out.write(len >> 8); out.write(len & 0xFF);
    out.writeBytes(new byte[] {'E', 'x', 'i', 'f', 0, 0});
    out.writeBytes(tiff);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
}

Path dir = Path.of("seeds");
Files.createDirectories(dir);
BufferedImage color = picture(48, 40, BufferedImage.TYPE_INT_RGB);
BufferedImage gray = new BufferedImage(48, 40, BufferedImage.TYPE_BYTE_GRAY);
gray.getGraphics().drawImage(color, 0, 0, null);
Files.write(dir.resolve("baseline-420.jpg"), jpeg(color, 0.6f, false, 0));
Files.write(dir.resolve("progressive-420.jpg"), jpeg(color, 0.6f, true, 0));
Files.write(dir.resolve("gray.jpg"), jpeg(gray, 0.6f, false, 0));
Files.write(dir.resolve("gray-progressive.jpg"), jpeg(gray, 0.6f, true, 0));
Files.write(dir.resolve("restart-2.jpg"), jpeg(color, 0.6f, false, 2));
Files.write(dir.resolve("exif-orientation-6.jpg"), withOrientation(jpeg(picture(16, 16, BufferedImage.TYPE_INT_RGB), 0.5f, false, 0)));
/exit
