package org.cleanbackup.organize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.cleanbackup.CleanBackup;
import org.cleanbackup.dates.CaptureDate;
import org.cleanbackup.dates.CaptureDates;
import org.cleanbackup.execute.ExecutionReport;
import org.cleanbackup.execute.Outcome;
import org.cleanbackup.journal.Journal;
import org.cleanbackup.plan.Action;
import org.cleanbackup.model.ProgressListener;
import org.cleanbackup.scan.Scanner;
import org.cleanbackup.scan.ScanResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Organize's plan on real photos: filed by capture date into the layout, content the destination already holds
 * skipped with its reason, copy or move, sidecars travelling with their photo, files without a usable date, files
 * that are not what their name says, and names that clash (settled by the executor: {@code name_1.jpg}).
 *
 * <p>The photos are a small real camera JPEG from the test resources with its EXIF dates rewritten, so each date gives
 * other bytes; photos without any date are written by ImageIO.
 */
class OrganizePlannerTest {

    /** The media file a companion action follows, else null. */
    private static Action.Companion companion(Action a) {
        return a instanceof Action.Chosen c ? c.companion() : null;
    }

    /** "Now", for what counts as a date in the future. */
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    /** The date the camera JPEG in the resources carries in every EXIF date field. */
    private static final String CAMERA_DATE = "2004:09:04 19:52:06";

    @TempDir
    Path dir;

    private Path inbox;
    private Path library;

    @BeforeEach
    void setUp() throws IOException {
        inbox = Files.createDirectories(dir.resolve("inbox"));
        library = dir.resolve("library");
    }

    // --- Coupling to the API under test (options, result shapes): adapt here when it moves. ---

    private OrganizePlanner.Result plan(boolean move, boolean skipNames, Layout layout, Path... sources) {
        CaptureDates dates = new CaptureDates(ZoneOffset.UTC, Clock.fixed(NOW, ZoneOffset.UTC));
        OrganizePlanner.Options options = OrganizePlanner.Options.of(List.of(sources), library, layout)
                .with(move ? OrganizePlanner.Transfer.MOVE : OrganizePlanner.Transfer.COPY)
                .with(skipNames ? OrganizePlanner.CopyNameReport.AS_COPY_NAMES : OrganizePlanner.CopyNameReport.AS_DUPLICATES)
                .withThreads(2).withDates(dates);
        OrganizePlanner planner = new OrganizePlanner(options);
        ScanResult scan = new Scanner(options.scanOptions()).scan();
        return planner.plan(scan, planner.findExactDuplicates(scan, ProgressListener.NONE), "organize",
                ProgressListener.NONE);
    }

    private OrganizePlanner.Result plan(boolean move, Path... sources) {
        return plan(move, false, Layout.of(Layout.DEFAULT), sources);
    }

    private static List<Action> actions(OrganizePlanner.Result result) {
        return result.plan().actions();
    }

    /** What was decided for each source file, by its path relative to its source folder. */
    private static Map<String, OrganizedFile> decisions(OrganizePlanner.Result result) {
        return result.files().stream().collect(Collectors.toMap(f -> f.file().relativePath().toString(),
                Function.identity()));
    }

    private static ExecutionReport execute(OrganizePlanner.Result result, Path journalFile) {
        CleanBackup cleanBackup = CleanBackup.builder().build();
        try (Journal journal = cleanBackup.openJournal(journalFile)) {
            return cleanBackup.execute(result.plan(), journal);
        }
    }

    // --- Media made for the tests. ---

    /** The camera JPEG with every EXIF date set to {@code exifDate} ("yyyy:MM:dd HH:mm:ss"). */
    private static Path photo(Path file, String exifDate) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] bytes;
        try (InputStream in = OrganizePlannerTest.class.getResourceAsStream("/dates/pentax-2004.jpg")) {
            bytes = in.readAllBytes();
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        assertThat(text).contains(CAMERA_DATE);
        Files.write(file, text.replace(CAMERA_DATE, exifDate).getBytes(StandardCharsets.ISO_8859_1));
        return file;
    }

    /** A JPEG with no metadata (ImageIO writes none), its pixels from {@code seed}, modified at {@code mtime}. */
    private static Path plainJpeg(Path file, long seed, Instant mtime) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(seed);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        assertThat(ImageIO.write(image, "jpeg", file.toFile())).isTrue();
        Files.setLastModifiedTime(file, FileTime.from(mtime));
        return file;
    }

    private static Path text(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    // --- Tests. ---

    @Test
    void photosAreFiledByTheirCaptureDateIntoTheLayoutAndNothingChangesUntilThePlanIsCarriedOut() throws IOException {
        Path may = photo(inbox.resolve("IMG_0001.jpg"), "2019:05:04 10:10:10");
        Path december = photo(inbox.resolve("trip/deep/IMG_0002.jpg"), "2021:12:31 23:59:59");

        OrganizePlanner.Result result = plan(false, inbox);

        assertThat(actions(result)).extracting(Action::userName, Action::source, Action::targetPath).containsExactlyInAnyOrder(
                tuple("copy", may, library.resolve("2019/05/IMG_0001.jpg")),
                tuple("copy", december, library.resolve("2021/12/IMG_0002.jpg")));
        Action first = actions(result).stream().filter(a -> a.source().equals(may)).findFirst().orElseThrow();
        assertThat(first.reason()).isEqualTo("taken 2019-05-04 (EXIF DateTimeOriginal)");
        OrganizedFile decided = decisions(result).get("trip/deep/IMG_0002.jpg");
        assertThat(decided.skipped()).isNull();
        assertThat(decided.date().source()).isEqualTo(CaptureDate.Source.EXIF_ORIGINAL);
        assertThat(decided.date().localTime()).isEqualTo(LocalDateTime.of(2021, 12, 31, 23, 59, 59));
        assertThat(result.problems()).isEmpty();
        assertThat(library).as("planning changes nothing").doesNotExist();

        OrganizePlanner.Result named = plan(false, false, new Layout("{yyyy}/{MM}-{MMMM}/{dd}", Locale.ENGLISH), inbox);
        assertThat(actions(named)).extracting(Action::targetPath).containsExactlyInAnyOrder(
                library.resolve("2019/05-May/04/IMG_0001.jpg"), library.resolve("2021/12-December/31/IMG_0002.jpg"));
    }

    @Test
    void moveMovesAndCopyCopies() throws IOException {
        Path photo = photo(inbox.resolve("IMG_0001.jpg"), "2019:05:04 10:10:10");

        assertThat(actions(plan(true, inbox))).singleElement().extracting(Action::userName).isEqualTo("move");
        ExecutionReport copied = execute(plan(false, inbox), dir.resolve("journal.db"));

        assertThat(copied.outcomes()).singleElement().extracting(Outcome::status).isEqualTo(Outcome.Status.DONE);
        assertThat(photo).as("a copy leaves the source").exists();
        assertThat(library.resolve("2019/05/IMG_0001.jpg")).hasSameBinaryContentAs(photo);

        Path other = photo(inbox.resolve("IMG_0002.jpg"), "2020:01:01 00:00:01");
        byte[] bytes = Files.readAllBytes(other);
        ExecutionReport moved = execute(plan(true, inbox), dir.resolve("journal.db"));

        assertThat(moved.outcomes()).as("IMG_0001.jpg is in the library now: only IMG_0002.jpg moves")
                .singleElement().extracting(o -> o.action().source()).isEqualTo(other);
        assertThat(other).as("a move takes the source away").doesNotExist();
        assertThat(library.resolve("2020/01/IMG_0002.jpg")).hasBinaryContent(bytes);
    }

    @Test
    void contentTheLibraryHoldsIsSkippedAndSoIsASecondCopyInTheSources() throws IOException {
        Path inLibrary = photo(library.resolve("2004/09/holiday.jpg"), CAMERA_DATE);
        Path again = photo(inbox.resolve("renamed.jpg"), CAMERA_DATE);
        text(inbox.resolve("renamed.xmp"), "<x:xmpmeta/>"); // the sidecar of a photo not imported stays
        Path original = photo(inbox.resolve("IMG_0001.jpg"), "2019:05:04 10:10:10");
        Path copyName = photo(inbox.resolve("IMG_0001 (1).jpg"), "2019:05:04 10:10:10");
        Path backup = photo(inbox.resolve("backup/IMG_0001.jpg"), "2019:05:04 10:10:10");
        Files.setLastModifiedTime(backup, FileTime.from(Instant.parse("2019-05-05T00:00:00Z"))); // newer
        Files.setLastModifiedTime(original, FileTime.from(Instant.parse("2019-05-04T10:10:10Z")));

        OrganizePlanner.Result result = plan(false, inbox);

        assertThat(actions(result)).singleElement().extracting(Action::source).isEqualTo(original);
        Map<String, OrganizedFile> decided = decisions(result);
        assertThat(decided.get("renamed.jpg").skipped()).isEqualTo(SkipReason.EXACT_IN_DEST);
        assertThat(decided.get("renamed.jpg").detail()).isEqualTo(inLibrary);
        assertThat(decided.get("renamed.jpg").target()).isNull();
        assertThat(decided.get("renamed.xmp").skipped()).isEqualTo(SkipReason.SIDECAR_OF_SKIPPED);
        assertThat(decided.get("renamed.xmp").detail()).isEqualTo(again);
        assertThat(decided.get("IMG_0001 (1).jpg").skipped()).isEqualTo(SkipReason.EXACT_IN_RUN);
        assertThat(decided.get("IMG_0001 (1).jpg").detail()).as("the plain name is imported, not the copy name")
                .isEqualTo(original);
        assertThat(decided.get("backup/IMG_0001.jpg").skipped()).as("the newer copy").isEqualTo(SkipReason.EXACT_IN_RUN);

        OrganizePlanner.Result namesSkipped = plan(false, true, Layout.of(Layout.DEFAULT), inbox);
        assertThat(decisions(namesSkipped).get("IMG_0001 (1).jpg").skipped()).isEqualTo(SkipReason.NAME_COPY);
        assertThat(SkipReason.NAME_COPY.description()).isEqualTo("copy name of an identical original");
    }

    @Test
    void sidecarsTravelWithTheirPhotoAndAnOrphanStays() throws IOException {
        Path photo = photo(inbox.resolve("IMG_0001.jpg"), "2019:05:04 10:10:10");
        Path xmp = text(inbox.resolve("IMG_0001.xmp"), "<x:xmpmeta>rating 5</x:xmpmeta>");
        Path aae = text(inbox.resolve("IMG_0001.jpg.aae"), "<plist>crop</plist>");
        text(inbox.resolve("lonely.xmp"), "<x:xmpmeta/>");

        for (boolean move : List.of(false, true)) {
            OrganizePlanner.Result result = plan(move, inbox);

            String type = move ? "move" : "copy";
            assertThat(actions(result)).extracting(Action::userName, Action::source, Action::targetPath).containsExactly(
                    tuple(type, photo, library.resolve("2019/05/IMG_0001.jpg")),
                    tuple(type, aae, library.resolve("2019/05/IMG_0001.jpg.aae")),
                    tuple(type, xmp, library.resolve("2019/05/IMG_0001.xmp")))
                    .as("sidecars come after their photo, whatever the order of the walk");
            Action sidecar = actions(result).get(2);
            assertThat(companion(sidecar).of()).isEqualTo(photo);
            assertThat(companion(sidecar).besides(library.resolve("2019/05/IMG_0001_1.jpg")))
                    .as("named after the name its photo really gets").isEqualTo(library.resolve("2019/05/IMG_0001_1.xmp"));
            assertThat(sidecar.reason()).isEqualTo("sidecar of IMG_0001.jpg");
            assertThat(decisions(result).get("IMG_0001.xmp").date()).isEqualTo(decisions(result).get("IMG_0001.jpg").date());
            assertThat(decisions(result).get("lonely.xmp").skipped()).isEqualTo(SkipReason.ORPHAN_SIDECAR);
        }
    }

    @Test
    void aPhotoWithNoDateInsideIsFiledByItsFileTimeOrGoesToUnknownWhenThatIsJunk() throws IOException {
        Path dated = plainJpeg(inbox.resolve("scan.jpg"), 1, Instant.parse("2020-02-02T12:00:00Z"));
        Path byName = plainJpeg(inbox.resolve("IMG_20180704_120000.jpg"), 2, Instant.parse("2020-02-02T12:00:00Z"));
        Path future = plainJpeg(inbox.resolve("old/scans/future.jpg"), 3, Instant.parse("2031-01-01T00:00:00Z"));

        OrganizePlanner.Result result = plan(false, inbox);

        assertThat(actions(result)).extracting(Action::source, Action::targetPath, Action::reason).containsExactlyInAnyOrder(
                tuple(dated, library.resolve("2020/02/scan.jpg"),
                        "taken 2020-02-02 (file modification time)"),
                tuple(byName, library.resolve("2018/07/IMG_20180704_120000.jpg"),
                        "taken 2018-07-04 (file name)"),
                tuple(future, library.resolve("unknown/old/scans/future.jpg"),
                        "no usable date"));
        assertThat(decisions(result).get("scan.jpg").date().source()).isEqualTo(CaptureDate.Source.FILE_TIME);
    }

    @Test
    void aFileThatIsNotThePhotoItsNameSaysIsAProblemAndStays() throws IOException {
        Path fake = text(inbox.resolve("notes.jpg"), "shopping list: milk, bread");

        OrganizePlanner.Result result = plan(false, inbox);

        assertThat(actions(result)).isEmpty();
        assertThat(decisions(result).get("notes.jpg").skipped()).isEqualTo(SkipReason.NOT_MEDIA);
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo(fake);
            assertThat(p.message()).startsWith("not a photo although named .jpg");
        });
    }

    @Test
    void clashingNamesAreAllPlannedAtTheirNameAndGetNumberedWhenCarriedOut() throws IOException {
        Path taken = photo(library.resolve("2019/05/IMG_0001.jpg"), "2019:05:01 08:00:00"); // another photo
        Path fromA = photo(inbox.resolve("a/IMG_0001.jpg"), "2019:05:04 10:10:10");
        text(inbox.resolve("a/IMG_0001.xmp"), "rating 5");
        Path fromB = photo(inbox.resolve("b/IMG_0001.jpg"), "2019:05:20 18:00:00");
        byte[] takenBytes = Files.readAllBytes(taken);

        OrganizePlanner.Result result = plan(false, inbox);

        assertThat(actions(result)).filteredOn(a -> companion(a) == null).extracting(Action::targetPath)
                .containsOnly(library.resolve("2019/05/IMG_0001.jpg"));
        ExecutionReport report = execute(result, dir.resolve("journal.db"));

        assertThat(report.outcomes()).allSatisfy(o -> assertThat(o.status()).isEqualTo(Outcome.Status.DONE));
        Path month = library.resolve("2019/05");
        assertThat(month.resolve("IMG_0001.jpg")).as("never overwritten").hasBinaryContent(takenBytes);
        assertThat(List.of(Files.readAllBytes(month.resolve("IMG_0001_1.jpg")),
                Files.readAllBytes(month.resolve("IMG_0001_2.jpg"))))
                .containsExactlyInAnyOrder(Files.readAllBytes(fromA), Files.readAllBytes(fromB));
        Path aGot = report.outcomes().stream().filter(o -> o.action().source().equals(fromA)).findFirst()
                .orElseThrow().finalPath();
        assertThat(aGot.resolveSibling(aGot.getFileName().toString().replace(".jpg", ".xmp")))
                .as("the sidecar follows the name its photo got").hasContent("rating 5");
        assertThat(month.toFile().list()).hasSize(4);
    }
}
