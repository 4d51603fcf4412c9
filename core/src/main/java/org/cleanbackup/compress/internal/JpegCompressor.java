package org.cleanbackup.compress.internal;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.plugins.jpeg.JPEGImageWriteParam;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.cleanbackup.compress.CompressionException;
import org.cleanbackup.compress.CompressionLevel;
import org.cleanbackup.internal.DecodeMemory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Re-encodes JPEGs with the JDK's ImageIO encoder at the level's quality, keeping every metadata segment of the
 * original byte for byte. Not API: found through {@link org.cleanbackup.compress.Compressors}.
 */
public final class JpegCompressor extends AbstractJpegCompressor {

    /*
     * The steps around the encoder (which variants are refused, which metadata segments are spliced back, the
     * read-back check) are in JpegRecompression, shared with the libjpeg-turbo compressor of phash-native.
     *
     * Why raw rasters: ImageReader.readRaster returns the decoded YCbCr samples without any colour conversion, and
     * ImageWriter.write(Raster) encodes them as they are. A BufferedImage round trip would convert YCbCr -> RGB
     * (through the ICC profile when there is one) and back, costing time and rounding, and could change colours
     * of images with unusual profiles.
     *
     * Why splicing: the encoder writes its own JFIF APP0. We drop every APPn/COM the encoder wrote and put the
     * original's back (EXIF with DateTimeOriginal, GPS and orientation; XMP; ICC in APP2; IPTC in APP13; comments)
     * exactly as they were, so no metadata library's interpretation can lose a field. Pixels are not rotated, so
     * the EXIF orientation stays right.
     *
     * The chroma subsampling of the original is kept (a 4:2:2 camera file stays 4:2:2): the encoder's 4:4:4
     * default for rasters would make files bigger for no visible gain, and 4:2:0 would lose colour resolution
     * the original had.
     */

    private static final String NATIVE_FORMAT = "javax_imageio_jpeg_image_1.0";

    /** Needed by {@link java.util.ServiceLoader}. */
    public JpegCompressor() {
    }

    @Override
    protected byte[] encodePixels(byte[] original, int[] samplingFactors, int quality) throws IOException {
        return reencode(original, samplingFactors, quality);
    }

    /** The re-encoded file, metadata segments included. */
    static byte[] encode(byte[] original, CompressionLevel level) throws IOException {
        return JpegRecompression.encode(original, level, JpegCompressor::reencode);
    }

    @Override
    public String toString() {
        return "jpeg (ImageIO)";
    }

    /**
     * Decodes {@code original} and encodes it again, holding the memory both need from the {@link DecodeMemory}
     * budget; the header is read once, for the size check and the reservation.
     */
    private static byte[] reencode(byte[] original, int[] samplingFactors, int quality) throws IOException {
        ImageReader reader = jdkReader();
        List<String> warnings = new ArrayList<>();
        try (MemoryCacheImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(original))) {
            reader.setInput(in, true, true);
            // A truncated or corrupt file decodes "successfully" with grey blocks and a warning: refuse it, since
            // replacing a damaged original by a damaged re-encoding would hide the damage for good.
            reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
            long pixels;
            try {
                // from the SOF header, before the decoder allocates the whole image (a 2 KB file can declare
                // 65500 x 65500)
                Outputs.checkDecodedSize("JPEG", reader.getWidth(0), reader.getHeight(0), 3);
                pixels = (long) reader.getWidth(0) * reader.getHeight(0);
            } catch (CompressionException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw CompressionException.failed("damaged: " + describe(e));
            }
            // the decoded raster (three bytes a pixel) and the encoder's copy of it
            try (DecodeMemory.Lease lease = Outputs.reserve("JPEG", pixels * 6)) {
                Raster raster;
                try {
                    raster = reader.readRaster(0, null);
                } catch (IOException | RuntimeException e) {
                    throw CompressionException.failed("damaged: " + describe(e));
                }
                if (!warnings.isEmpty()) {
                    throw CompressionException.failed("damaged: " + warnings.getFirst());
                }
                return encodeRaster(raster, samplingFactors, quality);
            }
        } finally {
            reader.dispose();
        }
    }

    private static byte[] encodeRaster(Raster raster, int[] samplingFactors, int quality) throws IOException {
        ImageWriter writer = jdkWriter();
        try {
            JPEGImageWriteParam param = new JPEGImageWriteParam(null);
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f); // ImageIO scales the tables as libjpeg does
            param.setOptimizeHuffmanTables(true); // a few percent smaller, as every libjpeg-based tool does
            IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromBufferedImageType(
                    samplingFactors.length == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR), param);
            keepSampling(metadata, samplingFactors);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(raster.getWidth() * raster.getHeight() / 4);
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(raster, null, metadata), param);
            }
            return bytes.toByteArray();
        } finally {
            writer.dispose();
        }
    }

    private static void keepSampling(IIOMetadata metadata, int[] sampling) throws IOException {
        Node root = metadata.getAsTree(NATIVE_FORMAT);
        NodeList specs = ((Element) root).getElementsByTagName("componentSpec");
        if (specs.getLength() != sampling.length) {
            return; // not expected; the encoder's defaults are still a valid choice
        }
        for (int i = 0; i < specs.getLength(); i++) {
            Element spec = (Element) specs.item(i);
            spec.setAttribute("HsamplingFactor", Integer.toString(sampling[i] >> 4));
            spec.setAttribute("VsamplingFactor", Integer.toString(sampling[i] & 0x0F));
        }
        metadata.setFromTree(NATIVE_FORMAT, root);
    }

    private static ImageReader jdkReader() throws CompressionException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
        if (!readers.hasNext()) {
            throw CompressionException.unsupported("this Java runtime has no JPEG decoder");
        }
        return readers.next();
    }

    private static ImageWriter jdkWriter() throws CompressionException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw CompressionException.unsupported("this Java runtime has no JPEG encoder");
        }
        return writers.next();
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.replace('\n', ' ');
    }
}
