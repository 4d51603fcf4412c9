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
    HARDLINK,
    /**
     * Place a finished new file (the source, a temporary file written next to the target, e.g. a compressed
     * image) under the target name, never overwriting. Undo removes it again while it is unchanged.
     */
    CREATE,
    /**
     * Undo only: move the file back to exactly the path it came from (the target). If that path is taken, the
     * step is a conflict and nothing is forced.
     */
    RESTORE,
    /**
     * Undo only: unlink a copy whose content still exists at the target (a copy or hard link a session made).
     * Refused when the target is gone or differs, so no content is ever lost.
     */
    REMOVE,
    /** Undo only: remove a folder a session created, if it is empty. */
    REMOVE_DIR,
    /** {@code trash empty}: unlink a file in the trash for good. Cannot be undone. */
    PURGE;

    /** Whether undo can reverse this action. */
    public boolean undoable() {
        return this != PURGE && this != REMOVE_DIR;
    }

    /** The user-facing name, for example "hardlink". */
    public String userName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
