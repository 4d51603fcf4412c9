package org.cleanbackup.execute;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.function.BooleanSupplier;

/**
 * One file's bytes copied by the kernel, in chunks with a look at the stop flag between two: what
 * {@link FileOperations#system()} does for every copy.
 *
 * <p>{@link FileChannel#transferTo} between two files is {@code copy_file_range(2)} on Linux (the JDK falls back to
 * {@code sendfile} or a mapped copy where that call is missing): the bytes go from page cache to page cache without
 * passing through the JVM; where one file system holds both files and can share extents (Btrfs, XFS with reflink)
 * the kernel clones them instead of copying, and a network file system (NFS 4.2, SMB) copies on the server. This is
 * why there is no separate {@code FICLONE} call here: on current kernels {@code copy_file_range} already clones
 * where a clone is possible, and a clone of a chunk is as safe as a clone of the whole file.
 */
final class KernelCopy {

    /** How much is copied between two looks at the stop flag: about a tenth of a second on a slow USB disk. */
    static final long STOP_CHECK_BYTES = 8L << 20;

    /** Read size once the kernel has given up on a file. */
    private static final int READ_CHUNK = 1 << 20;

    /** One transfer: {@link FileChannel#transferTo}'s contract, a seam so that a test can make it short or give up. */
    @FunctionalInterface
    interface Transfer {

        /**
         * Moves up to {@code count} bytes from {@code position} in {@code in} to {@code out} at its position,
         * advancing it; returns how many were moved, which may be fewer than asked, or 0 when none could be.
         */
        long transfer(FileChannel in, long position, long count, FileChannel out) throws IOException;
    }

    /** The kernel's copy. */
    static final Transfer KERNEL = (in, position, count, out) -> in.transferTo(position, count, out);

    private KernelCopy() {
    }

    /**
     * Copies {@code in}, as long as it was when the copy started, to {@code out} from its position. A short
     * transfer is continued where it ended; a transfer that moves nothing hands the rest of the file to plain
     * reads and writes (some file systems and kernels refuse the kernel copy).
     *
     * @return the number of bytes copied: fewer than the size only when the source shrank meanwhile, which the
     *         caller's size check after the copy catches
     * @throws InterruptedIOException when {@code stop} says so, asked before each chunk; the caller removes the
     *                                partial {@code out}
     */
    static long copy(FileChannel in, FileChannel out, BooleanSupplier stop, Transfer transfer) throws IOException {
        long size = in.size();
        long position = 0;
        ByteBuffer buffer = null; // set once the kernel copy gave up: plain reads from then on
        while (position < size) {
            if (stop.getAsBoolean()) {
                throw new InterruptedIOException("stopped after " + position + " of " + size + " bytes");
            }
            long n = buffer == null ? transfer.transfer(in, position, Math.min(STOP_CHECK_BYTES, size - position), out)
                    : 0;
            if (n <= 0) {
                buffer = buffer == null ? ByteBuffer.allocate(READ_CHUNK) : buffer;
                int read = in.read(buffer.clear(), position);
                if (read < 0) {
                    break; // the source shrank meanwhile
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                n = read;
            }
            position += n;
        }
        return position;
    }
}
