package org.cleanbackup.similar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SimilarityGraphTest {

    /** Clusters of near copies among distinct codes, like real photo libraries. */
    static long[] clustered(int n, long seed) {
        Random random = new Random(seed);
        long[] codes = new long[n];
        for (int i = 0; i < n; ) {
            long base = random.nextLong();
            int copies = 1 + random.nextInt(4);
            for (int c = 0; c < copies && i < n; c++) {
                long code = base;
                for (int flips = random.nextInt(12); flips > 0; flips--) {
                    code ^= 1L << random.nextInt(64);
                }
                codes[i++] = code;
            }
        }
        return codes;
    }

    @ParameterizedTest(name = "threshold {0}: the index finds exactly the pairs brute force finds")
    @ValueSource(ints = {0, 2, 5, 8, 10, 12, 16})
    void indexMatchesBruteForce(int threshold) {
        long[] codes = clustered(3000, threshold);
        HammingIndex index = new HammingIndex(codes, threshold);
        for (int i = 0; i < codes.length; i += 7) {
            final long q = codes[i];
            Set<Integer> expected = new HashSet<>();
            IntStream.range(0, codes.length).filter(j -> Long.bitCount(q ^ codes[j]) <= threshold).forEach(expected::add);
            Set<Integer> found = new HashSet<>();
            index.query(q, j -> assertThat(found.add(j)).as("reported once").isTrue());
            assertThat(found).as("query %d", i).isEqualTo(expected);
        }
    }

    @Test
    void groupsNeverChain() {
        long a = 0L;
        long b = 0xFFL;         // 8 bits from a
        long c = 0xFFFFL;       // 8 bits from b, 16 from a
        long[] codes = {a, b, c};
        SimilarityGraph graph = SimilarityGraph.build(codes, null, 8, 2);
        List<int[]> groups = graph.groups(new int[] {1, 0, 2});
        // b is ranked best: it keeps a and c, both within 8 bits of it.
        assertThat(groups).singleElement().satisfies(g -> assertThat(g).containsExactly(1, 0, 2));
        // a ranked best: a takes b; c is 16 bits from a, so it is not pulled in through b.
        List<int[]> other = graph.groups(new int[] {0, 1, 2});
        assertThat(other).singleElement().satisfies(g -> assertThat(g).containsExactly(0, 1));
    }

    @Test
    void everyMemberIsWithinTheThresholdOfItsKeeper() {
        long[] codes = clustered(20_000, 99);
        SimilarityGraph graph = SimilarityGraph.build(codes, null, 8, 2);
        int[] order = IntStream.range(0, codes.length).toArray();
        List<int[]> groups = graph.groups(order);
        assertThat(groups).isNotEmpty();
        Set<Integer> seen = new HashSet<>();
        for (int[] g : groups) {
            for (int m : g) {
                assertThat(seen.add(m)).as("an image is in one group only").isTrue();
                assertThat(Long.bitCount(codes[g[0]] ^ codes[m])).isLessThanOrEqualTo(8);
            }
        }
    }

    @Test
    void orientationVariantsFindRotatedCopies() {
        long upright = 0x0123456789ABCDEFL;
        long rotatedCopy = 0xFEDCBA9876543210L; // far from upright as stored
        long[] codes = {upright, rotatedCopy};
        long[][] variants = {{upright, rotatedCopy ^ 0b111}, {rotatedCopy}}; // one of a's orientations ~ b
        SimilarityGraph with = SimilarityGraph.build(codes, variants, 8, 1);
        assertThat(with.degree(0)).isEqualTo(1);
        assertThat(with.distance(0, 1)).isEqualTo(3);
        SimilarityGraph without = SimilarityGraph.build(codes, null, 8, 1);
        assertThat(without.degree(0)).isZero();
    }

    @Test
    void parallelBuildFindsTheSameEdgesAsOneThread() {
        long[] codes = clustered(10_000, 5);
        SimilarityGraph one = SimilarityGraph.build(codes, null, 8, 1);
        SimilarityGraph two = SimilarityGraph.build(codes, null, 8, 2);
        List<Integer> d1 = new ArrayList<>();
        List<Integer> d2 = new ArrayList<>();
        for (int i = 0; i < codes.length; i++) {
            d1.add(one.degree(i));
            d2.add(two.degree(i));
        }
        assertThat(d2).isEqualTo(d1);
    }
}
