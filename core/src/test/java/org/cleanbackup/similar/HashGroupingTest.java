package org.cleanbackup.similar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link HashGrouping#groupsOfPairs}: given every pair within the threshold (found here by brute force, in the
 * spark module by a join), the same groups as the multi-index search's {@link HashGrouping#groups}.
 */
class HashGroupingTest {

    @Test
    void pairsFoundElsewhereGiveTheSameGroupsAsTheIndex() {
        SplittableRandom random = new SplittableRandom(20);
        long[] codes = new long[600];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = i < 400 ? random.nextLong() : codes[random.nextInt(400)] ^ (1L << random.nextInt(64))
                    ^ (1L << random.nextInt(64));
        }
        List<Long> found = new ArrayList<>();
        for (int i = 0; i < codes.length; i++) {
            for (int j = i + 1; j < codes.length; j++) {
                if (Long.bitCount(codes[i] ^ codes[j]) <= 6) {
                    found.add((long) i << 32 | j);
                    found.add((long) i << 32 | j); // a pair found twice (in two bands) counts once
                }
            }
        }
        long[] pairs = found.stream().mapToLong(Long::longValue).toArray();
        List<int[]> expected = HashGrouping.groups(codes, 6, 2);
        List<int[]> actual = HashGrouping.groupsOfPairs(codes, pairs, IntStream.range(0, codes.length).toArray());
        assertThat(expected).hasSizeGreaterThan(50);
        assertThat(actual).hasSameSizeAs(expected);
        for (int g = 0; g < expected.size(); g++) {
            assertThat(actual.get(g)).containsExactly(expected.get(g));
        }
    }

    @Test
    void aPairThatIsNotIBelowJIsRefused() {
        assertThatThrownBy(() -> HashGrouping.groupsOfPairs(new long[2], new long[] {1L << 32}, new int[] {0, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a pair");
    }
}
