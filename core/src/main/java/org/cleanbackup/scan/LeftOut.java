package org.cleanbackup.scan;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a run saw in the folders it was asked to act on (not in reference folders) and did not consider, and why, so
 * that a summary can say it: nothing is left out silently.
 *
 * @param byExtension files whose type was not asked for, counted by lower-case extension ("" for none)
 * @param empty       empty files (zero bytes: nothing to organize or compare), unless asked for
 * @param notRegular  entries that are not regular files: symbolic links (when not followed), FIFOs, devices, sockets
 * @param unreadable  files and folders that could not be read (or whose name is not valid UTF-8): each is also a
 *                    {@link org.cleanbackup.model.Problem}
 * @param notImage    files that are not images, in a search that compares only images (similar dedupe)
 * @since 0.2
 */
public record LeftOut(Map<String, Long> byExtension, long empty, long notRegular, long unreadable, long notImage) {

    /** Nothing left out. */
    public static final LeftOut NONE = new LeftOut(Map.of(), 0, 0, 0, 0);

    /** Copies the map; the counts are 0 or more. */
    public LeftOut {
        byExtension = Map.copyOf(Objects.requireNonNull(byExtension, "byExtension"));
        if (empty < 0 || notRegular < 0 || unreadable < 0 || notImage < 0) {
            throw new IllegalArgumentException("a count cannot be negative");
        }
    }

    /** Other types, empty files and entries that are not regular files (what a scan of 0.2 counted). */
    public LeftOut(Map<String, Long> byExtension, long empty, long notRegular) {
        this(byExtension, empty, notRegular, 0, 0);
    }

    /** Files of other types: the sum of {@link #byExtension()}. */
    public long otherTypes() {
        return byExtension.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Every entry left out. */
    public long total() {
        return otherTypes() + empty + notRegular + unreadable + notImage;
    }

    /** The same counts, with {@code more} further unreadable files (found so by a later stage). */
    public LeftOut plusUnreadable(long more) {
        return new LeftOut(byExtension, empty, notRegular, unreadable + more, notImage);
    }

    /** The same counts, with {@code more} further files that are not images. */
    public LeftOut plusNotImage(long more) {
        return new LeftOut(byExtension, empty, notRegular, unreadable, notImage + more);
    }

    /**
     * One line for a summary, or empty when nothing was left out: "Left out: 8 files of other types (.mp3: 5, .pdf:
     * 3), 2 empty files, 1 link or special file (not followed), 1 unreadable (a problem), 4 files that are not
     * images." The six most frequent extensions are named.
     */
    public String describe() {
        if (total() == 0) {
            return "";
        }
        StringBuilder s = new StringBuilder("Left out: ");
        long other = otherTypes();
        String sep = "";
        if (other > 0) {
            s.append(other).append(other == 1 ? " file" : " files").append(" of other types (");
            String inner = "";
            int shown = 0;
            for (Map.Entry<String, Long> e : new TreeMap<>(byExtension).entrySet().stream()
                    .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).toList()) {
                if (shown++ == 6) {
                    s.append(", ...");
                    break;
                }
                s.append(inner).append(e.getKey().isEmpty() ? "no extension" : "." + e.getKey()).append(": ")
                        .append(e.getValue());
                inner = ", ";
            }
            s.append(')');
            sep = ", ";
        }
        if (empty > 0) {
            s.append(sep).append(empty).append(empty == 1 ? " empty file" : " empty files");
            sep = ", ";
        }
        if (notRegular > 0) {
            s.append(sep).append(notRegular).append(notRegular == 1 ? " link or special file" : " links or special files")
                    .append(" (not followed)");
            sep = ", ";
        }
        if (unreadable > 0) {
            s.append(sep).append(unreadable).append(" unreadable (").append(unreadable == 1 ? "a problem" : "problems")
                    .append(')');
            sep = ", ";
        }
        if (notImage > 0) {
            s.append(sep).append(notImage).append(notImage == 1 ? " file that is not an image"
                    : " files that are not images");
        }
        return s.append('.').toString();
    }
}
