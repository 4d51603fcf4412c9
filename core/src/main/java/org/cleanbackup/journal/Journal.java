package org.cleanbackup.journal;

import java.nio.file.Path;
import java.util.List;
import org.cleanbackup.plan.Action;

/**
 * Service-provider interface for the write-ahead journal that every change to the file system goes through.
 *
 * <p>The contract that makes undo and crash recovery possible: {@link #recordIntent} returns only once the intent
 * is durable, and the caller touches the disk only after it returns; {@link #recordDone} is called only once the
 * change is complete on disk. An action found in state {@link ActionState#INTENT} after a crash may or may not
 * have happened; recovery decides by looking at the disk. Implementations must be safe for use by one thread at
 * a time; two processes on one journal must not corrupt it (the second may be refused with a
 * {@link JournalException} naming the reason).
 *
 * <p>The built-in implementation is {@link SqliteJournal}.
 *
 * @since 0.1
 */
public interface Journal extends AutoCloseable {

    /** Starts a session for one command run and returns its id. */
    long beginSession(String command);

    /** Starts a session that undoes {@code undoOf}. */
    long beginUndoSession(String command, long undoOf);

    /**
     * Records that {@code action} is about to be done, with the exact paths it will use, durably.
     *
     * @param target the path the action will create or link to (MOVE, COPY: the free name chosen), or null
     * @param backup the path the original will be put aside at (DELETE, HARDLINK), or null
     * @return the entry's id
     */
    default long recordIntent(long sessionId, Action action, Path target, Path backup) {
        return recordIntent(sessionId, action, target, backup, null);
    }

    /**
     * Records that {@code action} is about to be done, with the exact paths it will use, durably.
     *
     * @param target    the path the action will create or link to (MOVE, COPY: the free name chosen), or null
     * @param backup    the path the original will be put aside at (DELETE, HARDLINK), or null
     * @param temporary the temporary file a copy is written to before it is placed under {@code target} (COPY, a
     *                  MOVE or RESTORE across file systems), or null; whatever stands there after a crash is a
     *                  partial or unplaced copy, which recovery removes
     * @return the entry's id
     * @since 0.2
     */
    long recordIntent(long sessionId, Action action, Path target, Path backup, Path temporary);

    /**
     * Records several intents at once, durably, before any of their changes starts: one wait for the disk instead of
     * one per action (the executor prepares a batch of copies this way). All or none are recorded.
     *
     * @return the entries' ids, in the order of {@code intents}
     * @since 0.3
     */
    default long[] recordIntents(long sessionId, List<Intent> intents) {
        long[] ids = new long[intents.size()];
        for (int i = 0; i < ids.length; i++) {
            Intent intent = intents.get(i);
            ids[i] = recordIntent(sessionId, intent.action(), intent.target(), intent.backup(), intent.temporary());
        }
        return ids;
    }

    /**
     * One intent of {@link #recordIntents}: the arguments of {@link #recordIntent(long, Action, Path, Path, Path)}.
     *
     * @since 0.3
     */
    record Intent(Action action, Path target, Path backup, Path temporary) {
    }

    /** Records that the intended paths changed before the disk was touched (the name was taken meanwhile). */
    void updatePaths(long entryId, Path target, Path backup);

    /** Records a folder the action is about to create, before it is created. */
    void recordCreatedDir(long entryId, Path dir);

    /** Records that the action is complete on disk. */
    void recordDone(long entryId);

    /** Records that the action did not happen, and why. */
    void recordFailed(long entryId, String message);

    /** Records that a done action was undone by a later session. */
    void recordUndone(long entryId);

    /** Ends a session. */
    void endSession(long sessionId, SessionState state);

    /** All sessions, newest first. */
    List<SessionInfo> sessions();

    /** The actions of a session, in the order they were recorded. */
    List<JournalEntry> entries(long sessionId);

    /** Closes the journal. */
    @Override
    void close();
}
