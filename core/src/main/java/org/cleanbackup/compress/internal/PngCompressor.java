package org.cleanbackup.compress.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.cleanbackup.compress.CompressionException;
import org.cleanbackup.compress.CompressionLevel;
import org.cleanbackup.compress.Compressor;
import org.cleanbackup.internal.DecodeMemory;
import org.cleanbackup.model.MediaType;

/**
 * Recompresses PNGs losslessly: the image data is inflated, re-filtered and deflated at the maximum level; every
 * other chunk (text, ICC profile, EXIF, physical size, ...) is copied byte for byte. The level is ignored: a PNG is
 * always lossless and always stays a PNG. Not API: found through {@link org.cleanbackup.compress.Compressors}.
 */
public final class PngCompressor implements Compressor {

    /*
     * Pixel identity is by construction and then checked: the candidates are made from the original's unfiltered
     * scanlines, and the chosen stream is inflated and unfiltered again and compared with them before anything is
     * written. Candidates (the smallest wins): the original's own filters; per-row adaptive filters (the minimum sum
     * of absolute differences heuristic libpng uses) with the default and the "filtered" deflate strategies; and no
     * filter for palette and low-bit-depth images, where filtering rarely helps. Interlaced images keep their
     * filters (only the deflate level changes).
     *
     * Chunks: the PNG specification says an editor that changes the image data must drop unknown chunks whose
     * "safe to copy" bit is clear (their content may depend on the old data; Apple's iDOT, for one, holds offsets
     * into the old IDAT stream). Every registered chunk is kept.
     */

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final int IDAT_CHUNK = 1 << 18;
    private static final Set<String> KNOWN = Set.of("IHDR", "PLTE", "IDAT", "IEND", "tRNS", "cHRM", "gAMA", "iCCP",
            "sBIT", "sRGB", "cICP", "mDCV", "cLLI", "tEXt", "zTXt", "iTXt", "bKGD", "hIST", "pHYs", "sPLT", "eXIf",
            "tIME", "acTL", "fcTL", "fdAT", "oFFs", "pCAL", "sCAL", "gIFg", "gIFx", "sTER");

    /** Needed by {@link java.util.ServiceLoader}. */
    public PngCompressor() {
    }

    @Override
    public String name() {
        return "png";
    }

    @Override
    public MediaType mediaType() {
        return MediaType.IMAGE;
    }

    @Override
    public Set<String> extensions() {
        return Set.of("png");
    }

    @Override
    public void compress(Path source, Path target, CompressionLevel level) throws IOException {
        Outputs.writeNew(target, recompress(Files.readAllBytes(source)));
    }

    private record Chunk(String type, int dataOffset, int length) {
    }

    /** The recompressed file. */
    static byte[] recompress(byte[] file) throws IOException {
        List<Chunk> chunks = parse(file);
        Chunk ihdr = chunks.getFirst();
        int width = readInt(file, ihdr.dataOffset());
        int height = readInt(file, ihdr.dataOffset() + 4);
        int bitDepth = file[ihdr.dataOffset() + 8] & 0xFF;
        int colorType = file[ihdr.dataOffset() + 9] & 0xFF;
        boolean interlaced = file[ihdr.dataOffset() + 12] != 0;
        int channels = switch (colorType) {
            case 0, 3 -> 1;
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> throw CompressionException.failed("damaged: unknown PNG colour type " + colorType);
        };
        long bitsPerPixel = (long) channels * bitDepth;
        int bpp = (int) Math.max(1, bitsPerPixel / 8);
        long rowBytes = (width * bitsPerPixel + 7) / 8;
        long expected = interlaced ? interlacedSize(width, height, bitsPerPixel) : height * (rowBytes + 1);
        // width and height are read as signed ints: a declared 2^31 or more is negative, and refused here
        Outputs.checkDecodedSize("PNG", width, height, (int) Math.max(1, (bitsPerPixel + 7) / 8));
        // The filtered rows, the raw ones, the refiltered ones, up to four deflated candidates and the check: about
        // six times the image's bytes at once.
        try (DecodeMemory.Lease lease = Outputs.reserve("PNG", expected * 6)) {
            return recompress(file, chunks, height, (int) rowBytes, bpp, colorType, bitDepth, interlaced, expected);
        }
    }

    private static byte[] recompress(byte[] file, List<Chunk> chunks, int height, int rowBytes, int bpp,
                                     int colorType, int bitDepth, boolean interlaced, long expected)
            throws CompressionException {
        byte[] filtered = inflate(idatStream(file, chunks), (int) expected);

        List<byte[]> candidates = new ArrayList<>();
        candidates.add(deflate(filtered, Deflater.DEFAULT_STRATEGY));
        byte[] raw = null;
        if (!interlaced) {
            raw = unfilter(filtered, height, (int) rowBytes, bpp);
            byte[] adaptive = filterAdaptive(raw, height, (int) rowBytes, bpp);
            candidates.add(deflate(adaptive, Deflater.DEFAULT_STRATEGY));
            candidates.add(deflate(adaptive, Deflater.FILTERED));
            if (colorType == 3 || bitDepth < 8) {
                candidates.add(deflate(filterNone(raw, height, (int) rowBytes), Deflater.DEFAULT_STRATEGY));
            }
        }
        byte[] best = candidates.getFirst();
        for (byte[] c : candidates) {
            if (c.length < best.length) {
                best = c;
            }
        }
        byte[] check = inflate(best, (int) expected);
        boolean same = interlaced ? Arrays.equals(check, filtered)
                : Arrays.equals(unfilter(check, height, (int) rowBytes, bpp), raw);
        if (!same) {
            throw CompressionException.failed("the recompressed image data differs from the original; kept as is");
        }
        return assemble(file, chunks, best);
    }

    private static List<Chunk> parse(byte[] file) throws CompressionException {
        if (file.length < SIGNATURE.length || !Arrays.equals(file, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
            throw CompressionException.failed("not a PNG file (no PNG signature)");
        }
        List<Chunk> chunks = new ArrayList<>();
        int pos = SIGNATURE.length;
        CRC32 crc = new CRC32();
        while (true) {
            if (pos + 12 > file.length) {
                throw CompressionException.failed("damaged: the file ends before its IEND chunk");
            }
            int length = readInt(file, pos);
            if (length < 0 || pos + 12L + length > file.length) {
                throw CompressionException.failed("damaged: a chunk runs past the end of the file");
            }
            String type = new String(file, pos + 4, 4, StandardCharsets.ISO_8859_1);
            crc.reset();
            crc.update(file, pos + 4, 4 + length);
            if ((int) crc.getValue() != readInt(file, pos + 8 + length)) {
                throw CompressionException.failed("damaged: checksum error in the " + type + " chunk");
            }
            if (chunks.isEmpty() && !type.equals("IHDR")) {
                throw CompressionException.unsupported(type.equals("CgBI")
                        ? "Apple-optimised PNG (CgBI), which only Apple software reads: not recompressed"
                        : "PNG without IHDR first: not recompressed");
            }
            chunks.add(new Chunk(type, pos + 8, length));
            pos += 12 + length;
            if (type.equals("IEND")) {
                return chunks;
            }
        }
    }

    private static byte[] idatStream(byte[] file, List<Chunk> chunks) throws CompressionException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean seen = false;
        boolean ended = false;
        for (Chunk c : chunks) {
            if (c.type().equals("IDAT")) {
                if (ended) {
                    throw CompressionException.failed("damaged: IDAT chunks are not consecutive");
                }
                out.write(file, c.dataOffset(), c.length());
                seen = true;
            } else if (seen) {
                ended = true;
            }
        }
        if (!seen) {
            throw CompressionException.failed("damaged: no image data (IDAT)");
        }
        return out.toByteArray();
    }

    private static byte[] inflate(byte[] compressed, int expected) throws CompressionException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            byte[] out = new byte[expected];
            int n = 0;
            while (n < expected) {
                int got = inflater.inflate(out, n, expected - n);
                if (got == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += got;
            }
            if (n != expected) {
                throw CompressionException.failed("damaged: the image data holds " + n + " of " + expected + " bytes");
            }
            return out;
        } catch (DataFormatException e) {
            throw CompressionException.failed("damaged: corrupt image data (" + e.getMessage() + ")");
        } finally {
            inflater.end();
        }
    }

    private static byte[] deflate(byte[] data, int strategy) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            deflater.setStrategy(strategy);
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
            byte[] buffer = new byte[1 << 16];
            while (!deflater.finished()) {
                int n = deflater.deflate(buffer);
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** The scanlines without their filter bytes, each filter undone. */
    static byte[] unfilter(byte[] filtered, int height, int rowBytes, int bpp) throws CompressionException {
        byte[] raw = new byte[height * rowBytes];
        for (int y = 0; y < height; y++) {
            int type = filtered[y * (rowBytes + 1)] & 0xFF;
            int in = y * (rowBytes + 1) + 1;
            int out = y * rowBytes;
            int prev = out - rowBytes; // the row above in raw; absent for the first row
            for (int x = 0; x < rowBytes; x++) {
                int a = x >= bpp ? raw[out + x - bpp] & 0xFF : 0;
                int b = y > 0 ? raw[prev + x] & 0xFF : 0;
                int c = x >= bpp && y > 0 ? raw[prev + x - bpp] & 0xFF : 0;
                int value = filtered[in + x] & 0xFF;
                raw[out + x] = (byte) switch (type) {
                    case 0 -> value;
                    case 1 -> value + a;
                    case 2 -> value + b;
                    case 3 -> value + ((a + b) >>> 1);
                    case 4 -> value + paeth(a, b, c);
                    default -> throw CompressionException.failed("damaged: unknown filter type " + type + " in row " + y);
                };
            }
        }
        return raw;
    }

    private static byte[] filterNone(byte[] raw, int height, int rowBytes) {
        byte[] out = new byte[height * (rowBytes + 1)];
        for (int y = 0; y < height; y++) {
            System.arraycopy(raw, y * rowBytes, out, y * (rowBytes + 1) + 1, rowBytes);
        }
        return out;
    }

    /** Each row with the filter whose output has the smallest sum of absolute (signed) values. */
    static byte[] filterAdaptive(byte[] raw, int height, int rowBytes, int bpp) {
        byte[] out = new byte[height * (rowBytes + 1)];
        byte[][] trial = new byte[5][rowBytes];
        for (int y = 0; y < height; y++) {
            int row = y * rowBytes;
            int prev = row - rowBytes;
            long[] cost = new long[5];
            for (int x = 0; x < rowBytes; x++) {
                int v = raw[row + x] & 0xFF;
                int a = x >= bpp ? raw[row + x - bpp] & 0xFF : 0;
                int b = y > 0 ? raw[prev + x] & 0xFF : 0;
                int c = x >= bpp && y > 0 ? raw[prev + x - bpp] & 0xFF : 0;
                // five candidates per byte, without an array per byte (100 million of them for a 100 MP image)
                trial[0][x] = (byte) v;
                trial[1][x] = (byte) (v - a);
                trial[2][x] = (byte) (v - b);
                trial[3][x] = (byte) (v - ((a + b) >>> 1));
                trial[4][x] = (byte) (v - paeth(a, b, c));
                for (int t = 0; t < 5; t++) {
                    cost[t] += Math.abs(trial[t][x]);
                }
            }
            int bestType = 0;
            for (int t = 1; t < 5; t++) {
                if (cost[t] < cost[bestType]) {
                    bestType = t;
                }
            }
            out[y * (rowBytes + 1)] = (byte) bestType;
            System.arraycopy(trial[bestType], 0, out, y * (rowBytes + 1) + 1, rowBytes);
        }
        return out;
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static long interlacedSize(int width, int height, long bitsPerPixel) {
        int[][] passes = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};
        long total = 0;
        for (int[] p : passes) {
            long w = (width - p[0] + p[2] - 1L) / p[2];
            long h = (height - p[1] + p[3] - 1L) / p[3];
            if (w > 0 && h > 0) {
                total += h * ((w * bitsPerPixel + 7) / 8 + 1);
            }
        }
        return total;
    }

    private static byte[] assemble(byte[] file, List<Chunk> chunks, byte[] idat) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(idat.length + 4096);
        out.writeBytes(SIGNATURE);
        boolean idatWritten = false;
        for (Chunk c : chunks) {
            if (c.type().equals("IDAT")) {
                if (!idatWritten) {
                    for (int off = 0; off < idat.length; off += IDAT_CHUNK) {
                        writeChunk(out, "IDAT", idat, off, Math.min(IDAT_CHUNK, idat.length - off));
                    }
                    idatWritten = true;
                }
                continue;
            }
            boolean safeToCopy = Character.isLowerCase(c.type().charAt(3));
            if (!KNOWN.contains(c.type()) && !safeToCopy) {
                continue;
            }
            out.write(file, c.dataOffset() - 8, c.length() + 12); // the whole chunk as it was, CRC included
        }
        return out.toByteArray();
    }

    private static void writeChunk(ByteArrayOutputStream out, String type, byte[] data, int offset, int length) {
        byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
        writeInt(out, length);
        out.writeBytes(typeBytes);
        out.write(data, offset, length);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data, offset, length);
        writeInt(out, (int) crc.getValue());
    }

    private static int readInt(byte[] b, int pos) {
        return ((b[pos] & 0xFF) << 24) | ((b[pos + 1] & 0xFF) << 16) | ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }
}
