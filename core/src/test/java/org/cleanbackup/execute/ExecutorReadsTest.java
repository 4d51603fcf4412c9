package org.cleanbackup.execute;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.cleanbackup.internal.TemporaryFiles;
import org.cleanbackup.journal.SqliteJournal;
import org.cleanbackup.model.ProgressListener;
import org.cleanbackup.plan.Action;
import org.cleanbackup.plan.Plan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor's checks read through {@link FileOperations}: a read that fails, or a file that changes just as it
 * is checked, makes the executor leave the files as they were rather than act on what it could not confirm.
 */
class ExecutorReadsTest {

    @TempDir
    Path dir;

    private Path root;
    private SqliteJournal journal;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(dir.resolve("source"));
        journal = SqliteJournal.open(dir.resolve("journal.db"), true, 1000);
    }

    @AfterEach
    void tearDown() {
        journal.close();
    }

    private Path file(String name, int size, long seed) throws IOException {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        Path file = Files.write(root.resolve(name), bytes);
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_600_000_000_000L + seed));
        return file;
    }

    private ExecutionReport run(FileOperations ops, Action action) {
        return new PlanExecutor(journal, ops, new RetryPolicy(0, Duration.ZERO, d -> { }))
                .execute(new Plan("test", List.of(action)), ProgressListener.NONE);
    }

    private static Action deleteKeeping(Path duplicate, Path kept) throws IOException {
        return new Action.Trash(duplicate, duplicate.getParent(), Files.size(duplicate),
                Files.getLastModifiedTime(duplicate).toMillis(), null, "test",
                new Action.KeptCopy(kept, Files.size(kept), Files.getLastModifiedTime(kept).toMillis(), true), null);
    }

    private static List<String> temporaries(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.map(p -> p.getFileName().toString()).filter(TemporaryFiles::isTemporaryName).toList();
        }
    }

    @Test
    void theKeptCopyChangingJustAsItIsComparedKeepsTheDuplicate() throws IOException {
        Path kept = file("a.jpg", 4000, 5);
        Path duplicate = Files.copy(kept, root.resolve("b.jpg"));
        Action action = deleteKeeping(duplicate, kept);
        FileOperations ops = new PlanExecutorTest.DelegatingOperations(FileOperations.system()) {
            @Override
            public boolean sameContent(Path a, Path b) throws IOException {
                if (a.equals(kept) || b.equals(kept)) {
                    // another program rewrites the kept copy (same size, same time) between the plan and now
                    FileTime time = Files.getLastModifiedTime(kept);
                    byte[] other = Files.readAllBytes(kept);
                    other[7] ^= 1;
                    Files.write(kept, other);
                    Files.setLastModifiedTime(kept, time);
                }
                return super.sameContent(a, b);
            }
        };

        ExecutionReport report = run(ops, action);

        assertThat(report.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Outcome.Status.SKIPPED);
            assertThat(o.message()).contains("the copy that stays").contains("no longer has the same content");
        });
        assertThat(duplicate).exists();
    }

    @Test
    void aKeptCopyThatCannotBeReadKeepsTheDuplicate() throws IOException {
        Path kept = file("a.jpg", 4000, 5);
        Path duplicate = Files.copy(kept, root.resolve("b.jpg"));
        FileOperations ops = new PlanExecutorTest.DelegatingOperations(FileOperations.system()) {
            @Override
            public BasicFileAttributes attributes(Path path) throws IOException {
                if (path.equals(kept)) {
                    throw new IOException("Input/output error");
                }
                return super.attributes(path);
            }
        };

        ExecutionReport report = run(ops, deleteKeeping(duplicate, kept));

        assertThat(report.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Outcome.Status.SKIPPED);
            assertThat(o.message()).contains("cannot be read").contains("Input/output error");
        });
        assertThat(duplicate).exists();
        assertThat(kept).exists();
    }

    @Test
    void aReadErrorWhileVerifyingACopyRemovesTheCopyAndLeavesTheSourceOfAMove() throws IOException {
        Path source = file("a.jpg", 40_000, 1);
        byte[] before = Files.readAllBytes(source);
        Path target = dir.resolve("out/a.jpg");
        Action move = new Action.Move(source, root, target, Files.size(source),
                Files.getLastModifiedTime(source).toMillis(), null, "test", null, null);
        FileOperations ops = new PlanExecutorTest.DelegatingOperations(FileOperations.system()) {
            @Override
            public boolean sameFileSystem(Path file, Path folder) {
                return false; // a move across file systems: copy, verify, then delete the source
            }

            @Override
            public boolean sameContent(Path a, Path b) throws IOException {
                throw new IOException("Input/output error");
            }
        };

        ExecutionReport report = run(ops, move);

        assertThat(report.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Outcome.Status.FAILED);
            assertThat(o.message()).contains("Input/output error");
        });
        assertThat(source).exists();
        assertThat(Files.readAllBytes(source)).isEqualTo(before);
        assertThat(target).doesNotExist();
        assertThat(temporaries(dir)).as("the unverified copy is removed").isEmpty();
    }

    @Test
    void aSourceWhoseSizeReadsOtherThanPlannedIsLeftAlone() throws IOException {
        Path source = file("a.jpg", 4000, 1);
        Action move = new Action.Move(source, root, dir.resolve("out/a.jpg"), Files.size(source),
                Files.getLastModifiedTime(source).toMillis(), null, "test", null, null);
        FileOperations ops = new PlanExecutorTest.DelegatingOperations(FileOperations.system()) {
            @Override
            public BasicFileAttributes attributes(Path path) throws IOException {
                BasicFileAttributes real = super.attributes(path);
                if (!path.equals(source)) {
                    return real;
                }
                // grown by one byte since the scan (a download still being written)
                return (BasicFileAttributes) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {BasicFileAttributes.class}, (proxy, m, args) ->
                                m.getName().equals("size") ? real.size() + 1 : m.invoke(real, args));
            }
        };

        ExecutionReport report = run(ops, move);

        assertThat(report.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(Outcome.Status.SKIPPED);
            assertThat(o.message()).contains("changed since it was scanned");
        });
        assertThat(source).exists();
        assertThat(dir.resolve("out/a.jpg")).doesNotExist();
    }
}
