package org.cleanbackup.execute;

import java.nio.file.Path;
import org.cleanbackup.plan.Action;

/**
 * What became of one planned action.
 *
 * @param action    the action
 * @param status    done, failed, skipped or a conflict
 * @param finalPath where the file ended up (the free name chosen, the trash path), or null
 * @param message   why it failed or was skipped, or null
 */
public record Outcome(Action action, Status status, Path finalPath, String message) {

    /** How an action ended. */
    public enum Status {
        /** Done and journaled. */
        DONE,
        /** Tried (with retries) and not done; the file is where it was. */
        FAILED,
        /** Not tried: the file changed since it was planned, or the run stopped. */
        SKIPPED,
        /** Undo only: the file or its original path changed since; nothing was forced. */
        CONFLICT
    }
}
