package org.cleanbackup.compress.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Writing a compressor's output file. */
final class Outputs {

    private Outputs() {
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
