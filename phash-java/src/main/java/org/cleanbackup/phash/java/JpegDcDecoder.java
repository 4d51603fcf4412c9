package org.cleanbackup.phash.java;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.cleanbackup.internal.JpegHeader;
import org.cleanbackup.phash.ImageDecodeException;

/**
 * A DC-only decoder for baseline (SOF0/SOF1, Huffman, 8-bit) JPEGs: the luma plane at 1/8 scale, one pixel per 8 x 8
 * block, straight from the entropy-coded data. Every block is Huffman-decoded (the code is sequential), but only the
 * luma DC coefficient is kept; AC values are skipped without being dequantized, and no IDCT runs. This is what
 * libjpeg-turbo does when asked for grayscale output at scale 1/8, so the two give the same bytes and the Java and
 * native backends the same hash.
 *
 * <p>It declines ({@link Fallback}) whatever it cannot decode exactly as libjpeg-turbo would, and the caller then
 * uses ImageIO: progressive, lossless, arithmetic-coded or 12-bit JPEGs; CMYK, YCCK and RGB ones; a luma component
 * that is subsampled; a DNL marker; and damaged entropy data (a bad Huffman code, a wrong restart marker, a scan that
 * needs more bits than it holds). A file that ends early is an {@link ImageDecodeException} ("truncated JPEG"), as in
 * the other decoders, and so is an image above the pixel limit (refused from the frame header, before anything is
 * allocated). Every loop is bounded by the data or by the block count from the header, and a run out of data stops
 * at once, so damaged input cannot make it spin.
 */
final class JpegDcDecoder {

    /*
     * Implementation notes.
     *
     * Output value. libjpeg-turbo's 1/8-scale "IDCT" (jidctred.c, jpeg_idct_1x1) is
     *   dcval = DESCALE(coef[0] * quant[0], 3) = (coef[0] * quant[0] + 4) >> 3
     *   out   = range_limit[dcval & RANGE_MASK]   (RANGE_MASK = 1023)
     * where the post-IDCT range-limit table (jdmaster.c, prepare_range_limit_table) maps x = dcval & 1023 to
     * x + 128 for x < 128, 255 for x < 512, 0 for x < 896 and x - 896 above: centred, clamped to 0..255, and for
     * wildly out-of-range values (damaged data only) wrapped the same way. The quantizer is cast to short, as
     * libjpeg-turbo's ISLOW_MULT_TYPE is; the coefficient to short (JCOEF). RANGE holds that table.
     *
     * Which blocks. At 1/8 scale libjpeg-turbo gives the luma component its 1 x 1 IDCT only when it has the
     * largest sampling factors (otherwise it picks a larger IDCT to avoid upsampling), so a subsampled luma
     * component falls back. Output is ceil(W/8) x ceil(H/8) pixels; MCU padding blocks are decoded and dropped.
     *
     * Colour space, as libjpeg's default_decompress_parms decides it: one component is gray; three are YCbCr when
     * a JFIF APP0 is present, else per the Adobe APP14 transform (0 = RGB), else by component ids (R, G, B = RGB).
     *
     * Bit reader. Bits are kept MSB-first in a 64-bit long and refilled whenever fewer than 32 remain (a Huffman
     * code and its value bits are at most 16 + 15). The refill takes up to 8 bytes in one big-endian load when none
     * of them is 0xFF (a SWAR test); otherwise byte by byte, turning FF 00 into FF and stopping at a marker, after
     * which zero bits are supplied and counted (padBits): a valid scan never consumes them, so consuming one means
     * the data ran short (EOF: truncated; a marker: damaged, fall back).
     *
     * Huffman codes are looked up 9 bits at a time (covering nearly every code in real files), with the canonical
     * max-code search for longer ones. AC tables get a second table that maps the 9-bit lookahead directly to
     * "bits to skip" (code length + value bits) and "how far k advances", so skipping a coefficient costs one
     * lookup.
     */

    /** The fast path declined; the reason is for the debug log. No stack trace: this is control flow. */
    static final class Fallback extends Exception {
        private static final long serialVersionUID = 1L;

        Fallback(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The luma plane at 1/8 scale and what the caller needs with it. */
    record Plane(byte[] pixels, int width, int height, int imageWidth, int imageHeight, int exifOrientation) {
    }

    /**
     * Every component at 1/8 of its own resolution, for a thumbnail: Y (or gray), then Cb and Cr (subsampled ones
     * smaller, as stored), with each plane's size and the image's; {@code planes.length} is 1 or 3.
     */
    record Planes(byte[][] planes, int[] widths, int[] heights, int imageWidth, int imageHeight, int exifOrientation) {
    }

    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final int LOOKAHEAD = 9;
    private static final byte[] RANGE = new byte[1024];

    static {
        for (int x = 0; x < 1024; x++) {
            RANGE[x] = (byte) (x < 128 ? x + 128 : x < 512 ? 255 : x < 896 ? 0 : x - 896);
        }
    }

    private final Path file;
    private final byte[] data;
    private final int end;
    private final long maxPixels;
    private int pos;

    // bit reader
    private long buf;
    private int bits;
    private int padBits;
    private boolean stopped;
    private boolean eof;

    // tables and frame
    private final Huffman[] dcTables = new Huffman[4];
    private final Huffman[] acTables = new Huffman[4];
    private final int[] quant0 = new int[4];
    private final boolean[] quantDefined = new boolean[4];
    private int restartInterval;
    private boolean sawFrame;
    private int width;
    private int height;
    private int components;
    private int[] compId;
    private int[] compH;
    private int[] compV;
    private int[] compQ;
    private int hMax;
    private int vMax;
    private boolean sawJfif;
    private int adobeTransform = -1;
    private int exifOrientation;
    private boolean exifSeen;
    private boolean sawScan;
    private boolean lumaDecoded;
    private byte[] plane;
    private int planeWidth;
    private int planeHeight;

    /** Whether every component is kept (a thumbnail), not only the luma (the hash). */
    private final boolean colour;
    private byte[][] planes;
    private int[] planeWidths;
    private boolean[] componentDecoded;

    private JpegDcDecoder(Path file, byte[] data, int length, long maxPixels, boolean colour) {
        this.file = file;
        this.data = data;
        this.end = length;
        this.maxPixels = maxPixels;
        this.colour = colour;
    }

    /**
     * Decodes {@code data[0..length)}.
     *
     * @throws Fallback              when this decoder cannot give libjpeg-turbo's exact result: use ImageIO
     * @throws ImageDecodeException  when the file is truncated or above the pixel limit
     */
    static Plane decode(Path file, byte[] data, int length, long maxPixels) throws Fallback, ImageDecodeException {
        try {
            JpegDcDecoder d = new JpegDcDecoder(file, data, length, maxPixels, false);
            d.run();
            return new Plane(d.plane, d.planeWidth, d.planeHeight, d.width, d.height, d.exifOrientation);
        } catch (RuntimeException e) {
            // the parser checks its bounds; this only keeps an overlooked case in damaged data from escaping
            throw new Fallback("unexpected " + e);
        }
    }

    /**
     * Decodes {@code data[0..length)} in colour: each component's DC values, at 1/8 of that component's resolution.
     * Declines (besides what {@link #decode} declines) a file that is not gray or YCbCr, or whose components are not
     * each in exactly one scan.
     */
    static Planes decodeColour(Path file, byte[] data, int length, long maxPixels)
            throws Fallback, ImageDecodeException {
        try {
            JpegDcDecoder d = new JpegDcDecoder(file, data, length, maxPixels, true);
            d.run();
            int[] heights = new int[d.components];
            for (int c = 0; c < d.components; c++) {
                heights[c] = d.planes[c].length / d.planeWidths[c];
            }
            return new Planes(d.planes, d.planeWidths, heights, d.width, d.height, d.exifOrientation);
        } catch (RuntimeException e) {
            throw new Fallback("unexpected " + e);
        }
    }

    private void run() throws Fallback, ImageDecodeException {
        if (end < 4 || u8(0) != 0xFF || u8(1) != 0xD8) {
            throw new Fallback("no SOI marker");
        }
        pos = 2;
        while (true) {
            int marker = nextMarker();
            switch (marker) {
                case 0xD9 -> {
                    if (!lumaDecoded) {
                        throw new Fallback("no luma scan before EOI");
                    }
                    if (colour) {
                        for (boolean done : componentDecoded) {
                            if (!done) {
                                throw new Fallback("a colour component has no scan");
                            }
                        }
                    }
                    return;
                }
                case 0xC0, 0xC1 -> readFrame();
                case 0xC4 -> readHuffmanTables();
                case 0xDB -> readQuantTables();
                case 0xDD -> readRestartInterval();
                case 0xDA -> readScan();
                case 0xE0 -> readApp0();
                case 0xE1 -> readApp1();
                case 0xEE -> readApp14();
                case 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF ->
                        throw new Fallback(String.format("not a baseline Huffman JPEG (SOF marker %02X)", marker));
                case 0xDC -> throw new Fallback("DNL marker");
                default -> {
                    if (marker >= 0xE0 && marker <= 0xEF || marker == 0xFE) {
                        skipSegment(); // other APPn, COM
                    } else {
                        throw new Fallback(String.format("unexpected marker %02X", marker));
                    }
                }
            }
        }
    }

    // ---- markers ----

    private int u8(int i) {
        return data[i] & 0xFF;
    }

    private int u16(int i) {
        return (data[i] & 0xFF) << 8 | data[i + 1] & 0xFF;
    }

    /**
     * Moves past the next marker and returns its code. Bytes before it that are not a marker (libjpeg warns about
     * "extraneous bytes" and skips them too) are skipped. Running out of data is a truncated file.
     */
    private int nextMarker() throws ImageDecodeException {
        findMarker();
        int p = pos + 1;
        while (data[p] == (byte) 0xFF) {
            p++; // fill bytes (findMarker made sure a code byte follows)
        }
        pos = p + 1;
        return data[p] & 0xFF;
    }

    /** Leaves pos at an 0xFF that starts a marker (0xFF, fill, a code that is neither 0x00 nor 0xFF). */
    private void findMarker() throws ImageDecodeException {
        int p = pos;
        while (true) {
            while (p < end && data[p] != (byte) 0xFF) {
                p++;
            }
            int q = p + 1;
            while (q < end && data[q] == (byte) 0xFF) {
                q++;
            }
            if (q >= end) {
                throw truncated();
            }
            if (data[q] != 0) {
                pos = p;
                return;
            }
            p = q + 1; // FF 00: a stuffed byte inside entropy data
        }
    }

    /** The segment's payload [pos + 2, returned end); pos is moved past it. */
    private int segment() throws ImageDecodeException, Fallback {
        if (pos + 2 > end) {
            throw truncated();
        }
        int length = u16(pos);
        if (length < 2) {
            throw new Fallback("marker segment length " + length);
        }
        int segmentEnd = pos + length;
        if (segmentEnd > end) {
            throw truncated();
        }
        return segmentEnd;
    }

    private void skipSegment() throws ImageDecodeException, Fallback {
        pos = segment();
    }

    private ImageDecodeException truncated() {
        return new ImageDecodeException(file, "truncated JPEG (Premature end of JPEG file)");
    }

    private void readApp0() throws ImageDecodeException, Fallback {
        int segEnd = segment();
        int p = pos + 2;
        if (!sawScan && segEnd - p >= 14 && data[p] == 'J' && data[p + 1] == 'F' && data[p + 2] == 'I'
                && data[p + 3] == 'F' && data[p + 4] == 0) {
            sawJfif = true;
        }
        pos = segEnd;
    }

    private void readApp14() throws ImageDecodeException, Fallback {
        int segEnd = segment();
        int p = pos + 2;
        if (!sawScan && segEnd - p >= 12 && data[p] == 'A' && data[p + 1] == 'd' && data[p + 2] == 'o'
                && data[p + 3] == 'b' && data[p + 4] == 'e') {
            adobeTransform = u8(p + 11);
        }
        pos = segEnd;
    }

    /**
     * The EXIF orientation, read as the native backend's C parser reads it (so both agree): the first APP1 of at least
     * 14 bytes starting "Exif\0\0" before the first scan, tag 0x0112 of IFD0, 1 when absent or out of range.
     */
    private void readApp1() throws ImageDecodeException, Fallback {
        int segEnd = segment();
        int p = pos + 2;
        int len = segEnd - p;
        if (!exifSeen && !sawScan && len >= 14 && data[p] == 'E' && data[p + 1] == 'x' && data[p + 2] == 'i'
                && data[p + 3] == 'f' && data[p + 4] == 0 && data[p + 5] == 0) {
            exifSeen = true;
            exifOrientation = JpegHeader.exifOrientation(data, p + 6, len - 6);
        }
        pos = segEnd;
    }

    private void readRestartInterval() throws ImageDecodeException, Fallback {
        int segEnd = segment();
        if (segEnd - pos != 4) {
            throw new Fallback("DRI segment of the wrong length");
        }
        restartInterval = u16(pos + 2);
        pos = segEnd;
    }

    private void readQuantTables() throws ImageDecodeException, Fallback {
        int segEnd = segment();
        int p = pos + 2;
        while (p < segEnd) {
            int pq = u8(p) >> 4;
            int tq = u8(p) & 15;
            int size = pq == 0 ? 64 : 128;
            if (pq > 1 || tq > 3 || p + 1 + size > segEnd) {
                throw new Fallback("bad DQT segment");
            }
            // only the DC quantizer matters at 1/8 scale
            quant0[tq] = pq == 0 ? u8(p + 1) : u16(p + 1);
            quantDefined[tq] = true;
            p += 1 + size;
        }
        pos = segEnd;
    }

    private void readHuffmanTables() throws ImageDecodeException, Fallback {
        int segEnd = segment();
        int p = pos + 2;
        while (p < segEnd) {
            int tc = u8(p) >> 4;
            int th = u8(p) & 15;
            if (tc > 1 || th > 3 || p + 17 > segEnd) {
                throw new Fallback("bad DHT segment");
            }
            int[] counts = new int[17];
            int total = 0;
            for (int l = 1; l <= 16; l++) {
                counts[l] = u8(p + l);
                total += counts[l];
            }
            if (total > 256 || p + 17 + total > segEnd) {
                throw new Fallback("bad DHT segment");
            }
            byte[] values = java.util.Arrays.copyOfRange(data, p + 17, p + 17 + total);
            Huffman h = new Huffman(counts, values, tc == 1);
            if (tc == 0) {
                dcTables[th] = h;
            } else {
                acTables[th] = h;
            }
            p += 17 + total;
        }
        pos = segEnd;
    }

    private void readFrame() throws ImageDecodeException, Fallback {
        int segEnd = segment();
        if (sawFrame) {
            throw new Fallback("a second frame header");
        }
        sawFrame = true;
        int p = pos + 2;
        if (segEnd - p < 6) {
            throw new Fallback("short frame header");
        }
        int precision = u8(p);
        height = u16(p + 1);
        width = u16(p + 3);
        components = u8(p + 5);
        if (precision != 8) {
            throw new Fallback(precision + "-bit samples");
        }
        if (height == 0 || width == 0) {
            throw new Fallback("frame header gives no size (" + width + " x " + height + ")");
        }
        if ((long) width * height > maxPixels) {
            throw ImageLumaDecoder.tooLarge(file, width, height, maxPixels);
        }
        if (components != 1 && components != 3) {
            throw new Fallback(components + " components");
        }
        if (segEnd - p != 6 + 3 * components) {
            throw new Fallback("frame header of the wrong length");
        }
        compId = new int[components];
        compH = new int[components];
        compV = new int[components];
        compQ = new int[components];
        for (int c = 0; c < components; c++) {
            int q = p + 6 + 3 * c;
            compId[c] = u8(q);
            compH[c] = u8(q + 1) >> 4;
            compV[c] = u8(q + 1) & 15;
            compQ[c] = u8(q + 2);
            if (compH[c] < 1 || compH[c] > 4 || compV[c] < 1 || compV[c] > 4 || compQ[c] > 3) {
                throw new Fallback("bad component parameters");
            }
            hMax = Math.max(hMax, compH[c]);
            vMax = Math.max(vMax, compV[c]);
        }
        if (compH[0] != hMax || compV[0] != vMax) {
            throw new Fallback("the luma component is subsampled");
        }
        pos = segEnd;
    }

    /** At the first scan: is component 0 the luma, and is 1/8 scale the one the hash uses? */
    private void startImage() throws Fallback {
        if (!sawFrame) {
            throw new Fallback("scan before frame header");
        }
        if (components == 3) {
            boolean rgb;
            if (sawJfif) {
                rgb = false;
            } else if (adobeTransform >= 0) {
                rgb = adobeTransform == 0;
            } else {
                rgb = compId[0] == 'R' && compId[1] == 'G' && compId[2] == 'B';
            }
            if (rgb) {
                throw new Fallback("RGB JPEG");
            }
        }
        planeWidth = (width + 7) / 8;
        planeHeight = (height + 7) / 8;
        if (planeWidth < AreaAverager.N || planeHeight < AreaAverager.N) {
            // the hash uses 1/4 or 1/2 scale here (and ImageIO is quick on such small images)
            throw new Fallback("smaller than 256 pixels on a side");
        }
        plane = new byte[planeWidth * planeHeight];
        if (colour) {
            if (components != 1 && components != 3) {
                throw new Fallback(components + " components in colour");
            }
            planes = new byte[components][];
            planeWidths = new int[components];
            componentDecoded = new boolean[components];
            planes[0] = plane;
            planeWidths[0] = planeWidth;
            for (int c = 1; c < components; c++) {
                // a component's samples span ceil(W * h / hMax); its 1/8-scale plane is that over 8, rounded up
                planeWidths[c] = (int) ceilDiv(ceilDiv((long) width * compH[c], hMax), 8);
                planes[c] = new byte[planeWidths[c] * (int) ceilDiv(ceilDiv((long) height * compV[c], vMax), 8)];
            }
        }
    }

    // ---- scans ----

    private void readScan() throws ImageDecodeException, Fallback {
        int segEnd = segment();
        if (!sawScan) {
            startImage();
            sawScan = true;
        }
        int p = pos + 2;
        int ns = segEnd - p > 0 ? u8(p) : 0;
        if (ns < 1 || ns > 4 || segEnd - p != 4 + 2 * ns) {
            throw new Fallback("bad SOS segment");
        }
        int[] comp = new int[ns];
        Huffman[] dc = new Huffman[ns];
        Huffman[] ac = new Huffman[ns];
        boolean hasLuma = false;
        int blocksPerMcu = 0;
        for (int i = 0; i < ns; i++) {
            int id = u8(p + 1 + 2 * i);
            int tables = u8(p + 2 + 2 * i);
            int c = 0;
            while (c < components && compId[c] != id) {
                c++;
            }
            if (c == components) {
                throw new Fallback("scan names an unknown component");
            }
            comp[i] = c;
            hasLuma |= c == 0;
            dc[i] = (tables >> 4) < 4 ? dcTables[tables >> 4] : null;
            ac[i] = (tables & 15) < 4 ? acTables[tables & 15] : null;
            blocksPerMcu += ns == 1 ? 1 : compH[c] * compV[c];
        }
        int q = p + 1 + 2 * ns;
        if (u8(q) != 0 || u8(q + 1) != 63 || u8(q + 2) != 0) {
            throw new Fallback("not a sequential scan");
        }
        if (blocksPerMcu > 10) {
            throw new Fallback("more than 10 blocks in an MCU");
        }
        pos = segEnd;
        if (colour) {
            for (int c : comp) {
                if (componentDecoded[c]) {
                    throw new Fallback("a component in two scans");
                }
                if (!quantDefined[compQ[c]]) {
                    throw new Fallback("quantization table undefined");
                }
                componentDecoded[c] = true;
            }
        } else if (!hasLuma) {
            skipEntropyData();
            return;
        }
        if (hasLuma && lumaDecoded) {
            throw new Fallback("luma in two scans");
        }
        for (int i = 0; i < ns; i++) {
            if (dc[i] == null || ac[i] == null || dc[i].isAc || !ac[i].isAc) {
                throw new Fallback("scan uses an undefined Huffman table");
            }
        }
        if (!quantDefined[compQ[0]]) {
            throw new Fallback("luma quantization table undefined");
        }
        decodeScan(comp, dc, ac);
        lumaDecoded |= hasLuma;
    }

    /** Entropy data of a scan without luma: skip to the next marker that is not a restart marker. */
    private void skipEntropyData() throws ImageDecodeException {
        while (true) {
            findMarker();
            int p = pos + 1;
            while (data[p] == (byte) 0xFF) {
                p++;
            }
            int code = data[p] & 0xFF;
            if (code < 0xD0 || code > 0xD7) {
                return;
            }
            pos = p + 1;
        }
    }

    private void decodeScan(int[] comp, Huffman[] dc, Huffman[] ac) throws ImageDecodeException, Fallback {
        int ns = comp.length;
        int mcusX;
        int mcusY;
        if (ns == 1) {
            int c = comp[0];
            int cw = (int) ceilDiv((long) width * compH[c], hMax);
            int ch = (int) ceilDiv((long) height * compV[c], vMax);
            mcusX = (cw + 7) / 8;
            mcusY = (ch + 7) / 8;
        } else {
            mcusX = (int) ceilDiv(width, 8L * hMax);
            mcusY = (int) ceilDiv(height, 8L * vMax);
        }
        // per block of the MCU: which scan component, and for a kept component (luma; every one in colour) its
        // offset inside the MCU (-1: skipped)
        int blocks = 0;
        for (int i = 0; i < ns; i++) {
            blocks += ns == 1 ? 1 : compH[comp[i]] * compV[comp[i]];
        }
        int[] blockComp = new int[blocks];
        int[] lumaDx = new int[blocks];
        int[] lumaDy = new int[blocks];
        int b = 0;
        for (int i = 0; i < ns; i++) {
            int c = comp[i];
            int hh = ns == 1 ? 1 : compH[c];
            int vv = ns == 1 ? 1 : compV[c];
            for (int y = 0; y < vv; y++) {
                for (int x = 0; x < hh; x++) {
                    blockComp[b] = i;
                    lumaDx[b] = c == 0 || colour ? x : -1;
                    lumaDy[b] = y;
                    b++;
                }
            }
        }
        // per scan component: the MCU's blocks across and down, dequantizer, plane and its size
        int[] mcuWs = new int[ns];
        int[] mcuHs = new int[ns];
        int[] qs = new int[ns];
        byte[][] outs = new byte[ns][];
        int[] pws = new int[ns];
        int[] phs = new int[ns];
        for (int i = 0; i < ns; i++) {
            int c = comp[i];
            mcuWs[i] = ns == 1 ? 1 : compH[c];
            mcuHs[i] = ns == 1 ? 1 : compV[c];
            qs[i] = (short) quant0[compQ[c]];
            outs[i] = colour ? planes[c] : c == 0 ? plane : null;
            pws[i] = colour ? planeWidths[c] : planeWidth;
            phs[i] = outs[i] == null ? 0 : outs[i].length / pws[i];
        }
        int[] pred = new int[ns];
        long total = (long) mcusX * mcusY;
        int ri = restartInterval;
        int nextRst = 0;
        resetBits();
        int mx = 0;
        int my = 0;
        int toRestart = ri;
        for (long mcu = 0; mcu < total; mcu++) {
            if (ri > 0) {
                if (toRestart == 0) {
                    restart(nextRst);
                    nextRst = (nextRst + 1) & 7;
                    java.util.Arrays.fill(pred, 0);
                    toRestart = ri;
                }
                toRestart--;
            }
            for (int k = 0; k < blocks; k++) {
                int i = blockComp[k];
                pred[i] += decodeBlock(dc[i], ac[i]);
                int dx = lumaDx[k];
                if (dx >= 0) {
                    int bx = mx * mcuWs[i] + dx;
                    int by = my * mcuHs[i] + lumaDy[k];
                    int pw = pws[i];
                    if (bx < pw && by < phs[i]) {
                        outs[i][by * pw + bx] = RANGE[(((short) pred[i]) * qs[i] + 4) >> 3 & 1023];
                    }
                }
            }
            if (++mx == mcusX) {
                mx = 0;
                my++;
            }
        }
        checkNoPaddingUsed();
        if (!stopped) {
            findMarker(); // a valid scan leaves at most 7 bits; libjpeg too discards anything up to the marker
        }
        resetBits();
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /**
     * Decodes one block: returns its DC difference and skips its 63 AC coefficients. The hot loop of the decoder,
     * so the bit buffer lives in locals here and goes back to the fields only around a refill or a long code.
     */
    private int decodeBlock(Huffman dcTable, Huffman acTable) throws ImageDecodeException, Fallback {
        long b = buf;
        int n = bits;
        if (n < 32) {
            refill();
            b = buf;
            n = bits;
        }
        int s;
        int e = dcTable.fast[(int) (b >>> (64 - LOOKAHEAD))];
        if (e != 0) {
            int len = e >>> 8;
            b <<= len;
            n -= len;
            s = e & 0xFF;
        } else {
            buf = b;
            bits = n;
            s = dcTable.decodeSlow(this);
            b = buf;
            n = bits;
        }
        int diff = 0;
        if (s != 0) {
            if (s > 15) {
                throw new Fallback("bad DC value size");
            }
            int v = (int) (b >>> (64 - s));
            b <<= s;
            n -= s;
            diff = v < 1 << (s - 1) ? v + (-1 << s) + 1 : v;
        }
        int[] skip = acTable.acSkip;
        for (int k = 1; k < 64; ) {
            if (n < 32) {
                buf = b;
                bits = n;
                refill();
                b = buf;
                n = bits;
            }
            e = skip[(int) (b >>> (64 - LOOKAHEAD))];
            if (e != 0) {
                int len = e >>> 8;
                b <<= len;
                n -= len;
                k += e & 0xFF;
            } else {
                buf = b;
                bits = n;
                int rs = acTable.decodeSlow(this);
                b = buf;
                n = bits;
                int r = rs >> 4;
                int size = rs & 15;
                if (size != 0) {
                    b <<= size;
                    n -= size;
                    k += r + 1;
                } else if (r == 15) {
                    k += 16;
                } else {
                    break; // end of block
                }
            }
        }
        buf = b;
        bits = n;
        return diff;
    }

    private void resetBits() {
        buf = 0;
        bits = 0;
        padBits = 0;
        stopped = false;
        eof = false;
    }

    private void checkNoPaddingUsed() throws ImageDecodeException, Fallback {
        if (padBits > bits) {
            if (eof) {
                throw truncated();
            }
            throw new Fallback("corrupt entropy data: a segment ends too early");
        }
    }

    private void restart(int expected) throws ImageDecodeException, Fallback {
        checkNoPaddingUsed();
        if (eof) {
            throw truncated();
        }
        if (!stopped) {
            findMarker();
        }
        int p = pos + 1;
        while (data[p] == (byte) 0xFF) {
            p++;
        }
        if ((data[p] & 0xFF) != 0xD0 + expected) {
            throw new Fallback(String.format("expected restart marker RST%d, found %02X", expected, data[p] & 0xFF));
        }
        pos = p + 1;
        resetBits();
    }

    /** Tops the bit buffer up to at least 57 bits. */
    private void refill() throws ImageDecodeException, Fallback {
        int p = pos;
        if (!stopped && p + 8 <= end) {
            long word = (long) LONG_BE.get(data, p);
            long inv = ~word;
            if (((inv - 0x0101010101010101L) & ~inv & 0x8080808080808080L) == 0) { // no 0xFF byte
                int n = (64 - bits) >>> 3;
                buf |= (word >>> bits) & (-1L << (64 - bits - 8 * n));
                bits += 8 * n;
                pos = p + n;
                return;
            }
        }
        refillSlow();
    }

    private void refillSlow() throws ImageDecodeException, Fallback {
        while (bits <= 56) {
            int b;
            if (stopped) {
                b = 0;
                padBits += 8;
            } else if (pos >= end) {
                stopped = true;
                eof = true;
                continue;
            } else {
                b = data[pos] & 0xFF;
                if (b == 0xFF) {
                    int p = pos + 1;
                    while (p < end && data[p] == (byte) 0xFF) {
                        p++;
                    }
                    if (p >= end) {
                        stopped = true;
                        eof = true;
                        continue;
                    }
                    if (data[p] != 0) {
                        stopped = true; // a marker: pos stays on its first 0xFF
                        continue;
                    }
                    pos = p + 1; // FF (FF...) 00 is one data byte FF
                } else {
                    pos++;
                }
            }
            buf |= (long) b << (56 - bits);
            bits += 8;
        }
        if (padBits > bits) {
            checkNoPaddingUsed(); // the data already ran short: stop now rather than decode zeros to the end
        }
    }

    /** A Huffman table: 9-bit lookahead, canonical decoding for longer codes, and for AC tables a skip table. */
    static final class Huffman {
        final boolean isAc;
        /** (code length << 8) | symbol for codes of at most 9 bits, indexed by the next 9 bits; 0 = longer. */
        final int[] fast = new int[1 << LOOKAHEAD];
        /** AC: (code length + value bits) << 8 | how far k advances (64 for end of block); 0 = longer code. */
        final int[] acSkip;
        /** maxCode[l]: the largest code of length l, -1 when none; maxCode[17] catches everything. */
        private final int[] maxCode = new int[18];
        private final int[] valOffset = new int[17];
        private final byte[] values;

        Huffman(int[] counts, byte[] values, boolean isAc) throws Fallback {
            this.isAc = isAc;
            this.values = values;
            this.acSkip = isAc ? new int[1 << LOOKAHEAD] : null;
            int code = 0;
            int k = 0;
            for (int l = 1; l <= 16; l++) {
                valOffset[l] = k - code;
                if (counts[l] > 0 && code + counts[l] >= 1 << l) {
                    throw new Fallback("bad Huffman table (code overflow)"); // libjpeg's JERR_BAD_HUFF_TABLE
                }
                for (int i = 0; i < counts[l]; i++) {
                    int sym = values[k] & 0xFF;
                    if (!isAc && sym > 15) {
                        throw new Fallback("bad DC Huffman table");
                    }
                    if (l <= LOOKAHEAD) {
                        int shift = LOOKAHEAD - l;
                        int from = code << shift;
                        int to = (code + 1) << shift;
                        int entry = l << 8 | sym;
                        int skip = acSkipEntry(l, sym);
                        for (int j = from; j < to; j++) {
                            fast[j] = entry;
                            if (isAc) {
                                acSkip[j] = skip;
                            }
                        }
                    }
                    code++;
                    k++;
                }
                maxCode[l] = counts[l] == 0 ? -1 : code - 1;
                code <<= 1;
            }
            maxCode[17] = Integer.MAX_VALUE;
        }

        private static int acSkipEntry(int length, int rs) {
            int r = rs >> 4;
            int s = rs & 15;
            if (s != 0) {
                return (length + s) << 8 | (r + 1);
            }
            return length << 8 | (r == 15 ? 16 : 64);
        }

        /** Codes longer than the lookahead (or a bad code: no table entry of any length). */
        int decodeSlow(JpegDcDecoder d) throws Fallback {
            int peek = (int) (d.buf >>> 48); // 16 bits
            for (int l = LOOKAHEAD + 1; l <= 16; l++) { // shorter codes are all in the lookahead table
                int c = peek >>> (16 - l);
                if (c <= maxCode[l]) {
                    d.buf <<= l;
                    d.bits -= l;
                    return values[valOffset[l] + c] & 0xFF;
                }
            }
            throw new Fallback("corrupt entropy data: bad Huffman code");
        }
    }
}
