package org.cleanbackup.scan;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a scan saw in the folders it was asked to act on (not in reference folders) and did not keep, and why, so
 * that a summary can say it: nothing is left out silently.
 *
 * @param byExtension files whose type was not asked for, counted by lower-case extension ("" for none)
 * @param empty       empty files (zero bytes: nothing to organize or compare)
 * @param notRegular  entries that are not regular files: symbolic links (when not followed), FIFOs, devices, sockets
 * @since 0.2
 */
public record LeftOut(Map<String, Long> byExtension, long empty, long notRegular) {

    /** Nothing left out. */
    public static final LeftOut NONE = new LeftOut(Map.of(), 0, 0);

    public LeftOut {
        byExtension = Map.copyOf(Objects.requireNonNull(byExtension, "byExtension"));
    }

    /** Every entry left out. */
    public long total() {
        return byExtension.values().stream().mapToLong(Long::longValue).sum() + empty + notRegular;
    }

    /**
     * One line for a summary, or empty when nothing was left out: "Left out: 8 files of other types (.mp3: 5, .pdf:
     * 3), 2 empty files, 1 link or special file."
     */
    public String describe() {
        if (total() == 0) {
            return "";
        }
        StringBuilder s = new StringBuilder("Left out: ");
        long other = total() - empty - notRegular;
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
        }
        return s.append('.').toString();
    }
}
