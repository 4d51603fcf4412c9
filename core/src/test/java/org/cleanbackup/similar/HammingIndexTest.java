package org.cleanbackup.similar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The chunkings and the bucket-against-bucket search, against brute force. */
class HammingIndexTest {

    /**
     * The pairs from {@link HammingIndex#allPairs} and from {@link HammingIndex#query} are exactly the brute-force
     * pairs, each once, for the queried items (every {@code step}-th; brute force over all pairs is too slow at
     * 300k).
     */
    private static void assertMatchesBruteForce(long[] codes, int threshold, HammingIndex.Layout layout, int step)
            throws Exception {
        long[] pairs;
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            pairs = HammingIndex.allPairs(codes, threshold, layout, pool, 8);
        }
        List<Set<Integer>> neighbours = new ArrayList<>();
        for (int i = 0; i < codes.length; i++) {
            neighbours.add(i % step == 0 ? new HashSet<>() : null);
        }
        Set<Long> unique = new HashSet<>();
        for (long p : pairs) {
            int i = (int) (p >>> 32);
            int j = (int) p;
            assertThat(i).as("pair packed smaller first").isLessThan(j);
            assertThat(unique.add(p)).as("pair %d-%d reported once", i, j).isTrue();
            assertThat(Long.bitCount(codes[i] ^ codes[j])).isLessThanOrEqualTo(threshold);
            if (neighbours.get(i) != null) {
                neighbours.get(i).add(j);
            }
            if (neighbours.get(j) != null) {
                neighbours.get(j).add(i);
            }
        }
        HammingIndex index = new HammingIndex(codes, threshold, layout);
        long expectedPairs = 0;
        for (int i = 0; i < codes.length; i += step) {
            Set<Integer> expected = new HashSet<>();
            for (int j = 0; j < codes.length; j++) {
                if (j != i && Long.bitCount(codes[i] ^ codes[j]) <= threshold) {
                    expected.add(j);
                }
            }
            expectedPairs += expected.size();
            assertThat(neighbours.get(i)).as("all pairs, item %d, %s", i, layout).isEqualTo(expected);
            Set<Integer> queried = new HashSet<>();
            index.query(codes[i], j -> assertThat(queried.add(j)).as("reported once").isTrue());
            expected.add(i);
            assertThat(queried).as("query %d, %s", i, layout).isEqualTo(expected);
        }
        assertThat(expectedPairs).as("the data has pairs to find").isGreaterThan(0);
    }

    @ParameterizedTest(name = "{0} codes, threshold {1}: the chosen chunking finds exactly the brute-force pairs")
    @CsvSource({
        "3000, 0", "3000, 1", "3000, 6", "3000, 8", "3000, 10", "3000, 12", "3000, 16", "1000, 24", "1000, 32",
        "300000, 6", "300000, 8", "300000, 10", "300000, 12"})
    void chosenChunkingMatchesBruteForce(int n, int threshold) throws Exception {
        long[] codes = SimilarityGraphTest.clustered(n, 1000L * n + threshold);
        assertMatchesBruteForce(codes, threshold, HammingIndex.Layout.choose(n, threshold), n > 10_000 ? 997 : 1);
    }

    /** The chunkings chosen at 1M and 10M codes (and some odd ones), tried on fewer codes. */
    @ParameterizedTest(name = "chunks {0}, radii {1}, threshold {2}")
    @CsvSource(delimiter = ';', value = {
        "16 16 16 16; 2 1 1 1; 8",
        "22 21 21; 2 2 2; 8",
        "13 13 13 13 12; 1 1 1 1 0; 8",
        "22; 0; 0",
        "20 20; 1 0; 2",
        "5 5 5 5 5 5 5 5 5 5 5 5; 1 1 1 1 1 1 1 1 1 1 1 1; 16",
        "4 4; 3 5; 8"})
    void otherChunkingsMatchBruteForce(String bits, String radii, int threshold) throws Exception {
        HammingIndex.Layout layout = new HammingIndex.Layout(ints(bits), ints(radii));
        long[] codes = SimilarityGraphTest.clustered(20_000, bits.hashCode());
        assertMatchesBruteForce(codes, threshold, layout, 7);
    }

    @Test
    void chosenChunkingsSatisfyThePigeonholeRule() {
        for (int n : new int[] {0, 1, 2, 1000, 100_000, 1_000_000, 10_000_000, 100_000_000}) {
            for (int t = 0; t <= 32; t++) {
                HammingIndex.Layout layout = HammingIndex.Layout.choose(n, t);
                layout.check(t); // throws when sum(radius + 1) <= t
                for (int b : layout.bits) {
                    assertThat(b).isBetween(1, HammingIndex.MAX_CHUNK_BITS);
                }
            }
        }
        assertThat(HammingIndex.Layout.choose(1_000_000, 8).toString())
                .isEqualTo("chunks of [16, 16, 16, 16] bits, radii [2, 1, 1, 1]");
        assertThat(HammingIndex.Layout.choose(10_000_000, 8).toString())
                .isEqualTo("chunks of [22, 21, 21] bits, radii [2, 2, 2]");
    }

    @Test
    void aChunkingThatCanMissPairsIsRefused() {
        long[] codes = {0L, 0xFFL};
        HammingIndex.Layout tooNarrow = new HammingIndex.Layout(new int[] {16, 16, 16, 16}, new int[] {1, 1, 1, 1});
        assertThatThrownBy(() -> new HammingIndex(codes, 8, tooNarrow)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fewCodes() throws Exception {
        for (long[] codes : new long[][] {{}, {42L}, {42L, 42L}, {0L, -1L}}) {
            assertMatchesBruteForceIfAny(codes);
        }
    }

    private static void assertMatchesBruteForceIfAny(long[] codes) throws Exception {
        long[] pairs;
        try (ExecutorService pool = Executors.newFixedThreadPool(1)) {
            pairs = HammingIndex.allPairs(codes, 8, HammingIndex.Layout.choose(codes.length, 8), pool, 4);
        }
        int expected = 0;
        for (int i = 0; i < codes.length; i++) {
            for (int j = i + 1; j < codes.length; j++) {
                expected += Long.bitCount(codes[i] ^ codes[j]) <= 8 ? 1 : 0;
            }
        }
        assertThat(pairs).hasSize(expected);
    }

    private static int[] ints(String spaced) {
        return java.util.Arrays.stream(spaced.trim().split(" +")).mapToInt(Integer::parseInt).toArray();
    }
}
