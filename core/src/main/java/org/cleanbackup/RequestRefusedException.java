package org.cleanbackup;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A request that would endanger files, refused before anything is scanned or changed: an output folder inside a
 * reference folder, a destination inside a source, a folder that cannot be written. {@link #rule()} says which
 * safety rule; {@link #path()} and {@link #other()} name the folders involved, as the request gave them.
 *
 * @since 0.3
 */
public final class RequestRefusedException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The safety rules a request can break. */
    public enum Rule {
        /** A MOVE or COPY of duplicates without an output folder. */
        OUTPUT_FOLDER_MISSING,
        /** The output folder holds a scanned (source) folder: duplicates would move onto names beside themselves. */
        OUTPUT_HOLDS_SOURCE,
        /** The output folder holds a reference folder, which is never changed. */
        OUTPUT_HOLDS_REFERENCE,
        /** The output folder is inside a reference folder, which is never changed. */
        OUTPUT_INSIDE_REFERENCE,
        /** The destination is inside a source folder ({@link #detail()} says what would go wrong). */
        DEST_INSIDE_SOURCE,
        /** A source folder is inside the destination. */
        SOURCE_INSIDE_DEST,
        /** A source is not a folder (or does not exist). */
        SOURCE_NOT_A_FOLDER,
        /** A folder's real path cannot be read ({@link #detail()} says why). */
        FOLDER_UNUSABLE,
        /** The nearest existing parent of an output folder is not a folder ({@link #other()}). */
        OUTPUT_NOT_A_FOLDER,
        /** The nearest existing parent of an output folder ({@link #other()}) cannot be written. */
        OUTPUT_READ_ONLY
    }

    private final Rule rule;
    private final transient Path path;
    private final transient Path other;
    private final String detail;

    RequestRefusedException(Rule rule, Path path, Path other, String detail) {
        super(message(rule, path, other, detail));
        this.rule = Objects.requireNonNull(rule, "rule");
        this.path = path;
        this.other = other;
        this.detail = detail;
    }

    /** The rule the request breaks. */
    public Rule rule() {
        return rule;
    }

    /** The folder refused (the output folder or destination; a source for {@link Rule#SOURCE_NOT_A_FOLDER}). */
    public Path path() {
        return path;
    }

    /** The other folder involved (the source, reference or existing parent), or null when there is none. */
    public Path other() {
        return other;
    }

    /** Why it matters or what failed, in a few words, or null. */
    public String detail() {
        return detail;
    }

    private static String message(Rule rule, Path path, Path other, String detail) {
        return switch (rule) {
            case OUTPUT_FOLDER_MISSING -> detail + " needs an output folder";
            case OUTPUT_HOLDS_SOURCE -> "the output folder " + path + " holds the scanned folder " + other
                    + ": refused, choose a folder outside what is scanned";
            case OUTPUT_HOLDS_REFERENCE -> "the output folder " + path + " holds the reference folder " + other
                    + ": refused, reference folders are never changed";
            case OUTPUT_INSIDE_REFERENCE -> "the output folder " + path + " is inside the reference folder " + other
                    + ": refused, reference folders are never changed";
            case DEST_INSIDE_SOURCE -> "the destination " + path + " is inside the source " + other + ": refused ("
                    + detail + ")";
            case SOURCE_INSIDE_DEST -> "the source " + other + " is inside the destination " + path + ": refused ("
                    + detail + ")";
            case SOURCE_NOT_A_FOLDER -> path + " is not a folder" + (detail == null ? "" : " (" + detail + ")");
            case FOLDER_UNUSABLE -> "cannot use " + path + ": " + detail;
            case OUTPUT_NOT_A_FOLDER -> "cannot use " + path + ": " + other + " is not a folder";
            case OUTPUT_READ_ONLY -> "cannot write to " + path + " (" + other + " is read-only); nothing was changed";
        };
    }
}
