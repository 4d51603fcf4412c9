package org.cleanbackup.similar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Finds all pairs of 64-bit codes within a Hamming distance, or all codes near one query, without comparing
 * every code with every other.
 *
 * <p>Multi-index hashing (Norouzi, Punjani and Fleet, "Fast Search in Hamming Space with Multi-Index Hashing",
 * CVPR 2012), with the per-chunk radii of its generalized pigeonhole rule: take {@code m} disjoint chunks of the
 * 64 bits, chunk {@code c} with a search radius {@code r_c}, such that {@code sum(r_c + 1) > t}. Then two codes
 * within {@code t} bits agree to within {@code r_c} bits on at least one chunk {@code c}: otherwise they would
 * differ in at least {@code sum(r_c + 1)} bits. So each chunk gets a table from chunk value to the codes that
 * have it, and only codes in buckets within {@code r_c} of each other are compared, with one XOR and a popcount.
 * The chunks need not cover all 64 bits; the full distance is always checked.
 *
 * <p>Choices, and why:
 * <ul>
 * <li>A table is direct-addressed CSR (bucket offsets, then the members sorted by chunk value), so chunks have at
 * most {@value #MAX_CHUNK_BITS} bits. Each bucket stores its members' full codes next to their indices: a
 * candidate check reads the codes it is already streaming through instead of a random {@code codes[id]}.</li>
 * <li>A pair near in several chunks is reported only from the first such chunk ({@link Layout#firstNear}), so
 * nothing needs remembering which pairs were already seen, and every pair comes out exactly once.</li>
 * <li>The chunking is chosen from the number of codes and the threshold by a cost model ({@link Layout#choose}):
 * more, narrower chunks with smaller radii probe far fewer buckets, but their buckets are fuller. At 1M codes and
 * {@code t = 8} that is four 16-bit chunks with radii 2, 1, 1, 1 (9 > 8); at 10M, three chunks of 22/21/21 bits
 * at radius 2.</li>
 * <li>For all pairs ({@link #allPairs}) the search runs bucket against bucket instead of code by code: for every
 * flip {@code f} within a chunk's radius, each code in bucket {@code v} is compared with the codes in bucket
 * {@code v ^ f}, only for {@code v < v ^ f} (within a bucket, each pair once). So each pair is found once, not
 * from both ends, and memory is read nearly in order (a block of buckets against all its flips at a time, so both
 * sides stay in the cache) instead of one random cache miss per probed bucket per query, which made the
 * per-query search slow: about 700 probes per query, mostly of empty buckets. Only one chunk's table is in memory
 * at a time: at 10M codes 136 MB (offsets 16 MB, codes 80 MB, indices 40 MB).</li>
 * </ul>
 */
final class HammingIndex {

    /** The widest chunk: its table has 2^22 + 1 bucket offsets (16 MB). */
    static final int MAX_CHUNK_BITS = 22;

    /** About how many codes {@link #allPairs} compares a block of buckets at a time with its neighbours. */
    private static final int BLOCK_CODES = 16_384;

    private final int threshold;
    private final Layout layout;
    private final Table[] tables;

    HammingIndex(long[] codes, int threshold) {
        this(codes, threshold, Layout.choose(codes.length, threshold));
    }

    HammingIndex(long[] codes, int threshold, Layout layout) {
        checkThreshold(threshold);
        layout.check(threshold);
        this.threshold = threshold;
        this.layout = layout;
        this.tables = new Table[layout.chunks()];
        for (int c = 0; c < tables.length; c++) {
            tables[c] = new Table(codes, layout, c);
        }
    }

    private static void checkThreshold(int threshold) {
        if (threshold < 0 || threshold > 32) {
            throw new IllegalArgumentException("threshold must be 0..32, was " + threshold);
        }
    }

    /** Calls {@code hit} once for every code index whose code is within the threshold of {@code query}. */
    void query(long query, IntConsumer hit) {
        for (int c = 0; c < tables.length; c++) {
            Table table = tables[c];
            int value = layout.value(query, c);
            for (int flip : layout.masks(c)) {
                int bucket = value ^ flip;
                for (int k = table.start[bucket]; k < table.start[bucket + 1]; k++) {
                    long diff = query ^ table.codes[k];
                    if (Long.bitCount(diff) <= threshold && layout.firstNear(diff) == c) {
                        hit.accept(table.ids[k]);
                    }
                }
            }
        }
    }

    /**
     * Every pair {@code i < j} with {@code codes[i]} and {@code codes[j]} within {@code threshold} bits, each once,
     * packed as {@code (long) i << 32 | j}, in no particular order.
     *
     * @param pool  runs the comparisons; {@code tasks} of them per chunk
     */
    static long[] allPairs(long[] codes, int threshold, Layout layout, ExecutorService pool, int tasks)
            throws InterruptedException, ExecutionException {
        checkThreshold(threshold);
        layout.check(threshold);
        List<long[]> parts = new ArrayList<>();
        for (int c = 0; c < layout.chunks(); c++) {
            Table table = new Table(codes, layout, c);
            int[] flips = layout.masks(c);
            int chunk = c;
            // Blocks of buckets with about BLOCK_CODES codes (128 KB, they stay in the cache), dealt round-robin to
            // the tasks: every block has the same flips to do, so the tasks come out even.
            int bits = layout.bits[c];
            int log2Blocks = 31 - Integer.numberOfLeadingZeros(Math.max(1, codes.length / BLOCK_CODES));
            int blockSize = 1 << Math.max(0, bits - log2Blocks);
            int blocks = (1 << bits) / blockSize;
            int taskCount = Math.min(tasks, blocks);
            List<Future<long[]>> futures = new ArrayList<>();
            for (int task = 0; task < taskCount; task++) {
                int first = task;
                futures.add(pool.submit(() -> {
                    PairList out = new PairList();
                    for (int b = first; b < blocks; b += taskCount) {
                        table.join(b * blockSize, (b + 1) * blockSize, flips, threshold, layout, chunk, out);
                    }
                    return out.toArray();
                }));
            }
            for (Future<long[]> f : futures) {
                parts.add(f.get());
            }
        }
        return PairList.concat(parts);
    }

    /** One chunk's table: the codes sorted by chunk value, with their indices, and where each bucket starts. */
    private static final class Table {
        /** Bucket {@code v} is positions {@code start[v]} to {@code start[v + 1]} of codes and ids. */
        final int[] start;
        final long[] codes;
        final int[] ids;

        Table(long[] all, Layout layout, int c) {
            int buckets = 1 << layout.bits[c];
            start = new int[buckets + 1];
            for (long code : all) {
                start[layout.value(code, c)]++;
            }
            // Counting sort; afterwards start[v] is the end of bucket v, so shift by one.
            int sum = 0;
            for (int v = 0; v < buckets; v++) {
                sum += start[v];
                start[v] = sum - start[v];
            }
            codes = new long[all.length];
            ids = new int[all.length];
            for (int i = 0; i < all.length; i++) {
                int k = start[layout.value(all[i], c)]++;
                codes[k] = all[i];
                ids[k] = i;
            }
            System.arraycopy(start, 0, start, 1, buckets);
            start[0] = 0;
        }

        /**
         * Compares, for every flip, each code in buckets {@code from..to} (a block) with each code in bucket
         * {@code v ^ flip}, for {@code v < v ^ flip}; and, for flip 0, each pair within a bucket once.
         *
         * <p>A block at a time, all flips: the flips are in ascending order, so the ones that lead into the same
         * other block come one after another, and both blocks stay in the cache while they are compared. A flip
         * at a time over the whole table would stream it from memory once per flip (hundreds of times).
         */
        void join(int from, int to, int[] flips, int threshold, Layout layout, int c, PairList out) {
            for (int flip : flips) {
                if (flip == 0) {
                    for (int k = start[from], end = start[to]; k < end; k++) {
                        long code = codes[k];
                        for (int l = k + 1, bucketEnd = start[layout.value(code, c) + 1]; l < bucketEnd; l++) {
                            compare(code, k, l, threshold, layout, c, out);
                        }
                    }
                    continue;
                }
                // v < v ^ flip exactly when v has a 0 at flip's highest bit: every other run of `high` buckets.
                int high = Integer.highestOneBit(flip);
                int run = Math.min(high, to - from);
                for (int v = from; v < to; v += run) {
                    if ((v & high) != 0) {
                        continue;
                    }
                    for (int k = start[v], end = start[v + run]; k < end; k++) {
                        long code = codes[k];
                        int w = layout.value(code, c) ^ flip;
                        for (int l = start[w], wEnd = start[w + 1]; l < wEnd; l++) {
                            compare(code, k, l, threshold, layout, c, out);
                        }
                    }
                }
            }
        }

        private void compare(long code, int k, int l, int threshold, Layout layout, int c, PairList out) {
            long diff = code ^ codes[l];
            if (Long.bitCount(diff) <= threshold && layout.firstNear(diff) == c) {
                out.add(ids[k], ids[l]);
            }
        }
    }

    /**
     * The chunks: chunk {@code c} is {@code bits[c]} bits from bit {@code shift[c]}, searched to {@code radius[c]}
     * differing bits.
     */
    static final class Layout {
        final int[] shift;
        final int[] bits;
        final int[] radius;
        private final long[] chunkMask;
        private final int[][] masks;

        Layout(int[] bits, int[] radius) {
            if (bits.length == 0 || bits.length != radius.length) {
                throw new IllegalArgumentException("one radius per chunk, at least one chunk");
            }
            this.bits = bits.clone();
            this.radius = radius.clone();
            this.shift = new int[bits.length];
            this.chunkMask = new long[bits.length];
            this.masks = new int[bits.length][];
            int at = 0;
            for (int c = 0; c < bits.length; c++) {
                if (bits[c] < 1 || bits[c] > MAX_CHUNK_BITS || radius[c] < 0) {
                    throw new IllegalArgumentException("chunk " + c + ": " + bits[c] + " bits, radius " + radius[c]);
                }
                shift[c] = at;
                chunkMask[c] = ((1L << bits[c]) - 1) << at;
                at += bits[c];
                int r = radius[c];
                masks[c] = IntStream.range(0, 1 << bits[c]).filter(f -> Integer.bitCount(f) <= r).toArray();
            }
            if (at > 64) {
                throw new IllegalArgumentException("chunks take " + at + " bits of 64");
            }
        }

        int chunks() {
            return bits.length;
        }

        /** Checks the pigeonhole condition, without which pairs would be missed. */
        void check(int threshold) {
            if (Arrays.stream(radius).map(r -> r + 1).sum() <= threshold) {
                throw new IllegalArgumentException(this + " can miss pairs at threshold " + threshold);
            }
        }

        int value(long code, int c) {
            return (int) ((code & chunkMask[c]) >>> shift[c]);
        }

        /** The flips searched around a chunk value: every mask with at most radius one bits, ascending (0 first). */
        int[] masks(int c) {
            return masks[c];
        }

        /** The first chunk in which two codes that differ in {@code diff} are within its radius, or -1. */
        int firstNear(long diff) {
            for (int c = 0; c < chunkMask.length; c++) {
                if (Long.bitCount(diff & chunkMask[c]) <= radius[c]) {
                    return c;
                }
            }
            return -1;
        }

        @Override
        public String toString() {
            return "chunks of " + Arrays.toString(bits) + " bits, radii " + Arrays.toString(radius);
        }

        /**
         * The cheapest chunking for {@code n} codes by a cost model of {@link #allPairs}: searching chunk {@code c}
         * costs, per flip mask within its radius, a partner-bucket lookup for half the codes plus a comparison for
         * every pair of codes in buckets that far apart, about {@code n^2 / 2^(bits + 1)}. Tried: {@code m} chunks
         * of equal width (at most 16 chunks of 4 to 22 bits), the {@code t + 1 - m} radius units beyond 0 handed
         * out one at a time to the chunk where a unit costs least.
         */
        static Layout choose(int n, int threshold) {
            checkThreshold(threshold);
            double bestCost = Double.POSITIVE_INFINITY;
            int[] bestBits = null;
            int[] bestRadius = null;
            for (int m = 1; m <= Math.min(threshold + 1, 16); m++) {
                for (int width = 4; width <= Math.min(MAX_CHUNK_BITS, 64 / m); width++) {
                    int[] bits = new int[m];
                    Arrays.fill(bits, width);
                    if (width == 64 / m) { // use the leftover bits too, where they fit
                        for (int c = 0; c < 64 % m && width < MAX_CHUNK_BITS; c++) {
                            bits[c]++;
                        }
                    }
                    int[] radius = new int[m];
                    for (int extra = threshold + 1 - m; extra > 0; extra--) {
                        int cheapest = 0;
                        double least = Double.POSITIVE_INFINITY;
                        for (int c = 0; c < m; c++) {
                            double more = cost(n, bits[c], radius[c] + 1) - cost(n, bits[c], radius[c]);
                            if (more < least) {
                                least = more;
                                cheapest = c;
                            }
                        }
                        radius[cheapest]++;
                    }
                    double total = 0;
                    for (int c = 0; c < m; c++) {
                        total += cost(n, bits[c], radius[c]);
                    }
                    if (total < bestCost) {
                        bestCost = total;
                        bestBits = bits;
                        bestRadius = radius;
                    }
                }
            }
            return new Layout(bestBits, bestRadius);
        }

        /**
         * What looking up the partner bucket of one code costs, in code comparisons: about 10 (measured at 1M codes,
         * where four 16-bit chunks ran in 3 s on one thread and three 19- to 22-bit chunks in 4 to 6 s).
         */
        private static final double VISIT = 10;

        /** Work to search one chunk for all pairs: per flip, half the codes look up a partner bucket and compare. */
        private static double cost(int n, int bits, int radius) {
            double buckets = Math.pow(2, bits);
            double flips = 0;
            for (int k = 0; k <= Math.min(radius, bits); k++) {
                flips += binomial(bits, k);
            }
            // The last term: making the table.
            return flips * (VISIT * n / 2 + (double) n * n / buckets / 2) + buckets;
        }

        private static double binomial(int n, int k) {
            double b = 1;
            for (int i = 1; i <= k; i++) {
                b = b * (n - k + i) / i;
            }
            return b;
        }
    }

    /** A growable list of pairs packed as {@code (long) i << 32 | j}. */
    static final class PairList {
        private long[] pairs = new long[256];
        private int size;

        void add(int i, int j) {
            if (size == pairs.length) {
                pairs = Arrays.copyOf(pairs, size * 2);
            }
            pairs[size++] = i < j ? (long) i << 32 | j : (long) j << 32 | i;
        }

        long[] toArray() {
            return Arrays.copyOf(pairs, size);
        }

        static long[] concat(List<long[]> parts) {
            long total = 0;
            for (long[] p : parts) {
                total += p.length;
            }
            if (total > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("too many similar pairs (" + total + "): lower the threshold");
            }
            long[] all = new long[(int) total];
            int at = 0;
            for (long[] p : parts) {
                System.arraycopy(p, 0, all, at, p.length);
                at += p.length;
            }
            return all;
        }
    }
}
