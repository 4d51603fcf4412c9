package org.cleanbackup.phash.java;

import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.imaging.jpeg.JpegSegmentMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.cleanbackup.internal.DecodeMemory;
import org.cleanbackup.metadata.EmbeddedMetadata;
import org.cleanbackup.phash.ImageDecodeException;
import org.cleanbackup.phash.LumaBlock;
import org.cleanbackup.phash.Orientation;
import org.cleanbackup.phash.PerceptualHashers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pure-Java decoder ({@link JavaLumaDecoder}, asked by every backend for what a decoder of higher priority
 * declines): steps 1 and 2 of the hash. Reads baseline JPEGs with its own DC-only decoder,
 * non-interlaced PNGs with its own streaming reader ({@link PngLumaReader}), other JPEGs, interlaced PNGs, GIF (first
 * frame), BMP, WebP and TIFF with ImageIO and the TwelveMonkeys plugins, HEIC/HEIF/AVIF through the system's libheif when installed, and
 * camera RAW files (RAF, NEF, CR2, ARW, DNG, ORF, RW2, PEF) through their largest embedded JPEG preview.
 *
 * <p>Luma is {@code Y = 0.299 R + 0.587 G + 0.114 B} for colour images and the sample value itself for grayscale
 * ones (so that a grayscale image is not put through a colour-space conversion). Images above the pixel limit are
 * refused from their header, before pixels are allocated. Every failure is an {@link ImageDecodeException} with a
 * one-line reason.
 *
 * @since 0.1
 */
final class ImageLumaDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(ImageLumaDecoder.class);

    static final Set<String> RAW_EXTENSIONS = Set.of("raf", "nef", "nrw", "cr2", "arw", "srf", "sr2", "dng", "orf",
            "rw2", "pef");

    private ImageLumaDecoder() {
    }

    /** The kinds of content this decoder recognises from a file's first bytes. */
    enum Kind {
        JPEG("jpeg"), PNG("png"), GIF("gif"), BMP("bmp"), WEBP("webp"), TIFF("tiff"), HEIF(null), RAW(null),
        UNKNOWN(null);

        final String imageIoFormat;

        Kind(String imageIoFormat) {
            this.imageIoFormat = imageIoFormat;
        }
    }

    /**
     * Decodes {@code file} with the {@linkplain PerceptualHashers#maxPixels() configured pixel limit}.
     *
     * @throws ImageDecodeException when the file is not a readable image or is too large
     * @throws IOException          when the file cannot be read
     */
    static LumaBlock decode(Path file) throws IOException {
        return decode(file, PerceptualHashers.maxPixels());
    }

    /**
     * Decodes {@code file}, refusing images of more than {@code maxPixels} pixels.
     *
     * @throws ImageDecodeException when the file is not a readable image or is too large
     * @throws IOException          when the file cannot be read
     */
    static LumaBlock decode(Path file, long maxPixels) throws IOException {
        byte[] head = new byte[32];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n == 0) {
            throw new ImageDecodeException(file, "empty file (0 bytes)");
        }
        Kind kind = sniff(head, n, extension(file));
        if (kind != Kind.UNKNOWN) {
            // Decoders and metadata readers allocate from what a file declares: refuse a hostile structure first.
            Optional<String> refusal = EmbeddedMetadata.checkStructure(file);
            if (refusal.isPresent()) {
                throw new ImageDecodeException(file, "refused: " + refusal.get());
            }
        }
        try {
            return switch (kind) {
                case UNKNOWN -> throw new ImageDecodeException(file, notAnImage(head, n, file));
                case HEIF -> Heif.decode(file, maxPixels);
                case RAW -> decodeRaw(file, maxPixels);
                case JPEG -> decodeJpeg(file, maxPixels);
                case PNG -> decodePng(file, maxPixels);
                default -> decodeWithImageIo(file, kind, maxPixels);
            };
        } finally {
            DecodeMemory.checkpoint(); // what the decoders left behind must not grow the heap for good
        }
    }

    static Kind sniff(byte[] h, int n, String extension) {
        if (n >= 3 && (h[0] & 0xFF) == 0xFF && (h[1] & 0xFF) == 0xD8 && (h[2] & 0xFF) == 0xFF) {
            return Kind.JPEG;
        }
        if (n >= 8 && (h[0] & 0xFF) == 0x89 && h[1] == 'P' && h[2] == 'N' && h[3] == 'G') {
            return Kind.PNG;
        }
        if (n >= 6 && h[0] == 'G' && h[1] == 'I' && h[2] == 'F' && h[3] == '8') {
            return Kind.GIF;
        }
        if (n >= 16 && ascii(h, 0, 4).equals("RIFF") && ascii(h, 8, 4).equals("WEBP")) {
            return Kind.WEBP;
        }
        if (n >= 16 && ascii(h, 0, 15).equals("FUJIFILMCCD-RAW")) {
            return Kind.RAW;
        }
        if (n >= 4) {
            String m = ascii(h, 0, 4);
            if (m.equals("IIRO") || m.equals("IIRS") || m.equals("MMOR") || m.equals("IIU\0")) {
                return Kind.RAW; // Olympus ORF and Panasonic RW2: TIFF-like with their own magic
            }
            if (m.equals("II*\0") || m.equals("MM\0*")) {
                return RAW_EXTENSIONS.contains(extension) || (n >= 10 && h[8] == 'C' && h[9] == 'R')
                        ? Kind.RAW : Kind.TIFF;
            }
        }
        if (n >= 12 && ascii(h, 4, 4).equals("ftyp")) {
            String brand = ascii(h, 8, 4);
            if (Set.of("heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1", "avif", "avis").contains(brand)) {
                return Kind.HEIF;
            }
        }
        if (n >= 14 && h[0] == 'B' && h[1] == 'M') {
            return Kind.BMP;
        }
        return Kind.UNKNOWN;
    }

    private static String notAnImage(byte[] h, int n, Path file) {
        String ext = extension(file);
        boolean text = true;
        for (int i = 0; i < n; i++) {
            int b = h[i] & 0xFF;
            text &= b >= 0x20 && b < 0x7F || b == '\n' || b == '\r' || b == '\t' || b >= 0x80;
        }
        String what = text ? "it holds text" : "its content is not a recognised image format";
        return ext.isEmpty() ? "not an image: " + what
                : "not an image although named ." + ext + ": " + what;
    }

    private static String ascii(byte[] h, int off, int len) {
        return new String(h, off, len, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    static String extension(Path file) {
        Path name = file.getFileName();
        String s = name == null ? "" : name.toString();
        int dot = s.lastIndexOf('.');
        return dot < 0 ? "" : s.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    static ImageDecodeException tooLarge(Path file, long width, long height, long maxPixels) {
        return new ImageDecodeException(file, "image claims " + width + " x " + height + " = " + width * height
                + " pixels, above the limit of " + maxPixels + " (raise it with --max-pixels N, or -D"
                + PerceptualHashers.MAX_PIXELS_PROPERTY + "=N in Java)");
    }

    /**
     * The ImageIO route (every format it reads; JPEGs the DC-only decoder declines; interlaced PNGs). PngLumaReaderTest
     * calls it for any PNG: it is the reference the streaming reader must equal.
     */
    static LumaBlock decodeWithImageIo(Path file, Kind kind, long maxPixels) throws IOException {
        ImageInputStream in;
        try {
            in = ImageIO.createImageInputStream(file.toFile());
        } catch (IIOException e) {
            throw new NoSuchFileException(file.toString(), null, "cannot open: " + e.getMessage());
        }
        if (in == null) {
            throw new ImageDecodeException(file, "cannot open for reading");
        }
        try (in) {
            float[] luma = readLuma(file, in, kind, maxPixels);
            return new LumaBlock(luma, kind == Kind.JPEG ? jpegOrientation(file) : otherOrientation(file, kind));
        }
    }

    /**
     * A JPEG: first the DC-only decoder (baseline JPEGs of at least 256 x 256 pixels: luma at 1/8 scale, exactly as
     * libjpeg-turbo gives it, several times faster than a full decode), and ImageIO for everything it declines.
     */
    private static LumaBlock decodeJpeg(Path file, long maxPixels) throws IOException {
        FileBytes.Bytes bytes = FileBytes.read(file, DC_DECODER_MAX_FILE_BYTES);
        if (bytes != null) {
            LumaBlock block = decodeDcOnly(file, bytes.data(), bytes.length(), maxPixels, null);
            if (block != null) {
                return block;
            }
        }
        return decodeWithImageIo(file, Kind.JPEG, maxPixels);
    }

    /**
     * A PNG: streamed by {@link PngLumaReader} (same luma as ImageIO's, to the bit, in two rows of memory); ImageIO
     * for the interlaced ones it declines. The EXIF orientation is looked for only when the file has a chunk that can
     * hold EXIF (eXIf, or a text chunk with a raw profile): without one the metadata pass could find nothing.
     */
    private static LumaBlock decodePng(Path file, long maxPixels) throws IOException {
        PngLumaReader.Luma luma = PngLumaReader.read(file, maxPixels);
        if (luma == null) {
            return decodeWithImageIo(file, Kind.PNG, maxPixels);
        }
        return new LumaBlock(luma.block(), luma.mayHoldExif() ? otherOrientation(file, Kind.PNG) : Orientation.NORMAL);
    }

    /** Larger files go to ImageIO, which streams them, rather than into one array. */
    static final int DC_DECODER_MAX_FILE_BYTES = 512 << 20;

    /**
     * The DC-only path; null when it declines (the reason is logged at debug level). {@code orientation} null means
     * the file's own EXIF orientation.
     */
    static LumaBlock decodeDcOnly(Path file, byte[] data, int length, long maxPixels, Orientation orientation)
            throws ImageDecodeException {
        JpegDcDecoder.Plane plane;
        try {
            plane = JpegDcDecoder.decode(file, data, length, maxPixels);
        } catch (JpegDcDecoder.Fallback e) {
            LOG.debug("{}: DC-only JPEG decoder declined ({}), using ImageIO", file, e.getMessage());
            return null;
        }
        AreaAverager avg = new AreaAverager(plane.width(), plane.height(), plane.imageWidth() / 8.0,
                plane.imageHeight() / 8.0);
        byte[] pixels = plane.pixels();
        for (int y = 0; y < plane.height(); y++) {
            avg.addRow(y, pixels, y * plane.width(), 1);
        }
        return new LumaBlock(avg.result(),
                orientation != null ? orientation : Orientation.fromExif(plane.exifOrientation()));
    }

    /** Decodes JPEG bytes already in memory (a RAW file's preview), with the orientation given. */
    static LumaBlock decodeJpegBytes(Path file, byte[] jpeg, long maxPixels, Orientation orientation)
            throws IOException {
        LumaBlock fast = decodeDcOnly(file, jpeg, jpeg.length, maxPixels, orientation);
        if (fast != null) {
            return fast;
        }
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg))) {
            return new LumaBlock(readLuma(file, in, Kind.JPEG, maxPixels), orientation);
        }
    }

    private static float[] readLuma(Path file, ImageInputStream in, Kind kind, long maxPixels) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(kind.imageIoFormat);
        if (!readers.hasNext()) {
            throw new ImageDecodeException(file, "no ImageIO reader for " + kind.imageIoFormat
                    + " (the TwelveMonkeys plugins are missing from the class path)");
        }
        ImageReader reader = readers.next();
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        try {
            reader.setInput(in, true, true);
            int width;
            int height;
            try {
                width = reader.getWidth(0);
                height = reader.getHeight(0);
                if (width <= 0 || height <= 0) {
                    throw new ImageDecodeException(file, "image header gives no size (" + width + " x " + height + ")");
                }
                if ((long) width * height > maxPixels) {
                    throw tooLarge(file, width, height, maxPixels);
                }
                if (kind == Kind.PNG) {
                    PngCheck.verifyCrcs(file); // the JDK's PNG reader does not check them
                }
                boolean rawJpeg = kind == Kind.JPEG && JpegColor.of(in) != JpegColor.Coding.OTHER;
                ImageReadParam param = reader.getDefaultReadParam();
                long need = subsampleToFit(file, kind, param, width, height,
                        decodedBytesPerPixel(reader, kind, rawJpeg));
                try (DecodeMemory.Lease lease = DecodeMemory.reserve(need)) {
                    if (rawJpeg) {
                        // band 0 of the raw raster is Y (or gray): no colour conversion at all
                        reader.setInput(in, true, true);
                        Raster raster = reader.readRaster(0, param);
                        checkWarnings(file, kind, warnings);
                        return lumaBlock(raster);
                    }
                    BufferedImage image = reader.read(0, param);
                    checkWarnings(file, kind, warnings);
                    return lumaBlock(image);
                }
            } catch (ImageDecodeException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new ImageDecodeException(file, describe(kind, e), e);
            }
        } finally {
            reader.dispose();
        }
    }

    /**
     * What decoding one pixel holds in the heap: the destination's bytes, twice for the TwelveMonkeys WebP decoder
     * (its macroblocks and planes come on top of the image).
     */
    private static int decodedBytesPerPixel(ImageReader reader, Kind kind, boolean rawJpeg) throws IOException {
        if (rawJpeg) {
            return 3; // Y, Cb, Cr (or one band for gray)
        }
        int bytes = 4; // TYPE_INT_RGB and the like
        Iterator<javax.imageio.ImageTypeSpecifier> types = reader.getImageTypes(0);
        if (types != null && types.hasNext()) {
            java.awt.image.SampleModel model = types.next().getSampleModel(1, 1);
            int bits = 0;
            for (int size : model.getSampleSize()) {
                bits += size;
            }
            bytes = Math.max(1, (bits + 7) / 8);
        }
        return kind == Kind.WEBP ? 2 * Math.max(bytes, 4) : bytes;
    }

    /**
     * The heap the decode will hold, subsampling where the image would need more than {@link DecodeMemory} allows:
     * every n-th pixel of every n-th row, for the smallest n that fits; its hash can then differ from the
     * whole-image hash in a few bits, which the log says.
     *
     * <p>JPEG, PNG, GIF and BMP go through the JDK's readers, which subsample row by row as they decode: for them the
     * shared budget is the limit, so a damaged file that declares a hundred megapixels (a bit flip in a JPEG's SOF
     * does that) costs no more than the budget. TIFF and WebP go through TwelveMonkeys, whose readers take longer and
     * more memory to subsample than to decode whole (a 144 MP TIFF at every 2nd pixel: 27 s and 825 MiB, against
     * 4.4 s and 504 MiB whole): they are decoded whole, alone, up to half the heap, and subsampled only beyond that.
     */
    private static long subsampleToFit(Path file, Kind kind, ImageReadParam param, long width, long height,
                                       int bytesPerPixel) {
        boolean streams = kind != Kind.TIFF && kind != Kind.WEBP;
        long whole = width * height * bytesPerPixel;
        int n = 1;
        while (n < 64 && !(streams ? DecodeMemory.withinBudget(whole / ((long) n * n) + 1)
                : DecodeMemory.fits(whole / ((long) n * n) + 1))) {
            n++;
        }
        if (n > 1) {
            LOG.info("{}: {} x {} needs {} to decode whole, more than it may hold ({}): read with every {}th pixel",
                    file, width, height, DecodeMemory.mib(whole),
                    DecodeMemory.mib(streams ? DecodeMemory.budget() : DecodeMemory.most()), n);
            param.setSourceSubsampling(n, n, 0, 0);
        }
        long w = (width + n - 1) / n;
        long h = (height + n - 1) / n;
        return w * h * bytesPerPixel;
    }

    private static void checkWarnings(Path file, Kind kind, List<String> warnings) throws ImageDecodeException {
        for (String w : warnings) {
            String lower = w.toLowerCase(Locale.ROOT);
            if (lower.contains("premature end") || lower.contains("truncat")) {
                // the decoder filled the rest with gray: that is not the picture, so do not hash it
                throw new ImageDecodeException(file, "truncated " + kind.name() + " (" + w.strip() + ")");
            }
            LOG.debug("{}: decoder warning: {}", file, w);
        }
    }

    /** Band 0 of a raw gray or YCbCr JPEG raster, area-averaged. */
    static float[] lumaBlock(Raster raster) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        AreaAverager avg = new AreaAverager(w, h);
        float[] row = new float[w];
        if (raster.getDataBuffer() instanceof DataBufferByte db && db.getNumBanks() == 1
                && raster.getSampleModel() instanceof java.awt.image.PixelInterleavedSampleModel sm
                && raster.getParent() == null) {
            byte[] data = db.getData();
            int stride = sm.getScanlineStride();
            int step = sm.getPixelStride();
            int off = sm.getBandOffsets()[0] + db.getOffset();
            for (int y = 0; y < h; y++) {
                avg.addRow(y, data, off + y * stride, step);
            }
        } else {
            int[] samples = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, samples);
                for (int x = 0; x < w; x++) {
                    row[x] = samples[x];
                }
                avg.addRow(y, row);
            }
        }
        return avg.result();
    }

    private static String describe(Kind kind, Exception e) {
        String m = e.getMessage();
        if (e instanceof java.io.EOFException || m != null && m.toLowerCase(Locale.ROOT).contains("end of")) {
            return "truncated or damaged " + kind.name() + " (" + (m == null ? "unexpected end of file" : m) + ")";
        }
        return "damaged or unsupported " + kind.name() + ": " + (m == null || m.isBlank() ? e.getClass().getSimpleName() : m);
    }

    /** Luma of a decoded image, area-averaged to 32 x 32. */
    static float[] lumaBlock(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        AreaAverager avg = new AreaAverager(w, h);
        float[] row = new float[w];
        Raster raster = image.getRaster();
        int type = image.getType();
        if (type == BufferedImage.TYPE_3BYTE_BGR && raster.getDataBuffer() instanceof DataBufferByte db
                && raster.getParent() == null && db.getNumBanks() == 1) {
            byte[] data = db.getData();
            for (int y = 0; y < h; y++) {
                int p = y * w * 3;
                for (int x = 0; x < w; x++, p += 3) {
                    row[x] = luma(data[p + 2] & 0xFF, data[p + 1] & 0xFF, data[p] & 0xFF);
                }
                avg.addRow(y, row);
            }
        } else if ((type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_INT_ARGB)
                && raster.getDataBuffer() instanceof DataBufferInt db && raster.getParent() == null) {
            int[] data = db.getData();
            for (int y = 0; y < h; y++) {
                int p = y * w;
                for (int x = 0; x < w; x++) {
                    int c = data[p + x];
                    row[x] = luma(c >>> 16 & 0xFF, c >>> 8 & 0xFF, c & 0xFF);
                }
                avg.addRow(y, row);
            }
        } else if (raster.getNumBands() <= 2 && !(image.getColorModel() instanceof java.awt.image.IndexColorModel)) {
            // grayscale (with or without alpha): the sample itself is the luma; scale 16-bit and other depths to 0..255
            double scale = 255.0 / ((1 << image.getColorModel().getComponentSize(0)) - 1);
            int[] samples = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, samples);
                for (int x = 0; x < w; x++) {
                    row[x] = (float) (samples[x] * scale);
                }
                avg.addRow(y, row);
            }
        } else {
            // palettes, 16-bit colour, CMYK converted by the plugin, ...: let the colour model produce sRGB
            int[] rgb = new int[w];
            for (int y = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, rgb, 0, w);
                for (int x = 0; x < w; x++) {
                    int c = rgb[x];
                    row[x] = luma(c >>> 16 & 0xFF, c >>> 8 & 0xFF, c & 0xFF);
                }
                avg.addRow(y, row);
            }
        }
        return avg.result();
    }

    /** Step 1's luma: ITU-R BT.601, the weights JPEG's YCbCr uses. */
    static float luma(int r, int g, int b) {
        return 0.299f * r + 0.587f * g + 0.114f * b;
    }

    /**
     * The EXIF orientation of a JPEG, read from its APP1 segment only (the other segment readers cost time a hash
     * does not need); NORMAL when absent or unreadable. Only for a file that {@link #decode} has checked.
     */
    static Orientation jpegOrientation(Path file) {
        try {
            List<JpegSegmentMetadataReader> readers = List.of(new ExifReader());
            return orientationOf(JpegMetadataReader.readMetadata(file.toFile(), readers));
        } catch (Exception | StackOverflowError e) {
            LOG.debug("{}: EXIF orientation unreadable, assuming none", file, e);
            return Orientation.NORMAL;
        }
    }

    private static Orientation otherOrientation(Path file, Kind kind) {
        if (kind == Kind.GIF || kind == Kind.BMP) {
            return Orientation.NORMAL; // these formats carry no EXIF
        }
        return orientationFromMetadata(file);
    }

    /** Through the bounded reader: decode() has already refused a file whose structure fails its checks. */
    private static Orientation orientationFromMetadata(Path file) {
        try {
            return EmbeddedMetadata.read(file).metadata().map(ImageLumaDecoder::orientationOf)
                    .orElse(Orientation.NORMAL);
        } catch (IOException e) {
            LOG.debug("{}: EXIF orientation unreadable, assuming none", file, e);
            return Orientation.NORMAL;
        }
    }

    static Orientation orientationOf(Metadata m) {
        ExifIFD0Directory d = m.getFirstDirectoryOfType(ExifIFD0Directory.class);
        if (d == null) {
            return Orientation.NORMAL;
        }
        Integer o = d.getInteger(ExifIFD0Directory.TAG_ORIENTATION);
        return o == null ? Orientation.NORMAL : Orientation.fromExif(o);
    }

    private static LumaBlock decodeRaw(Path file, long maxPixels) throws IOException {
        byte[] preview = RawPreview.largestJpeg(file);
        if (preview == null) {
            throw new ImageDecodeException(file, "camera RAW file without an embedded JPEG preview this decoder can read");
        }
        return decodeJpegBytes(file, preview, maxPixels, otherOrientation(file, Kind.RAW));
    }
}
