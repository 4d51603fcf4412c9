package org.cleanbackup.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reading files with the C library's {@code open}, {@code pread}, {@code lseek} and {@code close}, called through
 * the Foreign Function &amp; Memory API, on Linux.
 *
 * <p>Why not only {@link java.nio.channels.FileChannel}: a dedupe run opens hundreds of thousands of files for a
 * read or two each, and a channel's open and close (a file descriptor object, a cleaner, the interruptible-I/O
 * bookkeeping around every call) cost about as much CPU as the kernel's own work, and its garbage makes the
 * collector run. Here an open file is an {@code int}.
 *
 * <p>Only paths that {@link LibcPaths} can hand over are opened here. For other paths, and whenever a call fails,
 * callers use a channel:
 * errors then come with Java's exceptions and messages, and a read interrupted by a signal is simply done again.
 */
public final class LibcFiles {

    /** {@code O_RDONLY | O_CLOEXEC}: the same on every Linux architecture the JDK runs on. */
    private static final int OPEN_FLAGS = 0x80000;
    private static final int SEEK_END = 2;

    /** The functions when this JVM may call them ({@link LibcPaths#enabled()}). */
    private static final Optional<LibcFiles> INSTANCE = LibcPaths.enabled()
            ? NativeLib.bind("C library file functions", LibcFiles.class, () -> new LibcFiles(NativeLib.libc())).value()
            : Optional.empty();

    private final MethodHandle open;
    private final MethodHandle pread;
    private final MethodHandle lseek;
    private final MethodHandle close;

    /** Each thread's memory for a path in C's form. */
    private final ThreadLocal<MemorySegment> pathBuffer =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(LibcPaths.PATH_MAX));

    private LibcFiles(NativeLib libc) throws NativeLib.Unavailable {
        open = libc.function("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        pread = libc.function("pread", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
        lseek = libc.function("lseek", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
        close = libc.function("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    /** The C library's files, or empty where they cannot be used ({@link LibcPaths#enabled()}). */
    public static Optional<LibcFiles> get() {
        return INSTANCE;
    }

    /**
     * Opens {@code path} for reading.
     *
     * @return the file descriptor, or -1 when this path is not for this class (see the class comment) or the open
     *         failed (the caller then opens it the Java way, which reports the failure in Java's words)
     */
    public int open(Path path) {
        MemorySegment cPath = pathBuffer.get();
        if (!LibcPaths.write(path, cPath)) {
            return -1;
        }
        try {
            return (int) open.invokeExact(cPath, OPEN_FLAGS);
        } catch (Throwable t) {
            throw new IllegalStateException("open failed", t);
        }
    }

    /**
     * The size of an open file, by seeking to its end ({@code pread} does not use the position).
     *
     * @return the size, or -1 when it could not be had
     */
    public long size(int fd) {
        try {
            return (long) lseek.invokeExact(fd, 0L, SEEK_END);
        } catch (Throwable t) {
            throw new IllegalStateException("lseek failed", t);
        }
    }

    /**
     * Reads into a direct buffer (the kernel writes to its memory), from its position up to its limit, the bytes at
     * {@code position} in the file; moves the buffer's position past what was read.
     *
     * @return the number of bytes read, 0 at the end of the file, -1 when the read failed
     */
    public long read(int fd, ByteBuffer buffer, long position) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("the C library reads into direct buffers only");
        }
        MemorySegment target = MemorySegment.ofBuffer(buffer);
        long n;
        try {
            n = (long) pread.invokeExact(fd, target, target.byteSize(), position);
        } catch (Throwable t) {
            throw new IllegalStateException("pread failed", t);
        }
        if (n > 0) {
            buffer.position(buffer.position() + (int) n);
        }
        return n;
    }

    /** Closes a descriptor; a file opened for reading has nothing to lose at close, so errors are ignored. */
    public void close(int fd) {
        try {
            int ignored = (int) close.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("close failed", t);
        }
    }
}
