package org.cleanbackup.phash.java;

import java.io.IOException;
import javax.imageio.stream.ImageInputStream;
import org.cleanbackup.internal.JpegHeader;

/**
 * Reads a JPEG's markers up to its frame header ({@link JpegHeader}) to learn how its components are coded: one
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
            JpegHeader.Info header = JpegHeader.read(new JpegHeader.Source() {
                @Override
                public long length() {
                    try {
                        long n = in.length();
                        return n < 0 ? Long.MAX_VALUE : n;
                    } catch (IOException e) {
                        return Long.MAX_VALUE;
                    }
                }

                @Override
                public void read(long position, byte[] into, int offset, int count) throws IOException {
                    in.seek(position);
                    in.readFully(into, offset, count); // an EOFException past the end
                }
            }, 256);
            if (header.frameMarker() < 0) {
                return Coding.OTHER; // no frame header before the scan, the end or the damage
            }
            int[] ids = header.componentIds();
            if (ids.length == 1) {
                return Coding.GRAY;
            }
            if (ids.length != 3) {
                return Coding.OTHER;
            }
            boolean rgbIds = ids[0] == 'R' && ids[1] == 'G' && ids[2] == 'B';
            return header.adobeTransform() == 0 || rgbIds ? Coding.OTHER : Coding.YCBCR;
        } catch (java.io.EOFException e) {
            return Coding.OTHER;
        } finally {
            in.seek(0);
        }
    }
}
