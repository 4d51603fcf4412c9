package org.cleanbackup.organize;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.imageio.ImageIO;
import org.cleanbackup.group.ExactDuplicateFinder;
import org.cleanbackup.OrganizeResult;
import org.cleanbackup.model.ProgressListener;
import org.cleanbackup.plan.Action;
import org.cleanbackup.scan.ScanResult;
import org.cleanbackup.scan.Scanner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Organize's planning takes the scan and the exact duplicates from its caller; its options are named. */
class OrganizeStagesTest {

    @TempDir
    Path dir;

    private Path inbox;
    private Path library;
    private final Layout layout = new Layout("{yyyy}/{MM}", Locale.ROOT);

    @BeforeEach
    void setUp() throws IOException {
        inbox = Files.createDirectories(dir.resolve("inbox"));
        library = dir.resolve("library");
        photo("IMG_20230704_120000.jpg", 1);
        photo("IMG_20210101_090000.jpg", 2);
        Files.copy(inbox.resolve("IMG_20230704_120000.jpg"), inbox.resolve("IMG_20230704_120000 (1).jpg"));
    }

    private void photo(String name, int shade) throws IOException {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, shade * 0x101010);
        Path file = inbox.resolve(name);
        ImageIO.write(image, "jpeg", file.toFile());
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2024-01-01T00:00:00Z")));
    }

    private static List<String> described(OrganizePlanner.Result result) {
        return result.plan().actions().stream().map(Action::describe).toList();
    }

    /** The three stages as the front door runs them. */
    private static OrganizePlanner.Result scanGroupAndPlan(OrganizePlanner.Options options) {
        OrganizePlanner planner = new OrganizePlanner(options);
        ScanResult scan = new Scanner(options.scanOptions()).scan();
        return planner.plan(scan, planner.findExactDuplicates(scan, ProgressListener.NONE), "organize",
                ProgressListener.NONE);
    }

    @Test
    void aCallerRunningTheScanAndTheGroupingGetsTheFrontDoorsPlan() {
        OrganizePlanner.Options options = OrganizePlanner.Options.of(List.of(inbox), library, layout);
        OrganizePlanner planner = new OrganizePlanner(options);

        ScanResult scan = new Scanner(options.scanOptions()).scan();
        ExactDuplicateFinder.Result exact = planner.findExactDuplicates(scan, ProgressListener.NONE);
        OrganizePlanner.Result staged = planner.plan(scan, exact, "organize", ProgressListener.NONE);
        OrganizeResult shortcut = org.cleanbackup.CleanBackup.builder().build().organize(
                org.cleanbackup.OrganizeRequest.of(List.of(inbox), library).withLayout(layout));

        assertThat(exact.groups()).hasSize(1);
        assertThat(described(staged)).hasSize(2)
                .isEqualTo(shortcut.plan().actions().stream().map(Action::describe).toList());
        assertThat(staged.plan().actions()).extracting(Action::userName).containsOnly("copy");
        assertThat(staged.files()).filteredOn(f -> f.skipped() == SkipReason.EXACT_IN_RUN).hasSize(1);
    }

    @Test
    void namedOptionsMoveAndReportCopyNamesOnTheCallersExecutor() throws InterruptedException {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        ExecutorService mine = Executors.newFixedThreadPool(2, r -> new Thread(() -> {
            threads.add(Thread.currentThread().getName());
            r.run();
        }, "embedder-pool"));
        try {
            OrganizePlanner.Options options = OrganizePlanner.Options.of(List.of(inbox), library, layout)
                    .with(OrganizePlanner.Transfer.MOVE)
                    .with(OrganizePlanner.CopyNameReport.AS_COPY_NAMES)
                    .withExecutor(mine);
            OrganizePlanner.Result result = scanGroupAndPlan(options);

            assertThat(result.plan().actions()).extracting(Action::userName).containsOnly("move");
            assertThat(result.files()).filteredOn(f -> f.skipped() == SkipReason.NAME_COPY).singleElement()
                    .satisfies(f -> assertThat(f.file().path().getFileName().toString()).contains("(1)"));
            assertThat(threads).as("dates were read on the caller's executor").containsExactly("embedder-pool");
            assertThat(mine.isShutdown()).isFalse();
        } finally {
            mine.shutdownNow();
        }
    }
}
