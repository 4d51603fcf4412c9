package org.cleanbackup.undo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import org.cleanbackup.execute.FileOperations;
import org.cleanbackup.journal.ActionState;
import org.cleanbackup.journal.JournalEntry;
import org.cleanbackup.journal.SqliteJournal;
import org.cleanbackup.plan.Action;
import org.cleanbackup.plan.ActionType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crash recovery looks at the disk through {@link FileOperations}: what it cannot read, it never counts as done. */
class CrashRecoveryReadsTest {

    @TempDir
    Path dir;

    private SqliteJournal journal;
    private long session;
    private Path source;
    private Path target;

    @BeforeEach
    void setUp() throws IOException {
        journal = SqliteJournal.open(dir.resolve("j.db"), true, 0);
        session = journal.beginSession("organize");
        source = dir.resolve("src/a.jpg");
        target = dir.resolve("out/a.jpg");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "content of a");
        Files.setLastModifiedTime(source, FileTime.fromMillis(1_000_000));
        Files.createDirectories(target.getParent());
        Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES); // the copy looks complete
    }

    @AfterEach
    void tearDown() {
        journal.close();
    }

    private long copyIntent() throws IOException {
        Action a = new Action(ActionType.COPY, source, source.getParent(), target, Files.size(source), 1_000_000, null,
                "test");
        return journal.recordIntent(session, a, target, null);
    }

    private JournalEntry settledWith(FileOperations ops, long id) {
        CrashRecovery.reconcile(journal, ops);
        return journal.entries(session).stream().filter(e -> e.id() == id).findFirst().orElseThrow();
    }

    @Test
    void aCopyWhoseBytesCannotBeComparedIsNotDoneAndNothingIsRemoved() throws IOException {
        long id = copyIntent();
        JournalEntry entry = settledWith(new Reads() {
            @Override
            public boolean sameContent(Path a, Path b) throws IOException {
                throw new IOException("Input/output error");
            }
        }, id);

        assertThat(entry.state()).isEqualTo(ActionState.FAILED);
        assertThat(entry.message()).contains("could not settle").contains("Input/output error");
        assertThat(source).hasContent("content of a");
        assertThat(target).as("not ours to remove without knowing what it is").hasContent("content of a");
    }

    @Test
    void aCopyThatReadsDifferentFromItsSourceIsRemovedAndTheSourceStays() throws IOException {
        long id = copyIntent();
        JournalEntry entry = settledWith(new Reads() {
            @Override
            public boolean sameContent(Path a, Path b) {
                return false; // e.g. the last block never reached the disk
            }
        }, id);

        assertThat(entry.state()).isEqualTo(ActionState.FAILED);
        assertThat(target).doesNotExist();
        assertThat(source).hasContent("content of a");
    }

    @Test
    void theSameCopyReadNormallyIsDone() throws IOException {
        long id = copyIntent();
        assertThat(settledWith(new Reads(), id).state()).isEqualTo(ActionState.DONE);
        assertThat(target).hasContent("content of a");
    }

    /** The real file system; tests override the read that should fail. */
    private static class Reads implements FileOperations {
        private final FileOperations real = FileOperations.system();

        @Override
        public void link(Path link, Path existing) throws IOException {
            real.link(link, existing);
        }

        @Override
        public void rename(Path from, Path to) throws IOException {
            real.rename(from, to);
        }

        @Override
        public void copy(Path from, Path to) throws IOException {
            real.copy(from, to);
        }

        @Override
        public void delete(Path path) throws IOException {
            real.delete(path);
        }

        @Override
        public void createDirectory(Path folder) throws IOException {
            real.createDirectory(folder);
        }

        @Override
        public void setLastModified(Path path, FileTime time) throws IOException {
            real.setLastModified(path, time);
        }

        @Override
        public boolean sameFileSystem(Path file, Path folder) throws IOException {
            return real.sameFileSystem(file, folder);
        }
    }
}
