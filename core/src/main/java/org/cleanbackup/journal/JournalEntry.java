package org.cleanbackup.journal;

import java.nio.file.Path;
import java.util.List;
import org.cleanbackup.plan.ActionType;

/**
 * One action as the journal knows it.
 *
 * @param id           its id, unique in the journal
 * @param sessionId    the session that made it
 * @param type         what it does
 * @param source       the file acted on
 * @param target       where it went (MOVE, COPY), the file linked to (HARDLINK), or null
 * @param backup       where the original was put aside (DELETE, HARDLINK: the trash path), or null
 * @param temporary    the temporary file a copy was written to before being placed at {@code target}, or null
 * @param size         the source's size before the action
 * @param lastModified the source's modification time before the action (ms)
 * @param hash         the source's content hash when known ("algorithm:hex"), else null
 * @param state        where it stands
 * @param message      why it failed, or null
 * @param createdDirs  folders the action created, outermost first, so undo can remove them when empty
 */
public record JournalEntry(long id, long sessionId, ActionType type, Path source, Path target, Path backup, Path temporary,
                           long size, long lastModified, String hash, ActionState state, String message,
                           List<Path> createdDirs) {

    public JournalEntry {
        createdDirs = List.copyOf(createdDirs);
    }
}
