package org.cleanbackup.compress;

import java.nio.file.FileSystemException;

/**
 * The disk (or the user's quota) filled up while a {@link Compressor} wrote its output. A compressor that learns
 * this from another program (ffmpeg's own error) throws it, so the run stops without reading error texts; a
 * failed write of the JVM's own is told by the free space left (see {@code DiskSpace}).
 *
 * @since 0.3
 */
public final class DiskFullException extends FileSystemException {

    private static final long serialVersionUID = 1L;

    /** The disk holding {@code file} is full. */
    public DiskFullException(String file) {
        super(file, null, "No space left on device");
    }
}
