package org.cleanbackup.scan;

import org.cleanbackup.model.FileId;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.cleanbackup.internal.LibcPaths;
import org.cleanbackup.internal.NativeLib;

/**
 * Lists a folder with the C library's {@code readdir} and reads each entry's attributes with {@code statx}
 * relative to the open folder, through the Foreign Function &amp; Memory API, on Linux with glibc.
 *
 * <p>Why not only {@link java.nio.file.DirectoryStream} and {@link java.nio.file.Files#readAttributes}: a scan of
 * hundreds of thousands of files spent more CPU in Java's per-entry objects (the attributes, the file key turned
 * into text to learn the inode) than in the kernel, and each stat walked the whole path again. Here an entry costs
 * one system call on its name and one small record.
 *
 * <p>This only takes folders that {@link LibcPaths} can hand over, and gives up on a folder holding a name that is
 * not valid UTF-8 (a Java path made from its text would name another file): the caller lists such folders the
 * Java way, which keeps names as bytes.
 */
final class LibcDirectories {

    /**
     * {@code O_RDONLY | O_DIRECTORY | O_CLOEXEC} on Linux. O_DIRECTORY is 0200000 on x86-64 but 040000 on AArch64
     * (its generic flag table), where 0200000 means O_DIRECT; O_CLOEXEC is 02000000 on both.
     */
    static final int OPEN_DIRECTORY = openDirectoryFlags(System.getProperty("os.arch"));
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;

    static int openDirectoryFlags(String arch) {
        boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
        return (arm64 ? 040000 : 0200000) | 02000000;
    }
    private static final int AT_NO_AUTOMOUNT = 0x800;
    /** {@code STATX_TYPE | STATX_MODE | STATX_MTIME | STATX_INO | STATX_SIZE}. */
    private static final int STATX_MASK = 0x1 | 0x2 | 0x40 | 0x100 | 0x200;

    /** glibc's {@code struct dirent} on 64-bit Linux: d_ino, d_off, d_reclen, d_type, d_name[256]. */
    private static final int DIRENT_SIZE = 280;
    private static final int D_NAME = 19;

    /** {@code struct statx}: the kernel's, the same on every architecture. */
    private static final int STATX_SIZE = 256;
    private static final int STX_MODE = 28;
    private static final int STX_INO = 32;
    private static final int STX_SIZE_OFFSET = 40;
    private static final int STX_MTIME = 112;
    private static final int STX_DEV_MAJOR = 136;
    private static final int STX_DEV_MINOR = 140;

    private static final Optional<LibcDirectories> INSTANCE = load();

    private final MethodHandle open;
    private final MethodHandle fdopendir;
    private final MethodHandle readdir;
    private final MethodHandle closedir;
    private final MethodHandle close;
    private final MethodHandle statx;

    /** Each thread's memory for a folder's path and one entry's attributes. */
    private final ThreadLocal<MemorySegment[]> scratch = ThreadLocal.withInitial(() -> {
        Arena arena = Arena.ofAuto();
        return new MemorySegment[] {arena.allocate(LibcPaths.PATH_MAX), arena.allocate(STATX_SIZE, 8)};
    });

    private LibcDirectories(NativeLib libc) throws NativeLib.Unavailable {
        open = libc.function("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        fdopendir = libc.function("fdopendir", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        // The entry comes back as a segment of a whole dirent's size, so reading it needs no reinterpret.
        readdir = libc.function("readdir", FunctionDescriptor.of(
                ADDRESS.withTargetLayout(MemoryLayout.sequenceLayout(DIRENT_SIZE, JAVA_BYTE)), ADDRESS));
        closedir = libc.function("closedir", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        close = libc.function("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        statx = libc.function("statx", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    }

    /** The lister, or empty where it cannot be used (see {@link #load()}). */
    static Optional<LibcDirectories> get() {
        return INSTANCE;
    }

    /**
     * The functions when this JVM may call them ({@link LibcPaths#enabled()}), on x86-64 or AArch64 (the dirent
     * layout above).
     */
    private static Optional<LibcDirectories> load() {
        String arch = System.getProperty("os.arch", "");
        if (!LibcPaths.enabled() || !(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
            return Optional.empty();
        }
        return NativeLib.bind("C library folder functions", LibcDirectories.class,
                () -> new LibcDirectories(NativeLib.libc())).value();
    }

    /**
     * A folder entry: its path, its name, and its attributes (null when {@code statx} failed: the caller asks Java).
     */
    record Entry(Path path, String name, Attributes attributes) {
    }

    /**
     * The entries of {@code dir} in the order the file system lists them (as a Java directory stream gives them),
     * with their attributes, following symbolic links or not.
     *
     * @return the entries, or empty when this folder must be listed the Java way: its path text is not its bytes,
     *         it holds a name that is not valid UTF-8, or it could not be opened (Java then says why)
     */
    Optional<List<Entry>> list(Path dir, boolean followLinks) {
        MemorySegment[] mine = scratch.get();
        MemorySegment cPath = mine[0];
        MemorySegment stat = mine[1];
        if (!LibcPaths.write(dir, cPath)) {
            return Optional.empty();
        }
        try {
            int fd = (int) open.invokeExact(cPath, OPEN_DIRECTORY);
            if (fd < 0) {
                return Optional.empty();
            }
            MemorySegment stream = (MemorySegment) fdopendir.invokeExact(fd);
            if (stream.address() == 0) {
                int ignored = (int) close.invokeExact(fd);
                return Optional.empty();
            }
            try {
                List<Entry> entries = new ArrayList<>();
                int flags = AT_NO_AUTOMOUNT | (followLinks ? 0 : AT_SYMLINK_NOFOLLOW);
                // readdir's NULL ends the listing, and also stands for a read error (a failing disk), which only
                // errno tells: it is cleared before each call and read after the last. On an error the folder is
                // listed again the Java way, which reports it. (This thread is a pool's platform thread, so its
                // errno stays at one address.)
                MemorySegment errno = NativeLib.errnoLocation();
                while (true) {
                    errno.set(JAVA_INT, 0, 0);
                    MemorySegment entry = (MemorySegment) readdir.invokeExact(stream);
                    if (entry.address() == 0) {
                        if (errno.get(JAVA_INT, 0) != 0) {
                            return Optional.empty();
                        }
                        break;
                    }
                    String name = entry.getString(D_NAME);
                    if (name.equals(".") || name.equals("..")) {
                        continue;
                    }
                    if (name.indexOf('\uFFFD') >= 0 && !isUtf8(entry, name)) {
                        return Optional.empty();
                    }
                    int rc = (int) statx.invokeExact(fd, entry.asSlice(D_NAME), flags, STATX_MASK, stat);
                    entries.add(new Entry(dir.resolve(name), name, rc == 0 ? attributes(stat) : null));
                }
                return Optional.of(entries);
            } finally {
                int ignored = (int) closedir.invokeExact(stream);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("listing " + dir + " failed", t);
        }
    }

    /** Whether a name decoded with U+FFFD in it really holds that character, rather than bytes that are not UTF-8. */
    private static boolean isUtf8(MemorySegment entry, String decoded) {
        byte[] raw = entry.asSlice(D_NAME).getString(0, StandardCharsets.ISO_8859_1)
                .getBytes(StandardCharsets.ISO_8859_1);
        return Arrays.equals(raw, decoded.getBytes(StandardCharsets.UTF_8));
    }

    private static Attributes attributes(MemorySegment stat) {
        int mode = Short.toUnsignedInt(stat.get(JAVA_SHORT, STX_MODE));
        long major = Integer.toUnsignedLong(stat.get(JAVA_INT, STX_DEV_MAJOR));
        long minor = Integer.toUnsignedLong(stat.get(JAVA_INT, STX_DEV_MINOR));
        // glibc's makedev: the st_dev that Java's file key (and so FileId elsewhere) is made of.
        long device = (major & 0xfffL) << 8 | (major & 0xfffff000L) << 32 | (minor & 0xffL)
                | (minor & 0xffffff00L) << 12;
        return new Attributes(mode, stat.get(JAVA_LONG, STX_SIZE_OFFSET), stat.get(JAVA_LONG, STX_MTIME),
                stat.get(JAVA_INT, STX_MTIME + 8), new FileId(device, stat.get(JAVA_LONG, STX_INO)));
    }

    /**
     * What {@code statx} said of an entry, as the scan reads attributes. Only the modification time is kept: the
     * access and creation times answer with it.
     *
     * @param mode          the file type and permission bits
     * @param size          the size in bytes
     * @param mtimeSeconds  the modification time's seconds since the epoch
     * @param mtimeNanos    and its nanoseconds
     * @param fileKey       the device and inode
     */
    record Attributes(int mode, long size, long mtimeSeconds, int mtimeNanos, FileId fileKey)
            implements BasicFileAttributes {

        private static final int S_IFMT = 0170000;

        @Override
        public FileTime lastModifiedTime() {
            return FileTime.from(Instant.ofEpochSecond(mtimeSeconds, Integer.toUnsignedLong(mtimeNanos)));
        }

        @Override
        public FileTime lastAccessTime() {
            return lastModifiedTime();
        }

        @Override
        public FileTime creationTime() {
            return lastModifiedTime();
        }

        @Override
        public boolean isRegularFile() {
            return (mode & S_IFMT) == 0100000;
        }

        @Override
        public boolean isDirectory() {
            return (mode & S_IFMT) == 0040000;
        }

        @Override
        public boolean isSymbolicLink() {
            return (mode & S_IFMT) == 0120000;
        }

        @Override
        public boolean isOther() {
            return !isRegularFile() && !isDirectory() && !isSymbolicLink();
        }
    }
}
