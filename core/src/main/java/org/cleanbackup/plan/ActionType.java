package org.cleanbackup.plan;

import java.util.Locale;

/** What an {@link Action} does to its file. */
public enum ActionType {
    /** Move the file to the target path (never overwriting). */
    MOVE,
    /** Copy the file to the target path (never overwriting), leaving the source. */
    COPY,
    /** Move the file into the trash folder of its root, from where undo can bring it back. Nothing is unlinked. */
    DELETE,
    /** Replace the file by a hard link to the target (the copy kept); the replaced file goes to the trash. */
    HARDLINK;

    /** The user-facing name, for example "hardlink". */
    public String userName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
