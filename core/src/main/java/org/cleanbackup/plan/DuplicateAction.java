package org.cleanbackup.plan;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a user may ask to be done with each duplicate found: the choices of {@code dedupe --action}. The executor's
 * own operations (placing a new file, undo's steps, emptying the trash) are not among them.
 */
public enum DuplicateAction {
    /** Move it to the output folder (never overwriting), keeping its path below the root's name. */
    MOVE,
    /** Copy it to the output folder, leaving it where it is. */
    COPY,
    /** Move it into the trash of its root, from where undo brings it back. */
    DELETE,
    /** Replace it by a hard link to the copy kept (identical content only); the replaced file goes to the trash. */
    HARDLINK;

    /** The name users type: "move", "copy", "delete", "hardlink". */
    public String userName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether it needs an output folder. */
    public boolean needsOutputFolder() {
        return this == MOVE || this == COPY;
    }

    /** Whether the duplicate is gone from its place afterwards (its copy kept must then still exist, unchanged). */
    public boolean takesAway() {
        return this != COPY;
    }

    /**
     * The choice a user typed (any case).
     *
     * @throws IllegalArgumentException naming the choices, for anything else
     */
    public static DuplicateAction parse(String name) {
        for (DuplicateAction a : values()) {
            if (a.userName().equals(name.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown action '" + name + "': use one of "
                + Arrays.stream(values()).map(DuplicateAction::userName).collect(Collectors.joining(", ")));
    }
}
