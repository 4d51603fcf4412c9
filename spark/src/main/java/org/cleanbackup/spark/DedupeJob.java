package org.cleanbackup.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.cleanbackup.group.KeepPolicy;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.phash.PerceptualHash;
import org.cleanbackup.similar.HashGrouping;

/**
 * {@code dedupe} on a Spark cluster: the stages of {@code cleanbackup dedupe} over a file tree too large for one
 * machine, with the library's own hashers, writing tables and plans; it never changes a file.
 *
 * <pre>
 * spark-submit --class org.cleanbackup.spark.DedupeJob cleanbackup-spark.jar \
 *     dedupe --input hdfs://nn/photos --output hdfs://nn/cleanbackup/run1
 * java -cp ... org.cleanbackup.spark.DedupeJob dedupe --master 'local[2]' --input /photos --output /tmp/run1
 * </pre>
 *
 * <p>The stages, as the local tool's: list (Hadoop {@code FileSystem}); group by size; the first and last 4 KiB of
 * the sizes that repeat; the whole file (XXH3) for what still collides; perceptual hashes of the images; look-alike
 * pairs by a banded self-join on the 64-bit hashes ({@link BandedJoin}), then the Hamming filter and the same
 * non-chaining grouping as {@code dedupe --mode similar} ({@link HashGrouping#groupsOfPairs}), on the driver, which
 * only ever holds the images that have a neighbour.
 *
 * <p>It writes under {@code --output}: {@code files} (Parquet, one row a file: path, size, mtime, content hash where
 * computed, pHash, pixels, capture date, problem), {@code exact} and {@code similar} (Parquet, one row a group
 * member), and {@code plan.json} and {@code plan-similar.json}: plans in the JSON of {@code cleanbackup dedupe
 * --json} (every duplicate to the trash, status {@code planned}), which {@code cleanbackup apply PLAN.json} carries
 * out, re-checking each file, on a machine that mounts the files.
 */
public final class DedupeJob {

    private DedupeJob() {
    }

    /** Runs the job: {@code dedupe --input URI... --output URI [--threshold BITS] [--every-file] [--master M]}. */
    public static void main(String[] args) throws IOException {
        JobOptions options;
        try {
            options = JobOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        SparkSession.Builder builder = SparkSession.builder().appName("cleanbackup dedupe");
        if (options.master() != null) {
            builder.master(options.master());
        }
        try (SparkSession spark = configure(builder).getOrCreate()) {
            try {
                System.out.println(run(spark, options));
            } catch (BandedJoin.TooManyCandidatesException e) {
                System.err.println("error: " + e.getMessage());
                System.exit(1);
            }
        }
    }

    /** The settings the job relies on: adaptive execution and its skew join (the banded join's guard). */
    static SparkSession.Builder configure(SparkSession.Builder builder) {
        return builder.config("spark.sql.adaptive.enabled", "true")
                .config("spark.sql.adaptive.skewJoin.enabled", "true")
                .config("spark.ui.enabled", "false");
    }

    /** What a run found. */
    public record Summary(long files, long exactGroups, long similarGroups, long problems) {
        @Override
        public String toString() {
            return files + " files, " + exactGroups + " groups of identical files, " + similarGroups
                    + " groups of look-alike images, " + problems + " problems";
        }
    }

    /** Runs the stages on {@code spark} and writes the outputs. */
    public static Summary run(SparkSession spark, JobOptions options) throws IOException {
        Path out = new Path(options.output());
        FileSystem outFs = out.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (outFs.exists(out)) {
            throw new IOException("output " + out + " exists: choose a new folder (nothing was written)");
        }
        Listing.HadoopConf shipped = Listing.HadoopConf.of(spark.sparkContext().hadoopConfiguration());
        Dataset<Row> listed = Listing.list(spark, options).persist(StorageLevel.MEMORY_AND_DISK());

        // exact: sizes that repeat -> first/last bytes -> whole file for what still collides
        Dataset<Row> repeatedSizes = listed.groupBy("size").agg(count(lit(1)).as("n")).filter("n > 1").select("size");
        Dataset<Row> candidates = listed.join(repeatedSizes, "size").select("path", "size", "mtime");
        Dataset<Row> edged = candidates.mapPartitions((Iterator<Row> it) -> FileStages.edgeKeys(it, shipped),
                Encoders.row(FileStages.KEYED)).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> edgeRepeats = edged.filter("key IS NOT NULL").groupBy("size", "key")
                .agg(count(lit(1)).as("n")).filter("n > 1").select("size", "key");
        Dataset<Row> hashed = edged.join(edgeRepeats, new String[] {"size", "key"}).select("path", "size", "mtime")
                .mapPartitions((Iterator<Row> it) -> FileStages.contentHashes(it, shipped),
                        Encoders.row(FileStages.KEYED)).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> hashRepeats = hashed.filter("key IS NOT NULL").groupBy("key")
                .agg(count(lit(1)).as("n")).filter("n > 1").select("key");
        List<Row> exactRows = hashed.join(hashRepeats, "key").select("key", "path", "size", "mtime").collectAsList();

        // images: perceptual hash, pixels, capture date; ids for the join
        Dataset<Row> images = listed.filter("image").select("path")
                .mapPartitions((Iterator<Row> it) -> FileStages.images(it, shipped), Encoders.row(FileStages.IMAGE))
                .withColumn("id", monotonically_increasing_id())
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> coded = images.filter("phash IS NOT NULL").select("id", "phash");
        List<Row> pairRows = BandedJoin.pairs(coded, options.threshold(), options.maxCandidates()).collectAsList();
        // the driver holds only the images that have a neighbour (and the degenerate ones, grouped by equality)
        List<Row> ids = new ArrayList<>();
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (Row p : pairRows) {
            for (int k = 0; k < 2; k++) {
                if (seen.add(p.getLong(k))) {
                    ids.add(RowFactory.create(p.getLong(k)));
                }
            }
        }
        Dataset<Row> pairIds = spark.createDataFrame(ids, new StructType().add("id", DataTypes.LongType, false))
                .union(coded.filter("phash = 0 OR phash = -1").select("id")).distinct();
        List<Row> nodeRows = images.join(pairIds, "id").join(listed.select("path", "size", "mtime"), "path")
                .select("id", "path", "size", "mtime", "pixels", "phash").collectAsList();

        // the table of every file
        Dataset<Row> files = listed
                .join(edged.select(col("path"), col("problem").as("edge_problem")), "path", "left")
                .join(hashed.select(col("path"), col("key").as("content_hash"), col("problem").as("hash_problem")),
                        "path", "left")
                .join(images.select(col("path"), col("phash"), col("pixels"), col("capture_date"),
                        col("problem").as("image_problem")), "path", "left")
                .selectExpr("path", "size", "mtime", "content_hash", "phash", "pixels", "capture_date",
                        "coalesce(edge_problem, hash_problem, image_problem) AS problem");
        files.write().mode(SaveMode.ErrorIfExists).parquet(new Path(out, "files").toString());

        List<Plans.Group> exact = exactGroups(exactRows, options);
        List<Plans.Group> similar = similarGroups(nodeRows, pairRows, options);
        List<Row> problems = spark.read().parquet(new Path(out, "files").toString())
                .filter("problem IS NOT NULL").select("path", "problem").collectAsList();
        Row totals = listed.agg(count(lit(1)), org.apache.spark.sql.functions.sum("size")).first();
        long fileCount = totals.getLong(0);
        long bytes = totals.isNullAt(1) ? 0 : totals.getLong(1);

        groupTable(spark, exact).write().parquet(new Path(out, "exact").toString());
        groupTable(spark, similar).write().parquet(new Path(out, "similar").toString());
        try (OutputStream os = outFs.create(new Path(out, "plan.json"), false)) {
            Plans.write(os, exact, problems, fileCount, bytes, FileStages.algorithm());
        }
        try (OutputStream os = outFs.create(new Path(out, "plan-similar.json"), false)) {
            Plans.write(os, similar, problems, fileCount, bytes, FileStages.algorithm());
        }
        listed.unpersist();
        edged.unpersist();
        hashed.unpersist();
        images.unpersist();
        return new Summary(fileCount, exact.size(), similar.size(), problems.size());
    }

    /** One row a member: group (its hash), role (keep or duplicate), path, size, distance (look-alikes). */
    private static Dataset<Row> groupTable(SparkSession spark, List<Plans.Group> groups) {
        StructType schema = new StructType().add("group", DataTypes.StringType).add("role", DataTypes.StringType)
                .add("path", DataTypes.StringType).add("size", DataTypes.LongType)
                .add("distance", DataTypes.IntegerType, true);
        List<Row> rows = new ArrayList<>();
        for (Plans.Group g : groups) {
            rows.add(RowFactory.create(g.hash(), "keep", g.keep().path(), g.keep().size(), null));
            for (int k = 0; k < g.duplicates().size(); k++) {
                Plans.Member m = g.duplicates().get(k);
                rows.add(RowFactory.create(g.hash(), "duplicate", m.path(), m.size(), m.distance()));
            }
        }
        return spark.createDataFrame(rows, schema).coalesce(1);
    }

    /** Exact groups, the copy to keep chosen by the local rule ({@link KeepPolicy#OLDEST}, the default). */
    static List<Plans.Group> exactGroups(List<Row> rows, JobOptions options) {
        Map<String, List<Row>> byHash = new LinkedHashMap<>();
        for (Row r : rows) {
            byHash.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r);
        }
        List<Plans.Group> groups = new ArrayList<>();
        byHash.forEach((hash, members) -> {
            Map<MediaFile, Plans.Member> back = new HashMap<>();
            List<MediaFile> files = new ArrayList<>();
            for (Row r : members) {
                MediaFile f = mediaFile(r.getString(1), r.getLong(2), r.getLong(3), options);
                files.add(f);
                back.put(f, new Plans.Member(r.getString(1), r.getLong(2), r.getLong(3), 0));
            }
            List<MediaFile> ranked = KeepPolicy.OLDEST.rankFiles(files);
            groups.add(new Plans.Group(hash, back.get(ranked.get(0)), "oldest modification time",
                    ranked.subList(1, ranked.size()).stream().map(back::get).toList()));
        });
        groups.sort(Comparator.comparingLong(Plans.Group::reclaimable).reversed()
                .thenComparing(g -> g.keep().path()));
        return groups;
    }

    /**
     * Look-alike groups from the join's pairs, with the local finder's grouping; the keeper order is the local
     * ranking's where the job knows the facts (older file time in 2 s steps, more pixels, larger file, not an OS copy
     * name, path); camera marks are not read on the cluster.
     */
    static List<Plans.Group> similarGroups(List<Row> nodes, List<Row> pairRows, JobOptions options) {
        int n = nodes.size();
        Map<Long, Integer> index = new HashMap<>();
        long[] codes = new long[n];
        for (int i = 0; i < n; i++) {
            index.put(nodes.get(i).getLong(0), i);
            codes[i] = nodes.get(i).getLong(5);
        }
        List<Long> pairList = new ArrayList<>();
        for (Row p : pairRows) {
            int i = index.get(p.getLong(0));
            int j = index.get(p.getLong(1));
            pairList.add(i < j ? (long) i << 32 | j : (long) j << 32 | i);
        }
        // degenerate hashes, kept out of the join: one group per value, as cliques of equal codes
        Map<Long, List<Integer>> flat = new HashMap<>();
        for (int i = 0; i < n; i++) {
            if (BandedJoin.degenerate(codes[i])) {
                flat.computeIfAbsent(codes[i], k -> new ArrayList<>()).add(i);
            }
        }
        for (List<Integer> same : flat.values()) {
            for (int x = 0; x < same.size(); x++) {
                for (int y = x + 1; y < same.size() && y < x + 10_000; y++) {
                    int i = Math.min(same.get(x), same.get(y));
                    int j = Math.max(same.get(x), same.get(y));
                    pairList.add((long) i << 32 | j);
                }
            }
        }
        long[] pairs = pairList.stream().mapToLong(Long::longValue).toArray();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        List<MediaFile> asFiles = new ArrayList<>();
        for (Row r : nodes) {
            asFiles.add(mediaFile(r.getString(1), r.getLong(2), r.getLong(3), options));
        }
        order.sort(Comparator.<Integer>comparingLong(i -> nodes.get(i).getLong(3) / 2000)
                .thenComparingLong(i -> nodes.get(i).isNullAt(4) ? 0 : -nodes.get(i).getLong(4))
                .thenComparingLong(i -> -nodes.get(i).getLong(2))
                .thenComparing(i -> KeepPolicy.hasCopyName(asFiles.get(i)))
                .thenComparing(i -> asFiles.get(i).path().toString()));
        List<Plans.Group> groups = new ArrayList<>();
        for (int[] members : HashGrouping.groupsOfPairs(codes, pairs, order.stream().mapToInt(Integer::intValue).toArray())) {
            int keep = members[0];
            List<Plans.Member> duplicates = new ArrayList<>();
            for (int k = 1; k < members.length; k++) {
                Row r = nodes.get(members[k]);
                duplicates.add(new Plans.Member(r.getString(1), r.getLong(2), r.getLong(3),
                        Long.bitCount(codes[keep] ^ codes[members[k]])));
            }
            Row r = nodes.get(keep);
            groups.add(new Plans.Group("phash:" + new PerceptualHash(codes[keep]).hex(),
                    new Plans.Member(r.getString(1), r.getLong(2), r.getLong(3), 0),
                    "oldest file, then most pixels, then largest", duplicates));
        }
        groups.sort(Comparator.comparingLong(Plans.Group::reclaimable).reversed()
                .thenComparing(g -> g.keep().path()));
        return groups;
    }

    /** A listed file as the library's value, for its ranking rules. */
    private static MediaFile mediaFile(String uri, long size, long mtime, JobOptions options) {
        java.nio.file.Path path = Plans.displayPath(uri);
        java.nio.file.Path root = path.getRoot() == null ? path : path.getRoot();
        for (String input : options.inputs()) {
            java.nio.file.Path r = Plans.displayPath(new Path(input).toString());
            if (path.startsWith(r)) {
                root = r;
            }
        }
        return new MediaFile(path, root, false, size, mtime, null);
    }
}
