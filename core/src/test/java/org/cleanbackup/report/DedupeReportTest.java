package org.cleanbackup.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.cleanbackup.plan.DedupePlanner;
import org.cleanbackup.group.DuplicateGroup;
import org.cleanbackup.execute.ExecutionReport;
import org.cleanbackup.execute.Outcome;
import org.cleanbackup.hash.ContentHash;
import org.cleanbackup.names.NameCopy;
import org.cleanbackup.plan.Action;
import org.cleanbackup.plan.Plan;
import org.cleanbackup.model.FileId;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.Problem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dedupe report's counts (duplicates, bytes reclaimable and reclaimed, companions, problems) for a dry run and for a
 * run with done, failed and interrupted actions, and its JSON, checked field by field and against
 * docs/json/dedupe.schema.json.
 */
class DedupeReportTest {

    private static final ContentHash HASH_A = new ContentHash("xxh3", "00112233445566778899aabbccddeeff");
    private static final ContentHash HASH_B = new ContentHash("xxh3", "ffeeddccbbaa99887766554433221100");
    private static final Path SCHEMA = Path.of("..", "docs", "json", "dedupe.schema.json");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private Path photos;
    private Path backup;
    private Path out;

    /** photos/IMG_1.jpg (kept, no sidecar) and backup/IMG_1.jpg + IMG_1.xmp; photos/b.mp3 and two copies. */
    private MediaFile keepA;
    private MediaFile dupA;
    private MediaFile keepB;
    private MediaFile dupB1;
    private MediaFile dupB2;
    private List<DuplicateGroup> groups;

    @BeforeEach
    void setUp() throws IOException {
        photos = Files.createDirectories(dir.resolve("photos"));
        backup = Files.createDirectories(dir.resolve("backup"));
        out = dir.resolve("dupes");
        keepA = media(photos, write(photos.resolve("IMG_1.jpg"), "a photo: 17 bytes"));
        dupA = media(backup, write(backup.resolve("IMG_1.jpg"), "a photo: 17 bytes"));
        write(backup.resolve("IMG_1.xmp"), "rating=5"); // 8 bytes, travels with dupA; the kept copy gets a copy
        keepB = media(photos, write(photos.resolve("b.mp3"), "song, 10 B"));
        dupB1 = media(backup, write(backup.resolve("b.mp3"), "song, 10 B"));
        dupB2 = media(backup, write(backup.resolve("b (1).mp3"), "song, 10 B"));
        groups = List.of(group(HASH_A, keepA, dupA), group(HASH_B, keepB, dupB1, dupB2));
    }

    // --- Coupling to the API under test (constructors, record shapes): adapt here when it moves. ---

    private static MediaFile media(Path root, Path file) throws IOException {
        return new MediaFile(file, root, false, Files.size(file), Files.getLastModifiedTime(file).toMillis(), null);
    }

    private static DuplicateGroup group(ContentHash hash, MediaFile keep, MediaFile... duplicates) {
        return new DuplicateGroup(hash, keep.size(), keep, "oldest modification time", List.of(duplicates), List.of(),
                List.of());
    }

    /** The plan a dedupe --action move makes: [give xmp to kept, move IMG_1.jpg, move IMG_1.xmp, move b, move b (1)]. */
    private Plan movePlan() {
        return new DedupePlanner(org.cleanbackup.plan.DuplicateAction.MOVE, out, false).plan(groups, "dedupe --action move");
    }

    private static Outcome outcome(Action action, Outcome.Status status, Path finalPath, String message) {
        return new Outcome(action, status, finalPath, message);
    }

    private static ExecutionReport execution(long session, List<Outcome> outcomes, boolean interrupted) {
        return new ExecutionReport(session, outcomes, interrupted ? "interrupted" : null, interrupted);
    }

    private static String notTriedAfterInterrupt() {
        return ExecutionReport.NOT_TRIED_INTERRUPTED;
    }

    private DedupeReport report(Plan plan, ExecutionReport execution, List<Problem> problems, List<NameCopy> nameCopies) {
        return DedupeReport.builder().scanned(6, 61).groups(groups).plan(plan).execution(execution).problems(problems)
                .hash("xxh3", false).dryRun(execution == null).nameCopies(nameCopies).build();
    }

    // --- Helpers. ---

    private static Path write(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_600_000_000_000L));
        return file;
    }

    /** The report's JSON, after checking it against the schema. */
    private static JsonNode json(DedupeReport report) throws IOException {
        StringWriter text = new StringWriter();
        report.writeJson(text);
        JsonNode json = MAPPER.readTree(text.toString());
        JsonSchema schema;
        try (InputStream in = Files.newInputStream(SCHEMA)) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in,
                    SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
        }
        assertThat(schema.validate(json)).as(text.toString()).isEmpty();
        assertThat(text.toString()).endsWith("}\n");
        return json;
    }

    private static List<String> texts(JsonNode array) {
        List<String> all = new ArrayList<>();
        array.forEach(n -> all.add(n.asText()));
        return all;
    }

    // --- Tests. ---

    @Test
    void theMovePlanIsWhatTheseTestsAssume() {
        assertThat(movePlan().actions()).extracting(a -> dir.relativize(a.source()).toString())
                .containsExactly("backup/IMG_1.xmp", "backup/IMG_1.jpg", "backup/IMG_1.xmp", "backup/b.mp3",
                        "backup/b (1).mp3");
    }

    @Test
    void aDryRunCountsWhatItWouldDoAndReclaimsNothing() throws IOException {
        Path unreadable = backup.resolve("locked.jpg");
        DedupeReport report = report(movePlan(), null, List.of(new Problem(unreadable, "permission denied")), List.of());

        assertThat(report.duplicateCount()).isEqualTo(3);
        assertThat(report.reclaimableBytes()).isEqualTo(17 + 10 + 10);
        assertThat(report.reclaimedBytes()).isZero();
        assertThat(report.companionCounts()).as("{with their file, given to kept copies}, as planned")
                .containsExactly(1, 1);
        assertThat(report.duplicates(Outcome.Status.DONE)).isZero();
        assertThat(report.allProblems()).containsExactly(new Problem(unreadable, "permission denied"));

        JsonNode json = json(report);
        assertThat(json.at("/groups")).hasSize(2);
        assertThat(json.at("/groups/0/hash").asText()).isEqualTo("xxh3:00112233445566778899aabbccddeeff");
        assertThat(json.at("/groups/0/size").asLong()).isEqualTo(17);
        assertThat(json.at("/groups/0/keep").asText()).isEqualTo(keepA.path().toString());
        assertThat(json.at("/groups/0/keepReason").asText()).isEqualTo("oldest modification time");
        assertThat(texts(json.at("/groups/1/duplicates"))).containsExactly(dupB1.path().toString(),
                dupB2.path().toString());
        assertThat(json.at("/groups/1/protected")).isEmpty();
        assertThat(json.has("nameCopies")).as("only for --mode names").isFalse();
        assertThat(json.at("/actions")).hasSize(5).allSatisfy(a -> assertThat(a.get("status").asText())
                .isEqualTo("planned"));
        JsonNode gift = json.at("/actions/0");
        assertThat(gift.get("action").asText()).isEqualTo("copy");
        assertThat(gift.get("target").asText()).isEqualTo(photos.resolve("IMG_1.xmp").toString());
        assertThat(gift.get("companionOf").asText()).isEqualTo(dupA.path().toString());
        assertThat(gift.get("givenToKept").asBoolean()).isTrue();
        JsonNode move = json.at("/actions/1");
        assertThat(move.get("action").asText()).isEqualTo("move");
        assertThat(move.get("target").asText()).isEqualTo(out.resolve("backup/IMG_1.jpg").toString());
        assertThat(move.get("size").asLong()).isEqualTo(17);
        assertThat(move.get("reason").asText()).isEqualTo("same content as " + keepA.path());
        assertThat(move.has("companionOf")).isFalse();
        assertThat(json.at("/actions/2/companionOf").asText()).isEqualTo(dupA.path().toString());
        assertThat(json.at("/actions/2").has("givenToKept")).as("present only for a gift").isFalse();
        assertThat(json.at("/problems/0/path").asText()).isEqualTo(unreadable.toString());
        assertThat(json.at("/problems/0/message").asText()).isEqualTo("permission denied");
        JsonNode summary = json.at("/summary");
        assertThat(summary.get("filesScanned").asLong()).isEqualTo(6);
        assertThat(summary.get("bytesScanned").asLong()).isEqualTo(61);
        assertThat(summary.get("groups").asLong()).isEqualTo(2);
        assertThat(summary.get("duplicates").asLong()).isEqualTo(3);
        assertThat(summary.get("bytesReclaimable").asLong()).isEqualTo(37);
        assertThat(summary.get("bytesReclaimed").asLong()).isZero();
        assertThat(summary.get("actionsDone").asLong()).isZero();
        assertThat(summary.get("problems").asLong()).isEqualTo(1);
        assertThat(summary.get("algorithm").asText()).isEqualTo("xxh3");
        assertThat(summary.get("dryRun").asBoolean()).isTrue();
        assertThat(summary.has("session")).as("no session without a run").isFalse();
    }

    @Test
    void aRunCountsWhatWasDoneAndListsFailuresButNotWhatTheInterruptionLeftUntried() throws IOException {
        Plan plan = movePlan();
        List<Action> a = plan.actions();
        Path renamed = out.resolve("backup/IMG_1_1.jpg"); // the wanted name was taken
        ExecutionReport execution = execution(7, List.of(
                outcome(a.get(0), Outcome.Status.DONE, ((Action.Placing) a.get(0)).target(), null),
                outcome(a.get(1), Outcome.Status.DONE, renamed, null),
                outcome(a.get(2), Outcome.Status.DONE, out.resolve("backup/IMG_1_1.xmp"), null),
                outcome(a.get(3), Outcome.Status.FAILED, null, "no space left on device"),
                outcome(a.get(4), Outcome.Status.SKIPPED, null, notTriedAfterInterrupt())), true);

        DedupeReport report = report(plan, execution, List.of(), List.of());

        assertThat(report.reclaimedBytes()).as("the jpg and its sidecar; the gift frees nothing").isEqualTo(17 + 8);
        assertThat(report.companionCounts()).containsExactly(1, 1);
        assertThat(report.duplicates(Outcome.Status.DONE)).as("companions are not duplicates").isEqualTo(1);
        assertThat(report.duplicates(Outcome.Status.FAILED)).isEqualTo(1);
        assertThat(report.duplicates(Outcome.Status.SKIPPED)).isEqualTo(1);
        assertThat(report.allProblems()).as("the failure is a problem; a file not tried because of Ctrl-C is not")
                .containsExactly(new Problem(dupB1.path(), "no space left on device"));

        JsonNode json = json(report);
        assertThat(json.at("/actions/1/target").asText()).as("the name really used").isEqualTo(renamed.toString());
        assertThat(json.at("/actions/1/status").asText()).isEqualTo("done");
        assertThat(json.at("/actions/1").has("message")).isFalse();
        assertThat(json.at("/actions/3/status").asText()).isEqualTo("failed");
        assertThat(json.at("/actions/3/message").asText()).isEqualTo("no space left on device");
        assertThat(json.at("/actions/3/target").asText()).as("the wanted target when there is no final path")
                .isEqualTo(out.resolve("backup/b.mp3").toString());
        assertThat(json.at("/actions/4/status").asText()).isEqualTo("skipped");
        JsonNode summary = json.at("/summary");
        assertThat(summary.get("bytesReclaimed").asLong()).isEqualTo(25);
        assertThat(summary.get("actionsDone").asLong()).isEqualTo(3);
        assertThat(summary.get("actionsFailed").asLong()).isEqualTo(1);
        assertThat(summary.get("actionsSkipped").asLong()).isEqualTo(1);
        assertThat(summary.get("problems").asLong()).isEqualTo(1);
        assertThat(summary.get("dryRun").asBoolean()).isFalse();
        assertThat(summary.get("session").asLong()).isEqualTo(7);
    }

    @Test
    void companionsWhoseActionWasNotDoneAreNotCounted() throws IOException {
        Plan plan = movePlan();
        List<Action> a = plan.actions();
        ExecutionReport execution = execution(3, List.of(
                outcome(a.get(0), Outcome.Status.SKIPPED, null, "the name is taken"),
                outcome(a.get(1), Outcome.Status.DONE, ((Action.Placing) a.get(1)).target(), null),
                outcome(a.get(2), Outcome.Status.FAILED, null, "its name beside the moved file is taken"),
                outcome(a.get(3), Outcome.Status.DONE, ((Action.Placing) a.get(3)).target(), null),
                outcome(a.get(4), Outcome.Status.DONE, ((Action.Placing) a.get(4)).target(), null)), false);

        DedupeReport report = report(plan, execution, List.of(), List.of());

        assertThat(report.companionCounts()).containsExactly(0, 0);
        assertThat(report.reclaimedBytes()).isEqualTo(17 + 10 + 10);
        assertThat(report.allProblems()).extracting(Problem::path)
                .containsExactly(backup.resolve("IMG_1.xmp"), backup.resolve("IMG_1.xmp"));
        assertThat(json(report).at("/summary/problems").asLong()).isEqualTo(2);
    }

    @Test
    void aReportOnlyRunListsNameCopiesWithTheirVerdicts() throws IOException {
        NameCopy same = new NameCopy(dupB2, dupB1, NameCopy.Verdict.IDENTICAL, HASH_B);
        MediaFile edited = media(photos, write(photos.resolve("IMG_1 - Copy.jpg"), "an edit"));
        NameCopy different = new NameCopy(edited, keepA, NameCopy.Verdict.DIFFERENT, null);

        DedupeReport report = report(new Plan("dedupe --mode names", List.of()), null, List.of(),
                List.of(same, different));

        JsonNode json = json(report);
        assertThat(json.at("/nameCopies")).hasSize(2);
        assertThat(json.at("/nameCopies/0/copy").asText()).isEqualTo(dupB2.path().toString());
        assertThat(json.at("/nameCopies/0/original").asText()).isEqualTo(dupB1.path().toString());
        assertThat(json.at("/nameCopies/0/verdict").asText()).isEqualTo("identical");
        assertThat(json.at("/nameCopies/1/verdict").asText()).isEqualTo("different");
        assertThat(json.at("/actions")).isEmpty();
        assertThat(report.companionCounts()).containsExactly(0, 0);
    }

    @Test
    void aDuplicateWithAnotherNameHardLinkedToItFreesNothing() throws IOException {
        Path other = Files.createLink(backup.resolve("IMG_1 again.jpg"), dupA.path());
        DuplicateGroup linked = new DuplicateGroup(HASH_A, 17, keepA, "oldest modification time",
                List.of(withId(dupA)), List.of(), List.of(withId(media(backup, other))));

        DedupeReport report = DedupeReport.builder().scanned(3, 51).groups(List.of(linked))
                .plan(new Plan("dedupe", List.of())).hash("xxh3", false).dryRun(true).build();

        assertThat(report.duplicateCount()).isEqualTo(1);
        assertThat(report.reclaimableBytes()).as("the other name keeps the data").isZero();
        assertThat(texts(json(report).at("/groups/0/hardLinks"))).containsExactly(other.toString());
    }

    /** The file with its device and inode, as a scan reads them. */
    private static MediaFile withId(MediaFile f) throws IOException {
        Object key = Files.readAttributes(f.path(), java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        return new MediaFile(f.path(), f.root(), f.reference(), f.size(), f.lastModified(), FileId.fromFileKey(key));
    }
}
