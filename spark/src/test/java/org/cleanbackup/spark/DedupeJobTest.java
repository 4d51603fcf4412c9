package org.cleanbackup.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cleanbackup.CleanBackup;
import org.cleanbackup.DedupePlan;
import org.cleanbackup.DedupeRequest;
import org.cleanbackup.group.DuplicateGroup;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.similar.SimilarGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job in {@code local[2]} on a generated tree (small files with copies, same-size and same-start files that
 * differ, look-alike images made from the bundled sample photos), against the local tool ({@code CleanBackup.dedupe})
 * on the same tree: the same exact groups and the same look-alike groups.
 */
class DedupeJobTest {

    private static SparkSession spark;

    @TempDir
    static Path dir;

    private static Path tree;

    @BeforeAll
    static void start() throws IOException {
        tree = Files.createDirectories(dir.resolve("tree"));
        makeTree(tree);
        spark = DedupeJob.configure(SparkSession.builder().master("local[2]"))
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.warehouse.dir", dir.resolve("warehouse").toUri().toString())
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void sameGroupsAsTheLocalTool() throws IOException {
        Path out = dir.resolve("out");
        DedupeJob.Summary summary = DedupeJob.run(spark,
                JobOptions.parse("dedupe", "--input", tree.toUri().toString(), "--output", out.toString()));

        DedupePlan exact = CleanBackup.builder().build().dedupe(DedupeRequest.of(tree));
        DedupePlan similar = CleanBackup.builder().build().dedupe(DedupeRequest.of(tree)
                .withMode(DedupeRequest.Mode.SIMILAR));
        Set<Set<String>> localExact = new HashSet<>();
        for (DuplicateGroup g : exact.groups()) {
            Set<String> members = new HashSet<>();
            members.add(g.keep().path().toString());
            g.duplicates().forEach(f -> members.add(f.path().toString()));
            localExact.add(members);
        }
        Set<Set<String>> localSimilar = new HashSet<>();
        for (SimilarGroup g : similar.similarGroups()) {
            Set<String> members = new HashSet<>();
            members.add(g.keep().path().toString());
            g.duplicates().forEach(m -> members.add(m.file().path().toString()));
            localSimilar.add(members);
        }
        assertThat(localExact).hasSizeGreaterThan(4); // ours, and the copies among the sample photos
        assertThat(localSimilar).isNotEmpty();

        assertThat(groups(out.resolve("exact"))).isEqualTo(localExact);
        assertThat(groups(out.resolve("similar"))).isEqualTo(localSimilar);
        assertThat(summary.exactGroups()).isEqualTo(localExact.size());
        // the keeper of each exact group is the local tool's (oldest, then path)
        JsonNode plan = new ObjectMapper().readTree(out.resolve("plan.json").toFile());
        Set<String> localKeeps = new HashSet<>();
        exact.groups().forEach(g -> localKeeps.add(g.keep().path().toString()));
        Set<String> jobKeeps = new HashSet<>();
        plan.get("groups").forEach(g -> jobKeeps.add(g.get("keep").asText()));
        assertThat(jobKeeps).isEqualTo(localKeeps);
        assertThat(plan.get("actions")).hasSize(exact.groups().stream().mapToInt(g -> g.duplicates().size()).sum());

        // the plans are dedupe --json documents
        JsonSchema schema;
        try (InputStream in = Files.newInputStream(Path.of("..", "docs", "json", "dedupe.schema.json"))) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
        assertThat(schema.validate(plan)).isEmpty();
        assertThat(schema.validate(new ObjectMapper().readTree(out.resolve("plan-similar.json").toFile()))).isEmpty();

        // the table of every file: content hashes where the sizes collided, pHashes of the images, the problem
        List<Row> files = spark.read().parquet(out.resolve("files").toString()).collectAsList();
        assertThat(files).hasSize(exact.scan().files().size());
        Row broken = files.stream().filter(r -> r.getString(0).endsWith("broken.jpg")).findFirst().orElseThrow();
        assertThat(broken.isNullAt(4)).isTrue();
        assertThat(broken.getString(7)).isNotBlank();
        Row photo = files.stream().filter(r -> r.getString(0).endsWith("a/look-0.jpg")).findFirst().orElseThrow();
        assertThat(photo.isNullAt(4)).isFalse();
        assertThat(photo.getLong(5)).isPositive();
    }

    @Test
    void aJoinOverTheCandidateLimitIsRefusedWithTheFigure() {
        JobOptions options = JobOptions.parse("dedupe", "--input", tree.toString(), "--output",
                dir.resolve("refused").toString(), "--max-candidates", "0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DedupeJob.run(spark, options))
                .isInstanceOf(BandedJoin.TooManyCandidatesException.class)
                .hasMessageContaining("would compare").hasMessageContaining("lower --threshold");
    }

    /** The groups of an exact/similar table, as sets of local paths. */
    private static Set<Set<String>> groups(Path table) {
        List<Row> rows = spark.read().parquet(table.toString()).collectAsList();
        java.util.Map<String, Set<String>> byGroup = new java.util.HashMap<>();
        for (Row r : rows) {
            byGroup.computeIfAbsent(r.getString(0), k -> new HashSet<>()).add(Plans.jsonPath(r.getString(2)));
        }
        return new HashSet<>(byGroup.values());
    }

    /**
     * Random .mp3 files (never decoded), four of them copied (one twice, into sub-folders), same-size files that
     * differ at the start, at the end only (from 1 MiB: the last bytes) and in the middle (only the whole hash
     * tells); the sample photos, each re-encoded smaller (a look-alike); a damaged image.
     */
    static void makeTree(Path root) throws IOException {
        Random random = new Random(20);
        Path a = Files.createDirectories(root.resolve("a"));
        Path b = Files.createDirectories(root.resolve("b/deeper"));
        List<Path> originals = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] bytes = new byte[1000 + random.nextInt(3000)];
            random.nextBytes(bytes);
            Path f = a.resolve("song-" + i + ".mp3");
            Files.write(f, bytes);
            originals.add(f);
        }
        for (int i = 0; i < 4; i++) {
            Path copy = Files.copy(originals.get(i), b.resolve("copy-" + i + ".mp3"));
            Files.setLastModifiedTime(copy, FileTime.fromMillis(1_600_000_000_000L + i));
        }
        Files.copy(originals.get(0), root.resolve("again-0.mp3"));
        byte[] big = new byte[(1 << 20) + 100];
        random.nextBytes(big);
        Files.write(a.resolve("big.mp3"), big);
        big[big.length - 1] ^= 1; // same start, different end
        Files.write(b.resolve("big-end.mp3"), big);
        big[big.length - 1] ^= 1;
        big[500_000] ^= 1; // same first and last 4 KiB: only the whole file tells
        Files.write(b.resolve("big-middle.mp3"), big);
        Files.write(root.resolve("broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, 4});

        int n = 0;
        try (Stream<Path> samples = Files.list(Path.of("..", "samples", "photos", "inbox"))) {
            for (Path sample : samples.filter(p -> p.toString().endsWith(".jpg")).sorted().toList()) {
                BufferedImage image = ImageIO.read(sample.toFile());
                if (image == null) {
                    continue;
                }
                Files.copy(sample, a.resolve("look-" + n + ".jpg"));
                int w = image.getWidth() * 3 / 4;
                int h = image.getHeight() * 3 / 4;
                BufferedImage small = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = small.createGraphics();
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(image, 0, 0, w, h, null);
                g.dispose();
                ImageIO.write(small, "jpg", b.resolve("look-" + n + "-small.jpg").toFile());
                n++;
            }
        }
    }
}
