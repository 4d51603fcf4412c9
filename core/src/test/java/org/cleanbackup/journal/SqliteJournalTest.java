package org.cleanbackup.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import org.cleanbackup.plan.Action;
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
            Action action = new Action.Move(dir.resolve("a"), dir, dir.resolve("b"), 3, 4, null, "why", null, null);
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

    /** How many of this process's open files are {@code file} (Linux: /proc/self/fd). */
    static long openDescriptors(Path file) throws java.io.IOException {
        Path fds = Path.of("/proc/self/fd");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(fds), "needs /proc/self/fd");
        Path real = file.toRealPath();
        long n = 0;
        try (var list = Files.list(fds)) {
            for (Path fd : list.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).equals(real)) {
                        n++;
                    }
                } catch (java.io.IOException gone) {
                    // the listing's own descriptor, closed meanwhile
                }
            }
        }
        return n;
    }

    @Test
    void aJournalThatCannotBeOpenedIsNotLeftOpen() throws Exception {
        Path damaged = dir.resolve("damaged.db");
        Files.write(damaged, "not a database at all, only text".repeat(200).getBytes());
        assertThatThrownBy(() -> SqliteJournal.open(damaged, true, 0)).isInstanceOf(JournalException.class);
        assertThat(openDescriptors(damaged)).as("the connection to a damaged journal is closed").isZero();

        Path newer = dir.resolve("newer.db");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + newer); var st = c.createStatement()) {
            st.execute("PRAGMA user_version = 99");
        }
        assertThatThrownBy(() -> SqliteJournal.open(newer, true, 0)).isInstanceOf(JournalException.class);
        assertThat(openDescriptors(newer)).as("the connection to a newer journal is closed").isZero();
    }

    /** A journal written before actions had a temporary file (schema 1) is brought up to date and keeps its history. */
    @Test
    void aVersionOneJournalIsMigratedAndKeepsItsSessions() throws Exception {
        Path db = dir.resolve("v1.db");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
            st.execute("CREATE TABLE sessions (id INTEGER PRIMARY KEY AUTOINCREMENT, started_at INTEGER NOT NULL,"
                    + " ended_at INTEGER, command TEXT NOT NULL, state TEXT NOT NULL, undo_of INTEGER NOT NULL DEFAULT 0,"
                    + " pid INTEGER NOT NULL)");
            st.execute("CREATE TABLE actions (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id INTEGER NOT NULL"
                    + " REFERENCES sessions(id), type TEXT NOT NULL, source TEXT NOT NULL, target TEXT, backup TEXT,"
                    + " size INTEGER NOT NULL, mtime INTEGER NOT NULL, hash TEXT, state TEXT NOT NULL, message TEXT,"
                    + " updated_at INTEGER NOT NULL)");
            st.execute("CREATE TABLE created_dirs (action_id INTEGER NOT NULL REFERENCES actions(id), seq INTEGER NOT"
                    + " NULL, dir TEXT NOT NULL, PRIMARY KEY (action_id, seq))");
            st.execute("INSERT INTO sessions VALUES (1, 1000, 2000, 'cleanbackup dedupe x', 'FINISHED', 0, 42)");
            st.execute("INSERT INTO actions VALUES (1, 1, 'MOVE', '/a', '/b', NULL, 3, 4, NULL, 'DONE', NULL, 2000)");
            st.execute("PRAGMA user_version = 1");
        }
        Path temp = dir.resolve(".cleanbackup-tmp-0000000100000001.part");
        try (SqliteJournal journal = SqliteJournal.open(db, false, 0)) {
            assertThat(journal.entries(1)).singleElement().satisfies(e -> {
                assertThat(e.target()).isEqualTo(Path.of("/b"));
                assertThat(e.temporary()).isNull();
            });
            long session = journal.beginSession("cleanbackup dedupe --action copy y");
            journal.recordIntent(session, new Action.Copy(dir.resolve("c"), dir, dir.resolve("d"), 1, 2,
                    null, "why", null, null), dir.resolve("d"), null, temp);
        }
        try (SqliteJournal journal = SqliteJournal.open(db, false, 0); var c = DriverManager.getConnection(
                "jdbc:sqlite:" + db); var st = c.createStatement(); var rs = st.executeQuery("PRAGMA user_version")) {
            assertThat(rs.getInt(1)).isEqualTo(SqliteJournal.SCHEMA_VERSION);
            assertThat(journal.sessions()).hasSize(2);
            assertThat(journal.entries(journal.sessions().getFirst().id())).singleElement()
                    .satisfies(e -> assertThat(e.temporary()).isEqualTo(temp));
        }
    }
}
