package org.cleanbackup.phash;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An image could not be turned into a hash: damaged, truncated, not an image, a format no installed decoder reads,
 * or larger than the {@linkplain PerceptualHashers#maxPixels() pixel limit}. The message is one line that names
 * the file, fit to show a person.
 *
 * @since 0.1
 */
public class ImageDecodeException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String reason;

    /**
     * @param file   the file that could not be decoded
     * @param reason one line saying why, without the file name, e.g. {@code "truncated JPEG (premature end of data)"}
     */
    public ImageDecodeException(Path file, String reason) {
        this(file, reason, null);
    }

    /**
     * @param file   the file that could not be decoded
     * @param reason one line saying why, without the file name
     * @param cause  the underlying failure, kept for {@code --verbose} stack traces
     */
    public ImageDecodeException(Path file, String reason, Throwable cause) {
        super(file + ": " + oneLine(reason), cause);
        this.file = Objects.requireNonNull(file, "file");
        this.reason = oneLine(reason);
    }

    /** The file that could not be decoded. */
    public Path file() {
        return file;
    }

    /** Why, in one line, without the file name. */
    public String reason() {
        return reason;
    }

    private static String oneLine(String s) {
        return s == null || s.isBlank() ? "could not decode the image" : s.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
