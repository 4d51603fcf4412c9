package org.cleanbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cleanbackup.CleanBackup;
import org.cleanbackup.DedupePlan;
import org.cleanbackup.DedupeRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pair marked "not duplicates" in a review is remembered in the cache database by content, and a later
 * {@code cleanbackup dedupe} (exact or similar) no longer shows it, whatever the files are called by then.
 */
class NotDuplicatesDedupeTest {

    @TempDir
    Path dir;

    /** Marks group 0 as a review does: the front door's plan, the same cache file the command line uses. */
    private void markFirstGroup(Path photos, DedupeRequest.Mode mode) throws IOException {
        DedupePlan plan = CleanBackup.builder().build().dedupe(DedupeRequest.of(photos).withMode(mode)
                .rememberingNotDuplicates(dir.resolve("cache.db")));
        assertThat(plan.groups()).hasSize(1);
        plan.rememberNotDuplicates(0);
    }

    @Test
    void exactCopiesMarkedNotDuplicatesAreNotShownAgain() throws IOException {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        BufferedImage beach = SimilarDedupeTest.scene(1, 300, 200);
        SimilarDedupeTest.jpeg(beach, photos.resolve("beach.jpg"), 0.9f);
        Files.copy(photos.resolve("beach.jpg"), photos.resolve("beach copy.jpg"));
        SimilarDedupeTest.jpeg(SimilarDedupeTest.scene(2, 300, 200), photos.resolve("hill.jpg"), 0.9f);
        assertThat(CliRun.isolated(dir, "dedupe", photos.toString()).stdout()).contains("Found 1 group");

        markFirstGroup(photos, DedupeRequest.Mode.EXACT);
        Files.copy(photos.resolve("hill.jpg"), photos.resolve("hill-2.jpg"));
        Files.move(photos.resolve("beach copy.jpg"), photos.resolve("renamed.jpg")); // keyed by content, not name

        CliRun later = CliRun.isolated(dir, "dedupe", photos.toString());
        assertThat(later.code()).isZero();
        assertThat(later.stdout()).contains("Found 1 group").contains("hill").doesNotContain("beach")
                .doesNotContain("renamed");
    }

    @Test
    void lookAlikesMarkedNotDuplicatesAreNotShownAgain() throws IOException {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        BufferedImage beach = SimilarDedupeTest.scene(1, 600, 400);
        SimilarDedupeTest.jpeg(beach, photos.resolve("beach.jpg"), 0.92f);
        SimilarDedupeTest.jpeg(beach, photos.resolve("beach-q40.jpg"), 0.4f);
        CliRun before = CliRun.isolated(dir, "dedupe", "--mode", "similar", photos.toString());
        assertThat(before.stdout()).contains("Found 1 group");

        markFirstGroup(photos, DedupeRequest.Mode.SIMILAR);

        CliRun later = CliRun.isolated(dir, "dedupe", "--mode", "similar", photos.toString());
        assertThat(later.code()).isZero();
        assertThat(later.stdout()).contains("Found 0 groups");
        // another pair of look-alikes is still found: only the marked pair is left out
        SimilarDedupeTest.jpeg(SimilarDedupeTest.resized(beach, 0.5), photos.resolve("beach-small.jpg"), 0.9f);
        assertThat(CliRun.isolated(dir, "dedupe", "--mode", "similar", photos.toString()).stdout())
                .contains("Found 1 group").contains("beach-small.jpg");
    }
}
