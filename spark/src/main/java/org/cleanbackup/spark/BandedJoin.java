package org.cleanbackup.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * All pairs of 64-bit hashes within a threshold, as a banded self-join.
 *
 * <p>The 64 bits are cut into {@code t + 1} bands of nearly equal width. Two hashes that differ in at most {@code t}
 * bits differ in at most {@code t} bands, so by the pigeonhole principle at least one band is equal in both: joining
 * on (band, band value) finds every pair within the threshold, exactly, and the Hamming filter then drops the pairs
 * that only share a band. Wider bands (a lower threshold) mean rarer collisions: each band of {@code w} bits puts a
 * random pair together with probability {@code 2^-w}; docs/scale.md has the figures.
 *
 * <p>Skew: a degenerate hash (all zeros, all ones: blank frames, flat scans) would meet every other one in every
 * band. They are kept out of the join, and the job groups them by equality instead (one group per value), and adaptive query execution splits whatever skewed join partition is left (the job turns
 * {@code spark.sql.adaptive.skewJoin.enabled} on).
 */
final class BandedJoin {

    static final StructType BANDS = new StructType()
            .add("band", DataTypes.IntegerType, false)
            .add("value", DataTypes.LongType, false)
            .add("id", DataTypes.LongType, false)
            .add("phash", DataTypes.LongType, false);

    private BandedJoin() {
    }

    /** Whether a hash is kept out of the join (grouped by equality instead). */
    static boolean degenerate(long hash) {
        return hash == 0L || hash == -1L;
    }

    /** The first bit of each band, and 64 at the end: {@code t + 1} bands as equal as can be. */
    static int[] bandStarts(int threshold) {
        int bands = threshold + 1;
        int[] starts = new int[bands + 1];
        for (int b = 0; b <= bands; b++) {
            starts[b] = (int) ((long) 64 * b / bands);
        }
        return starts;
    }

    /**
     * The pairs {@code (a, b)}, {@code a < b}, of ids whose hashes are within {@code threshold} bits, each once.
     *
     * @param hashes        rows with columns {@code id} (long) and {@code phash} (long)
     * @param maxCandidates the most candidate pairs (pairs sharing a band) the join may make
     * @throws TooManyCandidatesException when the join would make more
     */
    static Dataset<Row> pairs(Dataset<Row> hashes, int threshold, long maxCandidates) {
        int[] starts = bandStarts(threshold);
        Dataset<Row> usable = hashes.filter("phash != 0 AND phash != -1");
        Dataset<Row> bands = usable.select("id", "phash").mapPartitions((Iterator<Row> it) -> {
            List<Row> out = new ArrayList<>();
            while (it.hasNext()) {
                Row r = it.next();
                long id = r.getLong(0);
                long h = r.getLong(1);
                for (int b = 0; b + 1 < starts.length; b++) {
                    int width = starts[b + 1] - starts[b];
                    long value = (h >>> starts[b]) & (width == 64 ? -1L : (1L << width) - 1);
                    out.add(RowFactory.create(b, value, id, h));
                }
            }
            return out.iterator();
        }, Encoders.row(BANDS));
        // Before the join, what it would cost: the pairs sharing a band value, summed over the bands (one cheap
        // aggregation). Quadratic when the bands are narrow for the number of images (docs/scale.md): refused then,
        // with the figure, rather than left to run for days.
        bands = bands.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
        Row cost = bands.groupBy("band", "value").count()
                .selectExpr("coalesce(sum(count * (count - 1) / 2), 0) AS pairs", "coalesce(max(count), 0) AS widest")
                .first();
        long candidates = (long) cost.getDouble(0);
        if (candidates > maxCandidates) {
            throw new TooManyCandidatesException(candidates, cost.getLong(1), threshold, maxCandidates);
        }
        Dataset<Row> a = bands.alias("a");
        Dataset<Row> b = bands.alias("b");
        Dataset<Row> joined = a.join(b, col("a.band").equalTo(col("b.band"))
                        .and(col("a.value").equalTo(col("b.value")))
                        .and(col("a.id").lt(col("b.id"))))
                .filter(expr("bit_count(a.phash ^ b.phash) <= " + threshold))
                .select(col("a.id").as("a"), col("b.id").as("b"))
                .distinct();
        return joined;
    }

    /** The join would compare too many pairs: the threshold is too high for this many images. */
    static final class TooManyCandidatesException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        TooManyCandidatesException(long candidates, long widest, int threshold, long limit) {
            super("the look-alike join at --threshold " + threshold + " would compare " + candidates
                    + " candidate pairs (the most common band value is shared by " + widest + " images), over the limit"
                    + " of " + limit + ": lower --threshold or raise --max-candidates (docs/scale.md)");
        }
    }
}
