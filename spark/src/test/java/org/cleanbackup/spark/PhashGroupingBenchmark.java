package org.cleanbackup.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cleanbackup.similar.HashGrouping;

/**
 * The same N 64-bit pHashes grouped by the local finder ({@link HashGrouping#groups}: multi-index search, 2 threads)
 * and by the job's banded self-join in {@code local[2]} plus the same grouping on the driver; prints both times and
 * whether the groups are equal. The hashes: {@code N * (1 - dup)} random ones and {@code N * dup} look-alikes of
 * them (1 to 6 bits flipped), seeded.
 *
 * <pre>
 * java $(cat spark/target/jvm-flags) -cp "$(cat /tmp/cp.txt):spark/target/classes:spark/target/test-classes" \
 *     org.cleanbackup.spark.PhashGroupingBenchmark 1000000 10 0.1
 * </pre>
 */
public final class PhashGroupingBenchmark {

    private PhashGroupingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int threshold = Integer.parseInt(args[1]);
        double dup = Double.parseDouble(args[2]);
        long[] codes = codes(n, dup, 20261208L);

        long t0 = System.nanoTime();
        List<int[]> local = HashGrouping.groups(codes, threshold, 2);
        long localMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("local finder: %d groups in %d ms%n", local.size(), localMs);

        long s0 = System.nanoTime();
        try (SparkSession spark = DedupeJob.configure(SparkSession.builder().master("local[2]"))
                .config("spark.driver.memory", "4g").getOrCreate()) {
            long startMs = (System.nanoTime() - s0) / 1_000_000;
            List<Row> rows = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                rows.add(RowFactory.create((long) i, codes[i]));
            }
            StructType schema = new StructType().add("id", DataTypes.LongType, false)
                    .add("phash", DataTypes.LongType, false);
            Dataset<Row> coded = spark.createDataFrame(rows, schema).repartition(8).cache();
            coded.count();
            for (int round = 0; round < 2; round++) { // the first round warms the JIT and Spark's code generation
                long t1 = System.nanoTime();
                List<Row> pairRows = BandedJoin.pairs(coded, threshold, Long.MAX_VALUE).collectAsList();
                long joinMs = (System.nanoTime() - t1) / 1_000_000;
                long[] pairs = new long[pairRows.size()];
                for (int k = 0; k < pairs.length; k++) {
                    pairs[k] = pairRows.get(k).getLong(0) << 32 | pairRows.get(k).getLong(1);
                }
                int[] order = new int[n];
                Arrays.setAll(order, i -> i);
                long t2 = System.nanoTime();
                List<int[]> distributed = HashGrouping.groupsOfPairs(codes, pairs, order);
                long groupMs = (System.nanoTime() - t2) / 1_000_000;
                boolean equal = local.size() == distributed.size();
                for (int g = 0; equal && g < local.size(); g++) {
                    equal = Arrays.equals(local.get(g), distributed.get(g));
                }
                System.out.printf("spark local[2] round %d: %d pairs, join %d ms + grouping on the driver %d ms"
                                + " (session start %d ms); groups equal to the local finder's: %b%n",
                        round + 1, pairs.length, joinMs, groupMs, startMs, equal);
            }
        }
    }

    static long[] codes(int n, double dup, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] codes = new long[n];
        int originals = Math.max(1, (int) (n * (1 - dup)));
        for (int i = 0; i < n; i++) {
            if (i < originals) {
                codes[i] = random.nextLong();
            } else {
                long c = codes[random.nextInt(originals)];
                int flips = 1 + random.nextInt(6);
                for (int f = 0; f < flips; f++) {
                    c ^= 1L << random.nextInt(64);
                }
                codes[i] = c;
            }
        }
        return codes;
    }
}
