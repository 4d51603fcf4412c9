package org.cleanbackup.similar;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Groups raw 64-bit perceptual hashes, for callers that hash images themselves (and for benchmarks): the same
 * multi-index search and non-chaining grouping that {@link SimilarImageFinder} uses.
 */
public final class HashGrouping {

    private HashGrouping() {
    }

    /**
     * Groups {@code codes} so that every member is within {@code threshold} bits of its group's first element.
     * Earlier indices are preferred as keepers.
     *
     * @return groups of indices into {@code codes}, keeper first; codes without any neighbour are left out
     */
    public static List<int[]> groups(long[] codes, int threshold, int threads) {
        SimilarityGraph graph = SimilarityGraph.build(codes, null, threshold, threads);
        return graph.groups(IntStream.range(0, codes.length).toArray());
    }

    /**
     * Groups {@code codes} whose close pairs were found elsewhere (a distributed join, say), with the same
     * non-chaining grouping as {@link #groups(long[], int, int)}: taken in {@code order} (best first), an item not
     * yet grouped starts a group and takes every ungrouped neighbour.
     *
     * @param codes the 64-bit hashes, indexed as in {@code pairs}
     * @param pairs each pair once or more as {@code (long) i << 32 | j} with {@code i < j}; sorted in place
     * @param order every index of {@code codes} once, the preferred keeper first
     * @return groups of indices into {@code codes}, keeper first; codes without any neighbour are left out
     */
    public static List<int[]> groupsOfPairs(long[] codes, long[] pairs, int[] order) {
        for (long pair : pairs) {
            int i = (int) (pair >>> 32);
            int j = (int) pair;
            if (i < 0 || j <= i || j >= codes.length) {
                throw new IllegalArgumentException("not a pair i < j of indices into codes: " + i + ", " + j);
            }
        }
        if (order.length != codes.length) {
            throw new IllegalArgumentException("order must name every index once: " + order.length + " of " + codes.length);
        }
        return SimilarityGraph.fromPairs(codes, null, pairs).groups(order);
    }
}
