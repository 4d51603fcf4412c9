package org.cleanbackup.cli;

import java.io.PrintWriter;
import org.cleanbackup.journal.SqliteJournal;
import org.cleanbackup.undo.CrashRecovery;

/** Opens the journal for a command, settling first whatever a crashed earlier run left half done. */
final class JournalAccess {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JournalAccess.class);

    /** How long a second run waits for the first to release the journal. */
    static final long WAIT_MILLIS = 5_000;

    private JournalAccess() {
    }

    /**
     * Opens (creating when asked) the journal and reconciles interrupted sessions, telling the user about each (in the log only,
     * with {@code --quiet}).
     */
    static SqliteJournal open(CommonOptions common, boolean create, PrintWriter err) {
        SqliteJournal journal = SqliteJournal.open(common.journalFile(), create, WAIT_MILLIS);
        try {
            for (String note : CrashRecovery.reconcile(journal)) {
                LOG.info("crash recovery: {}", note); // the log file keeps it even when --quiet keeps the terminal clean
                if (!common.quiet) {
                    err.println("note: " + note);
                }
            }
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
        return journal;
    }
}
