package org.cleanbackup.compress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.ToLongFunction;

/** Tells a write that failed because the disk is full from any other failure. */
final class DiskSpace {

    /*
     * The JVM gives no errno: a full disk reaches us as a plain IOException whose text is the C library's strerror,
     * which a localized system translates. So, in order: a DiskFullException (a compressor that knew, e.g. from
     * ffmpeg); then the space left where the write failed, measured at once (the partial output still holds its
     * blocks, so a disk that refused a write has less than a block or two left to an unprivileged process); and last,
     * the two texts of ENOSPC and EDQUOT in the C locale. A quota (EDQUOT) is not visible in the free space: that
     * last resort is all there is for it, on a system whose messages are in English.
     */

    /** Less than this left to write into counts as full. */
    static final long NEARLY_FULL = 1L << 20;

    private final ToLongFunction<Path> usableSpace;

    private DiskSpace(ToLongFunction<Path> usableSpace) {
        this.usableSpace = usableSpace;
    }

    /** The real file stores' usable space ({@link java.nio.file.FileStore#getUsableSpace()}). */
    static DiskSpace system() {
        return new DiskSpace(folder -> {
            try {
                return Files.getFileStore(folder).getUsableSpace();
            } catch (IOException | SecurityException e) {
                return -1;
            }
        });
    }

    /** A disk with exactly {@code bytes} free everywhere (tests). */
    static DiskSpace withFree(long bytes) {
        return new DiskSpace(folder -> bytes);
    }

    /** True when {@code failure}, thrown while writing into {@code folder}, means the disk or the quota is full. */
    boolean ranOut(IOException failure, Path folder) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DiskFullException) {
                return true;
            }
        }
        long left = usableSpace.applyAsLong(folder);
        if (left >= 0 && left < NEARLY_FULL) {
            return true;
        }
        return mentionsFullDisk(failure);
    }

    private static boolean mentionsFullDisk(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String text = t instanceof java.nio.file.FileSystemException fse && fse.getReason() != null
                    ? fse.getReason() : t.getMessage();
            if (text != null && (text.contains("No space left on device") || text.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }
}
