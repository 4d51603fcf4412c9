package org.cleanbackup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.cleanbackup.cache.NotDuplicates;
import org.cleanbackup.hash.ContentHash;
import org.cleanbackup.model.MediaType;
import org.cleanbackup.plan.Action;
import org.cleanbackup.plan.DuplicateAction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a review decides, through the front door: a keeper changed, a group left out, a pair never offered again. */
class ReviewDecisionsTest {

    @TempDir
    Path dir;

    private final CleanBackup cleanBackup = CleanBackup.builder().build();

    private Path tree() throws IOException {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        Files.writeString(photos.resolve("a.jpg"), "first picture");
        Files.writeString(photos.resolve("b.jpg"), "first picture");
        Files.writeString(photos.resolve("c.jpg"), "second picture");
        Files.writeString(photos.resolve("d.jpg"), "second picture");
        return photos;
    }

    private DedupeRequest request(Path photos) {
        return DedupeRequest.of(photos).withTypes(MediaType.IMAGE).rememberingNotDuplicates(dir.resolve("cache.db"));
    }

    @Test
    void aPairMarkedNotDuplicatesIsNotOfferedByALaterRun() throws IOException {
        Path photos = tree();
        DedupePlan first = cleanBackup.dedupe(request(photos));
        assertThat(first.groups()).hasSize(2);
        int marked = first.groups().get(0).keep().path().getFileName().toString().equals("a.jpg") ? 0 : 1;
        first.rememberNotDuplicates(marked);

        DedupePlan later = cleanBackup.dedupe(request(photos).trash());
        assertThat(later.groups()).singleElement()
                .satisfies(g -> assertThat(g.keep().path().getFileName().toString()).isIn("c.jpg", "d.jpg"));
        assertThat(later.plan().actions()).singleElement().satisfies(
                a -> assertThat(a.source().getFileName().toString()).isIn("c.jpg", "d.jpg"));
        // without the memory the pair is found as before: the decision lives in the database, not in the files
        assertThat(cleanBackup.dedupe(DedupeRequest.of(photos).withTypes(MediaType.IMAGE)).groups()).hasSize(2);
    }

    @Test
    void aDamagedMemoryIsAProblemAndTheRunGoesOn() throws IOException {
        Path photos = tree();
        Files.writeString(dir.resolve("cache.db"), "this is not a SQLite database, and never was one at all");
        DedupePlan found = cleanBackup.dedupe(request(photos));
        assertThat(found.groups()).hasSize(2);
        assertThat(found.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo(dir.resolve("cache.db"));
            assertThat(p.message()).startsWith("cannot read the pairs marked not duplicates");
        });
    }

    @Test
    void aRememberedPairIsTheSameInEitherOrder() {
        Path db = dir.resolve("cache.db");
        ContentHash x = new ContentHash("xxh3", "00ff");
        ContentHash y = new ContentHash("xxh3", "ff00");
        try (NotDuplicates memory = NotDuplicates.open(db)) {
            memory.remember(y, x);
        }
        try (NotDuplicates memory = NotDuplicates.open(db)) {
            assertThat(memory.pairs().contains(x, y)).isTrue();
            assertThat(memory.pairs().contains(y, x)).isTrue();
            assertThat(memory.pairs().contains(x, x)).isFalse();
            assertThat(memory.pairs().contains(new ContentHash("md5", "00ff"), y)).isFalse();
        }
    }

    @Test
    void aRevisedPlanActsOnTheCopyThePersonDidNotChooseAndLeavesOutWhatTheyLeftOut() throws IOException {
        Path photos = tree();
        DedupePlan found = cleanBackup.dedupe(request(photos));
        int first = found.groups().get(0).keep().path().getFileName().toString().equals("a.jpg") ? 0 : 1;
        Path kept = found.groups().get(first).keep().path();
        Path other = found.groups().get(first).duplicates().get(0).path();

        DedupePlan revised = found.revised(found.request().trash(), Map.of(first, other), Set.of(1 - first));

        assertThat(revised.plan().actions()).singleElement().satisfies(a -> {
            assertThat(a).isInstanceOf(Action.Trash.class);
            assertThat(a.source()).isEqualTo(kept);
        });
        assertThat(revised.groups()).singleElement().satisfies(g -> {
            assertThat(g.keep().path()).isEqualTo(other);
            assertThat(g.keepReason()).isEqualTo("chosen in a review");
        });
        assertThat(found.plan().isEmpty()).as("the plan revised is left as it was").isTrue();
    }

    @Test
    void aRevisionCannotChooseAFileOutsideItsGroupNorAnotherSearch() throws IOException {
        Path photos = tree();
        DedupePlan found = cleanBackup.dedupe(request(photos));
        assertThatThrownBy(() -> found.revised(found.request().trash(), Map.of(0, dir.resolve("elsewhere.jpg")),
                Set.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> found.revised(found.request().withMode(DedupeRequest.Mode.NAMES), Map.of(),
                Set.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> found.revised(found.request().withAction(DuplicateAction.MOVE), Map.of(), Set.of()))
                .isInstanceOf(RequestRefusedException.class);
    }
}
