package org.cleanbackup.plan;

import org.cleanbackup.group.DuplicateGroup;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.cleanbackup.companions.Companions;
import org.cleanbackup.execute.ExecutionReport;
import org.cleanbackup.execute.FileOperations;
import org.cleanbackup.execute.Outcome;
import org.cleanbackup.execute.PlanExecutor;
import org.cleanbackup.execute.RetryPolicy;
import org.cleanbackup.hash.ContentHash;
import org.cleanbackup.journal.SqliteJournal;
import org.cleanbackup.model.ProgressListener;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.undo.Undo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A duplicate's sidecars and Live Photo video go with it, under the name it really gets, a sidecar the kept copy
 * lacks is given to it, and undo puts everything back.
 */
class DedupeCompanionsTest {

    private static final ContentHash HASH = new ContentHash("xxh3", "00112233445566778899aabbccddeeff");

    @TempDir
    Path dir;

    private Path root;
    private Path out;
    private SqliteJournal journal;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(dir.resolve("tree/photos"));
        out = dir.resolve("tree/dupes");
        journal = SqliteJournal.open(dir.resolve("journal.db"), true, 1000);
    }

    @AfterEach
    void tearDown() {
        journal.close();
    }

    private Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_600_000_000_000L + content.length()));
        return file;
    }

    private MediaFile media(Path file, boolean reference) throws IOException {
        return new MediaFile(file, reference ? file.getParent() : root, reference, Files.size(file),
                Files.getLastModifiedTime(file).toMillis(), null);
    }

    private DuplicateGroup group(MediaFile keep, MediaFile... duplicates) {
        return new DuplicateGroup(HASH, keep.size(), keep, "oldest", List.of(duplicates), List.of(), List.of());
    }

    private static Companions byNameOnly() {
        return new Companions(p -> Optional.empty());
    }

    private ExecutionReport execute(Plan plan) {
        return new PlanExecutor(journal, FileOperations.system(), new RetryPolicy(0, Duration.ZERO, d -> { }))
                .execute(plan, ProgressListener.NONE);
    }

    private ExecutionReport undoLast() {
        Undo undo = new Undo(journal, new PlanExecutor(journal, FileOperations.system(),
                new RetryPolicy(0, Duration.ZERO, d -> { })));
        return undo.run(undo.lastUndoable().orElseThrow(), ProgressListener.NONE);
    }

    /** Every file under the folder with its bytes and modification time. */
    private static Map<String, String> snapshot(Path folder) throws IOException {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.toList()) {
                tree.put(folder.relativize(p).toString(), Files.isDirectory(p) ? "dir"
                        : new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1) + "@"
                        + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return tree;
    }

    private static List<String> sources(Plan plan) {
        return plan.actions().stream().map(a -> a.userName() + " " + a.source().getFileName()).toList();
    }

    @Test
    void companionsFollowTheNameTheDuplicateReallyGetsAndTheKeptCopyGetsWhatItLacked() throws IOException {
        MediaFile keep = media(write(root.resolve("A/IMG_1.jpg"), "photo"), false);
        MediaFile dup = media(write(root.resolve("B/IMG_1.jpg"), "photo"), false);
        write(root.resolve("B/IMG_1.xmp"), "rating 5");
        write(root.resolve("B/IMG_1.jpg.aae"), "crop");
        write(root.resolve("B/IMG_1.MOV"), "live video");
        write(root.resolve("B/IMG_2.xmp"), "someone else's");
        // In the output: the duplicate's own name is taken, and the next one's sidecar name is too.
        write(out.resolve("photos/B/IMG_1.jpg"), "another photo");
        write(out.resolve("photos/B/IMG_1_1.xmp"), "another sidecar");
        Map<String, String> before = snapshot(dir.resolve("tree"));

        Plan plan = new DedupePlanner(DuplicateAction.MOVE, out, false, byNameOnly()).plan(List.of(group(keep, dup)), "test");

        assertThat(sources(plan)).containsExactly("copy IMG_1.jpg.aae", "copy IMG_1.xmp", "copy IMG_1.MOV",
                "move IMG_1.jpg", "move IMG_1.jpg.aae", "move IMG_1.xmp", "move IMG_1.MOV");
        assertThat(plan.actions().get(0).reason()).contains("given to the kept copy IMG_1.jpg");
        assertThat(plan.actions().get(4).describe()).contains("sidecar of IMG_1.jpg");

        ExecutionReport report = execute(plan);

        assertThat(report.outcomes()).allMatch(o -> o.status() == Outcome.Status.DONE);
        Path placed = out.resolve("photos/B");
        assertThat(placed.resolve("IMG_1_2.jpg")).hasContent("photo");
        assertThat(placed.resolve("IMG_1_2.xmp")).hasContent("rating 5");
        assertThat(placed.resolve("IMG_1_2.jpg.aae")).hasContent("crop");
        assertThat(placed.resolve("IMG_1_2.MOV")).hasContent("live video");
        assertThat(placed.resolve("IMG_1_1.xmp")).hasContent("another sidecar");
        assertThat(root.resolve("B")).isDirectoryContaining(p -> p.getFileName().toString().equals("IMG_2.xmp"))
                .isDirectoryNotContaining(p -> p.getFileName().toString().startsWith("IMG_1"));
        assertThat(root.resolve("A/IMG_1.xmp")).hasContent("rating 5");
        assertThat(root.resolve("A/IMG_1.jpg.aae")).hasContent("crop");
        assertThat(root.resolve("A/IMG_1.MOV")).hasContent("live video");

        ExecutionReport undone = undoLast();

        assertThat(undone.outcomes()).allMatch(o -> o.status() == Outcome.Status.DONE);
        assertThat(snapshot(dir.resolve("tree"))).isEqualTo(before);
    }

    @Test
    void deleteTrashesTheCompanionsBesideTheDuplicateAndUndoBringsThemBack() throws IOException {
        MediaFile keep = media(write(root.resolve("A/IMG_1.jpg"), "photo"), false);
        write(root.resolve("A/IMG_1.xmp"), "kept rating");
        MediaFile dup = media(write(root.resolve("B/IMG_7.jpg"), "photo"), false);
        write(root.resolve("B/IMG_7.XMP"), "duplicate rating");
        Map<String, String> before = snapshot(dir.resolve("tree"));

        Plan plan = new DedupePlanner(DuplicateAction.DELETE, null, false, byNameOnly()).plan(List.of(group(keep, dup)),
                "test");

        assertThat(sources(plan)).containsExactly("delete IMG_7.jpg", "delete IMG_7.XMP");
        assertThat(plan.actions().get(1).reason())
                .contains("differs from the kept copy's IMG_1.xmp, which stays with it");

        ExecutionReport report = execute(plan);

        Path trashedPhoto = report.outcomes().get(0).finalPath();
        assertThat(report.outcomes().get(1).finalPath()).isEqualTo(trashedPhoto.resolveSibling("IMG_7.XMP"));
        assertThat(trashedPhoto.resolveSibling("IMG_7.XMP")).hasContent("duplicate rating");
        assertThat(root.resolve("A/IMG_1.xmp")).hasContent("kept rating");
        assertThat(root.resolve("B/IMG_7.XMP")).doesNotExist();

        undoLast();

        assertThat(snapshot(dir.resolve("tree"))).isEqualTo(before);
    }

    @Test
    void copyCopiesTheCompanionsBesideTheCopyGivesNothingAndUndoRemovesThem() throws IOException {
        MediaFile keep = media(write(root.resolve("A/IMG_1.jpg"), "photo"), false);
        MediaFile dup = media(write(root.resolve("B/IMG_1.jpg"), "photo"), false);
        write(root.resolve("B/IMG_1.jpg.xmp"), "rating");
        write(out.resolve("IMG_1.jpg"), "another photo");
        Map<String, String> before = snapshot(dir.resolve("tree"));

        Plan plan = new DedupePlanner(DuplicateAction.COPY, out, true, byNameOnly()).plan(List.of(group(keep, dup)), "t");

        assertThat(sources(plan)).as("a copy takes nothing away: nothing to give")
                .containsExactly("copy IMG_1.jpg", "copy IMG_1.jpg.xmp");

        execute(plan);

        assertThat(out.resolve("IMG_1_1.jpg.xmp")).hasContent("rating");
        assertThat(root.resolve("B/IMG_1.jpg.xmp")).hasContent("rating");

        undoLast();

        assertThat(snapshot(dir.resolve("tree"))).isEqualTo(before);
    }

    @Test
    void aLivePhotoVideoThatIsItselfADuplicateIsPlannedOnceWithItsStill() throws IOException {
        MediaFile keepStill = media(write(root.resolve("A/IMG_1.jpg"), "photo"), false);
        MediaFile keepVideo = media(write(root.resolve("A/IMG_1.MOV"), "live video"), false);
        MediaFile dupStill = media(write(root.resolve("B/IMG_1.jpg"), "photo"), false);
        MediaFile dupVideo = media(write(root.resolve("B/IMG_1.MOV"), "live video"), false);

        Plan plan = new DedupePlanner(DuplicateAction.MOVE, out, true, byNameOnly())
                .plan(List.of(group(keepVideo, dupVideo), group(keepStill, dupStill)), "test");

        assertThat(sources(plan)).containsExactly("move IMG_1.jpg", "move IMG_1.MOV");
        Action.Chosen video = (Action.Chosen) plan.actions().get(1);
        assertThat(video.source()).isEqualTo(dupVideo.path());
        assertThat(video.companion().of()).isEqualTo(dupStill.path());
        assertThat(video.reason()).contains("Live Photo video of IMG_1.jpg", "itself same content as");

        execute(plan);

        assertThat(out.resolve("IMG_1.jpg")).hasContent("photo");
        assertThat(out.resolve("IMG_1.MOV")).hasContent("live video");
        assertThat(keepVideo.path()).hasContent("live video");
    }

    @Test
    void aLivePhotoVideoThatIsTheCopyKeptOfItsOwnGroupStays() throws IOException {
        MediaFile keepStill = media(write(root.resolve("A/IMG_1.jpg"), "photo"), false);
        MediaFile dupStill = media(write(root.resolve("B/IMG_1.jpg"), "photo"), false);
        MediaFile keptVideo = media(write(root.resolve("B/IMG_1.MOV"), "live video"), false);
        MediaFile otherVideo = media(write(root.resolve("C/IMG_1.MOV"), "live video"), false);

        Plan plan = new DedupePlanner(DuplicateAction.MOVE, out, true, byNameOnly())
                .plan(List.of(group(keptVideo, otherVideo), group(keepStill, dupStill)), "test");

        assertThat(sources(plan)).containsExactly("move IMG_1.MOV", "move IMG_1.jpg");
        assertThat(plan.actions().get(0).source()).isEqualTo(otherVideo.path());
        assertThat(plan.actions().get(1).reason()).contains("its Live Photo video IMG_1.MOV stays: it is a copy kept");
    }

    @Test
    void theContentIdentifierDecidesWhichVideoGoesWithTheStill() throws IOException {
        MediaFile keep = media(write(root.resolve("A/Beach.jpg"), "photo"), false);
        write(root.resolve("A/Beach.MOV"), "kept video");
        MediaFile dup = media(write(root.resolve("B/Beach.jpg"), "photo"), false);
        Path renamedVideo = write(root.resolve("B/IMG_0042.MOV"), "its video");
        Path sameNameOther = write(root.resolve("B/Beach.MOV"), "another live photo's video");
        Map<Path, String> ids = Map.of(dup.path(), "AAAA", renamedVideo, "AAAA", sameNameOther, "BBBB");
        Companions companions = new Companions(p -> Optional.ofNullable(ids.get(p)));

        Plan plan = new DedupePlanner(DuplicateAction.MOVE, out, true, companions).plan(List.of(group(keep, dup)), "test");

        assertThat(sources(plan)).containsExactly("move Beach.jpg", "move IMG_0042.MOV");
        assertThat(((Action.Chosen) plan.actions().get(1)).companion().suffix()).isNull(); // keeps its own name

        execute(plan);

        assertThat(out.resolve("IMG_0042.MOV")).hasContent("its video");
        assertThat(sameNameOther).hasContent("another live photo's video");
    }

    @Test
    void nothingIsGivenToAKeptCopyInAReferenceFolderAndHardLinksLeaveCompanionsWhereTheyAre() throws IOException {
        MediaFile keep = media(write(dir.resolve("tree/library/IMG_1.jpg"), "photo"), true);
        MediaFile dup = media(write(root.resolve("B/IMG_1.jpg"), "photo"), false);
        write(root.resolve("B/IMG_1.xmp"), "rating");

        Plan moved = new DedupePlanner(DuplicateAction.MOVE, out, true, byNameOnly()).plan(List.of(group(keep, dup)), "t");
        Plan linked = new DedupePlanner(DuplicateAction.HARDLINK, null, false, byNameOnly())
                .plan(List.of(group(keep, dup)), "t");

        assertThat(sources(moved)).containsExactly("move IMG_1.jpg", "move IMG_1.xmp");
        assertThat(sources(linked)).containsExactly("hardlink IMG_1.jpg");

        execute(moved);

        assertThat(dir.resolve("tree/library")).isDirectoryNotContaining(p -> p.getFileName().toString().endsWith(".xmp"));
        assertThat(out.resolve("IMG_1.xmp")).hasContent("rating");
    }

    @Test
    void aSidecarSharedWithAnotherFileOfTheSameNameStays() throws IOException {
        MediaFile keep = media(write(root.resolve("A/IMG_1.jpg"), "photo"), false);
        MediaFile dup = media(write(root.resolve("B/IMG_1.jpg"), "photo"), false);
        write(root.resolve("B/IMG_1.CR2"), "raw");
        write(root.resolve("B/IMG_1.xmp"), "develop settings of the raw");

        Plan plan = new DedupePlanner(DuplicateAction.MOVE, out, true, byNameOnly()).plan(List.of(group(keep, dup)), "t");

        assertThat(sources(plan)).containsExactly("move IMG_1.jpg");
    }

    @Test
    void companionsStayWhenTheirFileIsNotTakenAway() throws IOException {
        MediaFile keep = media(write(root.resolve("A/IMG_1.jpg"), "photo"), false);
        MediaFile dup = media(write(root.resolve("B/IMG_1.jpg"), "photo"), false);
        Path sidecar = write(root.resolve("B/IMG_1.xmp"), "rating");
        Plan plan = new DedupePlanner(DuplicateAction.MOVE, out, true, byNameOnly()).plan(List.of(group(keep, dup)), "t");
        write(keep.path(), "photo, edited since"); // the kept copy changed: the duplicate must stay

        ExecutionReport report = execute(plan);

        assertThat(report.outcomes()).extracting(Outcome::status).containsExactly(Outcome.Status.SKIPPED,
                Outcome.Status.SKIPPED, Outcome.Status.SKIPPED);
        assertThat(report.outcomes().get(2).message()).contains("it stays with IMG_1.jpg");
        assertThat(sidecar).hasContent("rating");
        assertThat(root.resolve("A/IMG_1.xmp")).doesNotExist();
    }
}
