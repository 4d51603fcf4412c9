package org.cleanbackup.undo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.cleanbackup.plan.DedupePlanner;
import org.cleanbackup.group.ExactDuplicateFinder;
import org.cleanbackup.execute.ExecutionReport;
import org.cleanbackup.execute.FileOperations;
import org.cleanbackup.execute.Outcome;
import org.cleanbackup.execute.PlanExecutor;
import org.cleanbackup.execute.RetryPolicy;
import org.cleanbackup.journal.SessionInfo;
import org.cleanbackup.journal.SqliteJournal;
import org.cleanbackup.plan.DuplicateAction;
import org.cleanbackup.model.ProgressListener;
import org.cleanbackup.model.MediaType;
import org.cleanbackup.scan.ScanOptions;
import org.cleanbackup.scan.ScanRoot;
import org.cleanbackup.scan.Scanner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Run, then undo: the tree must be exactly as before, for every action. */
class UndoTest {

    @TempDir
    Path dir;

    private Path library;
    private Path inbox;
    private Path out;
    private SqliteJournal journal;
    private PlanExecutor executor;
    private Undo undo;

    @BeforeEach
    void setUp() throws IOException {
        library = dir.resolve("library");
        inbox = dir.resolve("inbox");
        out = dir.resolve("out");
        for (int i = 0; i < 5; i++) {
            byte[] song = bytes(5_000 + i * 1000, i);
            write(library.resolve("album/song" + i + ".mp3"), song, i);
            write(inbox.resolve("copies/song" + i + " (1).mp3"), song, 100 + i);
            if (i % 2 == 0) {
                write(inbox.resolve("deeper/still/song" + i + ".mp3"), song, 200 + i);
            }
        }
        write(inbox.resolve("unique.mp3"), bytes(7_777, 99), 300);
        journal = SqliteJournal.open(dir.resolve("journal.db"), true, 0);
        executor = new PlanExecutor(journal, FileOperations.system(), new RetryPolicy(0, Duration.ZERO, d -> { }));
        undo = new Undo(journal, executor);
    }

    @AfterEach
    void tearDown() {
        journal.close();
    }

    private static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static void write(Path file, byte[] content, long seed) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_400_000_000_000L + seed * 60_000));
    }

    /** Every path under dir (journal aside) with its bytes and modification time; folders too. */
    private Map<String, String> tree() throws IOException {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                String name = dir.relativize(p).toString();
                if (name.startsWith("journal.db")) {
                    continue;
                }
                tree.put(name, Files.isDirectory(p) ? "dir" : java.util.Arrays.hashCode(Files.readAllBytes(p)) + "@"
                        + Files.getLastModifiedTime(p).toMillis() + "#" + Files.getAttribute(p, "unix:nlink"));
            }
        }
        return tree;
    }

    private ExecutionReport dedupe(DuplicateAction action) {
        var scan = new Scanner(ScanOptions.of(List.of(ScanRoot.reference(library), ScanRoot.source(inbox)),
                MediaType.all())).scan();
        var groups = new ExactDuplicateFinder(ExactDuplicateFinder.Options.defaults()).find(scan.files(),
                ProgressListener.NONE).groups();
        return executor.execute(new DedupePlanner(action, out, false).plan(groups, "dedupe " + action),
                ProgressListener.NONE);
    }

    private SessionInfo session(long id) {
        return undo.session(id).orElseThrow();
    }

    @ParameterizedTest(name = "dedupe --action {0}, then undo, restores the tree exactly")
    @EnumSource(value = DuplicateAction.class, names = {"MOVE", "COPY", "DELETE", "HARDLINK"})
    void undoRestoresPathsBytesAndTimes(DuplicateAction action) throws IOException {
        Map<String, String> before = tree();
        ExecutionReport run = dedupe(action);
        assertThat(run.count(Outcome.Status.DONE)).isEqualTo(8);
        assertThat(tree()).isNotEqualTo(before);

        ExecutionReport undone = undo.run(undo.lastUndoable().orElseThrow(), ProgressListener.NONE);

        assertThat(undone.outcomes()).allSatisfy(o -> assertThat(o.status()).isEqualTo(Outcome.Status.DONE));
        assertThat(tree()).isEqualTo(before);
        assertThat(undo.lastUndoable()).as("nothing left to undo").isEmpty();
    }

    @ParameterizedTest(name = "undo of an undo of {0} does the run again")
    @EnumSource(value = DuplicateAction.class, names = {"MOVE", "COPY", "DELETE"})
    void anUndoCanBeUndone(DuplicateAction action) throws IOException {
        ExecutionReport run = dedupe(action);
        Map<String, String> afterRun = tree();
        ExecutionReport undone = undo.run(session(run.sessionId()), ProgressListener.NONE);
        ExecutionReport redone = undo.run(session(undone.sessionId()), ProgressListener.NONE);
        assertThat(redone.count(Outcome.Status.CONFLICT) + redone.count(Outcome.Status.FAILED)).isZero();
        Map<String, String> now = tree();
        if (action == DuplicateAction.DELETE) {
            // The trash folder of the redo is named after the first run's session: compare content, not names.
            assertThat(now.size()).isEqualTo(afterRun.size());
        } else {
            assertThat(now).isEqualTo(afterRun);
        }
    }

    @Test
    void aChangedFileOrATakenPathIsAConflictAndTheRestIsUndone() throws IOException {
        ExecutionReport run = dedupe(DuplicateAction.MOVE);
        Path edited = out.resolve("inbox/copies/song1 (1).mp3");
        Files.writeString(edited, "edited after the move");
        Path taken = inbox.resolve("copies/song2 (1).mp3");
        Files.writeString(taken, "a new file where the old one was");
        Path removed = out.resolve("inbox/copies/song3 (1).mp3");
        Files.delete(removed);

        ExecutionReport undone = undo.run(session(run.sessionId()), ProgressListener.NONE);

        assertThat(undone.outcomes()).filteredOn(o -> o.status() == Outcome.Status.CONFLICT)
                .extracting(o -> o.action().source().getFileName().toString())
                .containsExactlyInAnyOrder("song1 (1).mp3", "song2 (1).mp3", "song3 (1).mp3");
        assertThat(edited).hasContent("edited after the move");
        assertThat(taken).hasContent("a new file where the old one was");
        assertThat(out.resolve("inbox/copies/song2 (1).mp3")).as("not forced over the taken path").exists();
        assertThat(inbox.resolve("copies/song0 (1).mp3")).as("the rest is undone").exists();
        assertThat(inbox.resolve("deeper/still/song4.mp3")).exists();
        assertThat(out.resolve("inbox/copies")).as("a folder that still holds files stays").isDirectory();
        assertThat(out.resolve("inbox/deeper")).as("an emptied folder the run made is removed").doesNotExist();
    }

    @Test
    void undoOfACopyKeepsTheCopyWhenTheOriginalIsGone() throws IOException {
        ExecutionReport run = dedupe(DuplicateAction.COPY);
        Files.delete(inbox.resolve("copies/song0 (1).mp3"));
        ExecutionReport undone = undo.run(session(run.sessionId()), ProgressListener.NONE);
        assertThat(undone.outcomes()).filteredOn(o -> o.status() == Outcome.Status.CONFLICT).singleElement()
                .satisfies(o -> assertThat(o.message()).contains("is gone"));
        assertThat(out.resolve("inbox/copies/song0 (1).mp3")).as("the only copy left is kept").exists();
    }

    @Test
    void trashEmptyRemovesForGoodAndIsJournaled() throws IOException {
        dedupe(DuplicateAction.DELETE);
        List<Trash.Item> items = Trash.list(journal);
        assertThat(items).hasSize(8);
        ExecutionReport purge = executor.execute(Trash.emptyPlan(items), ProgressListener.NONE);
        assertThat(purge.count(Outcome.Status.DONE)).isEqualTo(purge.outcomes().size());
        assertThat(Trash.list(journal)).isEmpty();
        assertThat(inbox.resolve(ScanOptions.TRASH_FOLDER)).doesNotExist();
        assertThat(journal.entries(purge.sessionId())).filteredOn(e -> e.action() instanceof org.cleanbackup.plan.Action.Purge).hasSize(8);
    }

    /**
     * After trash empty, undo cannot bring the files back and must say so: "undo last" is not the trash empty
     * (nothing of it can be reversed), and undoing the delete names the emptied trash, not the run.
     */
    @Test
    void afterTrashEmptyUndoSaysTheFilesCannotComeBack() throws IOException {
        ExecutionReport deleted = dedupe(DuplicateAction.DELETE);
        ExecutionReport purge = executor.execute(Trash.emptyPlan(Trash.list(journal)), ProgressListener.NONE);

        assertThat(undo.reversible(session(purge.sessionId()))).isFalse();
        assertThat(undo.lastUndoable()).map(SessionInfo::id).hasValue(deleted.sessionId());
        ExecutionReport undone = undo.run(session(deleted.sessionId()), ProgressListener.NONE);

        assertThat(undone.outcomes()).filteredOn(o -> o.action() instanceof org.cleanbackup.plan.Action.Restore).hasSize(8)
                .allSatisfy(o -> {
                    assertThat(o.status()).isEqualTo(Outcome.Status.CONFLICT);
                    assertThat(o.message()).contains("session " + purge.sessionId() + " ('trash empty') emptied")
                            .contains("cannot come back");
                });
    }

    @Test
    void trashEmptySkipsAFileRemovedSinceItWasListed() throws IOException {
        dedupe(DuplicateAction.DELETE);
        List<Trash.Item> items = Trash.list(journal);
        Files.delete(items.getFirst().location()); // by hand, between the listing and the emptying

        ExecutionReport purge = executor.execute(Trash.emptyPlan(items), ProgressListener.NONE);

        assertThat(journal.entries(purge.sessionId())).filteredOn(e -> e.action() instanceof org.cleanbackup.plan.Action.Purge).hasSize(7);
        assertThat(Trash.list(journal)).isEmpty();
    }

    @Test
    void aCreatedFileIsPlacedWithoutOverwritingAndUndoRemovesIt() throws IOException {
        Path temp = out.resolve(".cleanbackup-tmp-1");
        write(temp, bytes(1234, 7), 5);
        Files.createDirectories(out.resolve("album"));
        Path wanted = out.resolve("album/small.jpg");
        Files.writeString(wanted, "already here");
        var create = new org.cleanbackup.plan.Action.Create(temp, wanted, Files.size(temp),
                Files.getLastModifiedTime(temp).toMillis(), "compressed");
        ExecutionReport run = executor.execute(new org.cleanbackup.plan.Plan("compress", List.of(create)),
                ProgressListener.NONE);
        Path placed = run.outcomes().getFirst().finalPath();
        assertThat(placed).isEqualTo(out.resolve("album/small_1.jpg"));
        assertThat(wanted).hasContent("already here");
        assertThat(temp).doesNotExist();

        ExecutionReport undone = undo.run(session(run.sessionId()), ProgressListener.NONE);
        assertThat(undone.count(Outcome.Status.DONE)).isEqualTo(undone.outcomes().size());
        assertThat(placed).doesNotExist();
        assertThat(wanted).hasContent("already here");
    }
}
