package org.cleanbackup.phash.java;

import java.io.IOException;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads a JPEG's markers up to its frame header to learn how its components are coded, with libjpeg's rules: one
 * component is gray; three are YCbCr unless an Adobe marker says "no transform" or the component ids spell R, G, B;
 * four are CMYK or YCCK. For gray and YCbCr JPEGs, component 0 <em>is</em> the luma, so the decoder can read the raw
 * raster and skip the colour conversion to RGB and back (about half of the decode time).
 */
final class JpegColor {

    enum Coding { GRAY, YCBCR, OTHER }

    private JpegColor() {
    }

    /** Leaves the stream at position 0. Any surprise gives OTHER, which takes the general (RGB) route. */
    static Coding of(ImageInputStream in) throws IOException {
        try {
            in.seek(0);
            if (in.readUnsignedShort() != 0xFFD8) {
                return Coding.OTHER;
            }
            int adobeTransform = -1;
            for (int guard = 0; guard < 256; guard++) {
                int ff = in.readUnsignedByte();
                if (ff != 0xFF) {
                    return Coding.OTHER;
                }
                int marker = in.readUnsignedByte();
                while (marker == 0xFF) {
                    marker = in.readUnsignedByte(); // fill bytes
                }
                int length = in.readUnsignedShort();
                long next = in.getStreamPosition() + length - 2;
                if (marker == 0xEE && length >= 14) {
                    byte[] id = new byte[5];
                    in.readFully(id);
                    if (new String(id, java.nio.charset.StandardCharsets.ISO_8859_1).equals("Adobe")) {
                        in.skipBytes(6); // version, flags0, flags1
                        adobeTransform = in.readUnsignedByte();
                    }
                } else if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                    in.skipBytes(5); // precision, height, width
                    int components = in.readUnsignedByte();
                    if (components == 1) {
                        return Coding.GRAY;
                    }
                    if (components != 3) {
                        return Coding.OTHER;
                    }
                    int[] ids = new int[3];
                    for (int c = 0; c < 3; c++) {
                        ids[c] = in.readUnsignedByte();
                        in.skipBytes(2);
                    }
                    boolean rgbIds = ids[0] == 'R' && ids[1] == 'G' && ids[2] == 'B';
                    return adobeTransform == 0 || rgbIds ? Coding.OTHER : Coding.YCBCR;
                } else if (marker == 0xDA || marker == 0xD9) {
                    return Coding.OTHER;
                }
                in.seek(next);
            }
            return Coding.OTHER;
        } catch (java.io.EOFException e) {
            return Coding.OTHER;
        } finally {
            in.seek(0);
        }
    }
}
