package org.cleanbackup.journal;

import java.time.Instant;

/**
 * A journaled command run.
 *
 * @param id        its id
 * @param startedAt when it started
 * @param endedAt   when it ended, or null while running or after a crash
 * @param command   the command line
 * @param state     where it stands
 * @param undoOf    the session this one undid, or 0
 * @param done      actions done
 * @param failed    actions failed
 * @param undone    actions undone since
 */
public record SessionInfo(long id, Instant startedAt, Instant endedAt, String command, SessionState state,
                          long undoOf, int done, int failed, int undone) {
}
