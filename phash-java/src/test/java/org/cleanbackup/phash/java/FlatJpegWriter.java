package org.cleanbackup.phash.java;

import java.io.ByteArrayOutputStream;

/**
 * Writes baseline JPEGs whose 8 x 8 blocks are each one flat level, with every structural choice the JDK's encoder
 * does not offer: any sampling factors (including a subsampled luma), any scan layout (one interleaved scan, or
 * one scan per component in any order), restart intervals, a 12-bit precision field, RGB component ids. A flat
 * block has only a DC coefficient, so the entropy coder stays tiny: the DC category and bits, then end-of-block.
 * The DC quantizer is 1, so block level {@code L} is coded as {@code 8 * (L - 128)} and any conforming decoder
 * gives back exactly {@code L}.
 */
final class FlatJpegWriter {

    /** Standard luminance DC table (JPEG Annex K.3): code lengths 1..16, then the categories 0..11. */
    private static final int[] DC_COUNTS = {0, 0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0};
    private static final int[] DC_CODE = new int[12];
    private static final int[] DC_LENGTH = new int[12];

    static {
        int code = 0;
        int k = 0;
        for (int l = 1; l <= 16; l++) {
            for (int i = 0; i < DC_COUNTS[l]; i++) {
                DC_CODE[k] = code++;
                DC_LENGTH[k] = l;
                k++;
            }
            code <<= 1;
        }
    }

    int width;
    int height;
    int[] h = {1, 1, 1};
    int[] v = {1, 1, 1};
    int[] ids = {1, 2, 3};
    int components = 3;
    int precision = 8;
    int restartInterval;
    boolean jfif = true;
    /** Scans, each a list of component indexes; null = one interleaved scan of all components. */
    int[][] scans;

    /** Level of luma block (bx, by); chroma blocks get a level from their position too. */
    int lumaLevel(int bx, int by) {
        return (bx * 37 + by * 91 + (bx * by) % 13) & 0xFF;
    }

    private int level(int c, int bx, int by) {
        return c == 0 ? lumaLevel(bx, by) : (bx * 11 + by * 5 + c * 60) & 0xFF;
    }

    byte[] write() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        marker(out, 0xD8);
        if (jfif) {
            segment(out, 0xE0, new byte[] {'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0});
        }
        byte[] dqt = new byte[65];
        java.util.Arrays.fill(dqt, (byte) 1);
        dqt[0] = 0;
        segment(out, 0xDB, dqt);
        byte[] sof = new byte[6 + 3 * components];
        sof[0] = (byte) precision;
        sof[1] = (byte) (height >> 8);
        sof[2] = (byte) height;
        sof[3] = (byte) (width >> 8);
        sof[4] = (byte) width;
        sof[5] = (byte) components;
        for (int c = 0; c < components; c++) {
            sof[6 + 3 * c] = (byte) ids[c];
            sof[7 + 3 * c] = (byte) (h[c] << 4 | v[c]);
        }
        segment(out, 0xC0, sof);
        byte[] dht = new byte[1 + 16 + 12 + 1 + 16 + 1];
        dht[0] = 0x00;
        for (int l = 1; l <= 16; l++) {
            dht[l] = (byte) DC_COUNTS[l];
        }
        for (int i = 0; i < 12; i++) {
            dht[17 + i] = (byte) i;
        }
        dht[29] = 0x10; // AC table 0: one code, "0", for end-of-block (0x00)
        dht[30] = 1;
        segment(out, 0xC4, dht);
        if (restartInterval > 0) {
            segment(out, 0xDD, new byte[] {(byte) (restartInterval >> 8), (byte) restartInterval});
        }
        int[][] layout = scans != null ? scans : new int[][] {range(components)};
        for (int[] scan : layout) {
            byte[] sos = new byte[4 + 2 * scan.length];
            sos[0] = (byte) scan.length;
            for (int i = 0; i < scan.length; i++) {
                sos[1 + 2 * i] = (byte) ids[scan[i]];
            }
            sos[2 + 2 * scan.length] = 63;
            segment(out, 0xDA, sos);
            entropy(out, scan);
        }
        marker(out, 0xD9);
        return out.toByteArray();
    }

    private void entropy(ByteArrayOutputStream out, int[] scan) {
        int hMax = 0;
        int vMax = 0;
        for (int c = 0; c < components; c++) {
            hMax = Math.max(hMax, h[c]);
            vMax = Math.max(vMax, v[c]);
        }
        Bits bits = new Bits(out);
        int[] pred = new int[components];
        int mcusX;
        int mcusY;
        if (scan.length == 1) {
            int c = scan[0];
            mcusX = ((width * h[c] + hMax - 1) / hMax + 7) / 8;
            mcusY = ((height * v[c] + vMax - 1) / vMax + 7) / 8;
        } else {
            mcusX = (width + 8 * hMax - 1) / (8 * hMax);
            mcusY = (height + 8 * vMax - 1) / (8 * vMax);
        }
        int rst = 0;
        for (int mcu = 0; mcu < mcusX * mcusY; mcu++) {
            if (restartInterval > 0 && mcu > 0 && mcu % restartInterval == 0) {
                bits.flush();
                marker(out, 0xD0 + rst);
                rst = (rst + 1) & 7;
                java.util.Arrays.fill(pred, 0);
            }
            int mx = mcu % mcusX;
            int my = mcu / mcusX;
            for (int c : scan) {
                int hh = scan.length == 1 ? 1 : h[c];
                int vv = scan.length == 1 ? 1 : v[c];
                for (int y = 0; y < vv; y++) {
                    for (int x = 0; x < hh; x++) {
                        int dc = 8 * (level(c, mx * hh + x, my * vv + y) - 128);
                        int diff = dc - pred[c];
                        pred[c] = dc;
                        int magnitude = Math.abs(diff);
                        int category = magnitude == 0 ? 0 : 32 - Integer.numberOfLeadingZeros(magnitude);
                        bits.put(DC_CODE[category], DC_LENGTH[category]);
                        if (category > 0) {
                            bits.put(diff > 0 ? diff : diff + (1 << category) - 1, category);
                        }
                        bits.put(0, 1); // end of block
                    }
                }
            }
        }
        bits.flush();
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static void marker(ByteArrayOutputStream out, int code) {
        out.write(0xFF);
        out.write(code);
    }

    private static void segment(ByteArrayOutputStream out, int code, byte[] payload) {
        marker(out, code);
        out.write((payload.length + 2) >> 8);
        out.write(payload.length + 2);
        out.writeBytes(payload);
    }

    /** MSB-first bit writer with 0xFF stuffing; pads with 1-bits. */
    private static final class Bits {
        private final ByteArrayOutputStream out;
        private int acc;
        private int count;

        Bits(ByteArrayOutputStream out) {
            this.out = out;
        }

        void put(int value, int length) {
            for (int i = length - 1; i >= 0; i--) {
                acc = acc << 1 | (value >> i & 1);
                if (++count == 8) {
                    emit();
                }
            }
        }

        private void emit() {
            out.write(acc);
            if (acc == 0xFF) {
                out.write(0);
            }
            acc = 0;
            count = 0;
        }

        void flush() {
            if (count > 0) {
                while (count < 8) {
                    acc = acc << 1 | 1;
                    count++;
                }
                emit();
            }
        }
    }
}
