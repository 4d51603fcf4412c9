package org.cleanbackup.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.cleanbackup.compress.internal.MediaFixtures;
import org.cleanbackup.execute.ExecutionReport;
import org.cleanbackup.execute.FileOperations;
import org.cleanbackup.execute.Outcome;
import org.cleanbackup.execute.PlanExecutor;
import org.cleanbackup.execute.RetryPolicy;
import org.cleanbackup.internal.TemporaryFiles;
import org.cleanbackup.journal.SqliteJournal;
import org.cleanbackup.plan.Action;
import org.cleanbackup.model.ProgressListener;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.MediaType;
import org.cleanbackup.scan.ScanOptions;
import org.cleanbackup.scan.ScanRoot;
import org.cleanbackup.scan.Scanner;
import org.cleanbackup.undo.Undo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** From a scan to a plan, executed through the journal, and undone. */
class CompressionPlannerTest {

    /** The planner's options for a destination ({@code null}: in place), as a dry run or not. */
    private static CompressionPlanner.Options options(CompressionLevel level, java.util.Set<MediaType> only,
                                                      int threads, Path dest, boolean dryRun) {
        CompressionPlanner.Options options = dest == null ? CompressionPlanner.Options.inPlace(level, only, threads)
                : CompressionPlanner.Options.into(dest, level, only, threads);
        return dryRun ? options.measuringOnly() : options;
    }

    private static final long TIME = 1_600_000_000_000L;

    @TempDir
    Path dir;

    private Path source;
    private SqliteJournal journal;
    private PlanExecutor executor;

    /** A compressor for ".fake" files whose behaviour a test sets per file name. */
    private static class Fake implements Compressor {
        private final Map<String, String> behaviour;
        final AtomicInteger calls = new AtomicInteger();

        Fake(Map<String, String> behaviour) {
            this.behaviour = behaviour;
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public MediaType mediaType() {
            return MediaType.IMAGE;
        }

        @Override
        public Set<String> extensions() {
            return Set.of("jpg");
        }

        @Override
        public void compress(Path src, Path target, CompressionLevel level) throws IOException {
            calls.incrementAndGet();
            byte[] in = Files.readAllBytes(src);
            switch (behaviour.getOrDefault(src.getFileName().toString(), "half")) {
                case "half" -> Files.write(target, Arrays.copyOf(in, in.length / 2));
                case "bigger" -> Files.write(target, Arrays.copyOf(in, in.length + 10));
                case "damaged" -> {
                    Files.write(target, new byte[3]); // a partial output the planner must remove
                    throw CompressionException.failed("damaged: test");
                }
                case "disk full" -> {
                    Files.write(target, new byte[5]);
                    throw new DiskFullException(target.toString());
                }
                case "write error" -> {
                    Files.write(target, new byte[5]);
                    throw new IOException("Input/output error"); // what a full disk looks like in another language
                }
                default -> throw new AssertionError();
            }
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        source = dir.resolve("photos");
        journal = SqliteJournal.open(dir.resolve("journal.db"), true, 0);
        executor = new PlanExecutor(journal, FileOperations.system(), new RetryPolicy(0, Duration.ZERO, d -> { }));
    }

    @AfterEach
    void tearDown() {
        journal.close();
    }

    private void write(String relative, int size, long seed) throws IOException {
        Path file = source.resolve(relative);
        Files.createDirectories(file.getParent());
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        Files.write(file, bytes);
        Files.setLastModifiedTime(file, FileTime.fromMillis(TIME + seed));
    }

    private List<MediaFile> scan() {
        return new Scanner(ScanOptions.of(List.of(ScanRoot.source(source)), EnumSet.of(MediaType.IMAGE)))
                .scan().files();
    }

    private CompressionPlan prepare(Compressor compressor, Path dest, boolean dryRun, int threads) throws IOException {
        CompressionPlanner planner = new CompressionPlanner(Compressors.of(List.of(compressor)),
                options(CompressionLevel.BALANCED, EnumSet.of(MediaType.IMAGE, MediaType.VIDEO), threads, dest, dryRun));
        return planner.compressAndPlan(source.toRealPath(), scan(), "compress (test)", ProgressListener.NONE);
    }

    private CompressionPlan compressAndPlan(Compressor compressor, CompressionPlanner.Options options, DiskSpace disk)
            throws IOException {
        return new CompressionPlanner(Compressors.of(List.of(compressor)), options, disk)
                .compressAndPlan(source.toRealPath(), scan(), "compress (test)", ProgressListener.NONE);
    }

    /** Every file under the folder with its bytes and modification time. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                tree.put(root.relativize(p).toString(), Files.isDirectory(p) ? "dir"
                        : Arrays.hashCode(Files.readAllBytes(p)) + "@" + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return tree;
    }

    private static List<String> tempFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(CompressionPlanner.TEMP_PREFIX))
                    .toList();
        }
    }

    @Test
    void toDestSmallerFilesAreCreatedOthersCopiedUnchangedInTheirFolders() throws IOException {
        write("2020/a.jpg", 10_000, 1);
        write("2020/deep/b.jpg", 8_000, 2);
        write("c.gif", 3_000, 3);
        Path dest = dir.resolve("small");
        Fake fake = new Fake(Map.of("b.jpg", "bigger"));

        CompressionPlan prepared = prepare(fake, dest, false, 2);
        assertThat(prepared.plan().actions()).extracting(Action::getClass)
                .containsExactlyInAnyOrder(Action.Create.class, Action.Copy.class, Action.Copy.class);
        ExecutionReport report = executor.execute(prepared.plan(), ProgressListener.NONE);
        prepared.discardTemporaryFiles();
        CompressionSummary summary = CompressionSummary.of(prepared, report);

        assertThat(Files.size(dest.resolve("2020/a.jpg"))).isEqualTo(5_000);
        assertThat(Files.getLastModifiedTime(dest.resolve("2020/a.jpg")).toMillis()).isEqualTo(TIME + 1);
        assertThat(dest.resolve("2020/deep/b.jpg")).hasSameBinaryContentAs(source.resolve("2020/deep/b.jpg"));
        assertThat(dest.resolve("c.gif")).hasSameBinaryContentAs(source.resolve("c.gif"));
        assertThat(summary.count(CompressionSummary.Result.COMPRESSED)).isEqualTo(1);
        assertThat(summary.count(CompressionSummary.Result.KEPT)).isEqualTo(2);
        assertThat(summary.bytesBefore()).isEqualTo(21_000);
        assertThat(summary.bytesAfter()).isEqualTo(16_000);
        assertThat(summary.formats()).containsEntry("fake", new CompressionSummary.FormatCounts(1, 1, 0, 0))
                .containsEntry("gif", new CompressionSummary.FormatCounts(0, 1, 0, 0));
        assertThat(tempFiles(dir)).isEmpty();
    }

    @Test
    void aDamagedFileIsReportedItsPartialOutputRemovedAndTheOriginalCopied() throws IOException {
        write("bad.jpg", 4_000, 1);
        Path dest = dir.resolve("small");
        CompressionPlan prepared = prepare(new Fake(Map.of("bad.jpg", "damaged")), dest, false, 1);
        assertThat(tempFiles(dir)).as("the partial output is gone before anything is placed").isEmpty();
        ExecutionReport report = executor.execute(prepared.plan(), ProgressListener.NONE);
        CompressionSummary summary = CompressionSummary.of(prepared, report);

        assertThat(summary.failed()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo(source.toRealPath().resolve("bad.jpg"));
            assertThat(p.message()).isEqualTo("damaged: test; copied unchanged");
        });
        assertThat(dest.resolve("bad.jpg")).hasSameBinaryContentAs(source.resolve("bad.jpg"));
    }

    @Test
    void aFullDiskRollsBackTheFileStopsTheRunAndStillPlacesWhatWasFinished() throws IOException {
        write("1.jpg", 4_000, 1);
        write("2.jpg", 4_000, 2);
        write("3.jpg", 4_000, 3);
        write("4.jpg", 4_000, 4);
        Map<String, String> before = snapshot(source);
        Path dest = dir.resolve("small");
        Files.createDirectories(dest);
        // One thread: files go in scan order, so "the rest" is well defined.
        Fake fake = new Fake(Map.of(scan().get(1).path().getFileName().toString(), "disk full"));

        CompressionPlan prepared = prepare(fake, dest, false, 1);
        ExecutionReport report = executor.execute(prepared.plan(), ProgressListener.NONE);
        prepared.discardTemporaryFiles();
        CompressionSummary summary = CompressionSummary.of(prepared, report);

        assertThat(fake.calls).as("no file is started after the disk filled up").hasValue(2);
        assertThat(summary.stoppedBecause()).contains("not enough disk space").contains("nothing was lost");
        assertThat(summary.count(CompressionSummary.Result.COMPRESSED)).isEqualTo(1);
        assertThat(summary.count(CompressionSummary.Result.FAILED)).isEqualTo(1);
        assertThat(summary.count(CompressionSummary.Result.SKIPPED)).isEqualTo(2);
        assertThat(snapshot(source)).as("the originals are untouched").isEqualTo(before);
        assertThat(tempFiles(dir)).as("the partial file was rolled back").isEmpty();
        try (Stream<Path> placed = Files.list(dest)) {
            assertThat(placed.toList()).hasSize(1);
        }
    }

    @Test
    void aFailedWriteIsAFullDiskWhenNoSpaceIsLeftWhateverItsMessageSays() throws IOException {
        for (int i = 1; i <= 4; i++) {
            write(i + ".jpg", 4_000, i);
        }
        Path dest = Files.createDirectories(dir.resolve("small"));
        String second = scan().get(1).path().getFileName().toString();
        CompressionPlanner.Options options = options(CompressionLevel.BALANCED, EnumSet.of(MediaType.IMAGE), 1, dest,
                false);

        Fake onFullDisk = new Fake(Map.of(second, "write error"));
        CompressionPlan full = compressAndPlan(onFullDisk, options, DiskSpace.withFree(4096));
        full.discardTemporaryFiles();
        assertThat(onFullDisk.calls).as("no file is started after the disk filled up").hasValue(2);
        assertThat(full.stoppedBecause()).contains("not enough disk space");

        Fake withRoom = new Fake(Map.of(second, "write error"));
        CompressionPlan plenty = compressAndPlan(withRoom, options, DiskSpace.withFree(1L << 40));
        plenty.discardTemporaryFiles();
        assertThat(withRoom.calls).as("a write error with room left is that file's failure only").hasValue(4);
        assertThat(plenty.stoppedBecause()).isNull();
        assertThat(plenty.files()).filteredOn(r -> r.status() == FileResult.Status.FAILED).singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("Input/output error"));
        assertThat(tempFiles(dir)).isEmpty();
    }

    @Test
    void aStopRequestStartsNoFurtherFilePlansNothingAndLeavesNoTemporaryFile() throws IOException {
        for (int i = 1; i <= 4; i++) {
            write(i + ".jpg", 4_000, i);
        }
        Map<String, String> before = snapshot(dir);
        Path dest = dir.resolve("small");
        Fake fake = new Fake(Map.of());
        CompressionPlanner.Options options = options(CompressionLevel.BALANCED, EnumSet.of(MediaType.IMAGE), 1, dest,
                false).withStopRequested(() -> fake.calls.get() >= 2);

        CompressionPlan prepared = compressAndPlan(fake, options, DiskSpace.system());
        assertThat(tempFiles(dir)).as("the finished results wait for the caller").hasSize(2);
        prepared.discardTemporaryFiles();

        assertThat(fake.calls).hasValue(2);
        assertThat(prepared.plan().actions()).isEmpty();
        assertThat(prepared.stoppedBecause()).isEqualTo("the run was interrupted");
        assertThat(prepared.files()).extracting(FileResult::status).containsExactly(FileResult.Status.COMPRESSED,
                FileResult.Status.COMPRESSED, FileResult.Status.NOT_TRIED, FileResult.Status.NOT_TRIED);
        Map<String, String> after = snapshot(dir);
        after.keySet().removeIf(k -> k.startsWith("journal.db"));
        before.keySet().removeIf(k -> k.startsWith("journal.db"));
        assertThat(after).as("nothing changed, no temporary file left").isEqualTo(before);
    }

    @Test
    void anInjectedExecutorIsUsedAndLeftRunning() throws IOException {
        write("a.jpg", 10_000, 1);
        write("b.jpg", 10_000, 2);
        Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Fake fake = new Fake(Map.of()) {
            @Override
            public void compress(Path src, Path target, CompressionLevel level) throws IOException {
                threads.add(Thread.currentThread().getName());
                super.compress(src, target, level);
            }
        };
        java.util.concurrent.ExecutorService mine = java.util.concurrent.Executors.newSingleThreadExecutor(
                r -> new Thread(r, "embedder-pool"));
        try {
            CompressionPlan prepared = compressAndPlan(fake, options(CompressionLevel.BALANCED,
                    EnumSet.of(MediaType.IMAGE), 4, null, true).withExecutor(mine), DiskSpace.system());
            prepared.discardTemporaryFiles();
            assertThat(prepared.files()).extracting(FileResult::status).containsOnly(FileResult.Status.COMPRESSED);
            assertThat(threads).containsExactly("embedder-pool");
            assertThat(mine.isShutdown()).as("the caller's executor is the caller's to shut down").isFalse();
        } finally {
            mine.shutdownNow();
        }
    }

    @Test
    void dryRunMeasuresChangesNothingAndLeavesNoTemporaryFile() throws IOException {
        write("a.jpg", 10_000, 1);
        Map<String, String> before = snapshot(dir);
        CompressionPlan prepared = prepare(new Fake(Map.of()), null, true, 2);
        prepared.discardTemporaryFiles();
        CompressionSummary summary = CompressionSummary.of(prepared, null);

        assertThat(summary.bytesAfter()).as("the real compressed size, not a guess").isEqualTo(5_000);
        assertThat(summary.dryRun()).isTrue();
        Map<String, String> after = snapshot(dir);
        after.keySet().removeIf(k -> k.startsWith("journal.db"));
        before.keySet().removeIf(k -> k.startsWith("journal.db"));
        assertThat(after).isEqualTo(before);
    }

    @Test
    void inPlaceTrashesTheOriginalThenCreatesAndUndoRestoresTheOriginalsByteForByte() throws IOException {
        Files.createDirectories(source.resolve("2021/06"));
        Files.write(source.resolve("2021/06/camera.jpg"), MediaFixtures.cameraJpegAtQuality100(400, 300));
        Files.setLastModifiedTime(source.resolve("2021/06/camera.jpg"), FileTime.fromMillis(TIME));
        Files.write(source.resolve("other.jpg"), MediaFixtures.jpeg(MediaFixtures.photoLike(300, 200, 3), 1.0f));
        Files.setLastModifiedTime(source.resolve("other.jpg"), FileTime.fromMillis(TIME + 5));
        Map<String, String> before = snapshot(source);

        Compressor jpeg = Compressors.load().forFileName("x.jpg").orElseThrow();
        CompressionPlan prepared = prepare(jpeg, null, false, 2);
        List<Class<?>> types = prepared.plan().actions().stream().<Class<?>>map(Action::getClass).toList();
        assertThat(types).containsExactly(Action.Trash.class, Action.Create.class, Action.Trash.class,
                Action.Create.class);
        ExecutionReport run = executor.execute(prepared.plan(), ProgressListener.NONE);
        prepared.discardTemporaryFiles();
        CompressionSummary summary = CompressionSummary.of(prepared, run);

        assertThat(summary.count(CompressionSummary.Result.COMPRESSED)).isEqualTo(2);
        Path camera = source.resolve("2021/06/camera.jpg");
        assertThat(Files.size(camera)).isLessThan(Files.size(source.resolve(".cleanbackup-trash")
                .resolve(Long.toString(run.sessionId())).resolve("2021/06/camera.jpg")));
        assertThat(Files.getLastModifiedTime(camera).toMillis()).isEqualTo(TIME);

        Undo undo = new Undo(journal, executor);
        ExecutionReport undone = undo.run(undo.session(run.sessionId()).orElseThrow(), ProgressListener.NONE);

        assertThat(undone.outcomes()).allSatisfy(o -> assertThat(o.status()).as(o.toString())
                .isEqualTo(Outcome.Status.DONE));
        Map<String, String> after = snapshot(source);
        after.keySet().removeIf(k -> k.startsWith(ScanOptions.TRASH_FOLDER));
        assertThat(after).isEqualTo(before);
    }

    @Test
    void inPlaceAnOriginalEditedBeforeItsTurnStaysAndIsNotReplaced() throws IOException {
        write("a.jpg", 4_000, 1);
        CompressionPlan prepared = prepare(new Fake(Map.of()), null, false, 1);
        Path original = source.resolve("a.jpg");
        Files.setLastModifiedTime(original, FileTime.fromMillis(TIME + 999)); // edited between planning and placing
        byte[] content = Files.readAllBytes(original);

        ExecutionReport run = executor.execute(prepared.plan(), ProgressListener.NONE);
        prepared.discardTemporaryFiles();
        CompressionSummary summary = CompressionSummary.of(prepared, run);

        // The smaller file is put in place only after the original went to the trash; the edited original stays
        // and nothing is placed beside it.
        assertThat(original).hasBinaryContent(content);
        assertThat(source.resolve("a_1.jpg")).doesNotExist();
        assertThat(summary.skipped()).singleElement().satisfies(p -> assertThat(p.message())
                .contains("could not be moved to the trash").contains("not put in place"));
    }

    @Test
    void inPlaceFilesThatAreNotSmallerAreNotTouched() throws IOException {
        write("a.jpg", 4_000, 1);
        CompressionPlan prepared = prepare(new Fake(Map.of("a.jpg", "bigger")), null, false, 1);
        assertThat(prepared.plan().isEmpty()).isTrue();
        CompressionSummary summary = CompressionSummary.of(prepared, null);
        assertThat(summary.files()).singleElement().satisfies(e -> {
            assertThat(e.result()).isEqualTo(CompressionSummary.Result.KEPT);
            assertThat(e.note()).contains("not smaller").contains("kept as it is");
        });
    }

    @Test
    void twoCompressorsForOneExtensionAreRefusedNamingBoth() {
        Fake a = new Fake(Map.of());
        Fake b = new Fake(Map.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Compressors.of(List.of(a, b)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(".jpg")
                .hasMessageContaining(Fake.class.getName());
    }

    @Test
    void theBuiltInCompressorsAreFoundWithServiceLoader() {
        assertThat(Compressors.load().all()).extracting(Compressor::name).containsExactly("jpeg", "png", "video");
    }
    /** A temporary file name as a run with this process id would write it. */
    private static String tempName(long pid, int random) {
        return String.format("%s%08x%08x.part", CompressionPlanner.TEMP_PREFIX, pid, random);
    }

    @Test
    void aRunIntoDestRemovesTheTemporaryFilesAKilledRunLeftThereAndNothingElse() throws IOException {
        write("a.jpg", 10_000, 1);
        Path dest = dir.resolve("small");
        Files.createDirectories(dest.resolve("2020"));
        long deadPid = 0xFFFF_FFFFL; // above any Linux pid_max: no live process has it
        List<Path> stale = List.of(dest.resolve(tempName(deadPid, 1)), dest.resolve("2020").resolve(tempName(deadPid, 2)),
                dest.resolve(".cleanbackup-tmp-0123456789abcdef.part")); // the form before ids were written: random
        List<Path> kept = List.of(
                dest.resolve(tempName(ProcessHandle.current().pid(), 3)), // a live run's (this JVM's)
                dest.resolve(".cleanbackup-tmp-notours.part"),
                dest.resolve(tempName(deadPid, 4) + ".jpg"),
                dest.resolve("2020").resolve("photo.part"));
        for (Path p : stale) {
            Files.write(p, new byte[10]);
        }
        for (Path p : kept) {
            Files.write(p, new byte[10]);
        }

        CompressionPlan prepared = prepare(new Fake(Map.of()), dest, false, 1);
        executor.execute(prepared.plan(), ProgressListener.NONE);
        prepared.discardTemporaryFiles();

        assertThat(prepared.staleTemporariesRemoved()).isEqualTo(3);
        assertThat(stale).allSatisfy(p -> assertThat(p).doesNotExist());
        assertThat(kept).allSatisfy(p -> assertThat(p).exists());
        assertThat(Files.size(dest.resolve("a.jpg"))).as("the run itself went on as usual").isEqualTo(5_000);
    }

    @Test
    void aTemporaryFileWrittenAfterTheRunStartedIsNotStale() throws IOException {
        Path dest = Files.createDirectories(dir.resolve("small"));
        Path late = Files.write(dest.resolve(tempName(0xFFFF_FFFFL, 5)), new byte[10]);
        Instant longAgo = Instant.now().minus(Duration.ofHours(1));
        assertThat(TemporaryFiles.sweepTree(dest, longAgo)).isZero();
        assertThat(late).exists();
        // an old modification time (the planner sets the original's) does not make it stale either
        Files.setLastModifiedTime(late, FileTime.fromMillis(TIME));
        assertThat(TemporaryFiles.sweepTree(dest, longAgo)).isZero();
        assertThat(TemporaryFiles.sweepTree(dest, Instant.now().plusSeconds(1))).isOne();
        assertThat(late).doesNotExist();
    }

    @Test
    void aDryRunRemovesNothingAndTemporaryNamesCarryThisProcessId() throws IOException {
        write("a.jpg", 10_000, 1);
        Path dest = Files.createDirectories(dir.resolve("small"));
        Path stale = Files.write(dest.resolve(tempName(0xFFFF_FFFFL, 6)), new byte[10]);
        CompressionPlan prepared = prepare(new Fake(Map.of()), dest, true, 1);
        prepared.discardTemporaryFiles();
        assertThat(prepared.staleTemporariesRemoved()).isZero();
        assertThat(stale).exists();
        assertThat(TemporaryFiles.newName()).matches("\\.cleanbackup-tmp-"
                + String.format("%08x", ProcessHandle.current().pid()) + "[0-9a-f]{8}\\.part");
    }
}
