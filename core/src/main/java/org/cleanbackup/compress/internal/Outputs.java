package org.cleanbackup.compress.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.cleanbackup.internal.DecodeMemory;

/** Writing a compressor's output file. */
final class Outputs {

    /**
     * The most bytes of decoded pixels a compressor holds for one image (an 85-megapixel RGB photo): recompression
     * keeps the whole image and its new encoding in memory, on every thread, so a larger image (or a small file
     * declaring one: a decompression bomb) is refused from its header, before anything is allocated.
     */
    static final long MAX_DECODED_BYTES = 256L << 20;

    private Outputs() {
    }

    /** Refuses an image whose decoded pixels would exceed {@link #MAX_DECODED_BYTES}. */
    static void checkDecodedSize(String format, long width, long height, int bytesPerPixel)
            throws org.cleanbackup.compress.CompressionException {
        if (width <= 0 || height <= 0) {
            throw org.cleanbackup.compress.CompressionException.failed("damaged: " + format + " header gives a size of "
                    + width + "x" + height);
        }
        if (width * height * bytesPerPixel > MAX_DECODED_BYTES) {
            throw org.cleanbackup.compress.CompressionException.unsupported(format + " of " + width + "x" + height
                    + ": too large to recompress in memory (limit " + (MAX_DECODED_BYTES >> 20)
                    + " MiB of decoded pixels)");
        }
    }

    /**
     * Reserves the heap a recompression will hold (waiting while other threads hold the rest), or refuses the image
     * when that is more than the whole {@link DecodeMemory} budget: never found out by running out of memory.
     */
    static DecodeMemory.Lease reserve(String format, long bytes) throws IOException {
        if (!DecodeMemory.withinBudget(bytes)) {
            throw org.cleanbackup.compress.CompressionException.unsupported(format + " needs " + DecodeMemory.mib(bytes)
                    + " to recompress, more than this run may hold for images (" + DecodeMemory.mib(DecodeMemory.budget())
                    + "; CLEANBACKUP_JAVA_OPTS=-D" + DecodeMemory.PROPERTY + "=1024 gives more)");
        }
        return DecodeMemory.reserve(bytes);
    }

    /**
     * Creates {@code target} (which must not exist) with {@code bytes} and forces it to the disk: the file is about
     * to replace an original (in place, the original goes to the trash), so its content must survive a power cut
     * that happens after the journal says it is in place.
     */
    static void writeNew(Path target, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(true);
        }
    }

    /** Forces an already written file to the disk (for files written by another program, such as ffmpeg). */
    static void force(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }
}
