package org.cleanbackup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.cleanbackup.RequestRefusedException.Rule;
import org.cleanbackup.execute.ExecutionReport;
import org.cleanbackup.execute.FileOperations;
import org.cleanbackup.execute.Outcome;
import org.cleanbackup.execute.RetryPolicy;
import org.cleanbackup.journal.Journal;
import org.cleanbackup.model.MediaType;
import org.cleanbackup.plan.DuplicateAction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The front door's safety rules, as a Java caller meets them, and the seams its builder opens. */
class CleanBackupTest {

    @TempDir
    Path dir;

    private final CleanBackup cleanBackup = CleanBackup.builder().build();

    private Path library;
    private Path inbox;

    private void songs() throws IOException {
        library = Files.createDirectories(dir.resolve("library"));
        inbox = Files.createDirectories(dir.resolve("inbox"));
        Files.writeString(library.resolve("song.mp3"), "la la la");
        Files.writeString(inbox.resolve("song (1).mp3"), "la la la");
    }

    private DedupeRequest audio() {
        return DedupeRequest.of(inbox).withReferences(library).withTypes(MediaType.AUDIO);
    }

    @Test
    void anOutputFolderInsideAReferenceFolderIsRefusedBeforeAnythingIsScanned() throws IOException {
        songs();
        Path inside = library.resolve("dupes");
        assertThatThrownBy(() -> cleanBackup.dedupe(audio().moveTo(inside)))
                .isInstanceOfSatisfying(RequestRefusedException.class, e -> {
                    assertThat(e.rule()).isEqualTo(Rule.OUTPUT_INSIDE_REFERENCE);
                    assertThat(e.path()).isEqualTo(inside);
                    assertThat(e.other()).isEqualTo(library);
                })
                .hasMessageContaining("is inside the reference folder " + library);
        assertThat(inside).doesNotExist();
        assertThat(inbox.resolve("song (1).mp3")).exists();
    }

    @Test
    void anOutputFolderHoldingAReferenceOrAScannedFolderIsRefused() throws IOException {
        songs();
        assertThatThrownBy(() -> cleanBackup.dedupe(DedupeRequest.of(inbox).withReferences(library).copyTo(dir)))
                .isInstanceOfSatisfying(RequestRefusedException.class,
                        e -> assertThat(e.rule()).isEqualTo(Rule.OUTPUT_HOLDS_SOURCE));
        Path onlyReference = Files.createDirectories(dir.resolve("refs/originals"));
        assertThatThrownBy(() -> cleanBackup.dedupe(DedupeRequest.of(inbox).withReferences(onlyReference)
                .moveTo(dir.resolve("refs"))))
                .isInstanceOfSatisfying(RequestRefusedException.class,
                        e -> assertThat(e.rule()).isEqualTo(Rule.OUTPUT_HOLDS_REFERENCE));
    }

    @Test
    void aMoveWithoutAnOutputFolderIsRefused() throws IOException {
        songs();
        assertThatThrownBy(() -> cleanBackup.dedupe(audio().withAction(DuplicateAction.MOVE)))
                .isInstanceOfSatisfying(RequestRefusedException.class,
                        e -> assertThat(e.rule()).isEqualTo(Rule.OUTPUT_FOLDER_MISSING));
    }

    @Test
    void anOutputFolderWhoseParentIsAFileIsRefusedUnlessADryRun() throws IOException {
        songs();
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertThatThrownBy(() -> cleanBackup.dedupe(audio().moveTo(file.resolve("dupes"))))
                .isInstanceOfSatisfying(RequestRefusedException.class,
                        e -> assertThat(e.rule()).isEqualTo(Rule.OUTPUT_NOT_A_FOLDER));
        assertThat(cleanBackup.dedupe(audio().moveTo(file.resolve("dupes")).asDryRun()).plan().actions())
                .hasSize(1);
    }

    @Test
    void theOutputFolderIsNotScanned() throws IOException {
        songs();
        Path dupes = Files.createDirectories(inbox.resolve("dupes"));
        Files.writeString(dupes.resolve("moved earlier.mp3"), "la la la");
        DedupePlan plan = cleanBackup.dedupe(audio().moveTo(dupes));
        assertThat(plan.groups()).singleElement().satisfies(g -> assertThat(g.duplicates()).singleElement()
                .satisfies(f -> assertThat(f.path()).isEqualTo(inbox.resolve("song (1).mp3"))));
    }

    @Test
    void aDestinationInsideASourceIsRefusedForOrganizeAndCompress() throws IOException {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        Path inside = photos.resolve("library");
        Path empty = Files.createDirectories(dir.resolve("other/inside"));
        assertThatThrownBy(() -> cleanBackup.organize(OrganizeRequest.of(List.of(photos), inside)))
                .isInstanceOfSatisfying(RequestRefusedException.class, e -> {
                    assertThat(e.rule()).isEqualTo(Rule.DEST_INSIDE_SOURCE);
                    assertThat(e.other()).isEqualTo(photos);
                });
        assertThatThrownBy(() -> cleanBackup.organize(OrganizeRequest.of(List.of(empty), dir.resolve("other"))))
                .isInstanceOfSatisfying(RequestRefusedException.class,
                        e -> assertThat(e.rule()).isEqualTo(Rule.SOURCE_INSIDE_DEST));
        assertThatThrownBy(() -> cleanBackup.compress(CompressRequest.into(photos, inside).asDryRun(),
                org.cleanbackup.model.ProgressListener.NONE))
                .isInstanceOfSatisfying(RequestRefusedException.class,
                        e -> assertThat(e.rule()).isEqualTo(Rule.DEST_INSIDE_SOURCE));
        assertThat(inside).doesNotExist();
    }

    @Test
    void theBuildersClockStampsTheJournal() throws IOException {
        songs();
        java.time.Instant then = java.time.Instant.parse("2001-02-03T04:05:06Z");
        CleanBackup at = CleanBackup.builder().clock(java.time.Clock.fixed(then, java.time.ZoneOffset.UTC)).build();
        DedupePlan plan = at.dedupe(audio().moveTo(dir.resolve("dupes")));
        try (Journal journal = at.openJournal(dir.resolve("journal.db"))) {
            assertThat(plan.execute(journal).count(Outcome.Status.DONE)).isEqualTo(1);
            assertThat(journal.sessions()).singleElement().satisfies(s -> {
                assertThat(s.startedAt()).isEqualTo(then);
                assertThat(s.endedAt()).isEqualTo(then);
            });
        }
    }

    @Test
    void theBuildersFileOperationsAndRetriesCarryOutThePlan() throws IOException {
        songs();
        List<Duration> waits = new ArrayList<>();
        FlakyLinks flaky = new FlakyLinks(1);
        CleanBackup withFakes = CleanBackup.builder().fileOperations(flaky.operations())
                .retryPolicy(new RetryPolicy(2, Duration.ofSeconds(7), waits::add)).build();
        DedupePlan plan = withFakes.dedupe(audio().moveTo(dir.resolve("dupes")));
        try (Journal journal = withFakes.openJournal(dir.resolve("journal.db"))) {
            ExecutionReport done = plan.execute(journal);
            assertThat(done.count(Outcome.Status.DONE)).isEqualTo(1);
        }
        assertThat(flaky.links).as("the first link failed, the retry succeeded").isEqualTo(2);
        assertThat(waits).containsExactly(Duration.ofSeconds(7));
        assertThat(dir.resolve("dupes/inbox/song (1).mp3")).exists();
    }

    @Test
    void hashingRunsOnTheBuildersExecutorAndReportsInOrder() throws IOException {
        songs();
        Files.writeString(inbox.resolve("other.mp3"), "something else");
        List<Runnable> ran = new ArrayList<>();
        CleanBackup onMyExecutor = CleanBackup.builder().executor(new java.util.concurrent.AbstractExecutorService() {
            @Override
            public void execute(Runnable task) { // on the calling thread, counted
                ran.add(task);
                task.run();
            }

            @Override
            public void shutdown() {
                throw new AssertionError("the caller's executor is never shut down");
            }

            @Override
            public List<Runnable> shutdownNow() {
                throw new AssertionError("the caller's executor is never shut down");
            }

            @Override
            public boolean isShutdown() {
                return false;
            }

            @Override
            public boolean isTerminated() {
                return false;
            }

            @Override
            public boolean awaitTermination(long timeout, java.util.concurrent.TimeUnit unit) {
                return false;
            }
        }).build();
        List<FileHashes> hashed = new ArrayList<>();
        List<org.cleanbackup.model.Problem> problems = onMyExecutor.hash(HashRequest.of(List.of(inbox,
                library.resolve("song.mp3"), dir.resolve("missing.mp3"))).withPerceptual(HashRequest.Perceptual.NONE)
                .withContent(org.cleanbackup.hash.ContentHashers.defaultHasher()), hashed::add);
        assertThat(ran).hasSize(3);
        assertThat(hashed.getFirst().path()).as("the files named first, then the folders' files")
                .isEqualTo(library.resolve("song.mp3"));
        assertThat(hashed).extracting(FileHashes::path).containsExactlyInAnyOrder(library.resolve("song.mp3"),
                inbox.resolve("other.mp3"), inbox.resolve("song (1).mp3"));
        var content = new java.util.HashMap<Path, String>();
        hashed.forEach(h -> content.put(h.path(), h.content().orElseThrow()));
        assertThat(content.get(inbox.resolve("song (1).mp3"))).isEqualTo(content.get(library.resolve("song.mp3")))
                .isNotEqualTo(content.get(inbox.resolve("other.mp3")));
        assertThat(problems).singleElement().satisfies(p -> assertThat(p.toString()).contains("does not exist"));
    }

    @Test
    void aDryRunRequestReportsADryRunAndTheBuilderIsImmutable() throws IOException {
        songs();
        DedupePlan plan = cleanBackup.dedupe(audio().trash().asDryRun());
        assertThat(plan.report(null).dryRun()).isTrue();
        CleanBackup.Builder base = CleanBackup.builder();
        base.clock(java.time.Clock.fixed(java.time.Instant.EPOCH, java.time.ZoneOffset.UTC));
        assertThat(base.build().clock().instant()).isNotEqualTo(java.time.Instant.EPOCH);
    }

    /** The real file system, except that the first {@code failures} hard links (a move's first step) fail. */
    private static final class FlakyLinks implements InvocationHandler {
        private final FileOperations real = FileOperations.system();
        private int failures;
        int links;

        FlakyLinks(int failures) {
            this.failures = failures;
        }

        FileOperations operations() {
            return (FileOperations) Proxy.newProxyInstance(FileOperations.class.getClassLoader(),
                    new Class<?>[] {FileOperations.class}, this);
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getName().equals("link") && links++ < failures) {
                throw new IOException("the disk hiccuped");
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    /**
     * A backup of PDFs and ZIPs: by default nothing is compared and the summary says why; with every file (and with
     * the extension "*") the pairs are duplicates.
     */
    @Test
    void everyFileFindsDuplicatePdfsAndZipsThatTheMediaDefaultLeavesOutWithItsReasons() throws IOException {
        Path backup = Files.createDirectories(dir.resolve("backup/old"));
        Files.writeString(dir.resolve("backup/report.pdf"), "%PDF-1.7 quarterly report");
        Files.writeString(backup.resolve("report.pdf"), "%PDF-1.7 quarterly report");
        Files.write(dir.resolve("backup/photos.zip"), new byte[] {'P', 'K', 3, 4, 1, 2, 3});
        Files.write(backup.resolve("photos.zip"), new byte[] {'P', 'K', 3, 4, 1, 2, 3});
        Files.createFile(backup.resolve("empty.txt"));
        Files.createSymbolicLink(backup.resolve("link.pdf"), backup.resolve("report.pdf"));
        Path root = dir.resolve("backup");

        DedupePlan media = cleanBackup.dedupe(DedupeRequest.of(root));
        assertThat(media.scan().files()).isEmpty();
        assertThat(media.groups()).isEmpty();
        assertThat(media.leftOut().byExtension()).isEqualTo(java.util.Map.of("pdf", 2L, "zip", 2L, "txt", 1L));
        assertThat(media.leftOut().notRegular()).isEqualTo(1);
        assertThat(media.report(null).leftOut()).isEqualTo(media.leftOut());

        for (DedupeRequest every : List.of(DedupeRequest.of(root).withEveryFile(),
                DedupeRequest.of(root).withExtensions(List.of("*")))) {
            DedupePlan found = cleanBackup.dedupe(every);
            assertThat(every.everyFile()).isTrue();
            assertThat(found.groups()).hasSize(2).allSatisfy(g -> assertThat(g.duplicates()).hasSize(1));
            assertThat(found.groups()).extracting(g -> g.keep().path().getFileName().toString())
                    .containsExactlyInAnyOrder("report.pdf", "photos.zip");
            assertThat(found.leftOut()).as("only the empty file and the link")
                    .isEqualTo(new org.cleanbackup.scan.LeftOut(java.util.Map.of(), 1, 1, 0, 0));
        }
        assertThat(DedupeRequest.of(root).withEveryFile().withTypes(MediaType.AUDIO).everyFile())
                .as("the last choice of files decides").isFalse();

    }
}
