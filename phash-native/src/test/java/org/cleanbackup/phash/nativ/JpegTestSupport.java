package org.cleanbackup.phash.nativ;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** Byte-level JPEG helpers for the compressor tests (core's JpegSegments is not visible from this module). */
final class JpegTestSupport {

    private JpegTestSupport() {
    }

    /** The marker segments before the first scan, each as its bytes (0xFF, marker, length, payload). */
    static List<byte[]> headerSegments(byte[] file) {
        List<byte[]> out = new ArrayList<>();
        int pos = 2;
        while (pos + 4 <= file.length) {
            int marker = file[pos + 1] & 0xFF;
            int length = ((file[pos + 2] & 0xFF) << 8) | (file[pos + 3] & 0xFF);
            out.add(Arrays.copyOfRange(file, pos, pos + 2 + length));
            pos += 2 + length;
            if (marker == 0xDA) {
                break;
            }
        }
        return out;
    }

    /** The APPn and COM segments, in file order. */
    static List<byte[]> appAndComSegments(byte[] file) {
        return headerSegments(file).stream().filter(JpegTestSupport::isAppOrCom).toList();
    }

    private static boolean isAppOrCom(byte[] segment) {
        int marker = segment[1] & 0xFF;
        return marker == 0xFE || (marker >= 0xE0 && marker <= 0xEF);
    }

    /** Per component, H * 16 + V from the frame header. */
    static int[] samplingFactors(byte[] file) {
        for (byte[] s : headerSegments(file)) {
            int marker = s[1] & 0xFF;
            if (marker >= 0xC0 && marker <= 0xC2) {
                int n = s[9] & 0xFF;
                int[] out = new int[n];
                for (int c = 0; c < n; c++) {
                    out[c] = s[11 + 3 * c] & 0xFF;
                }
                return out;
            }
        }
        throw new IllegalArgumentException("no frame header");
    }

    /** {@code plain} (an encoder's output) with its own APPn/COM segments replaced by those of {@code camera}. */
    static byte[] withMetadataOf(byte[] plain, byte[] camera) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        for (byte[] s : appAndComSegments(camera)) {
            out.writeBytes(s);
        }
        int pos = 2;
        for (byte[] s : headerSegments(plain)) {
            if (!isAppOrCom(s)) {
                break;
            }
            pos += s.length;
        }
        out.write(plain, pos, plain.length - pos);
        return out.toByteArray();
    }

    /** The same picture and metadata, re-encoded by ImageIO at quality 1.0 with luma sampling {@code lumaFactors}. */
    static byte[] withSampling(byte[] jpeg, int lumaFactors) throws IOException {
        var image = ImageIO.read(new ByteArrayInputStream(jpeg));
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(1.0f);
            IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(image), param);
            String format = "javax_imageio_jpeg_image_1.0";
            Node root = metadata.getAsTree(format);
            NodeList specs = ((Element) root).getElementsByTagName("componentSpec");
            for (int i = 0; i < specs.getLength(); i++) {
                Element spec = (Element) specs.item(i);
                spec.setAttribute("HsamplingFactor", Integer.toString(i == 0 ? lumaFactors >> 4 : 1));
                spec.setAttribute("VsamplingFactor", Integer.toString(i == 0 ? lumaFactors & 0x0F : 1));
            }
            metadata.setFromTree(format, root);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(image, null, metadata), param);
            }
            return withMetadataOf(bytes.toByteArray(), jpeg);
        } finally {
            writer.dispose();
        }
    }
}
