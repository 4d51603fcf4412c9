package org.cleanbackup.fingerprint;

import java.io.IOException;

/** The file's sound could not be decoded (damaged, not audio, no audio stream): a one-line reason. */
public final class AudioDecodeException extends IOException {
    private static final long serialVersionUID = 1L;

    /** A failure with this one-line reason. */
    public AudioDecodeException(String message) {
        super(message);
    }
}
