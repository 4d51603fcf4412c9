package org.cleanbackup.internal.hash;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.cleanbackup.internal.LibcFiles;
import java.nio.file.StandardOpenOption;

/**
 * A file open for positional reads: through the C library when {@link LibcFiles} can open it, through a
 * {@link FileChannel} otherwise (and for every failure, so that errors read the same either way).
 */
sealed interface ReadOnlyFile extends Closeable {

    /** Opens {@code path} for reading. */
    static ReadOnlyFile open(Path path) throws IOException {
        LibcFiles libc = LibcFiles.get().orElse(null);
        if (libc != null) {
            int fd = libc.open(path);
            if (fd >= 0) {
                return new Descriptor(libc, path, fd);
            }
        }
        return new Channel(FileChannel.open(path, StandardOpenOption.READ));
    }

    /** The file's size now. */
    long size() throws IOException;

    /**
     * Reads into {@code buffer} (from its position to its limit) the bytes at {@code position}.
     *
     * @return how many bytes were read, -1 at the end of the file
     */
    int read(ByteBuffer buffer, long position) throws IOException;

    @Override
    void close() throws IOException;

    /**
     * A C file descriptor; {@code buffer} must be direct. A call that fails is made again through a channel, which
     * either succeeds (a read interrupted by a signal) or throws Java's exception for the failure.
     */
    final class Descriptor implements ReadOnlyFile {
        private final LibcFiles libc;
        private final Path path;
        private final int fd;
        private Channel fallback;

        Descriptor(LibcFiles libc, Path path, int fd) {
            this.libc = libc;
            this.path = path;
            this.fd = fd;
        }

        @Override
        public long size() throws IOException {
            long size = libc.size(fd);
            return size >= 0 ? size : fallback().size();
        }

        @Override
        public int read(ByteBuffer buffer, long position) throws IOException {
            long n = libc.read(fd, buffer, position);
            if (n > 0) {
                return (int) n;
            }
            return n == 0 ? -1 : fallback().read(buffer, position);
        }

        private Channel fallback() throws IOException {
            if (fallback == null) {
                fallback = new Channel(FileChannel.open(path, StandardOpenOption.READ));
            }
            return fallback;
        }

        @Override
        public void close() throws IOException {
            libc.close(fd);
            if (fallback != null) {
                fallback.close();
            }
        }
    }

    /** A Java channel. */
    record Channel(FileChannel channel) implements ReadOnlyFile {
        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public int read(ByteBuffer buffer, long position) throws IOException {
            return channel.read(buffer, position);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
