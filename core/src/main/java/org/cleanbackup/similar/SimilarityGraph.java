package org.cleanbackup.similar;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * All pairs of codes within a threshold, as adjacency lists, found with a {@link HammingIndex} on several
 * threads; then non-chaining groups.
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

    /**
     * Builds the graph. {@code variants[i]} are extra codes of item i to query with (its flips and rotations), or
     * null to query with {@code codes[i]} alone.
     */
    static SimilarityGraph build(long[] codes, long[][] variants, int threshold, int threads) {
        HammingIndex index = new HammingIndex(codes, threshold);
        int n = codes.length;
        int slices = Math.max(1, threads * 4);
        List<long[]> edgeLists = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "cleanbackup-similar");
            t.setDaemon(true);
            return t;
        })) {
            List<Future<long[]>> parts = new ArrayList<>();
            for (int s = 0; s < slices; s++) {
                int from = (int) ((long) n * s / slices);
                int to = (int) ((long) n * (s + 1) / slices);
                parts.add(pool.submit(() -> edges(index, codes, variants, from, to)));
            }
            for (Future<long[]> part : parts) {
                edgeLists.add(part.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while comparing images", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("comparing images failed", e.getCause());
        }
        // Edges are packed as (i << 32 | j) with i < j; make adjacency lists both ways (CSR).
        int[] degree = new int[n + 1];
        long total = 0;
        for (long[] list : edgeLists) {
            for (int k = 1; k <= (int) list[0]; k++) {
                long e = list[k];
                degree[(int) (e >>> 32) + 1]++;
                degree[(int) e + 1]++;
                total += 2;
            }
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("too many similar pairs (" + total / 2 + "): lower the threshold");
        }
        for (int i = 0; i < n; i++) {
            degree[i + 1] += degree[i];
        }
        int[] start = degree;
        int[] fill = java.util.Arrays.copyOf(start, n);
        int[] adjacency = new int[(int) total];
        byte[] distance = new byte[(int) total];
        for (long[] list : edgeLists) {
            for (int k = 1; k <= (int) list[0]; k++) {
                int i = (int) (list[k] >>> 32);
                int j = (int) list[k];
                byte d = (byte) pairDistance(codes, variants, i, j);
                adjacency[fill[i]] = j;
                distance[fill[i]++] = d;
                adjacency[fill[j]] = i;
                distance[fill[j]++] = d;
            }
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

    /** Edges (i, j), i < j, found by querying items from..to; element 0 holds the count. */
    private static long[] edges(HammingIndex index, long[] codes, long[][] variants, int from, int to) {
        HammingIndex.Scratch scratch = index.newScratch();
        long[][] out = {new long[1024]};
        int[] count = {0};
        for (int i = from; i < to; i++) {
            final int self = i;
            java.util.function.IntConsumer add = j -> {
                if (j == self) {
                    return;
                }
                // Each pair is found from both ends (distance is symmetric); keep it once. With variants a pair
                // may be found from one end only, so key the dedup on the pair itself.
                if (variants == null && j < self) {
                    return;
                }
                int a = Math.min(self, j);
                int b = Math.max(self, j);
                if (count[0] + 2 > out[0].length) {
                    out[0] = java.util.Arrays.copyOf(out[0], out[0].length * 2);
                }
                out[0][++count[0]] = ((long) a << 32) | b;
            };
            if (variants == null) {
                index.query(codes[i], scratch, add);
            } else {
                // One query per orientation of item i; a pair may then be found from both ends, and the
                // duplicates are dropped below.
                java.util.Set<Integer> found = new java.util.HashSet<>();
                index.query(codes[i], scratch, found::add);
                for (long v : variants[i]) {
                    index.query(v, scratch, found::add);
                }
                found.forEach(add::accept);
            }
        }
        long[] result = java.util.Arrays.copyOf(out[0], count[0] + 1);
        result[0] = count[0];
        if (variants != null) {
            result = dedupPairs(result);
        }
        return result;
    }

    private static long[] dedupPairs(long[] list) {
        long[] pairs = java.util.Arrays.copyOfRange(list, 1, (int) list[0] + 1);
        java.util.Arrays.sort(pairs);
        int w = 0;
        for (int k = 0; k < pairs.length; k++) {
            if (k == 0 || pairs[k] != pairs[k - 1]) {
                pairs[w++] = pairs[k];
            }
        }
        long[] result = new long[w + 1];
        result[0] = w;
        System.arraycopy(pairs, 0, result, 1, w);
        return result;
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
                groups.add(java.util.Arrays.copyOf(members, size));
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
