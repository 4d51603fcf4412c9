package org.cleanbackup.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.time.Duration;
import java.util.stream.Stream;
import org.cleanbackup.internal.TemporaryFiles;
import org.cleanbackup.journal.ActionState;
import org.cleanbackup.journal.SqliteJournal;
import org.cleanbackup.model.ProgressListener;
import org.cleanbackup.plan.Action;
import org.cleanbackup.plan.Plan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The copy every executor copy goes through: the kernel's, chunk by chunk, never accepting less than the file. */
class KernelCopyTest {

    /** More than two chunks, and not a whole number of them. */
    private static final int LARGE = (int) (2 * KernelCopy.STOP_CHECK_BYTES + 123_457);

    @TempDir
    Path dir;

    private Path source(int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return Files.write(dir.resolve("source.bin"), bytes);
    }

    private long copy(Path source, Path target, BooleanSupplier stop, KernelCopy.Transfer transfer)
            throws IOException {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            return KernelCopy.copy(in, out, stop, transfer);
        }
    }

    @Test
    void aLargeFileIsCopiedByTheKernelChunkByChunkAndEqualsTheSource() throws IOException {
        Path source = source(LARGE);
        List<Long> moved = new ArrayList<>();
        KernelCopy.Transfer counting = (in, position, count, out) -> {
            long n = KernelCopy.KERNEL.transfer(in, position, count, out);
            moved.add(n);
            return n;
        };

        long copied = copy(source, dir.resolve("copy.bin"), () -> false, counting);

        assertThat(copied).isEqualTo(LARGE);
        assertThat(dir.resolve("copy.bin")).hasSameBinaryContentAs(source);
        // Every byte went through transferTo (the kernel never gave up here), at most a chunk at a time.
        assertThat(moved).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(n -> assertThat(n).isBetween(1L, KernelCopy.STOP_CHECK_BYTES));
        assertThat(moved.stream().mapToLong(Long::longValue).sum()).isEqualTo(LARGE);
    }

    @Test
    void theSystemCopyOfALargeFileEqualsTheSource() throws IOException {
        Path source = source(LARGE);

        FileOperations.system().copy(source, dir.resolve("copy.bin"));

        assertThat(dir.resolve("copy.bin")).hasSameBinaryContentAs(source);
    }

    @Test
    void aShortTransferIsContinuedNotAccepted() throws IOException {
        Path source = source(1_000_003);
        AtomicInteger calls = new AtomicInteger();
        // A kernel that moves at most 4,096 bytes a call, like copy_file_range near a signal or a quota.
        KernelCopy.Transfer shortOnes = (in, position, count, out) -> {
            calls.incrementAndGet();
            return in.transferTo(position, Math.min(count, 4096), out);
        };

        long copied = copy(source, dir.resolve("copy.bin"), () -> false, shortOnes);

        assertThat(copied).isEqualTo(1_000_003);
        assertThat(calls.get()).isEqualTo((1_000_003 + 4095) / 4096);
        assertThat(dir.resolve("copy.bin")).hasSameBinaryContentAs(source);
    }

    @Test
    void whereTheKernelGivesUpTheRestIsCopiedByReads() throws IOException {
        Path source = source(LARGE);
        AtomicInteger calls = new AtomicInteger();
        // The first chunk goes through the kernel, then it refuses (0 bytes): the rest by plain reads.
        KernelCopy.Transfer givingUp = (in, position, count, out) ->
                calls.getAndIncrement() == 0 ? in.transferTo(position, count, out) : 0;

        long copied = copy(source, dir.resolve("copy.bin"), () -> false, givingUp);

        assertThat(copied).isEqualTo(LARGE);
        assertThat(calls.get()).as("once refused, not asked again").isEqualTo(2);
        assertThat(dir.resolve("copy.bin")).hasSameBinaryContentAs(source);
    }

    @Test
    void aStopBetweenChunksEndsTheCopyAfterTheChunkInProgress() throws IOException {
        Path source = source(LARGE);
        AtomicInteger looks = new AtomicInteger();
        Path target = dir.resolve("copy.bin");

        assertThatThrownBy(() -> copy(source, target, () -> looks.incrementAndGet() > 1, KernelCopy.KERNEL))
                .isInstanceOf(InterruptedIOException.class)
                .hasMessageContaining("stopped after " + KernelCopy.STOP_CHECK_BYTES + " of " + LARGE);
        assertThat(looks.get()).isEqualTo(2);
        assertThat(Files.size(target)).isEqualTo(KernelCopy.STOP_CHECK_BYTES);
    }

    @Test
    void aSourceThatShrinksMeanwhileEndsTheCopyShortWithoutLooping() throws IOException {
        Path source = source(LARGE);
        // The source loses its tail once the first chunk is copied: transferTo then moves nothing, nor do reads.
        KernelCopy.Transfer shrinking = (in, position, count, out) -> {
            long n = in.transferTo(position, count, out);
            try (FileChannel writable = FileChannel.open(source, StandardOpenOption.WRITE)) {
                writable.truncate(KernelCopy.STOP_CHECK_BYTES);
            }
            return n;
        };

        long copied = copy(source, dir.resolve("copy.bin"), () -> false, shrinking);

        assertThat(copied).isEqualTo(KernelCopy.STOP_CHECK_BYTES).isLessThan(LARGE);
        assertThat(Files.size(dir.resolve("copy.bin"))).isEqualTo(KernelCopy.STOP_CHECK_BYTES);
    }

    /** Ctrl-C between two chunks of an organize copy, on the real file system: no temporary file, no copy. */
    @Test
    void aStopBetweenChunksOfAnExecutorCopyRemovesTheTemporaryFile() throws IOException {
        Path source = source(LARGE);
        Path library = dir.resolve("library");
        Path target = library.resolve("2024/05/source.bin");
        // The user presses Ctrl-C once part of the copy is on disk under its temporary name; the flag stays set.
        java.util.concurrent.atomic.AtomicBoolean pressed = new java.util.concurrent.atomic.AtomicBoolean();
        BooleanSupplier stop = () -> {
            if (!pressed.get() && partialCopies(target.getParent()).anyMatch(size -> size > 0)) {
                pressed.set(true);
            }
            return pressed.get();
        };
        Action copy = new Action.Copy(source, dir, target, LARGE, Files.getLastModifiedTime(source).toMillis(),
                null, "test", null, null);

        try (SqliteJournal journal = SqliteJournal.open(dir.resolve("journal.db"), true, 1000)) {
            ExecutionReport report = new PlanExecutor(journal, FileOperations.system(),
                    new RetryPolicy(3, Duration.ofSeconds(1), d -> { }), stop)
                    .execute(new Plan("test", List.of(copy)), ProgressListener.NONE);

            assertThat(report.interrupted()).isTrue();
            assertThat(report.outcomes()).singleElement()
                    .satisfies(o -> assertThat(o.status()).isEqualTo(Outcome.Status.SKIPPED));
            assertThat(journal.entries(report.sessionId())).singleElement()
                    .satisfies(e -> assertThat(e.state()).isEqualTo(ActionState.FAILED));
        }
        assertThat(target).doesNotExist();
        assertThat(partialCopies(target.getParent())).isEmpty();
        assertThat(Files.size(source)).isEqualTo(LARGE);
    }

    /** The sizes of the temporary files in {@code folder} (none when it does not exist). */
    private static Stream<Long> partialCopies(Path folder) {
        if (!Files.isDirectory(folder)) {
            return Stream.empty();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> TemporaryFiles.isTemporaryName(f.getFileName().toString()))
                    .map(f -> {
                        try {
                            return Files.size(f);
                        } catch (IOException e) {
                            return 0L; // removed meanwhile
                        }
                    }).toList().stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
