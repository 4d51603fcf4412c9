package org.cleanbackup.dates;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The capture time a FLIR thermal camera writes in its own JPEG segments and nowhere else (its EXIF has no date).
 * metadata-extractor has no FLIR reader, so this reads just that field: APP1 segments signed {@code FLIR\0} carry,
 * in numbered chunks, an FFF file whose record directory points to a CameraInfo record (type 0x20); at 0x384 of
 * that record are the UTC time in Unix seconds, its milliseconds, and the camera's zone in minutes west of UTC.
 * (The layout is the one exiftool's FLIR module documents.) Everything is bounds-checked: a field outside its
 * record, a record outside the FFF data, is simply no date.
 */
final class FlirDate {

    /** 255 chunks of one JPEG segment each. */
    private static final int MAX_FFF_BYTES = 255 * 65_535;
    private static final int CAMERA_INFO = 0x20;
    private static final int DATE_OFFSET = 0x384;
    private static final byte[] SIGNATURE = "FLIR\0".getBytes(StandardCharsets.ISO_8859_1);

    private FlirDate() {
    }

    /** The date, if {@code file} is a JPEG with a FLIR CameraInfo record holding one. */
    static Optional<CaptureDate> read(Path file) throws IOException {
        byte[] fff = fffData(file);
        return fff == null ? Optional.empty() : fromFff(ByteBuffer.wrap(fff));
    }

    /** The FLIR chunks, concatenated in their order; null when there are none. */
    private static byte[] fffData(Path file) throws IOException {
        TreeMap<Integer, byte[]> chunks = new TreeMap<>();
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file))) {
            if (in.read() != 0xFF || in.read() != 0xD8) {
                return null;
            }
            int total = 0;
            while (true) {
                int b = in.read();
                while (b == 0xFF) {
                    b = in.read();
                    if (b != 0xFF) {
                        break;
                    }
                }
                if (b < 0 || b == 0xDA || b == 0xD9) {
                    break; // the image data: no more metadata segments
                }
                int hi = in.read();
                int lo = in.read();
                if (hi < 0 || lo < 0) {
                    break;
                }
                int length = (hi << 8 | lo) - 2;
                if (length < 0) {
                    break;
                }
                byte[] data = in.readNBytes(length);
                if (data.length < length) {
                    break; // truncated
                }
                if (b == 0xE1 && data.length > 8 && java.util.Arrays.equals(data, 0, 5, SIGNATURE, 0, 5)) {
                    total += data.length - 8;
                    if (total > MAX_FFF_BYTES) {
                        break;
                    }
                    chunks.putIfAbsent(data[6] & 0xFF, java.util.Arrays.copyOfRange(data, 8, data.length));
                }
            }
        }
        if (chunks.isEmpty()) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        chunks.values().forEach(out::writeBytes);
        return out.toByteArray();
    }

    static Optional<CaptureDate> fromFff(ByteBuffer fff) {
        if (fff.remaining() < 64 || fff.getInt(0) != 0x46464600) { // "FFF\0"
            return Optional.empty();
        }
        // The header's byte order: its version (at 20) is 100..199 in the right order.
        fff.order(ByteOrder.BIG_ENDIAN);
        int version = fff.getInt(20);
        if (version < 100 || version >= 200) {
            fff.order(ByteOrder.LITTLE_ENDIAN);
        }
        long directory = Integer.toUnsignedLong(fff.getInt(24));
        long entries = Integer.toUnsignedLong(fff.getInt(28));
        for (long i = 0; i < entries && i < 1024; i++) {
            long entry = directory + 32 * i;
            if (entry < 0 || entry + 32 > fff.limit()) {
                break;
            }
            int type = Short.toUnsignedInt(fff.getShort((int) entry));
            long offset = Integer.toUnsignedLong(fff.getInt((int) entry + 12));
            long length = Integer.toUnsignedLong(fff.getInt((int) entry + 16));
            if (type == CAMERA_INFO && offset + length <= fff.limit() && length >= DATE_OFFSET + 10) {
                return cameraInfoDate(fff.slice((int) offset, (int) length));
            }
        }
        return Optional.empty();
    }

    private static Optional<CaptureDate> cameraInfoDate(ByteBuffer record) {
        // The record's own byte order: its first int16 is 2.
        record.order(ByteOrder.LITTLE_ENDIAN);
        if (record.getShort(0) != 2) {
            record.order(ByteOrder.BIG_ENDIAN);
            if (record.getShort(0) != 2) {
                return Optional.empty();
            }
        }
        long seconds = Integer.toUnsignedLong(record.getInt(DATE_OFFSET));
        long millis = Integer.toUnsignedLong(record.getInt(DATE_OFFSET + 4));
        int minutesWest = record.getShort(DATE_OFFSET + 8);
        if (seconds == 0 || millis >= 1000 || Math.abs(minutesWest) > 18 * 60) {
            return Optional.empty();
        }
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(-minutesWest * 60);
        LocalDateTime local = LocalDateTime.ofInstant(Instant.ofEpochSecond(seconds, millis * 1_000_000), offset);
        return Optional.of(new CaptureDate(local, offset, CaptureDate.Source.MAKER_NOTE));
    }
}
