package org.cleanbackup.journal;

import java.nio.file.Path;
import java.util.List;
import org.cleanbackup.plan.Action;

/**
 * One action as the journal knows it.
 *
 * <p>The journal keeps what undo and crash recovery need, not the whole plan: its {@link #action()} has the paths
 * really used (the free name chosen, not the one planned), the source's folder as the scan root of a
 * {@link Action.Chosen} kind, no kept copy and no companion tie, and a reason naming the session.
 *
 * @param id          its id, unique in the journal
 * @param sessionId   the session that made it
 * @param action      what it does, with the exact paths used: a {@link Action.Move}'s target is where the file went,
 *                    a {@link Action.HardLink}'s the file linked to
 * @param backup      where the original was put aside ({@link Action.Trash}, {@link Action.HardLink}: the trash
 *                    path), or null
 * @param temporary   the temporary file a copy was written to before being placed at its target, or null
 * @param hash        the source's content hash when known ("algorithm:hex"), else null
 * @param state       where it stands
 * @param message     why it failed, or null
 * @param createdDirs folders the action created, outermost first, so undo can remove them when empty
 */
public record JournalEntry(long id, long sessionId, Action action, Path backup, Path temporary, String hash,
                           ActionState state, String message, List<Path> createdDirs) {

    public JournalEntry {
        java.util.Objects.requireNonNull(action, "action");
        createdDirs = List.copyOf(createdDirs);
    }

    /** The file acted on. */
    public Path source() {
        return action.source();
    }

    /**
     * The path the journal recorded as the action's target: where a placed file went ({@link Action.Placing}), the
     * file linked to ({@link Action.HardLink}), the original a removed copy duplicated ({@link Action.Remove}); else
     * null.
     */
    public Path target() {
        return action.targetPath();
    }

    /** The source's size before the action. */
    public long size() {
        return action.size();
    }

    /** The source's modification time before the action (ms). */
    public long lastModified() {
        return action.lastModified();
    }
}
