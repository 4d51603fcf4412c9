package org.cleanbackup.execute;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.cleanbackup.internal.TemporaryFiles;
import org.cleanbackup.journal.ActionState;
import org.cleanbackup.journal.Journal;
import org.cleanbackup.journal.JournalEntry;
import org.cleanbackup.journal.SqliteJournal;
import org.cleanbackup.plan.Action;
import org.cleanbackup.plan.DuplicateAction;
import org.cleanbackup.plan.Plan;
import org.cleanbackup.model.ProgressListener;
import org.cleanbackup.scan.ScanOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PlanExecutorTest {

    @TempDir
    Path dir;

    private Path root;
    private Path out;
    private SqliteJournal journal;
    private final List<Duration> sleeps = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(dir.resolve("source"));
        out = dir.resolve("out");
        journal = SqliteJournal.open(dir.resolve("journal.db"), true, 1000);
    }

    @AfterEach
    void tearDown() {
        journal.close();
    }

    private Path file(String relative, int size, long seed) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        Files.write(file, bytes);
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_600_000_000_000L + seed));
        return file;
    }

    private Action action(DuplicateAction type, Path source, Path target) throws IOException {
        return chosen(type, source, target, null);
    }

    /** The executor's action for a user's choice; {@code target} is the link's file for HARDLINK, unused for DELETE. */
    private Action chosen(DuplicateAction type, Path source, Path target, Action.KeptCopy kept) throws IOException {
        long size = Files.size(source);
        long time = Files.getLastModifiedTime(source).toMillis();
        return switch (type) {
            case MOVE -> new Action.Move(source, root, target, size, time, null, "test", kept, null);
            case COPY -> new Action.Copy(source, root, target, size, time, null, "test", kept, null);
            case DELETE -> new Action.Trash(source, root, size, time, null, "test", kept, null);
            case HARDLINK -> new Action.HardLink(source, root, target, size, time, null, "test", kept);
        };
    }

    private ExecutionReport run(FileOperations ops, int retries, Action... actions) {
        RetryPolicy retry = new RetryPolicy(retries, Duration.ofSeconds(1), sleeps::add);
        return new PlanExecutor(journal, ops, retry).execute(new Plan("test", List.of(actions)), ProgressListener.NONE);
    }

    @ParameterizedTest(name = "{0} keeps the bytes and the modification time")
    @EnumSource(value = DuplicateAction.class, names = {"MOVE", "COPY"})
    void moveAndCopyPlaceAnExactCopyAndJournalIt(DuplicateAction type) throws IOException {
        Path source = file("a/song.mp3", 10_000, 1);
        byte[] bytes = Files.readAllBytes(source);
        FileTime mtime = Files.getLastModifiedTime(source);
        Path target = out.resolve("source/a/song.mp3");

        ExecutionReport report = run(FileOperations.system(), 0, action(type, source, target));

        assertThat(report.count(Outcome.Status.DONE)).isEqualTo(1);
        assertThat(target).hasBinaryContent(bytes);
        assertThat(Files.getLastModifiedTime(target)).isEqualTo(mtime);
        assertThat(Files.exists(source)).isEqualTo(type == DuplicateAction.COPY);
        List<JournalEntry> entries = journal.entries(report.sessionId());
        assertThat(entries).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo(ActionState.DONE);
            assertThat(e.target()).isEqualTo(target);
            assertThat(e.createdDirs()).containsExactly(out, out.resolve("source"), out.resolve("source/a"));
        });
    }

    private Action takeAway(DuplicateAction type, Path duplicate, Path kept, Path target) throws IOException {
        return chosen(type, duplicate, target,
                new Action.KeptCopy(kept, Files.size(kept), Files.getLastModifiedTime(kept).toMillis(), true));
    }

    /** Two runs planned apart: the copy one keeps is the duplicate the other takes away. Never both. */
    @ParameterizedTest(name = "{0} leaves the duplicate when the kept copy is gone")
    @EnumSource(value = DuplicateAction.class, names = {"MOVE", "DELETE", "HARDLINK"})
    void aDuplicateIsNotTakenAwayWhenTheKeptCopyIsGone(DuplicateAction type) throws IOException {
        Path kept = file("a.jpg", 4000, 5);
        Path duplicate = root.resolve("b.jpg");
        Files.copy(kept, duplicate);
        Action action = takeAway(type, duplicate, kept, type == DuplicateAction.HARDLINK ? kept : out.resolve("b.jpg"));
        Files.delete(kept); // the other run took it away first

        ExecutionReport report = run(FileOperations.system(), 0, action);

        assertThat(report.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Outcome.Status.SKIPPED);
            assertThat(o.message()).contains("the copy that stays").contains("is gone");
        });
        assertThat(duplicate).exists();
    }

    @Test
    void aDuplicateIsNotTakenAwayWhenTheKeptCopyNowHoldsOtherBytes() throws IOException {
        Path kept = file("a.jpg", 4000, 5);
        Path duplicate = root.resolve("b.jpg");
        Files.copy(kept, duplicate);
        Action action = takeAway(DuplicateAction.DELETE, duplicate, kept, null);
        FileTime time = Files.getLastModifiedTime(kept);
        byte[] other = Files.readAllBytes(kept);
        other[100] ^= 1; // same size, same time, other content: only the bytes tell
        Files.write(kept, other);
        Files.setLastModifiedTime(kept, time);

        ExecutionReport report = run(FileOperations.system(), 0, action);

        assertThat(report.outcomes().getFirst().status()).isEqualTo(Outcome.Status.SKIPPED);
        assertThat(report.outcomes().getFirst().message()).contains("no longer has the same content");
        assertThat(duplicate).exists();
    }

    /** Plans hold milliseconds; a copy (and a move across file systems, which copies) keeps the nanoseconds. */
    @Test
    void aCopyKeepsTheModificationTimeToTheNanosecond() throws IOException {
        Path source = file("a/photo.jpg", 5000, 9);
        FileTime precise = FileTime.from(java.time.Instant.ofEpochSecond(1_600_000_000L, 123_456_789));
        Files.setLastModifiedTime(source, precise);
        assertThat(Files.getLastModifiedTime(source)).as("this file system keeps nanoseconds").isEqualTo(precise);
        Path target = out.resolve("photo.jpg");

        ExecutionReport report = run(FileOperations.system(), 0, action(DuplicateAction.COPY, source, target));

        assertThat(report.count(Outcome.Status.DONE)).isEqualTo(1);
        assertThat(Files.getLastModifiedTime(target)).isEqualTo(precise);
    }

    @Test
    void aTakenNameIsNeverOverwritten() throws IOException {
        Path first = file("x/song.mp3", 1000, 2);
        Path second = file("y/song.mp3", 1000, 3);
        Files.createDirectories(out);
        Path existing = Files.writeString(out.resolve("song.mp3"), "someone else's file");

        ExecutionReport report = run(FileOperations.system(), 0,
                action(DuplicateAction.MOVE, first, out.resolve("song.mp3")),
                action(DuplicateAction.MOVE, second, out.resolve("song.mp3")));

        assertThat(report.outcomes()).extracting(Outcome::finalPath)
                .containsExactly(out.resolve("song_1.mp3"), out.resolve("song_2.mp3"));
        assertThat(existing).hasContent("someone else's file");
    }

    @Test
    void deleteMovesIntoTheTrashOfTheRoot() throws IOException {
        Path source = file("a/b.mp3", 500, 4);
        byte[] bytes = Files.readAllBytes(source);
        ExecutionReport report = run(FileOperations.system(), 0, action(DuplicateAction.DELETE, source, null));
        Path trashed = root.resolve(ScanOptions.TRASH_FOLDER).resolve(Long.toString(report.sessionId())).resolve("a/b.mp3");
        assertThat(report.outcomes().getFirst().finalPath()).isEqualTo(trashed);
        assertThat(source).doesNotExist();
        assertThat(trashed).hasBinaryContent(bytes);
    }

    @Test
    void hardlinkReplacesTheDuplicateAndKeepsItInTheTrash() throws IOException {
        Path keep = file("keep.mp3", 2000, 5);
        Path dup = root.resolve("dup.mp3");
        Files.copy(keep, dup);
        ExecutionReport report = run(FileOperations.system(), 0, action(DuplicateAction.HARDLINK, dup, keep));
        assertThat(report.count(Outcome.Status.DONE)).isEqualTo(1);
        assertThat(Files.isSameFile(dup, keep)).isTrue();
        assertThat(report.outcomes().getFirst().finalPath()).exists();
    }

    @Test
    void aFailingStepIsRetriedWithExponentialBackoff() throws IOException {
        Path source = file("a.mp3", 1000, 6);
        AtomicInteger calls = new AtomicInteger();
        FileOperations flaky = new DelegatingOperations(FileOperations.system()) {
            @Override
            public void link(Path link, Path existing) throws IOException {
                if (calls.incrementAndGet() <= 2) {
                    throw new IOException("Input/output error");
                }
                super.link(link, existing);
            }
        };
        ExecutionReport report = run(flaky, 3, action(DuplicateAction.MOVE, source, out.resolve("a.mp3")));
        assertThat(report.count(Outcome.Status.DONE)).isEqualTo(1);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(out.resolve("a.mp3")).exists();
    }

    @Test
    void afterTheLastTryTheFileStaysAndTheFailureIsJournaled() throws IOException {
        Path source = file("a.mp3", 1000, 7);
        FileOperations broken = new DelegatingOperations(FileOperations.system()) {
            @Override
            public void link(Path link, Path existing) throws IOException {
                throw new IOException("Input/output error");
            }
        };
        ExecutionReport report = run(broken, 2, action(DuplicateAction.MOVE, source, out.resolve("a.mp3")));
        assertThat(report.outcomes().getFirst().status()).isEqualTo(Outcome.Status.FAILED);
        assertThat(report.outcomes().getFirst().message()).contains("Input/output error").contains("3 tries");
        assertThat(source).exists();
        assertThat(out.resolve("a.mp3")).doesNotExist();
        assertThat(journal.entries(report.sessionId())).singleElement()
                .satisfies(e -> assertThat(e.state()).isEqualTo(ActionState.FAILED));
    }

    /** Another file system: the move must copy, verify, then delete. */
    private static FileOperations otherFileSystem(AtomicInteger copies) {
        return new DelegatingOperations(FileOperations.system()) {
            @Override
            public boolean sameFileSystem(Path file, Path dir) {
                return false;
            }

            @Override
            public void copy(Path source, Path target) throws IOException {
                copies.incrementAndGet();
                super.copy(source, target);
            }
        };
    }

    @Test
    void acrossFileSystemsAMoveIsCopyVerifyDelete() throws IOException {
        Path source = file("a.mp3", 300_000, 8);
        byte[] bytes = Files.readAllBytes(source);
        AtomicInteger copies = new AtomicInteger();
        ExecutionReport report = run(otherFileSystem(copies), 0, action(DuplicateAction.MOVE, source, out.resolve("a.mp3")));
        assertThat(report.count(Outcome.Status.DONE)).isEqualTo(1);
        assertThat(copies).hasValue(1);
        assertThat(source).doesNotExist();
        assertThat(out.resolve("a.mp3")).hasBinaryContent(bytes);
    }

    @Test
    void aDiskFullDuringTheCopyRemovesThePartialFileAndKeepsTheSource() throws IOException {
        Path source = file("a.mp3", 300_000, 9);
        byte[] bytes = Files.readAllBytes(source);
        FileOperations full = new DelegatingOperations(FileOperations.system()) {
            @Override
            public boolean sameFileSystem(Path file, Path dir) {
                return false;
            }

            @Override
            public void copy(Path source, Path target) throws IOException {
                Files.write(target, new byte[1000]); // half a copy on disk, then the disk is full
                throw new IOException("No space left on device");
            }
        };
        ExecutionReport report = run(full, 1, action(DuplicateAction.MOVE, source, out.resolve("a.mp3")));
        assertThat(report.outcomes().getFirst().status()).isEqualTo(Outcome.Status.FAILED);
        assertThat(report.outcomes().getFirst().message()).contains("No space left on device");
        assertThat(source).hasBinaryContent(bytes);
        assertThat(out.resolve("a.mp3")).doesNotExist();
        assertThat(temporaries(dir)).as("the half copy was under a temporary name, now removed").isEmpty();
    }

    @Test
    void aCopyThatDiffersFromTheSourceIsRejectedAndRemoved() throws IOException {
        Path source = file("a.mp3", 50_000, 10);
        FileOperations corrupting = new DelegatingOperations(FileOperations.system()) {
            @Override
            public boolean sameFileSystem(Path file, Path dir) {
                return false;
            }

            @Override
            public void copy(Path source, Path target) throws IOException {
                byte[] bytes = Files.readAllBytes(source);
                bytes[25_000] ^= 1; // a flipped bit on the way
                Files.write(target, bytes, java.nio.file.StandardOpenOption.CREATE_NEW);
            }
        };
        ExecutionReport report = run(corrupting, 0, action(DuplicateAction.MOVE, source, out.resolve("a.mp3")));
        assertThat(report.outcomes().getFirst().message()).contains("differs");
        assertThat(source).exists();
        assertThat(out.resolve("a.mp3")).doesNotExist();
        assertThat(temporaries(dir)).isEmpty();
    }

    @Test
    void aFileChangedSincePlanningIsLeftAlone() throws IOException {
        Path source = file("a.mp3", 1000, 11);
        Action planned = action(DuplicateAction.MOVE, source, out.resolve("a.mp3"));
        Files.writeString(source, "edited by the user meanwhile");
        ExecutionReport report = run(FileOperations.system(), 0, planned);
        assertThat(report.outcomes().getFirst().status()).isEqualTo(Outcome.Status.SKIPPED);
        assertThat(source).hasContent("edited by the user meanwhile");
        assertThat(journal.entries(report.sessionId())).isEmpty();
    }

    @Test
    void repeatedFailuresStopTheRunInsteadOfFailingEveryFile() throws IOException {
        List<Action> actions = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Path source = file("f" + i + ".mp3", 100, 20 + i);
            actions.add(action(DuplicateAction.MOVE, source, out.resolve("f" + i + ".mp3")));
        }
        AtomicInteger attempts = new AtomicInteger();
        FileOperations full = new DelegatingOperations(FileOperations.system()) {
            @Override
            public void link(Path link, Path existing) throws IOException {
                attempts.incrementAndGet();
                throw new IOException("No space left on device");
            }
        };
        ExecutionReport report = run(full, 0, actions.toArray(Action[]::new));
        assertThat(report.count(Outcome.Status.FAILED)).isEqualTo(PlanExecutor.MAX_CONSECUTIVE_FAILURES);
        assertThat(report.count(Outcome.Status.SKIPPED)).isEqualTo(8 - PlanExecutor.MAX_CONSECUTIVE_FAILURES);
        assertThat(report.stoppedBecause()).contains("No space left on device");
        assertThat(attempts).hasValue(PlanExecutor.MAX_CONSECUTIVE_FAILURES);
    }

    @Test
    void aReplacementWaitsForTheOriginalToBeMovedAway() throws IOException {
        Path original = file("photo.jpg", 5000, 30);
        Path smaller = file(".cleanbackup-tmp-1.part", 3000, 31);
        Action trash = action(DuplicateAction.DELETE, original, null);
        Action replace = new Action.Create(smaller, original, Files.size(smaller),
                Files.getLastModifiedTime(smaller).toMillis(), "compressed");
        Files.writeString(original, "edited after planning"); // so the trash step is skipped
        ExecutionReport report = run(FileOperations.system(), 0, trash, replace);
        assertThat(report.outcomes()).extracting(Outcome::status)
                .containsExactly(Outcome.Status.SKIPPED, Outcome.Status.SKIPPED);
        assertThat(original).hasContent("edited after planning");
        assertThat(root.resolve("photo_1.jpg")).as("never placed beside the original").doesNotExist();
    }

    /** Files whose name is a temporary file's, anywhere under {@code root}. */
    private static List<Path> temporaries(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (var walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().startsWith(TemporaryFiles.PREFIX)).toList();
        }
    }

    /**
     * Never a half-written file under a real name: the copy is written under a journaled temporary name in the
     * target's folder, and the final name appears only once the copy is complete, verified and dated.
     */
    @ParameterizedTest(name = "{0} writes under a temporary name first")
    @EnumSource(value = DuplicateAction.class, names = {"MOVE", "COPY"})
    void aCopyIsWrittenUnderATemporaryNameAndPlacedOnlyWhenVerified(DuplicateAction type) throws IOException {
        Path source = file("a/song.mp3", 200_000, 40);
        byte[] bytes = Files.readAllBytes(source);
        Path target = out.resolve("a/song.mp3");
        List<Path> writtenTo = new ArrayList<>();
        List<Boolean> finalNameExistedAfterCopy = new ArrayList<>();
        FileOperations watching = new DelegatingOperations(FileOperations.system()) {
            @Override
            public boolean sameFileSystem(Path file, Path dir) {
                return false; // a move must copy
            }

            @Override
            public void copy(Path source, Path target2) throws IOException {
                writtenTo.add(target2);
                super.copy(source, target2);
                finalNameExistedAfterCopy.add(Files.exists(target));
            }
        };

        ExecutionReport report = run(watching, 0, action(type, source, target));

        assertThat(report.count(Outcome.Status.DONE)).isEqualTo(1);
        assertThat(writtenTo).singleElement().satisfies(temp -> {
            assertThat(temp.getParent()).isEqualTo(target.getParent());
            assertThat(temp.getFileName().toString()).matches("\\.cleanbackup-tmp-[0-9a-f]{16}\\.part");
            assertThat(journal.entries(report.sessionId()).getFirst().temporary()).isEqualTo(temp);
        });
        assertThat(finalNameExistedAfterCopy).containsExactly(false);
        assertThat(target).hasBinaryContent(bytes);
        assertThat(temporaries(dir)).isEmpty();
    }

    /** Ctrl-C between two actions: the first is done, the rest not tried, the session ends settled. */
    @Test
    void aStopBetweenActionsFinishesTheCurrentOneAndStartsNoOther() throws IOException {
        Path first = file("a.mp3", 1000, 41);
        Path second = file("b.mp3", 1000, 42);
        AtomicInteger asked = new AtomicInteger();
        RetryPolicy retry = new RetryPolicy(0, Duration.ZERO, sleeps::add);
        ExecutionReport report = new PlanExecutor(journal, FileOperations.system(), retry,
                () -> asked.incrementAndGet() > 1) // asked before the first action (no), then before the second
                .execute(new Plan("test", List.of(action(DuplicateAction.MOVE, first, out.resolve("a.mp3")),
                        action(DuplicateAction.MOVE, second, out.resolve("b.mp3")))), ProgressListener.NONE);

        assertThat(report.interrupted()).isTrue();
        assertThat(report.outcomes()).extracting(Outcome::status)
                .containsExactly(Outcome.Status.DONE, Outcome.Status.SKIPPED);
        assertThat(ExecutionReport.notTriedAfterInterrupt(report.outcomes().get(1))).isTrue();
        assertThat(out.resolve("a.mp3")).exists();
        assertThat(second).exists();
        assertThat(journal.sessions().getFirst().state()).isEqualTo(org.cleanbackup.journal.SessionState.INTERRUPTED);
        assertThat(journal.entries(report.sessionId())).singleElement()
                .satisfies(e -> assertThat(e.state()).isEqualTo(ActionState.DONE));
    }

    /** Ctrl-C in the middle of a copy: the copy is abandoned, its temporary file removed, the source untouched. */
    @Test
    void aStopDuringACopyRemovesTheUnfinishedCopy() throws IOException {
        Path source = file("big.mov", 20_000_000, 43); // more than one chunk between two looks at the flag
        byte[] bytes = Files.readAllBytes(source);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<Long> bytesWhenStopped = new ArrayList<>();
        FileOperations stoppedMidway = new DelegatingOperations(FileOperations.system()) {
            @Override
            public boolean sameFileSystem(Path file, Path dir) {
                return false;
            }

            @Override
            public void copy(Path from, Path to, java.util.function.BooleanSupplier stopFlag) throws IOException {
                FileOperations.system().copy(from, to, () -> {
                    try {
                        if (Files.size(to) > 0) { // part of the file is written: now the user presses Ctrl-C
                            bytesWhenStopped.add(Files.size(to));
                            stop.set(true);
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    return stopFlag.getAsBoolean();
                });
            }
        };
        RetryPolicy retry = new RetryPolicy(3, Duration.ofSeconds(1), sleeps::add);

        ExecutionReport report = new PlanExecutor(journal, stoppedMidway, retry, stop::get)
                .execute(new Plan("test", List.of(action(DuplicateAction.MOVE, source, out.resolve("big.mov")))),
                        ProgressListener.NONE);

        assertThat(bytesWhenStopped).isNotEmpty().allSatisfy(n -> assertThat(n).isBetween(1L, 19_999_999L));
        assertThat(report.interrupted()).isTrue();
        assertThat(report.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Outcome.Status.SKIPPED);
            assertThat(o.message()).contains("interrupted during the copy");
        });
        assertThat(sleeps).as("no retry after a stop").isEmpty();
        assertThat(source).hasBinaryContent(bytes);
        assertThat(out.resolve("big.mov")).doesNotExist();
        assertThat(temporaries(dir)).isEmpty();
        assertThat(journal.entries(report.sessionId())).singleElement()
                .satisfies(e -> assertThat(e.state()).isEqualTo(ActionState.FAILED));
    }

    /** A temporary file of a dead process, left in a folder a copy goes to, is swept; a live one's is not. */
    @Test
    void aStaleTemporaryFileInTheTargetFolderIsSweptBeforeTheFirstCopy() throws IOException {
        Path source = file("a.jpg", 1000, 44);
        Files.createDirectories(out);
        Path stale = Files.writeString(out.resolve(TemporaryFiles.PREFIX + "7ffffff0" + "0123abcd.part"), "dead run");
        Path live = Files.writeString(out.resolve(TemporaryFiles.newName()), "this process");

        run(FileOperations.system(), 0, action(DuplicateAction.COPY, source, out.resolve("a.jpg")));

        assertThat(stale).doesNotExist();
        assertThat(live).exists();
    }

    /**
     * The journal fails mid-run (its disk gone, its file made read-only): the session must stay RUNNING, so that the
     * next start settles the action whose outcome never reached the journal. Marked FINISHED, it never would be.
     */
    @Test
    void aJournalFailureLeavesTheSessionForCrashRecovery() throws IOException {
        Path a = file("a.mp3", 1000, 45);
        Path b = file("b.mp3", 1000, 46);
        Path c = file("c.mp3", 1000, 47);
        Journal failing = new FailingJournal(journal, 2); // the second recordDone fails
        List<Action> plan = List.of(action(DuplicateAction.MOVE, a, out.resolve("a.mp3")),
                action(DuplicateAction.MOVE, b, out.resolve("b.mp3")), action(DuplicateAction.MOVE, c, out.resolve("c.mp3")));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PlanExecutor(failing, FileOperations.system(),
                        new RetryPolicy(0, Duration.ZERO, sleeps::add))
                        .execute(new Plan("test", plan), ProgressListener.NONE))
                .isInstanceOf(org.cleanbackup.journal.JournalException.class);

        long session = journal.sessions().getFirst().id();
        assertThat(journal.sessions().getFirst().state()).isEqualTo(org.cleanbackup.journal.SessionState.RUNNING);
        assertThat(out.resolve("b.mp3")).as("moved; only the journal did not hear of it").exists();
        assertThat(c).as("not tried after the failure").exists();

        org.cleanbackup.undo.CrashRecovery.reconcile(journal);

        assertThat(journal.sessions().getFirst().state()).isEqualTo(org.cleanbackup.journal.SessionState.INTERRUPTED);
        assertThat(journal.entries(session)).extracting(JournalEntry::state)
                .containsExactly(ActionState.DONE, ActionState.DONE);
        new org.cleanbackup.undo.Undo(journal, new PlanExecutor(journal, FileOperations.system(),
                new RetryPolicy(0, Duration.ZERO, sleeps::add))).run(journal.sessions().stream()
                .filter(s -> s.id() == session).findFirst().orElseThrow(), ProgressListener.NONE);
        assertThat(a).exists();
        assertThat(b).as("undo brings back the action recovery settled").exists();
        assertThat(out.resolve("b.mp3")).doesNotExist();
    }

    /** A journal whose n-th recordDone fails, as a SQLite file on a vanished disk would; the rest passes through. */
    private static final class FailingJournal implements Journal {
        private final Journal delegate;
        private final int failingDone;
        private int dones;

        FailingJournal(Journal delegate, int failingDone) {
            this.delegate = delegate;
            this.failingDone = failingDone;
        }

        @Override
        public long beginSession(String command) {
            return delegate.beginSession(command);
        }

        @Override
        public long beginUndoSession(String command, long undoOf) {
            return delegate.beginUndoSession(command, undoOf);
        }

        @Override
        public long recordIntent(long sessionId, Action action, Path target, Path backup, Path temporary) {
            return delegate.recordIntent(sessionId, action, target, backup, temporary);
        }

        @Override
        public void updatePaths(long entryId, Path target, Path backup) {
            delegate.updatePaths(entryId, target, backup);
        }

        @Override
        public void recordCreatedDir(long entryId, Path dir) {
            delegate.recordCreatedDir(entryId, dir);
        }

        @Override
        public void recordDone(long entryId) {
            if (++dones == failingDone) {
                throw new org.cleanbackup.journal.JournalException("disk I/O error (the journal's disk went away)");
            }
            delegate.recordDone(entryId);
        }

        @Override
        public void recordFailed(long entryId, String message) {
            delegate.recordFailed(entryId, message);
        }

        @Override
        public void recordUndone(long entryId) {
            delegate.recordUndone(entryId);
        }

        @Override
        public void endSession(long sessionId, org.cleanbackup.journal.SessionState state) {
            delegate.endSession(sessionId, state);
        }

        @Override
        public List<org.cleanbackup.journal.SessionInfo> sessions() {
            return delegate.sessions();
        }

        @Override
        public List<JournalEntry> entries(long sessionId) {
            return delegate.entries(sessionId);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** Passes every call through; tests override the one that should fail. */
    static class DelegatingOperations implements FileOperations {
        private final FileOperations delegate;

        DelegatingOperations(FileOperations delegate) {
            this.delegate = delegate;
        }

        @Override
        public void link(Path link, Path existing) throws IOException {
            delegate.link(link, existing);
        }

        @Override
        public void rename(Path source, Path target) throws IOException {
            delegate.rename(source, target);
        }

        @Override
        public void copy(Path source, Path target) throws IOException {
            delegate.copy(source, target);
        }

        @Override
        public void delete(Path path) throws IOException {
            delegate.delete(path);
        }

        @Override
        public void createDirectory(Path dir) throws IOException {
            delegate.createDirectory(dir);
        }

        @Override
        public void setLastModified(Path path, FileTime time) throws IOException {
            delegate.setLastModified(path, time);
        }

        @Override
        public boolean sameFileSystem(Path file, Path dir) throws IOException {
            return delegate.sameFileSystem(file, dir);
        }
    }
}
