package org.cleanbackup.names;

import java.util.Objects;
import org.cleanbackup.model.MediaFile;

/**
 * A file whose name says it is a copy of another file in the same folder.
 *
 * @param copy     the file with the copy name
 * @param original the file with the original name
 * @param verdict  what a comparison of their contents found
 * @param hash     their shared content hash when {@link Verdict#IDENTICAL}, else null
 */
public record NameCopy(MediaFile copy, MediaFile original, Verdict verdict, org.cleanbackup.hash.ContentHash hash) {

    /** What the contents say about the names' claim. */
    public enum Verdict {
        /** Byte-for-byte the same content. */
        IDENTICAL,
        /** Different content (an edited copy, or a different picture with an unlucky name). */
        DIFFERENT,
        /** The content could not be compared (unreadable). */
        UNKNOWN
    }

    public NameCopy {
        Objects.requireNonNull(copy, "copy");
        Objects.requireNonNull(original, "original");
        Objects.requireNonNull(verdict, "verdict");
    }
}
