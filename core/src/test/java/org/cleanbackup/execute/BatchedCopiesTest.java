package org.cleanbackup.execute;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.cleanbackup.internal.TemporaryFiles;
import org.cleanbackup.journal.ActionState;
import org.cleanbackup.journal.Journal;
import org.cleanbackup.journal.JournalEntry;
import org.cleanbackup.journal.SessionState;
import org.cleanbackup.journal.SqliteJournal;
import org.cleanbackup.model.ProgressListener;
import org.cleanbackup.plan.Action;
import org.cleanbackup.plan.Plan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plain copies (organize's import) go in batches: the intents of a batch in one journal commit, the copies written,
 * then forced to disk together, then each verified and placed. These tests hold the batch to the rules a single copy
 * keeps: every file placed verified and journaled, a failed step tried again on the file's turn, a stop or a change
 * leaving no temporary file and no action at INTENT.
 */
class BatchedCopiesTest {

    @TempDir
    Path dir;

    private Path root;
    private Path out;
    private SqliteJournal journal;
    /** Calls to the journal by method name, through {@link #counting}. */
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(dir.resolve("inbox"));
        out = dir.resolve("library");
        journal = SqliteJournal.open(dir.resolve("journal.db"), true, 1000);
    }

    @AfterEach
    void tearDown() {
        journal.close();
    }

    @Test
    void everyCopyOfABatchIsPlacedVerifiedAndJournaledWithOneCommitPerBatch() throws IOException {
        int files = PlanExecutor.BATCH_FILES + 36; // two batches
        List<Action> plan = copies(files);

        ExecutionReport report = run(FileOperations.system(), () -> false, plan);

        assertThat(report.count(Outcome.Status.DONE)).isEqualTo(files);
        for (Action a : plan) {
            Path target = ((Action.Copy) a).target();
            assertThat(target).hasSameBinaryContentAs(a.source());
            assertThat(Files.getLastModifiedTime(target).toMillis()).isEqualTo(a.lastModified());
        }
        assertThat(journal.entries(report.sessionId())).hasSize(files)
                .allSatisfy(e -> assertThat(e.state()).isEqualTo(ActionState.DONE));
        assertThat(calls.get("recordIntents")).as("one journal commit per batch").hasValue(2);
        assertThat(calls).as("no intent recorded one by one").doesNotContainKey("recordIntent");
        assertThat(temporaries()).isEmpty();
    }

    @Test
    void aCopyThatFailsWhileTheBatchIsWrittenIsCopiedAgainOnItsTurn() throws IOException {
        List<Action> plan = copies(5);
        Path flaky = plan.get(2).source();
        AtomicInteger copiesOfFlaky = new AtomicInteger();
        FileOperations ops = new PlanExecutorTest.DelegatingOperations(FileOperations.system()) {
            @Override
            public void copy(Path source, Path target) throws IOException {
                if (source.equals(flaky) && copiesOfFlaky.incrementAndGet() == 1) {
                    Files.write(target, new byte[10]); // part of it, then the network share drops out
                    throw new IOException("Input/output error");
                }
                super.copy(source, target);
            }
        };

        ExecutionReport report = run(ops, () -> false, plan); // no retries: the batch's try does not count

        assertThat(report.count(Outcome.Status.DONE)).isEqualTo(5);
        assertThat(copiesOfFlaky).hasValue(2);
        assertThat(((Action.Copy) plan.get(2)).target()).hasSameBinaryContentAs(flaky);
        assertThat(temporaries()).isEmpty();
    }

    @Test
    void aCopyThatCannotBeForcedIsRemovedAndCopiedAgainOnItsTurn() throws IOException {
        List<Action> plan = copies(4);
        Path unforced = plan.get(1).source();
        AtomicBoolean failed = new AtomicBoolean();
        AtomicInteger copies = new AtomicInteger();
        FileOperations ops = new PlanExecutorTest.DelegatingOperations(FileOperations.system()) {
            @Override
            public void copy(Path source, Path target) throws IOException {
                if (source.equals(unforced)) {
                    copies.incrementAndGet();
                }
                super.copy(source, target);
            }

            @Override
            public void force(Path file) throws IOException {
                if (isTheCopyOf(file, unforced) && failed.compareAndSet(false, true)) {
                    throw new IOException("Input/output error");
                }
                super.force(file);
            }
        };

        ExecutionReport report = run(ops, () -> false, plan);

        assertThat(report.count(Outcome.Status.DONE)).isEqualTo(4);
        assertThat(failed).isTrue();
        assertThat(copies).as("written in the batch, then again on its turn").hasValue(2);
        assertThat(((Action.Copy) plan.get(1)).target()).hasSameBinaryContentAs(unforced);
        assertThat(temporaries()).isEmpty();
        assertThat(journal.entries(report.sessionId())).allSatisfy(e -> assertThat(e.state()).isEqualTo(ActionState.DONE));
    }

    /** Ctrl-C while a batch is being written: nothing placed, no temporary file, every intent settled. */
    @Test
    void aStopWhileTheBatchIsWrittenLeavesNoTemporaryFileAndNoIntent() throws IOException {
        List<Action> plan = copies(10);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger written = new AtomicInteger();
        FileOperations ops = new PlanExecutorTest.DelegatingOperations(FileOperations.system()) {
            @Override
            public void copy(Path source, Path target) throws IOException {
                super.copy(source, target);
                if (written.incrementAndGet() == 3) {
                    stop.set(true);
                }
            }
        };

        ExecutionReport report = run(ops, stop::get, plan);

        assertThat(report.interrupted()).isTrue();
        assertThat(report.count(Outcome.Status.DONE)).isZero();
        assertThat(written).hasValue(3);
        assertThat(temporaries()).isEmpty();
        assertThat(out).satisfiesAnyOf(o -> assertThat(o).doesNotExist(),
                o -> assertThat(regularFiles(o)).isEmpty());
        assertThat(journal.sessions().getFirst().state()).isEqualTo(SessionState.INTERRUPTED);
        assertThat(journal.entries(report.sessionId())).isNotEmpty()
                .allSatisfy(e -> assertThat(e.state()).isEqualTo(ActionState.FAILED));
        for (Action a : plan) {
            assertThat(a.source()).exists();
        }
    }

    /** A file edited after its batch was written, before its turn: left alone, its prepared copy removed. */
    @Test
    void aFileChangedAfterItsBatchWasWrittenIsLeftAlone() throws IOException {
        List<Action> plan = copies(3);
        Path edited = plan.get(2).source();
        AtomicBoolean once = new AtomicBoolean();
        FileOperations ops = new PlanExecutorTest.DelegatingOperations(FileOperations.system()) {
            @Override
            public void setLastModified(Path path, FileTime time) throws IOException {
                super.setLastModified(path, time);
                if (once.compareAndSet(false, true)) {
                    Files.writeString(edited, "edited by the user meanwhile"); // while the first copy is placed
                }
            }
        };

        ExecutionReport report = run(ops, () -> false, plan);

        assertThat(report.outcomes()).extracting(Outcome::status)
                .containsExactly(Outcome.Status.DONE, Outcome.Status.DONE, Outcome.Status.SKIPPED);
        assertThat(report.outcomes().get(2).message()).contains("changed since it was scanned");
        assertThat(((Action.Copy) plan.get(2)).target()).doesNotExist();
        assertThat(temporaries()).isEmpty();
        assertThat(journal.entries(report.sessionId())).extracting(JournalEntry::state)
                .containsExactly(ActionState.DONE, ActionState.DONE, ActionState.FAILED);
    }

    /** A batch killed after its intents are journaled: recovery removes its temporary files, and places nothing. */
    @Test
    void aBatchCutShortBeforeItsCopiesArePlacedIsRolledBackByRecovery() throws IOException {
        List<Action> plan = copies(6);
        FileOperations ops = new PlanExecutorTest.DelegatingOperations(FileOperations.system()) {
            @Override
            public void setLastModified(Path path, FileTime time) {
                // the process dies here, as it places the first copy; every copy of the batch is written by now
                throw new Crash();
            }
        };

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> run(ops, () -> false, plan)).isInstanceOf(Crash.class);
        long session = journal.sessions().getFirst().id();
        assertThat(journal.sessions().getFirst().state()).isEqualTo(SessionState.RUNNING);
        assertThat(journal.entries(session)).hasSize(6);

        List<String> notes = org.cleanbackup.undo.CrashRecovery.reconcile(journal);

        assertThat(notes).singleElement().asString().contains("6 rolled back");
        assertThat(temporaries()).isEmpty();
        assertThat(regularFiles(out)).isEmpty();
        assertThat(journal.entries(session)).allSatisfy(e -> assertThat(e.state()).isEqualTo(ActionState.FAILED));
        for (Action a : plan) {
            assertThat(a.source()).exists();
        }
    }

    /** Stands for the process dying mid-run: not an IOException, so nothing in the executor handles it. */
    private static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    private boolean isTheCopyOf(Path temp, Path source) throws IOException {
        return Files.size(temp) == Files.size(source) && Files.mismatch(temp, source) == -1;
    }

    /** {@code n} distinct files of 1,000 to 3,000 bytes, each to be copied into the library. */
    private List<Action> copies(int n) throws IOException {
        List<Action> plan = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path file = root.resolve("card" + (i % 3)).resolve("IMG_" + i + ".jpg");
            Files.createDirectories(file.getParent());
            byte[] bytes = new byte[1000 * (1 + i % 3)];
            new Random(i).nextBytes(bytes);
            Files.write(file, bytes);
            Files.setLastModifiedTime(file, FileTime.fromMillis(1_600_000_000_000L + i * 1000L));
            plan.add(new Action.Copy(file, root, out.resolve("2020/0" + (1 + i % 2)).resolve(file.getFileName()),
                    bytes.length, Files.getLastModifiedTime(file).toMillis(), null, "test", null, null));
        }
        return plan;
    }

    private ExecutionReport run(FileOperations ops, BooleanSupplier stop, List<Action> plan) {
        return new PlanExecutor(counting(journal), ops, new RetryPolicy(0, Duration.ZERO, d -> { }), stop)
                .execute(new Plan("organize", plan), ProgressListener.NONE);
    }

    /** The journal, counting the calls made to it by method name. */
    private Journal counting(Journal real) {
        return (Journal) Proxy.newProxyInstance(Journal.class.getClassLoader(), new Class<?>[] {Journal.class},
                (proxy, method, args) -> {
                    calls.computeIfAbsent(method.getName(), k -> new AtomicInteger()).incrementAndGet();
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private List<Path> temporaries() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(TemporaryFiles.PREFIX)).toList();
        }
    }

    private static List<Path> regularFiles(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
