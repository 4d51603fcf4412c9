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
}
