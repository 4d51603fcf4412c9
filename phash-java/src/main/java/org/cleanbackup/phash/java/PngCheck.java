package org.cleanbackup.phash.java;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.cleanbackup.phash.ImageDecodeException;

/** Checks every chunk CRC of a PNG: the JDK's reader skips them, so damage would otherwise pass silently. */
final class PngCheck {

    private PngCheck() {
    }

    static void verifyCrcs(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            in.skipNBytes(8); // signature, already recognised
            byte[] buf = new byte[1 << 16];
            CRC32 crc = new CRC32();
            while (true) {
                long length = Integer.toUnsignedLong(in.readInt());
                byte[] type = new byte[4];
                in.readFully(type);
                String name = new String(type, StandardCharsets.ISO_8859_1);
                if (length > Integer.MAX_VALUE) {
                    throw new ImageDecodeException(file, "damaged PNG: chunk " + name + " claims " + length + " bytes");
                }
                crc.reset();
                crc.update(type);
                long left = length;
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        throw new EOFException();
                    }
                    crc.update(buf, 0, n);
                    left -= n;
                }
                long stored = Integer.toUnsignedLong(in.readInt());
                if (stored != crc.getValue()) {
                    throw new ImageDecodeException(file, "damaged PNG: chunk " + name + " fails its CRC check");
                }
                if (name.equals("IEND")) {
                    return;
                }
            }
        } catch (EOFException e) {
            throw new ImageDecodeException(file, "truncated PNG (ends before its IEND chunk)");
        }
    }
}
