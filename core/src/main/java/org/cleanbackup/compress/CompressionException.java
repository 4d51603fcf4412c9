package org.cleanbackup.compress;

import java.io.IOException;

/**
 * A file a {@link Compressor} cannot compress because of what is in it, as opposed to an I/O failure (a plain
 * {@link IOException}). The message is one line for the user and does not repeat the file's path.
 */
public final class CompressionException extends IOException {

    private static final long serialVersionUID = 1L;

    private final boolean unsupported;

    private CompressionException(String message, boolean unsupported) {
        super(message);
        this.unsupported = unsupported;
    }

    /**
     * A valid file of a variant the compressor does not handle (a CMYK JPEG, an HDR video): not a failure, the file
     * is treated like one of an unsupported format (copied unchanged, or left alone in place).
     */
    public static CompressionException unsupported(String message) {
        return new CompressionException(message, true);
    }

    /** A damaged file, or a tool (ffmpeg) that failed on it: reported as a failure. */
    public static CompressionException failed(String message) {
        return new CompressionException(message, false);
    }

    /** True for {@link #unsupported(String)}, false for {@link #failed(String)}. */
    public boolean isUnsupported() {
        return unsupported;
    }
}
