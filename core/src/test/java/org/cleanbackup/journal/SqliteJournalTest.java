package org.cleanbackup.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import org.cleanbackup.plan.Action;
import org.cleanbackup.plan.ActionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteJournalTest {

    @TempDir
    Path dir;

    @Test
    void intentsAndOutcomesSurviveReopening() {
        Path db = dir.resolve("j.db");
        long session;
        long entry;
        try (SqliteJournal journal = SqliteJournal.open(db, true, 0)) {
            session = journal.beginSession("dedupe --action move x");
            Action action = new Action(ActionType.MOVE, dir.resolve("a"), dir, dir.resolve("b"), 3, 4, null, "why");
            entry = journal.recordIntent(session, action, dir.resolve("b_1"), null);
            journal.recordCreatedDir(entry, dir.resolve("d1"));
            journal.recordCreatedDir(entry, dir.resolve("d1/d2"));
            // no recordDone: as if the process died here
        }
        try (SqliteJournal journal = SqliteJournal.open(db, false, 0)) {
            JournalEntry e = journal.entries(session).getFirst();
            assertThat(e.id()).isEqualTo(entry);
            assertThat(e.state()).isEqualTo(ActionState.INTENT);
            assertThat(e.target()).isEqualTo(dir.resolve("b_1"));
            assertThat(e.createdDirs()).containsExactly(dir.resolve("d1"), dir.resolve("d1/d2"));
            journal.recordDone(entry);
            journal.endSession(session, SessionState.FINISHED);
            SessionInfo info = journal.sessions().getFirst();
            assertThat(info.command()).isEqualTo("dedupe --action move x");
            assertThat(info.done()).isEqualTo(1);
            assertThat(info.state()).isEqualTo(SessionState.FINISHED);
        }
    }

    @Test
    void aSecondUserWaitsThenIsToldWhoHoldsTheJournal() {
        Path db = dir.resolve("j.db");
        try (SqliteJournal first = SqliteJournal.open(db, true, 0)) {
            assertThatThrownBy(() -> SqliteJournal.open(db, true, 300))
                    .isInstanceOf(JournalException.class)
                    .hasMessageContaining("another cleanbackup run")
                    .hasMessageContaining(Long.toString(ProcessHandle.current().pid()));
        }
        try (SqliteJournal again = SqliteJournal.open(db, true, 0)) {
            assertThat(again.sessions()).isEmpty();
        }
    }

    @Test
    void aMissingJournalIsNotCreatedWhenOnlyReading() {
        assertThatThrownBy(() -> SqliteJournal.open(dir.resolve("none.db"), false, 0))
                .isInstanceOf(JournalException.class).hasMessageContaining("no journal at");
        assertThat(dir.resolve("none.db")).doesNotExist();
    }

    @Test
    void aDamagedJournalIsRefusedAndLeftAsItWas() throws Exception {
        Path db = dir.resolve("j.db");
        byte[] garbage = "this is not a database, just some text that happens to be here".repeat(100).getBytes();
        Files.write(db, garbage);
        assertThatThrownBy(() -> SqliteJournal.open(db, true, 0))
                .isInstanceOf(JournalException.class).hasMessageContaining("damaged");
        assertThat(db).hasBinaryContent(garbage);
    }

    @Test
    void aJournalFromANewerVersionIsRefused() throws Exception {
        Path db = dir.resolve("j.db");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
            st.execute("PRAGMA user_version = 99");
        }
        assertThatThrownBy(() -> SqliteJournal.open(db, true, 0))
                .isInstanceOf(JournalException.class).hasMessageContaining("newer").hasMessageContaining("99");
    }
}
