package org.cleanbackup.undo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.cleanbackup.execute.FileOperations;
import org.cleanbackup.journal.ActionState;
import org.cleanbackup.journal.JournalEntry;
import org.cleanbackup.journal.SessionState;
import org.cleanbackup.journal.SqliteJournal;
import org.cleanbackup.plan.Action;
import org.cleanbackup.plan.DuplicateAction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each state a kill can leave an action in, settled from the disk. */
class CrashRecoveryTest {

    @TempDir
    Path dir;

    private SqliteJournal journal;
    private long session;
    private Path source;
    private Path target;

    @BeforeEach
    void setUp() throws IOException {
        journal = SqliteJournal.open(dir.resolve("j.db"), true, 0);
        session = journal.beginSession("dedupe --action move");
        source = dir.resolve("src/a.mp3");
        target = dir.resolve("out/a.mp3");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "content of a");
        Files.setLastModifiedTime(source, FileTime.fromMillis(1_000_000));
    }

    @AfterEach
    void tearDown() {
        journal.close();
    }

    /** The planned action of a user's choice on {@code source}; {@code target} is the link's file for HARDLINK. */
    private Action action(DuplicateAction type, Path target) throws IOException {
        long size = Files.size(source);
        Path root = source.getParent();
        return switch (type) {
            case MOVE -> new Action.Move(source, root, target, size, 1_000_000, null, "test", null, null);
            case COPY -> new Action.Copy(source, root, target, size, 1_000_000, null, "test", null, null);
            case DELETE -> new Action.Trash(source, root, size, 1_000_000, null, "test", null, null);
            case HARDLINK -> new Action.HardLink(source, root, target, size, 1_000_000, null, "test", null);
        };
    }

    private long intent(DuplicateAction type, Path target, Path backup) throws IOException {
        Action a = action(type, target);
        long id = journal.recordIntent(session, a, type == DuplicateAction.DELETE ? null : target, backup);
        journal.recordCreatedDir(id, target.getParent());
        Files.createDirectories(target.getParent());
        return id;
    }

    private long intentWithTemporary(DuplicateAction type, Path temp) throws IOException {
        Action a = action(type, target);
        long id = journal.recordIntent(session, a, target, null, temp);
        journal.recordCreatedDir(id, target.getParent());
        Files.createDirectories(target.getParent());
        return id;
    }

    private JournalEntry settled(long id) {
        CrashRecovery.reconcile(journal);
        assertThat(journal.sessions().getFirst().state()).isEqualTo(SessionState.INTERRUPTED);
        return journal.entries(session).stream().filter(e -> e.id() == id).findFirst().orElseThrow();
    }

    @Test
    void killedBeforeTheMoveMeansNotDoneAndTheFolderGoes() throws IOException {
        long id = intent(DuplicateAction.MOVE, target, null);
        assertThat(settled(id).state()).isEqualTo(ActionState.FAILED);
        assertThat(source).hasContent("content of a");
        assertThat(target.getParent()).doesNotExist();
    }

    @Test
    void killedBetweenLinkAndUnlinkTakesTheSecondNameBack() throws IOException {
        long id = intent(DuplicateAction.MOVE, target, null);
        Files.createLink(target, source);
        assertThat(settled(id).state()).isEqualTo(ActionState.FAILED);
        assertThat(source).hasContent("content of a");
        assertThat(target).doesNotExist();
    }

    @Test
    void killedAfterTheMoveMeansDone() throws IOException {
        long id = intent(DuplicateAction.MOVE, target, null);
        Files.move(source, target);
        assertThat(settled(id).state()).isEqualTo(ActionState.DONE);
        assertThat(target).hasContent("content of a");
    }

    @Test
    void aHalfCopyIsRemoved() throws IOException {
        long id = intent(DuplicateAction.COPY, target, null);
        Files.writeString(target, "cont");
        assertThat(settled(id).state()).isEqualTo(ActionState.FAILED);
        assertThat(target).doesNotExist();
        assertThat(source).hasContent("content of a");
    }

    @Test
    void aCompleteVerifiedCopyIsDone() throws IOException {
        long id = intent(DuplicateAction.COPY, target, null);
        Files.copy(source, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        assertThat(settled(id).state()).isEqualTo(ActionState.DONE);
        assertThat(target).exists();
    }

    @Test
    void aTrashedButNotYetLinkedDuplicateIsPutBack() throws IOException {
        Path keeper = dir.resolve("keep.mp3");
        Files.writeString(keeper, "content of a");
        Path trash = dir.resolve("src/.cleanbackup-trash/1/a.mp3");
        long id = intent(DuplicateAction.HARDLINK, keeper, trash);
        Files.createDirectories(trash.getParent());
        Files.move(source, trash);
        assertThat(settled(id).state()).isEqualTo(ActionState.FAILED);
        assertThat(source).hasContent("content of a");
        assertThat(trash).doesNotExist();
    }

    @Test
    void killedMidCopyLeavesOnlyATemporaryFileWhichIsRemoved() throws IOException {
        Path temp = target.resolveSibling(".cleanbackup-tmp-0000000100000001.part");
        long id = intentWithTemporary(DuplicateAction.COPY, temp);
        Files.writeString(temp, "cont"); // the copy was being written when the process was killed
        JournalEntry e = settled(id);
        assertThat(e.state()).isEqualTo(ActionState.FAILED);
        assertThat(e.message()).contains("unfinished copy");
        assertThat(temp).doesNotExist();
        assertThat(target).doesNotExist();
        assertThat(target.getParent()).as("the folder the action made goes too").doesNotExist();
        assertThat(source).hasContent("content of a");
    }

    @Test
    void killedBetweenPlacingACopyAndDroppingItsTemporaryNameMeansDone() throws IOException {
        Path temp = target.resolveSibling(".cleanbackup-tmp-0000000100000002.part");
        long id = intentWithTemporary(DuplicateAction.COPY, temp);
        Files.copy(source, temp, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        Files.createLink(target, temp); // placed (verified before), the temporary name not yet unlinked
        assertThat(settled(id).state()).isEqualTo(ActionState.DONE);
        assertThat(temp).doesNotExist();
        assertThat(target).hasContent("content of a");
    }

    @Test
    void aMoveAcrossFileSystemsKilledMidCopyKeepsTheSourceAndRemovesTheTemporaryFile() throws IOException {
        Path temp = target.resolveSibling(".cleanbackup-tmp-0000000100000003.part");
        long id = intentWithTemporary(DuplicateAction.MOVE, temp);
        Files.writeString(temp, "conte");
        assertThat(settled(id).state()).isEqualTo(ActionState.FAILED);
        assertThat(temp).doesNotExist();
        assertThat(target).doesNotExist();
        assertThat(source).hasContent("content of a");
    }

    /** The real file system, but every byte comparison answers {@code comparison} (recovery reads through it). */
    private static FileOperations comparingAs(java.util.concurrent.Callable<Boolean> comparison) {
        return (FileOperations) java.lang.reflect.Proxy.newProxyInstance(FileOperations.class.getClassLoader(),
                new Class<?>[] {FileOperations.class}, (proxy, method, args) -> method.getName().equals("sameContent")
                        ? comparison.call() : method.invoke(FileOperations.system(), args));
    }

    private JournalEntry settledWith(FileOperations ops, long id) {
        CrashRecovery.reconcile(journal, ops);
        return journal.entries(session).stream().filter(e -> e.id() == id).findFirst().orElseThrow();
    }

    @Test
    void aCopyWhoseBytesCannotBeComparedIsNotDoneAndNothingIsRemoved() throws IOException {
        long id = intent(DuplicateAction.COPY, target, null);
        Files.copy(source, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES); // looks complete
        JournalEntry e = settledWith(comparingAs(() -> {
            throw new IOException("Input/output error");
        }), id);
        assertThat(e.state()).isEqualTo(ActionState.FAILED);
        assertThat(e.message()).contains("could not settle").contains("Input/output error");
        assertThat(source).hasContent("content of a");
        assertThat(target).as("not removed without knowing what it holds").hasContent("content of a");
    }

    @Test
    void aCopyThatReadsDifferentFromItsSourceIsRemovedAndTheSourceStays() throws IOException {
        long id = intent(DuplicateAction.COPY, target, null);
        Files.copy(source, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES); // same size and time
        assertThat(settledWith(comparingAs(() -> false), id).state()).isEqualTo(ActionState.FAILED);
        assertThat(target).doesNotExist();
        assertThat(source).hasContent("content of a");
    }
}
