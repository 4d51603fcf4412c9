package org.cleanbackup.undo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.DriverManager;
import java.time.Duration;
import org.cleanbackup.execute.ExecutionReport;
import org.cleanbackup.execute.FileOperations;
import org.cleanbackup.execute.Outcome;
import org.cleanbackup.execute.PlanExecutor;
import org.cleanbackup.execute.RetryPolicy;
import org.cleanbackup.journal.SqliteJournal;
import org.cleanbackup.model.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session journaled by a version before the sealed actions (rows written here with plain SQL, as that code wrote
 * them) is still undone: a move comes back, a copy is removed, a trashed file and a replaced-by-link file are
 * restored, and a folder the session made goes.
 */
class OldJournalUndoTest {

    @TempDir
    Path dir;

    private static Path write(Path file, String text, long millis) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.fromMillis(millis));
        return file;
    }

    @Test
    void aSessionAnEarlierVersionJournaledIsUndone() throws Exception {
        Path in = dir.resolve("in");
        Path out = dir.resolve("out");
        // The disk as the old run left it.
        Path movedTo = write(out.resolve("a.mp3"), "moved", 1_000);
        Path copySource = write(in.resolve("b.mp3"), "copied", 2_000);
        Path copy = write(out.resolve("b.mp3"), "copied", 2_000);
        Path trashed = write(in.resolve(".cleanbackup-trash/1/c.mp3"), "trashed", 3_000);
        Path keep = write(in.resolve("keep/d.mp3"), "linked", 4_000);
        Path linked = in.resolve("d.mp3");
        Files.createLink(linked, keep);
        Path linkTrash = write(in.resolve(".cleanbackup-trash/1/d.mp3"), "linked", 4_000);

        Path db = dir.resolve("journal.db");
        SqliteJournal.open(db, true, 0).close();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
            st.execute("INSERT INTO sessions(id, started_at, ended_at, command, state, undo_of, pid)"
                    + " VALUES (1, 1000, 2000, 'cleanbackup dedupe x', 'FINISHED', 0, 42)");
            try (var ps = c.prepareStatement("INSERT INTO actions(session_id, type, source, target, backup, size,"
                    + " mtime, hash, state, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?, NULL, 'DONE', 2000)")) {
                row(ps, "MOVE", in.resolve("a.mp3"), movedTo, null, 5, 1_000);
                row(ps, "COPY", copySource, copy, null, 6, 2_000);
                row(ps, "DELETE", in.resolve("c.mp3"), null, trashed, 7, 3_000);
                row(ps, "HARDLINK", linked, keep, linkTrash, 6, 4_000);
            }
            st.execute("INSERT INTO created_dirs(action_id, seq, dir) VALUES (1, 0, '" + out + "')");
        }

        try (SqliteJournal journal = SqliteJournal.open(db, false, 0)) {
            Undo undo = new Undo(journal, new PlanExecutor(journal, FileOperations.system(),
                    new RetryPolicy(0, Duration.ofMillis(1), d -> { })));
            ExecutionReport report = undo.run(undo.session(1).orElseThrow(), ProgressListener.NONE);

            assertThat(report.outcomes()).allSatisfy(o -> assertThat(o.status()).as(o.action().describe())
                    .isEqualTo(Outcome.Status.DONE));
            assertThat(in.resolve("a.mp3")).hasContent("moved");
            assertThat(copySource).hasContent("copied");
            assertThat(in.resolve("c.mp3")).hasContent("trashed");
            assertThat(linked).hasContent("linked");
            assertThat(Files.isSameFile(linked, keep)).as("the duplicate is its own file again").isFalse();
            assertThat(out).doesNotExist();
            assertThat(undo.session(1).orElseThrow().undone()).isEqualTo(4);
        }
    }

    private static void row(java.sql.PreparedStatement ps, String type, Path source, Path target, Path backup,
                            long size, long mtime) throws java.sql.SQLException {
        ps.setString(1, type);
        ps.setString(2, source.toString());
        ps.setString(3, target == null ? null : target.toString());
        ps.setString(4, backup == null ? null : backup.toString());
        ps.setLong(5, size);
        ps.setLong(6, mtime);
        ps.executeUpdate();
    }
}
