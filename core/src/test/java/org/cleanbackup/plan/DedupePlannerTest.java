package org.cleanbackup.plan;

import org.cleanbackup.group.DuplicateGroup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Locale;
import org.cleanbackup.hash.ContentHash;
import org.cleanbackup.names.NameCopy;
import org.cleanbackup.phash.PerceptualHash;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.similar.SimilarGroup;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a dedupe plan holds, for each user action: one action per duplicate and none for a copy kept, protected or
 * hard-linked; where moves and copies go; name copies with and without trusting names; look-alikes never hard-linked;
 * companions that follow their duplicate and sidecars given to the copy kept. Real files in a temporary folder.
 */
class DedupePlannerTest {

    /** The media file a companion action follows, else null. */
    private static Action.Companion companion(Action a) {
        return a instanceof Action.Chosen c ? c.companion() : null;
    }

    private static final ContentHash HASH = new ContentHash("xxh3", "00112233445566778899aabbccddeeff");

    @TempDir
    Path dir;

    private Path photos;
    private Path backup;
    private Path library;
    private Path out;

    @BeforeEach
    void setUp() throws IOException {
        photos = Files.createDirectories(dir.resolve("photos"));
        backup = Files.createDirectories(dir.resolve("backup"));
        library = Files.createDirectories(dir.resolve("library"));
        out = dir.resolve("dupes");
    }

    // --- Coupling to the API under test (constructors, record shapes): adapt here when it moves. ---


    private DedupePlanner planner(DuplicateAction action, boolean flat) {
        boolean needsOut = action == DuplicateAction.MOVE || action == DuplicateAction.COPY;
        return new DedupePlanner(action, needsOut ? out : null, flat);
    }

    private Plan plan(DuplicateAction action, boolean flat, DuplicateGroup... groups) {
        return planner(action, flat).plan(List.of(groups), "dedupe --action " + action);
    }

    private Plan planNames(DuplicateAction action, boolean trustNames, NameCopy... copies) {
        return planner(action, false).planNameCopies(List.of(copies), trustNames, "dedupe --mode names");
    }

    private Plan planSimilar(DuplicateAction action, SimilarGroup... groups) {
        return planner(action, false).planSimilar(List.of(groups), "dedupe --mode similar");
    }

    /** A file found under {@code root} (a reference folder when {@code reference}). */
    private static MediaFile media(Path root, Path file, boolean reference) throws IOException {
        return new MediaFile(file, root, reference, Files.size(file), Files.getLastModifiedTime(file).toMillis(), null);
    }

    private static DuplicateGroup group(MediaFile keep, List<MediaFile> duplicates, List<MediaFile> protectedCopies,
                                        List<MediaFile> hardLinks) {
        return new DuplicateGroup(HASH, keep.size(), keep, "oldest modification time", duplicates, protectedCopies,
                hardLinks);
    }

    private static DuplicateGroup group(MediaFile keep, MediaFile... duplicates) {
        return group(keep, List.of(duplicates), List.of(), List.of());
    }

    private static NameCopy nameCopy(MediaFile copy, MediaFile original, boolean identical) {
        return new NameCopy(copy, original, identical ? NameCopy.Verdict.IDENTICAL : NameCopy.Verdict.DIFFERENT,
                identical ? HASH : null);
    }

    private static SimilarGroup similar(MediaFile keep, MediaFile duplicate, int distance) {
        return new SimilarGroup(keep, new PerceptualHash(0x3d82e8663b8fc3c8L), "best copy",
                List.of(new SimilarGroup.Member(duplicate, distance)), List.of());
    }

    /** "move photos/a.jpg" for each action, in order. */
    private List<String> summary(Plan plan) {
        return plan.actions().stream().map(a -> a.userName() + " " + dir.relativize(a.source())).toList();
    }

    private Path relativeTarget(Action a) {
        return a.targetPath() == null ? null : dir.relativize(a.targetPath());
    }

    // --- Helpers. ---

    private Path write(Path file, String content, long mtime) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.fromMillis(mtime));
        return file;
    }

    private Path write(Path file, String content) throws IOException {
        return write(file, content, 1_600_000_000_000L);
    }

    // --- One action per duplicate. ---

    @ParameterizedTest
    @EnumSource(DuplicateAction.class)
    void oneActionPerDuplicateAndNoneForTheKeptProtectedOrHardLinkedCopies(DuplicateAction action) throws IOException {
        MediaFile keep = media(photos, write(photos.resolve("a.jpg"), "A"), false);
        MediaFile dup1 = media(photos, write(photos.resolve("2020/a.jpg"), "A"), false);
        MediaFile dup2 = media(backup, write(backup.resolve("a (1).jpg"), "A"), false);
        MediaFile inLibrary = media(library, write(library.resolve("a.jpg"), "A"), true);
        Path link = photos.resolve("link-to-a.jpg");
        Files.createLink(link, keep.path());
        MediaFile hardLink = media(photos, link, false);
        MediaFile other = media(photos, write(photos.resolve("b.jpg"), "B"), false);
        MediaFile otherDup = media(backup, write(backup.resolve("b.jpg"), "B"), false);

        Plan plan = plan(action, false, group(keep, List.of(dup1, dup2), List.of(inLibrary), List.of(hardLink)),
                group(other, otherDup));

        assertThat(plan.actions()).extracting(Action::source)
                .containsExactly(dup1.path(), dup2.path(), otherDup.path())
                .doesNotContain(keep.path(), inLibrary.path(), hardLink.path(), other.path());
        assertThat(plan.actions()).allSatisfy(a -> {
            assertThat(a.userName()).isEqualTo(action.userName());
            assertThat(companion(a)).isNull();
        });
        Action.Chosen first = (Action.Chosen) plan.actions().getFirst();
        assertThat(first.reason()).isEqualTo("same content as " + keep.path());
        assertThat(first.hash()).isEqualTo(HASH);
        assertThat(first.size()).isEqualTo(1);
        assertThat(first.lastModified()).isEqualTo(1_600_000_000_000L);
        assertThat(first.sourceRoot()).isEqualTo(photos);
        assertThat(plan.command()).isEqualTo("dedupe --action " + action);
        if (action == DuplicateAction.COPY) {
            assertThat(first.kept()).as("a copy takes nothing away: no kept copy to check").isNull();
        } else {
            assertThat(first.kept()).isEqualTo(new Action.KeptCopy(keep.path(), 1, 1_600_000_000_000L, true));
        }
    }

    @Test
    void noGroupsNoActions() {
        assertThat(plan(DuplicateAction.MOVE, false).isEmpty()).isTrue();
    }

    // --- Targets. ---

    @Test
    void movesAndCopiesRecreateThePathUnderTheOutputFolderAndTheRootsName() throws IOException {
        MediaFile keep = media(photos, write(photos.resolve("a.jpg"), "A"), false);
        MediaFile nested = media(photos, write(photos.resolve("2020/summer/a.jpg"), "A"), false);
        MediaFile elsewhere = media(backup, write(backup.resolve("old/a.jpg"), "A"), false);

        for (DuplicateAction action : List.of(DuplicateAction.MOVE, DuplicateAction.COPY)) {
            Plan plan = plan(action, false, group(keep, nested, elsewhere));
            assertThat(plan.actions()).extracting(this::relativeTarget).as(action.name())
                    .containsExactly(Path.of("dupes/photos/2020/summer/a.jpg"), Path.of("dupes/backup/old/a.jpg"));
        }
    }

    @Test
    void flatPutsMovesAndCopiesDirectlyInTheOutputFolderAndLeavesClashesToTheExecutor() throws IOException {
        MediaFile keep = media(photos, write(photos.resolve("a.jpg"), "A"), false);
        MediaFile nested = media(photos, write(photos.resolve("2020/summer/a.jpg"), "A"), false);
        MediaFile elsewhere = media(backup, write(backup.resolve("old/a.jpg"), "A"), false);

        Plan plan = plan(DuplicateAction.MOVE, true, group(keep, nested, elsewhere));

        assertThat(plan.actions()).extracting(this::relativeTarget)
                .containsExactly(Path.of("dupes/a.jpg"), Path.of("dupes/a.jpg"));
    }

    @Test
    void deleteHasNoTargetAndAHardLinkTargetsTheKeptCopy() throws IOException {
        MediaFile keep = media(photos, write(photos.resolve("a.jpg"), "A"), false);
        MediaFile dup = media(backup, write(backup.resolve("a.jpg"), "A"), false);

        Action delete = plan(DuplicateAction.DELETE, false, group(keep, dup)).actions().getFirst();
        Action link = plan(DuplicateAction.HARDLINK, false, group(keep, dup)).actions().getFirst();

        assertThat(delete.targetPath()).isNull();
        assertThat(delete.describe()).contains("-> trash");
        assertThat(link.targetPath()).isEqualTo(keep.path());
        assertThat(link.describe()).contains("=> link to");
    }

    @Test
    void moveAndCopyNeedAnOutputFolder() {
        for (DuplicateAction type : List.of(DuplicateAction.MOVE, DuplicateAction.COPY)) {
            assertThatThrownBy(() -> new DedupePlanner(type, null, false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs an output folder");
        }
    }

    // --- Name copies. ---

    @ParameterizedTest
    @EnumSource(DuplicateAction.class)
    void anIdenticalNameCopyIsActedOnAndADifferentOneOnlyWhenNamesAreTrustedButNeverHardLinked(DuplicateAction action)
            throws IOException {
        MediaFile original = media(photos, write(photos.resolve("IMG_1.jpg"), "same"), false);
        MediaFile identical = media(photos, write(photos.resolve("IMG_1 (1).jpg"), "same"), false);
        MediaFile original2 = media(photos, write(photos.resolve("IMG_2.jpg"), "the original"), false);
        MediaFile different = media(photos, write(photos.resolve("IMG_2 - Copy.jpg"), "an edit"), false);
        NameCopy[] copies = {nameCopy(identical, original, true), nameCopy(different, original2, false)};

        Plan careful = planNames(action, false, copies);
        Plan trusting = planNames(action, true, copies);

        assertThat(summary(careful)).containsExactly(action.name().toLowerCase(Locale.ROOT) + " photos/IMG_1 (1).jpg");
        Action.Chosen same = (Action.Chosen) careful.actions().getFirst();
        assertThat(same.reason()).isEqualTo("copy name, same content as " + original.path());
        assertThat(same.hash()).isEqualTo(HASH);
        if (action == DuplicateAction.HARDLINK) {
            assertThat(summary(trusting)).as("different content is never replaced by a link")
                    .containsExactly("hardlink photos/IMG_1 (1).jpg");
        } else {
            assertThat(summary(trusting)).containsExactly(action.name().toLowerCase(Locale.ROOT) + " photos/IMG_1 (1).jpg",
                    action.name().toLowerCase(Locale.ROOT) + " photos/IMG_2 - Copy.jpg");
            Action.Chosen trusted = (Action.Chosen) trusting.actions().get(1);
            assertThat(trusted.reason()).contains("copy name of " + original2.path()).contains("not identical")
                    .contains("--trust-names");
            assertThat(trusted.hash()).isNull();
            if (action != DuplicateAction.COPY) {
                assertThat(trusted.kept().identical()).as("only unchanged, not byte-compared, when it goes").isFalse();
                assertThat(same.kept().identical()).isTrue();
            }
        }
    }

    @Test
    void aNameCopyInAReferenceFolderIsNeverActedOn() throws IOException {
        MediaFile original = media(library, write(library.resolve("song.mp3"), "tune"), true);
        MediaFile copy = media(library, write(library.resolve("song (1).mp3"), "tune"), true);

        assertThat(planNames(DuplicateAction.DELETE, true, nameCopy(copy, original, true)).actions()).isEmpty();
    }

    // --- Look-alike images. ---

    @Test
    void lookAlikesAreMovedWithTheirDistanceAndOnlyHaveToBeUnchanged() throws IOException {
        MediaFile keep = media(photos, write(photos.resolve("big.jpg"), "big picture"), false);
        MediaFile small = media(photos, write(photos.resolve("small.jpg"), "small"), false);

        Plan plan = planSimilar(DuplicateAction.MOVE, similar(keep, small, 3));

        assertThat(summary(plan)).containsExactly("move photos/small.jpg");
        Action.Chosen a = (Action.Chosen) plan.actions().getFirst();
        assertThat(a.reason()).isEqualTo("looks the same as " + keep.path() + " (3 of 64 bits differ)");
        assertThat(a.hash()).isNull();
        assertThat(a.kept().identical()).isFalse();
        assertThat(relativeTarget(a)).isEqualTo(Path.of("dupes/photos/small.jpg"));
    }

    @Test
    void lookAlikesAreNeverHardLinked() throws IOException {
        MediaFile keep = media(photos, write(photos.resolve("big.jpg"), "big picture"), false);
        MediaFile small = media(photos, write(photos.resolve("small.jpg"), "small"), false);

        assertThatThrownBy(() -> planSimilar(DuplicateAction.HARDLINK, similar(keep, small, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("identical content");
    }

    // --- Companions. ---

    @ParameterizedTest
    @EnumSource(DuplicateAction.class)
    void aSidecarFollowsItsDuplicateAndIsGivenToAKeptCopyThatLacksOneWhenTheDuplicateGoes(DuplicateAction action)
            throws IOException {
        MediaFile keep = media(photos, write(photos.resolve("IMG_1.jpg"), "photo"), false);
        MediaFile dup = media(backup, write(backup.resolve("trip/IMG_1.jpg"), "photo"), false);
        write(backup.resolve("trip/IMG_1.xmp"), "rating 5");

        Plan plan = plan(action, false, group(keep, dup));

        String verb = action.name().toLowerCase(Locale.ROOT);
        switch (action) {
            case MOVE, DELETE -> assertThat(summary(plan)).containsExactly("copy backup/trip/IMG_1.xmp",
                    verb + " backup/trip/IMG_1.jpg", verb + " backup/trip/IMG_1.xmp");
            case COPY -> assertThat(summary(plan)).as("a copy takes nothing away: nothing to give")
                    .containsExactly("copy backup/trip/IMG_1.jpg", "copy backup/trip/IMG_1.xmp");
            case HARDLINK -> assertThat(summary(plan)).as("the duplicate's name stays, and its sidecar with it")
                    .containsExactly("hardlink backup/trip/IMG_1.jpg");
        }
        if (action == DuplicateAction.HARDLINK) {
            return;
        }
        Action follower = plan.actions().getLast();
        assertThat(companion(follower).of()).isEqualTo(dup.path());
        assertThat(companion(follower).givenToKept()).isFalse();
        assertThat(follower.reason()).startsWith("sidecar of IMG_1.jpg");
        assertThat(relativeTarget(follower)).isEqualTo(action == DuplicateAction.DELETE ? null : Path.of("dupes/backup/trip/IMG_1.xmp"));
        assertThat(companion(follower).besides(out.resolve("x_1.jpg"))).as("named after the name its file gets")
                .isEqualTo(out.resolve("x_1.xmp"));
        if (action == DuplicateAction.COPY) {
            return;
        }
        Action.Chosen gift = (Action.Chosen) plan.actions().getFirst();
        assertThat(gift.userName()).isEqualTo("copy");
        assertThat(gift.targetPath()).isEqualTo(photos.resolve("IMG_1.xmp"));
        assertThat(companion(gift).givenToKept()).isTrue();
        assertThat(gift.kept().path()).as("only while the kept copy is unchanged").isEqualTo(keep.path());
        assertThat(gift.reason()).contains("given to the kept copy IMG_1.jpg");
        assertThat(follower.reason()).contains("a copy given to the kept copy");
    }

    @Test
    void nothingIsGivenWhenTheKeptCopyHasASidecarOfItsOwnOrItsNameIsTaken() throws IOException {
        MediaFile keep = media(photos, write(photos.resolve("IMG_1.jpg"), "photo"), false);
        write(photos.resolve("IMG_1.xmp"), "rating 1");
        MediaFile dup = media(backup, write(backup.resolve("IMG_1.jpg"), "photo"), false);
        write(backup.resolve("IMG_1.xmp"), "rating 5");
        MediaFile keep2 = media(photos, write(photos.resolve("IMG_2.jpg"), "photo 2"), false);
        Files.createDirectories(photos.resolve("IMG_2.jpg.xmp")); // the gift's name, taken by a folder
        MediaFile dup2 = media(backup, write(backup.resolve("IMG_2.jpg"), "photo 2"), false);
        write(backup.resolve("IMG_2.jpg.xmp"), "rating 4");

        Plan plan = plan(DuplicateAction.MOVE, true, group(keep, dup), group(keep2, dup2));

        assertThat(summary(plan)).containsExactly("move backup/IMG_1.jpg", "move backup/IMG_1.xmp",
                "move backup/IMG_2.jpg", "move backup/IMG_2.jpg.xmp");
        assertThat(plan.actions().get(1).reason()).as("the kept copy's own sidecar stays with it")
                .contains("differs from the kept copy's IMG_1.xmp");
        assertThat(plan.actions().get(3).targetPath()).isEqualTo(out.resolve("IMG_2.jpg.xmp"));
    }
}
