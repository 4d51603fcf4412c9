package org.cleanbackup.undo;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.cleanbackup.journal.ActionState;
import org.cleanbackup.journal.Journal;
import org.cleanbackup.journal.JournalEntry;
import org.cleanbackup.journal.SessionInfo;
import org.cleanbackup.plan.Action;
import org.cleanbackup.plan.Plan;
import org.cleanbackup.scan.ScanOptions;

/**
 * The files that "delete" and "hardlink" put aside in {@code <root>/.cleanbackup-trash/<session>/}, found through
 * the journal, and the plan that removes them for good.
 */
public final class Trash {

    private Trash() {
    }

    /**
     * A file waiting in the trash.
     *
     * @param sessionId the run that put it there
     * @param trashedAt when that run started
     * @param original  where it came from (and where undo puts it back)
     * @param location  where it is now
     * @param size      its size
     */
    public record Item(long sessionId, Instant trashedAt, Path original, Path location, long size) {
    }

    /** Everything in the trash that is still there and not undone, oldest first. */
    public static List<Item> list(Journal journal) {
        List<Item> items = new ArrayList<>();
        for (SessionInfo session : journal.sessions()) {
            for (JournalEntry e : journal.entries(session.id())) {
                if (e.state() == ActionState.DONE && e.backup() != null
                        && (e.action() instanceof Action.Trash || e.action() instanceof Action.HardLink)
                        && Files.exists(e.backup(), LinkOption.NOFOLLOW_LINKS)) {
                    items.add(new Item(session.id(), session.startedAt(), e.source(), e.backup(), e.size()));
                }
            }
        }
        items.sort(Comparator.comparing(Item::trashedAt));
        return items;
    }

    /**
     * The plan that removes these items for good, then the trash folders left empty (up to and including
     * {@code .cleanbackup-trash}). An item that vanished since it was listed is left out, not an error.
     */
    public static Plan emptyPlan(List<Item> items) throws java.io.IOException {
        List<Action> actions = new ArrayList<>();
        Set<Path> dirs = new LinkedHashSet<>();
        for (Item item : items) {
            long mtime;
            long size;
            try {
                mtime = Files.getLastModifiedTime(item.location(), LinkOption.NOFOLLOW_LINKS).toMillis();
                size = Files.size(item.location());
            } catch (java.nio.file.NoSuchFileException e) {
                continue; // removed since it was listed (by hand, another run): nothing left to empty
            }
            actions.add(new Action.Purge(item.location(), size, mtime,
                    "trash empty (deleted by session " + item.sessionId() + ")"));
            for (Path d = item.location().getParent(); d != null; d = d.getParent()) {
                dirs.add(d);
                if (d.getFileName() != null && d.getFileName().toString().equals(ScanOptions.TRASH_FOLDER)) {
                    break;
                }
            }
        }
        dirs.stream().sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(d -> actions.add(
                new Action.RemoveFolder(d, "emptied trash folder")));
        return new Plan("trash empty", actions);
    }
}
