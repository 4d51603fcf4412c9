package org.cleanbackup.similar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.cleanbackup.internal.Pools;

/**
 * All pairs of codes within a threshold, as adjacency lists (each sorted by neighbour), found with a
 * {@link HammingIndex} on several threads; then non-chaining groups.
 */
final class SimilarityGraph {

    private final int[] adjacencyStart;
    private final int[] adjacency;
    private final byte[] distance;

    private SimilarityGraph(int[] adjacencyStart, int[] adjacency, byte[] distance) {
        this.adjacencyStart = adjacencyStart;
        this.adjacency = adjacency;
        this.distance = distance;
    }

    /** {@link #build(long[], long[][], int, int, ExecutorService)} on {@code threads} threads of our own. */
    static SimilarityGraph build(long[] codes, long[][] variants, int threshold, int threads) {
        return build(codes, variants, threshold, threads, null);
    }

    /**
     * Builds the graph. {@code variants[i]} are extra codes of item i to query with (its flips and rotations), or
     * null to query with {@code codes[i]} alone. Runs on {@code executor}, or when it is null on {@code threads}
     * threads of our own.
     */
    static SimilarityGraph build(long[] codes, long[][] variants, int threshold, int threads, ExecutorService executor) {
        int n = codes.length;
        int tasks = Math.max(1, threads * 4);
        long[] pairs;
        try (Pools.Lease<ExecutorService> lease = Pools.fixed(executor, Math.max(1, threads), "cleanbackup-similar")) {
            ExecutorService pool = lease.executor();
            if (variants == null) {
                pairs = HammingIndex.allPairs(codes, threshold, HammingIndex.Layout.choose(n, threshold), pool, tasks);
            } else {
                HammingIndex index = new HammingIndex(codes, threshold);
                List<Future<long[]>> parts = new ArrayList<>();
                for (int s = 0; s < tasks; s++) {
                    int from = (int) ((long) n * s / tasks);
                    int to = (int) ((long) n * (s + 1) / tasks);
                    parts.add(pool.submit(() -> variantPairs(index, codes, variants, from, to)));
                }
                List<long[]> lists = new ArrayList<>();
                for (Future<long[]> part : parts) {
                    lists.add(part.get());
                }
                pairs = HammingIndex.PairList.concat(lists);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while comparing images", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("comparing images failed", e.getCause());
        }
        return fromPairs(codes, variants, pairs);
    }

    /**
     * The graph of the given pairs ({@code i << 32 | j}, {@code i < j}; duplicates allowed; the array is sorted in
     * place), found by whatever search: the multi-index one above, or a distributed join (the spark module).
     */
    static SimilarityGraph fromPairs(long[] codes, long[][] variants, long[] pairs) {
        int n = codes.length;
        // Sorted, the pairs (i << 32 | j, i < j) fill every adjacency list in ascending order, whatever the
        // chunking and the number of threads; and a pair found more than once (through variants) is adjacent.
        Arrays.sort(pairs);
        int unique = 0;
        for (int k = 0; k < pairs.length; k++) {
            if (k == 0 || pairs[k] != pairs[k - 1]) {
                pairs[unique++] = pairs[k];
            }
        }
        if (2L * unique > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("too many similar pairs (" + unique + "): lower the threshold");
        }
        int[] start = new int[n + 1];
        for (int k = 0; k < unique; k++) {
            start[(int) (pairs[k] >>> 32) + 1]++;
            start[(int) pairs[k] + 1]++;
        }
        for (int i = 0; i < n; i++) {
            start[i + 1] += start[i];
        }
        int[] fill = Arrays.copyOf(start, n);
        int[] adjacency = new int[2 * unique];
        byte[] distance = new byte[2 * unique];
        for (int k = 0; k < unique; k++) {
            int i = (int) (pairs[k] >>> 32);
            int j = (int) pairs[k];
            byte d = (byte) pairDistance(codes, variants, i, j);
            adjacency[fill[i]] = j;
            distance[fill[i]++] = d;
            adjacency[fill[j]] = i;
            distance[fill[j]++] = d;
        }
        return new SimilarityGraph(start, adjacency, distance);
    }

    /** The smallest distance between i's variants and j's upright code. */
    static int pairDistance(long[] codes, long[][] variants, int i, int j) {
        int best = Long.bitCount(codes[i] ^ codes[j]);
        if (variants != null) {
            for (long v : variants[i]) {
                best = Math.min(best, Long.bitCount(v ^ codes[j]));
            }
            for (long v : variants[j]) {
                best = Math.min(best, Long.bitCount(v ^ codes[i]));
            }
        }
        return best;
    }

    /**
     * Pairs found by querying items from..to with their upright code and every variant; a pair may come out
     * several times (from both ends, or through several variants).
     */
    private static long[] variantPairs(HammingIndex index, long[] codes, long[][] variants, int from, int to) {
        HammingIndex.PairList out = new HammingIndex.PairList();
        for (int i = from; i < to; i++) {
            int self = i;
            IntConsumer add = j -> {
                if (j != self) {
                    out.add(self, j);
                }
            };
            index.query(codes[i], add);
            for (long v : variants[i]) {
                index.query(v, add);
            }
        }
        return out.toArray();
    }

    /** Number of neighbours of item i. */
    int degree(int i) {
        return adjacencyStart[i + 1] - adjacencyStart[i];
    }

    /**
     * Greedy, non-chaining groups: items are taken in {@code order} (best first); an item not yet grouped starts
     * a group and takes every ungrouped neighbour. So every member is within the threshold of its group's first
     * item, never only of some other member.
     *
     * @return groups as arrays of item indices, keeper first; singletons are left out
     */
    List<int[]> groups(int[] order) {
        boolean[] taken = new boolean[adjacencyStart.length - 1];
        List<int[]> groups = new ArrayList<>();
        for (int keeper : order) {
            if (taken[keeper] || degree(keeper) == 0) {
                continue;
            }
            int[] members = new int[degree(keeper) + 1];
            int size = 0;
            members[size++] = keeper;
            taken[keeper] = true;
            for (int k = adjacencyStart[keeper]; k < adjacencyStart[keeper + 1]; k++) {
                int j = adjacency[k];
                if (!taken[j]) {
                    taken[j] = true;
                    members[size++] = j;
                }
            }
            if (size > 1) {
                groups.add(Arrays.copyOf(members, size));
            }
        }
        return groups;
    }

    /** The distance recorded for the edge (i, j), or -1 when they are not neighbours. */
    int distance(int i, int j) {
        for (int k = adjacencyStart[i]; k < adjacencyStart[i + 1]; k++) {
            if (adjacency[k] == j) {
                return distance[k];
            }
        }
        return -1;
    }
}
