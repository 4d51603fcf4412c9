package org.cleanbackup.undo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.cleanbackup.execute.FileOperations;
import org.cleanbackup.journal.ActionState;
import org.cleanbackup.journal.Journal;
import org.cleanbackup.journal.JournalEntry;
import org.cleanbackup.journal.SessionInfo;
import org.cleanbackup.journal.SessionState;
import org.cleanbackup.plan.Action;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles what a crashed or killed run left behind, by looking at the disk.
 *
 * <p>Run it while holding the journal (so no other run is alive): every session still RUNNING is dead, and each of
 * its actions still at INTENT may or may not have happened. Each one is settled so that the journal says exactly
 * what the disk holds: a change that completed is marked DONE (undo will reverse it); a half-made change is rolled
 * back (a partial copy or a second link that this run created is removed, a trashed file is put back) and marked
 * FAILED. Folders journaled as created by a rolled-back action are removed when empty. The session becomes
 * INTERRUPTED.
 *
 * <p>Why rolling back is always safe: the executor records the exact target before creating it, and creates it
 * with CREATE_NEW semantics, so whatever stands at a recorded target of an unfinished action was made by that
 * action. A copy is written under a recorded temporary name and gets its real name only once complete and verified,
 * so a half-written copy is only ever found under the temporary name, which is removed. A source is never removed
 * before its new name exists and (across file systems) was verified.
 */
public final class CrashRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(CrashRecovery.class);

    private static final String BEFORE = "interrupted before the change";

    /** The reads (and, for now, only the reads) recovery makes to tell what happened; tests inject failures. */
    private final FileOperations ops;

    private CrashRecovery(FileOperations ops) {
        this.ops = ops;
    }

    /**
     * Settles every interrupted session in the journal.
     *
     * @return one line per session settled, for the user
     */
    public static List<String> reconcile(Journal journal) {
        return reconcile(journal, FileOperations.system());
    }

    /**
     * Settles every interrupted session in the journal, looking at the disk through {@code ops}: what it reads
     * (whether a name exists, sizes and times, two files' bytes) decides whether a change counts as done.
     *
     * @return one line per session settled, for the user
     */
    public static List<String> reconcile(Journal journal, FileOperations ops) {
        return new CrashRecovery(ops).settleAll(journal);
    }

    private List<String> settleAll(Journal journal) {
        List<String> notes = new ArrayList<>();
        for (SessionInfo session : journal.sessions()) {
            if (session.state() != SessionState.RUNNING) {
                continue;
            }
            int done = 0;
            int rolledBack = 0;
            for (JournalEntry entry : journal.entries(session.id())) {
                if (entry.state() != ActionState.INTENT) {
                    continue;
                }
                String failure;
                try {
                    failure = settle(entry);
                } catch (IOException e) {
                    failure = "interrupted; could not settle: " + e.getMessage();
                    LOG.error("{}: {}", entry.source(), failure);
                }
                if (failure == null) {
                    journal.recordDone(entry.id());
                    done++;
                } else {
                    removeEmptyDirs(entry.createdDirs());
                    journal.recordFailed(entry.id(), failure);
                    rolledBack++;
                }
            }
            journal.endSession(session.id(), SessionState.INTERRUPTED);
            notes.add("session " + session.id() + " (" + session.command() + ") was interrupted; settled from the"
                    + " disk: " + done + " unfinished change(s) had completed, " + rolledBack + " rolled back");
        }
        return notes;
    }

    /** Returns null when the change had completed, or why it counts as not done (after rolling it back). */
    private String settle(JournalEntry e) throws IOException {
        // A copy in progress stands only under its journaled temporary name until it is complete and verified: what
        // is left there is unfinished (or, after link and before unlink, a second name of the placed copy). It goes
        // first; the real names then tell what happened.
        boolean unfinishedCopy = e.temporary() != null && Files.deleteIfExists(e.temporary());
        String failure = settleNames(e);
        return failure != null && unfinishedCopy && failure.equals(BEFORE)
                ? "interrupted mid-copy; the unfinished copy " + e.temporary().getFileName() + " was removed"
                : failure;
    }

    private String settleNames(JournalEntry e) throws IOException {
        Path source = e.source();
        return switch (e.action()) {
            case Action.Move m -> settleMove(source, m.target(), e.size());
            case Action.Restore r -> settleMove(source, r.target(), e.size());
            case Action.Create c -> {
                String failure = settleMove(source, c.target(), e.size());
                if (failure != null) {
                    Files.deleteIfExists(source); // the temporary file the run was about to put in place
                }
                yield failure;
            }
            case Action.Trash t -> settleMove(source, e.backup(), e.size());
            case Action.Copy c -> settleCopy(source, c.target(), e.size(), e.lastModified());
            case Action.HardLink h -> settleHardlink(source, h.linkTo(), e.backup(), e.size());
            case Action.Remove r -> exists(source) ? BEFORE : null;
            case Action.Purge p -> exists(source) ? BEFORE : null;
            case Action.RemoveFolder f -> exists(source) && ops.attributes(source).isDirectory() ? BEFORE : null;
        };
    }

    private String settleMove(Path source, Path target, long size) throws IOException {
        if (target == null || !exists(target)) {
            return exists(source) ? BEFORE : "interrupted; the file is at neither path";
        }
        if (!exists(source)) {
            return null; // the new name exists and the old one is gone: the move completed
        }
        // Both names exist: either the second link of a link-then-unlink, or a copy across file systems that may
        // be partial. Either way the target is this action's own work and the source is intact: take it back.
        ops.delete(target);
        return "interrupted mid-move; the half-made target was removed";
    }

    private String settleCopy(Path source, Path target, long size, long mtime) throws IOException {
        if (target == null || !exists(target)) {
            return BEFORE;
        }
        BasicFileAttributes attrs = ops.attributes(target);
        if (attrs.size() == size && attrs.lastModifiedTime().toMillis() == mtime && exists(source)) {
            if (ops.sameContent(target, source)) {
                return null; // complete and verified: the last step (setting the time) had happened too
            }
        }
        ops.delete(target);
        return "interrupted mid-copy; the partial copy was removed";
    }

    private String settleHardlink(Path source, Path keeper, Path backup, long size) throws IOException {
        boolean inTrash = backup != null && exists(backup);
        boolean atSource = exists(source);
        if (!inTrash) {
            return atSource ? BEFORE : "interrupted; the file is at neither path";
        }
        if (atSource && ops.isSameFile(source, keeper)) {
            return null; // trashed and replaced by the link: complete
        }
        if (atSource) {
            ops.delete(backup); // both names of the duplicate exist: drop the trash link
        } else {
            ops.rename(backup, source); // trashed but not yet linked: put it back
        }
        return "interrupted mid-replacement; the duplicate was put back";
    }

    private boolean exists(Path path) {
        return ops.exists(path);
    }

    private static void removeEmptyDirs(List<Path> created) {
        for (int i = created.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(created.get(i));
            } catch (IOException notEmpty) {
                return; // holds something: it and its parents stay
            }
        }
    }
}
