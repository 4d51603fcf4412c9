package org.cleanbackup.phash.java;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.cleanbackup.internal.DecodeMemory;
import org.cleanbackup.phash.ImageDecodeException;

/**
 * Steps 1 and 2 of the hash for a non-interlaced PNG, streamed: the chunks are read in one pass, each chunk's CRC
 * checked as it goes, the image data inflated (the JDK's zlib) one row at a time, unfiltered against the previous
 * row only, turned into luma and handed to the {@link AreaAverager}. Memory is two rows of raw bytes and one row
 * of luma, whatever the height; the whole-image ImageIO route it replaces held every pixel at once.
 *
 * <p>The luma is, to the bit, what {@link ImageLumaDecoder#lumaBlock(java.awt.image.BufferedImage)} computes from the
 * image the JDK's PNG reader returns (so a file hashes the same through either route):
 * <ul>
 *   <li>gray of 8 or 16 bits, and gray with alpha: the sample times {@code 255 / (2^depth - 1)}; alpha ignored;</li>
 *   <li>gray of 1, 2 or 4 bits: the JDK gives an indexed image with a gray ramp {@code i * 255 / (2^depth - 1)},
 *       read through {@code getRGB}, so the luma is {@code luma(v, v, v)}; with a tRNS chunk it gives a gray-alpha
 *       image instead and the luma is {@code v} itself;</li>
 *   <li>RGB and RGBA of 8 bits: {@code luma(r, g, b)}; alpha and tRNS ignored;</li>
 *   <li>RGB and RGBA of 16 bits: each component brought to 8 bits as {@code ComponentColorModel.getRGB} does,
 *       {@code (int) (c / 65535f * 255f + 0.5f)}, then {@code luma};</li>
 *   <li>palette: {@code luma} of the PLTE entry; the JDK first rounds the palette up to 2, 4, 16 or 256 entries
 *       with black, then pads it to {@code 2^depth} entries with its last one, and so does this reader, so an index
 *       past the palette gives the same colour.</li>
 * </ul>
 * gAMA, cHRM, sRGB, iCCP and sBIT are ignored, as the JDK's reader ignores them when decoding.
 *
 * <p>Interlaced (Adam7) PNGs are declined ({@link #read} returns null) and go through ImageIO: their passes would need
 * the whole image in memory anyway, and they are rare among photos.
 *
 * <p>Bounds: the declared size is checked against the pixel limit right after IHDR, before anything is allocated;
 * the inflater never writes more than one row at a time and stops at the last declared row, so data that inflates to
 * more (a zlib bomb) costs time for one row, not memory; image data that ends before the last row is a truncated
 * file, never gray fill. Data after the last row is ignored, as the JDK's reader ignores it, but its chunks are still
 * checked up to IEND.
 *
 * <p>Faster where the system has libdeflate ({@link Libdeflate}): the same single pass over the chunks, CRCs checked
 * as before, but the image data is gathered (outside the heap) and inflated in one call, then unfiltered row by row
 * as above. It holds the file's image data and the inflated rows at once, so it is used only when both together fit
 * the {@link DecodeMemory} budget and {@link #WHOLE_MAX_BYTES}, under a lease of the budget; any problem on this route (a damaged, truncated or oversized
 * file, data that inflates to more or less than the declared rows) sends the file down the streaming route, which
 * says what is wrong in the same words as before. Inflating is exact, so both routes give the same luma.
 */
final class PngLumaReader {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final int IHDR = type("IHDR");
    private static final int PLTE = type("PLTE");
    private static final int IDAT = type("IDAT");
    private static final int IEND = type("IEND");
    private static final int TRNS = type("tRNS");
    private static final int EXIF = type("eXIf");
    private static final int TEXT = type("tEXt");
    private static final int ZTXT = type("zTXt");
    private static final int ITXT = type("iTXt");

    private static final int GRAY = 0;
    private static final int RGB = 2;
    private static final int PALETTE = 3;
    private static final int GRAY_ALPHA = 4;
    private static final int RGBA = 6;

    /** The old route's scale for 16-bit gray: {@code 255 / ((1 << componentSize) - 1)} with componentSize 16. */
    private static final double SCALE_16 = 255.0 / ((1 << 16) - 1);

    /** What was read: the 32 x 32 block, and whether a chunk that can carry EXIF (and so an orientation) was seen. */
    record Luma(float[] block, boolean mayHoldExif) {
    }

    private final Path file;
    private final InputStream in;
    private final CRC32 crc = new CRC32();
    private final byte[] buf = new byte[1 << 16];
    private final byte[] word = new byte[8];

    // from IHDR
    private int width;
    private int height;
    private int bitDepth;
    private int colorType;
    // from the chunks before the image data
    private byte[] palette; // r, g, b per entry, as the JDK rounds and pads it
    private boolean grayTransparency;
    private boolean mayHoldExif;
    // the row state
    private Inflater inflater;
    private AreaAverager averager;
    private byte[] row;  // filter byte, then the row's bytes
    private byte[] prev; // the previous row after unfiltering, same layout (zero before the first row)
    private int rowFill;
    private int rowsDone;
    private int bytesPerPixel; // for the filters: at least 1
    private float[] luma;
    private float[] lut; // palette and low-depth gray: luma per index
    private ImageDecodeException dataError; // found in an IDAT chunk, thrown once its CRC has passed
    // the whole-buffer route (arena non-null): the image data gathered, inflated at IEND by libdeflate
    private final Arena arena;
    private final long fileSize;
    private MemorySegment packed;
    private long packedLength;

    private PngLumaReader(Path file, InputStream in, Arena arena, long fileSize) {
        this.file = file;
        this.in = in;
        this.arena = arena;
        this.fileSize = fileSize;
    }

    /** The whole-buffer route declines a file; the streaming route then reads it. No stack trace: it is not an error. */
    private static final class Declined extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Declined() {
            super(null, null, false, false);
        }
    }

    /**
     * Reads {@code file}, a PNG, refusing more than {@code maxPixels} pixels; null when it is interlaced (the caller
     * then uses ImageIO).
     *
     * @throws ImageDecodeException damaged, truncated, too large or not a PNG
     * @throws IOException          the file cannot be read
     */
    static Luma read(Path file, long maxPixels) throws IOException {
        if (Libdeflate.available()) {
            Luma whole = readWhole(file, maxPixels);
            if (whole != null) {
                return whole;
            }
        }
        return readStreaming(file, maxPixels);
    }

    /** The streaming route alone (with the JDK's inflater), whether or not libdeflate is there. */
    static Luma readStreaming(Path file, long maxPixels) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return new PngLumaReader(file, in, null, 0).read(maxPixels);
        }
    }

    /** The whole-buffer route; null when it declines the file, or fails in any way (then the streaming route runs). */
    static Luma readWhole(Path file, long maxPixels) throws IOException {
        PngLumaReader reader = null;
        try (Arena arena = Arena.ofConfined();
             InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            reader = new PngLumaReader(file, in, arena, Files.size(file));
            return reader.read(maxPixels);
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException | Declined e) {
            return null;
        } finally {
            if (reader != null && reader.lease != null) {
                reader.lease.close(); // after the arena has given the memory back
            }
        }
    }

    private Luma read(long maxPixels) throws IOException {
        try {
            readFully(word, 8);
            if (!Arrays.equals(word, SIGNATURE)) {
                throw damaged("its signature is not a PNG's");
            }
            if (!readHeader(maxPixels)) {
                return null;
            }
            try {
                readChunks();
            } finally {
                if (inflater != null) {
                    inflater.end();
                }
            }
            return new Luma(averager.result(), mayHoldExif);
        } catch (EOFException e) {
            throw new ImageDecodeException(file, "truncated PNG (ends before its IEND chunk)");
        }
    }

    /** IHDR, which must come first; false for an interlaced image. */
    private boolean readHeader(long maxPixels) throws IOException {
        readFully(buf, 8 + 13);
        int length = int32(buf, 0);
        if (length != 13 || int32(buf, 4) != IHDR) {
            throw damaged("its first chunk is not a 13-byte IHDR");
        }
        width = int32(buf, 8);
        height = int32(buf, 12);
        if (width <= 0 || height <= 0) {
            throw new ImageDecodeException(file, "image header gives no size (" + Integer.toUnsignedLong(width)
                    + " x " + Integer.toUnsignedLong(height) + ")");
        }
        // before the CRC, as the ImageIO route did: the size is the first thing said about a file
        if ((long) width * height > maxPixels) {
            throw ImageLumaDecoder.tooLarge(file, width, height, maxPixels);
        }
        crc.reset();
        crc.update(buf, 4, 4 + 13);
        checkCrc("IHDR");
        bitDepth = buf[16] & 0xFF;
        colorType = buf[17] & 0xFF;
        int compression = buf[18] & 0xFF;
        int filter = buf[19] & 0xFF;
        int interlace = buf[20] & 0xFF;
        boolean valid = switch (colorType) {
            case GRAY -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8 || bitDepth == 16;
            case PALETTE -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8;
            case RGB, GRAY_ALPHA, RGBA -> bitDepth == 8 || bitDepth == 16;
            default -> false;
        };
        if (!valid) {
            throw damaged("IHDR gives colour type " + colorType + " with bit depth " + bitDepth);
        }
        if (compression != 0 || filter != 0 || interlace > 1) {
            throw damaged("IHDR gives compression method " + compression + ", filter method " + filter
                    + ", interlace method " + interlace);
        }
        return interlace == 0;
    }

    private void readChunks() throws IOException {
        boolean imageData = false; // IDAT seen
        boolean imageDataEnded = false; // and another chunk after it: the JDK's reader reads no later IDAT
        while (true) {
            readFully(word, 8);
            long length = Integer.toUnsignedLong(int32(word, 0));
            int type = int32(word, 4);
            if (length > Integer.MAX_VALUE) {
                throw damaged("chunk " + name(type) + " claims " + length + " bytes");
            }
            crc.reset();
            crc.update(word, 4, 4);
            if (type == IDAT) {
                if (!imageData) {
                    imageData = true;
                    startImage();
                }
                readImageData((int) length, !imageDataEnded);
            } else {
                imageDataEnded |= imageData;
                if (type == PLTE && colorType == PALETTE && !imageData && palette == null) {
                    readPalette((int) length);
                } else if (type == TRNS && colorType == GRAY && !imageData && length == 2) {
                    grayTransparency = true; // the JDK reader's test; the value itself only sets alpha
                    skip(length);
                } else {
                    mayHoldExif |= type == EXIF || type == TEXT || type == ZTXT || type == ITXT;
                    skip(length);
                }
            }
            checkCrc(name(type));
            if (dataError != null) {
                throw dataError;
            }
            if (type == IEND) {
                break;
            }
        }
        if (!imageData) {
            throw damaged("no image data (IDAT chunk)");
        }
        if (arena != null) {
            inflateWhole();
        }
        if (rowsDone < height) {
            throw new ImageDecodeException(file, "truncated PNG (its image data ends after " + rowsDone + " of "
                    + height + " rows)");
        }
    }

    /** PLTE as the JDK reads it: extra entries dropped, rounded up to 2, 4, 16 or 256 with black, padded. */
    private void readPalette(int length) throws IOException {
        int entries = Math.min(length / 3, 1 << bitDepth);
        int rounded = entries > 16 ? 256 : entries > 4 ? 16 : entries > 2 ? 4 : 2;
        int size = Math.max(rounded, 1 << bitDepth);
        palette = new byte[size * 3];
        int keep = Math.min(length, entries * 3);
        readFully(buf, keep);
        crc.update(buf, 0, keep);
        System.arraycopy(buf, 0, palette, 0, keep);
        for (int i = rounded; i < size; i++) {
            System.arraycopy(palette, (rounded - 1) * 3, palette, i * 3, 3);
        }
        skip(length - keep);
    }

    /** Everything the rows need, sized from IHDR (already held to the pixel limit). */
    private void startImage() throws IOException {
        if (colorType == PALETTE && palette == null) {
            throw damaged("no PLTE chunk before the image data");
        }
        int channels = switch (colorType) {
            case GRAY, PALETTE -> 1;
            case GRAY_ALPHA -> 2;
            case RGB -> 3;
            default -> 4;
        };
        long bits = (long) width * channels * bitDepth;
        long rowBytes = (bits + 7) / 8;
        if (rowBytes + 1 > Integer.MAX_VALUE - 16) {
            throw new ImageDecodeException(file, "PNG rows of " + rowBytes + " bytes are too wide to decode");
        }
        bytesPerPixel = Math.max(1, channels * bitDepth / 8);
        row = new byte[(int) rowBytes + 1];
        prev = new byte[row.length];
        averager = new AreaAverager(width, height);
        boolean bytePath = bitDepth == 8 && (colorType == GRAY || colorType == GRAY_ALPHA);
        if (!bytePath) {
            luma = new float[width];
        }
        if (colorType == PALETTE) {
            lut = new float[1 << bitDepth];
            for (int i = 0; i < lut.length; i++) {
                lut[i] = ImageLumaDecoder.luma(palette[3 * i] & 0xFF, palette[3 * i + 1] & 0xFF,
                        palette[3 * i + 2] & 0xFF);
            }
        } else if (colorType == GRAY && bitDepth < 8) {
            lut = new float[1 << bitDepth];
            for (int i = 0; i < lut.length; i++) {
                int v = i * 255 / (lut.length - 1);
                // indexed gray ramp read through getRGB, or (with tRNS) gray-alpha samples scaled to 8 bits
                lut[i] = grayTransparency ? v : ImageLumaDecoder.luma(v, v, v);
            }
        }
        if (arena != null) {
            startWhole((int) rowBytes + 1);
        } else {
            inflater = new Inflater();
        }
    }

    private DecodeMemory.Lease lease;

    /**
     * The most the whole-buffer route holds for one file (image data and rows, outside the heap, on top of it): a
     * 12-megapixel RGB PNG with its file; larger ones stream. With two threads that is at most 128 MiB beside the heap.
     */
    static final long WHOLE_MAX_BYTES = 64L << 20;

    /** Room for all the image data (at most the file) and all the inflated rows, when the budget allows both. */
    private void startWhole(int rowLength) throws InterruptedIOException {
        long inflated = (long) rowLength * height; // height * row bytes: held to the pixel limit by the header check
        long need = fileSize + inflated;
        if (need > WHOLE_MAX_BYTES || !DecodeMemory.withinBudget(need)) {
            throw new Declined();
        }
        lease = DecodeMemory.reserve(need);
        packed = arena.allocate(Math.max(1, fileSize));
    }

    /** The whole-buffer route at IEND: inflates the gathered data in one call, then each row as the stream does. */
    private void inflateWhole() throws ImageDecodeException {
        int rowLength = row.length;
        MemorySegment rows = arena.allocate((long) rowLength * height);
        if (!Libdeflate.inflateExactly(packed, packedLength, rows)) {
            throw new Declined();
        }
        for (int y = 0; y < height; y++) {
            MemorySegment.copy(rows, ValueLayout.JAVA_BYTE, (long) y * rowLength, row, 0, rowLength);
            finishRow();
        }
    }

    /**
     * One IDAT chunk: all of it goes through the CRC, and to the inflater while rows are still wanted. An error in the
     * data waits for the chunk's CRC: damage the CRC catches is said as such (the zlib error is only its symptom).
     */
    private void readImageData(int length, boolean inflate) throws IOException {
        int left = length;
        while (left > 0) {
            int n = Math.min(buf.length, left);
            readFully(buf, n);
            crc.update(buf, 0, n);
            left -= n;
            if (arena != null) {
                if (inflate) {
                    if (packedLength + n > packed.byteSize()) {
                        throw new Declined(); // more image data than the file's size: it grew while being read
                    }
                    MemorySegment.copy(buf, 0, packed, ValueLayout.JAVA_BYTE, packedLength, n);
                    packedLength += n;
                }
            } else if (inflate && rowsDone < height && dataError == null) {
                try {
                    inflate(n);
                } catch (ImageDecodeException e) {
                    dataError = e;
                }
            }
        }
    }

    /** Inflates {@code buf[0..n)} into rows, one row at most at a time, stopping at the last declared row. */
    private void inflate(int n) throws ImageDecodeException {
        inflater.setInput(buf, 0, n);
        while (rowsDone < height) {
            int got;
            try {
                got = inflater.inflate(row, rowFill, row.length - rowFill);
            } catch (DataFormatException e) {
                throw damaged("its image data does not inflate (" + e.getMessage() + ")");
            }
            rowFill += got;
            if (rowFill == row.length) {
                finishRow();
                continue;
            }
            if (got == 0) {
                if (inflater.finished()) {
                    throw new ImageDecodeException(file, "truncated PNG (its compressed image data ends after "
                            + rowsDone + " of " + height + " rows)");
                }
                if (inflater.needsInput()) {
                    return;
                }
                throw damaged(inflater.needsDictionary() ? "its image data asks for a preset dictionary"
                        : "its image data does not inflate");
            }
        }
    }

    private void finishRow() throws ImageDecodeException {
        int filter = row[0] & 0xFF;
        int end = row.length;
        int bpp = bytesPerPixel;
        byte[] r = row;
        byte[] p = prev;
        switch (filter) {
            case 0 -> { }
            case 1 -> {
                for (int i = 1 + bpp; i < end; i++) {
                    r[i] += r[i - bpp];
                }
            }
            case 2 -> {
                for (int i = 1; i < end; i++) {
                    r[i] += p[i];
                }
            }
            case 3 -> {
                for (int i = 1; i < end; i++) {
                    int left = i > bpp ? r[i - bpp] & 0xFF : 0;
                    r[i] += (byte) ((left + (p[i] & 0xFF)) >>> 1);
                }
            }
            case 4 -> {
                for (int i = 1; i < end; i++) {
                    int a = i > bpp ? r[i - bpp] & 0xFF : 0;
                    int b = p[i] & 0xFF;
                    int c = i > bpp ? p[i - bpp] & 0xFF : 0;
                    int pa = Math.abs(b - c);
                    int pb = Math.abs(a - c);
                    int pc = Math.abs(a + b - 2 * c);
                    r[i] += (byte) (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
                }
            }
            default -> throw damaged("row " + rowsDone + " has the unknown filter type " + filter);
        }
        addRow(rowsDone);
        row = p;
        prev = r;
        rowFill = 0;
        rowsDone++;
    }

    /** The unfiltered row {@code y} in {@code row[1..]}, as luma, to the averager. */
    private void addRow(int y) {
        byte[] r = row;
        int w = width;
        float[] out = luma;
        switch (colorType) {
            case GRAY, GRAY_ALPHA -> {
                int step = colorType == GRAY ? 1 : 2;
                if (bitDepth == 8) {
                    averager.addRow(y, r, 1, step); // integer sums, equal to the float ones of samples * 1.0
                    return;
                }
                if (bitDepth == 16) {
                    for (int x = 0, i = 1; x < w; x++, i += 2 * step) {
                        out[x] = (float) (((r[i] & 0xFF) << 8 | r[i + 1] & 0xFF) * SCALE_16);
                    }
                } else {
                    unpack(r, w, out);
                }
            }
            case PALETTE -> unpack(r, w, out);
            default -> {
                int step = colorType == RGB ? 3 : 4;
                if (bitDepth == 8) {
                    for (int x = 0, i = 1; x < w; x++, i += step) {
                        out[x] = ImageLumaDecoder.luma(r[i] & 0xFF, r[i + 1] & 0xFF, r[i + 2] & 0xFF);
                    }
                } else {
                    byte[] to8 = Sixteen.TO_8;
                    for (int x = 0, i = 1; x < w; x++, i += 2 * step) {
                        out[x] = ImageLumaDecoder.luma(to8[(r[i] & 0xFF) << 8 | r[i + 1] & 0xFF] & 0xFF,
                                to8[(r[i + 2] & 0xFF) << 8 | r[i + 3] & 0xFF] & 0xFF,
                                to8[(r[i + 4] & 0xFF) << 8 | r[i + 5] & 0xFF] & 0xFF);
                    }
                }
            }
        }
        averager.addRow(y, out);
    }

    /** Indices of {@code bitDepth} bits, most significant first, through {@link #lut}. */
    private void unpack(byte[] r, int w, float[] out) {
        float[] table = lut;
        if (bitDepth == 8) {
            for (int x = 0; x < w; x++) {
                out[x] = table[r[1 + x] & 0xFF];
            }
            return;
        }
        int depth = bitDepth;
        int mask = (1 << depth) - 1;
        int perByte = 8 / depth;
        for (int x = 0; x < w; x++) {
            int shift = 8 - depth * (x % perByte + 1);
            out[x] = table[(r[1 + x / perByte] & 0xFF) >>> shift & mask];
        }
    }

    /** 16-bit components to 8 bits as {@code ComponentColorModel.getRGB} rounds them (in float). */
    private static final class Sixteen {
        static final byte[] TO_8 = new byte[1 << 16];

        static {
            for (int c = 0; c < TO_8.length; c++) {
                float f = (float) c / 65535f;
                TO_8[c] = (byte) (int) (f * 255f + 0.5f);
            }
        }
    }

    private void checkCrc(String chunk) throws IOException {
        readFully(word, 4);
        if (Integer.toUnsignedLong(int32(word, 0)) != crc.getValue()) {
            throw damaged("chunk " + chunk + " fails its CRC check");
        }
    }

    /** Reads and checksums {@code length} bytes nobody needs. */
    private void skip(long length) throws IOException {
        long left = length;
        while (left > 0) {
            int n = (int) Math.min(buf.length, left);
            readFully(buf, n);
            crc.update(buf, 0, n);
            left -= n;
        }
    }

    private void readFully(byte[] into, int n) throws IOException {
        if (in.readNBytes(into, 0, n) < n) {
            throw new EOFException();
        }
    }

    private ImageDecodeException damaged(String why) {
        return new ImageDecodeException(file, "damaged PNG: " + why);
    }

    private static int int32(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | b[off + 3] & 0xFF;
    }

    private static int type(String name) {
        byte[] b = name.getBytes(StandardCharsets.ISO_8859_1);
        return int32(b, 0);
    }

    private static String name(int type) {
        StringBuilder s = new StringBuilder(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            char c = (char) (type >>> shift & 0xFF);
            s.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return s.toString();
    }
}
