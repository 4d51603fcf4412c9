package org.cleanbackup.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import org.cleanbackup.hash.ContentHash;
import org.cleanbackup.plan.Action;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Journals on users' disks hold the kind names the flat action record wrote ("MOVE", "DELETE", "REMOVE_DIR", ...).
 * Each stored row must read back as the right action, with the paths in the right fields, so undo and crash recovery
 * keep working on old journals; and each action must be stored under the same name it always was.
 */
class StoredKindsTest {

    @TempDir
    Path dir;

    /** One row as the code before the sealed actions wrote it (schema 2), and the action it must read back as. */
    private record Row(String type, String source, String target, String backup, String temp, String hash,
                       Action expected) {
    }

    private static final String WHY = "journaled by session 1";

    private static List<Row> rows() {
        Path a = Path.of("/lib/in/a.jpg");
        Path in = Path.of("/lib/in");
        Path out = Path.of("/out/in/a.jpg");
        ContentHash hash = new ContentHash("blake3", "00ff");
        return List.of(
                new Row("MOVE", "/lib/in/a.jpg", "/out/in/a.jpg", null, "/out/in/.cleanbackup-tmp-1.part",
                        "blake3:00ff", new Action.Move(a, in, out, 3, 4, hash, WHY, null, null)),
                new Row("COPY", "/lib/in/a.jpg", "/out/in/a.jpg", null, "/out/in/.cleanbackup-tmp-2.part", null,
                        new Action.Copy(a, in, out, 3, 4, null, WHY, null, null)),
                new Row("DELETE", "/lib/in/a.jpg", null, "/lib/.cleanbackup-trash/1/in/a.jpg", null, "blake3:00ff",
                        new Action.Trash(a, in, 3, 4, hash, WHY, null, null)),
                new Row("HARDLINK", "/lib/in/a.jpg", "/lib/keep/a.jpg", "/lib/.cleanbackup-trash/1/in/a.jpg", null,
                        "blake3:00ff", new Action.HardLink(a, in, Path.of("/lib/keep/a.jpg"), 3, 4, hash, WHY, null)),
                new Row("CREATE", "/out/in/.cleanbackup-tmp-3.part", "/out/in/a.jpg", null, null, null,
                        new Action.Create(Path.of("/out/in/.cleanbackup-tmp-3.part"), out, 3, 4, WHY)),
                new Row("RESTORE", "/out/in/a.jpg", "/lib/in/a.jpg", null, null, null,
                        new Action.Restore(out, a, 3, 4, WHY)),
                new Row("REMOVE", "/out/in/a.jpg", "/lib/in/a.jpg", null, null, null,
                        new Action.Remove(out, a, 3, 4, WHY)),
                new Row("REMOVE_DIR", "/out/in", null, null, null, null,
                        new Action.RemoveFolder(Path.of("/out/in"), WHY)),
                new Row("PURGE", "/lib/.cleanbackup-trash/1/in/a.jpg", null, null, null, null,
                        new Action.Purge(Path.of("/lib/.cleanbackup-trash/1/in/a.jpg"), 3, 4, WHY)));
    }

    @Test
    void everyKindAnEarlierVersionWroteReadsBackAsItsAction() throws Exception {
        Path db = dir.resolve("old.db");
        SqliteJournal.open(db, true, 0).close(); // the schema, as every version since 2 made it
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
            st.execute("INSERT INTO sessions(id, started_at, ended_at, command, state, undo_of, pid)"
                    + " VALUES (1, 1000, 2000, 'cleanbackup dedupe x', 'FINISHED', 0, 42)");
            try (var ps = c.prepareStatement("INSERT INTO actions(session_id, type, source, target, backup, temp, size,"
                    + " mtime, hash, state, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, 'DONE', 2000)")) {
                for (Row r : rows()) {
                    ps.setString(1, r.type());
                    ps.setString(2, r.source());
                    ps.setString(3, r.target());
                    ps.setString(4, r.backup());
                    ps.setString(5, r.temp());
                    ps.setLong(6, r.expected().size()); // a folder's 0, as the flat record had it
                    ps.setLong(7, r.expected().lastModified());
                    ps.setString(8, r.hash());
                    ps.executeUpdate();
                }
            }
        }
        try (SqliteJournal journal = SqliteJournal.open(db, false, 0)) {
            List<JournalEntry> entries = journal.entries(1);
            assertThat(entries).hasSize(rows().size());
            for (int i = 0; i < entries.size(); i++) {
                Row r = rows().get(i);
                JournalEntry e = entries.get(i);
                assertThat(e.action()).as(r.type()).isEqualTo(r.expected());
                assertThat(e.source()).as(r.type()).isEqualTo(Path.of(r.source()));
                assertThat(e.target()).as(r.type()).isEqualTo(r.target() == null ? null : Path.of(r.target()));
                assertThat(e.backup()).as(r.type()).isEqualTo(r.backup() == null ? null : Path.of(r.backup()));
                assertThat(e.temporary()).as(r.type()).isEqualTo(r.temp() == null ? null : Path.of(r.temp()));
                assertThat(e.hash()).as(r.type()).isEqualTo(r.hash());
                assertThat(e.size()).isEqualTo(r.expected() instanceof Action.RemoveFolder ? 0 : 3);
                assertThat(e.lastModified()).isEqualTo(r.expected() instanceof Action.RemoveFolder ? 0 : 4);
                assertThat(e.state()).isEqualTo(ActionState.DONE);
            }
        }
    }

    @Test
    void everyActionIsStoredUnderTheNameEarlierVersionsRead() throws Exception {
        Path db = dir.resolve("new.db");
        List<String> written = new ArrayList<>();
        try (SqliteJournal journal = SqliteJournal.open(db, true, 0)) {
            long session = journal.beginSession("test");
            for (Row r : rows()) {
                Path target = r.target() == null ? null : Path.of(r.target());
                Path backup = r.backup() == null ? null : Path.of(r.backup());
                journal.recordIntent(session, r.expected(), target, backup);
            }
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement();
             var rs = st.executeQuery("SELECT type, hash FROM actions ORDER BY id")) {
            while (rs.next()) {
                written.add(rs.getString(1) + " " + rs.getString(2));
            }
        }
        assertThat(written).containsExactly("MOVE blake3:00ff", "COPY null", "DELETE blake3:00ff",
                "HARDLINK blake3:00ff", "CREATE null", "RESTORE null", "REMOVE null", "REMOVE_DIR null", "PURGE null");
    }

    @Test
    void aRowOfAnUnknownKindIsAOneLineJournalError() throws Exception {
        Path db = dir.resolve("odd.db");
        SqliteJournal.open(db, true, 0).close();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
            st.execute("INSERT INTO sessions(id, started_at, command, state, undo_of, pid)"
                    + " VALUES (1, 1000, 'x', 'FINISHED', 0, 42)");
            st.execute("INSERT INTO actions(session_id, type, source, size, mtime, state, updated_at)"
                    + " VALUES (1, 'SHRED', '/a', 1, 2, 'DONE', 3)");
        }
        try (SqliteJournal journal = SqliteJournal.open(db, false, 0)) {
            assertThatThrownBy(() -> journal.entries(1)).isInstanceOf(JournalException.class)
                    .hasMessageContaining("unknown kind 'SHRED'").hasMessageContaining(db.toString());
        }
    }
}
