package org.cleanbackup.similar;

import java.util.function.IntConsumer;

/**
 * Finds all 64-bit codes within a Hamming distance of a query, without comparing against every code.
 *
 * <p>Multi-index hashing (Norouzi, Punjani and Fleet, "Fast Search in Hamming Space with Multi-Index Hashing",
 * CVPR 2012): the 64 bits are cut into {@code m} chunks. If two codes differ in at most {@code t} bits, then by
 * the pigeonhole principle at least one chunk differs in at most {@code floor(t / m)} bits. So each chunk gets a
 * table from chunk value to the codes that have it, and a query looks up, in every table, the values within that
 * small radius of its own chunk: a few hundred array lookups instead of a million comparisons. Candidates are
 * then checked with one XOR and a popcount.
 *
 * <p>We use at least 3 chunks, so a chunk has at most 22 bits and its table is a direct-addressed array (CSR:
 * bucket offsets plus members sorted by chunk value), which is much faster than a hash map. With
 * {@code t = 8}, 3 chunks of 22/21/21 bits are probed at radius 2: 254 + 232 + 232 buckets per query. More chunks
 * are used for larger thresholds so the radius stays at most 2.
 */
final class HammingIndex {

    private final long[] codes;
    private final int threshold;
    private final int chunks;
    private final int radius;
    private final int[] offset;
    private final int[] bits;
    private final int[][] bucketStart;
    private final int[][] members;

    HammingIndex(long[] codes, int threshold) {
        if (threshold < 0 || threshold > 32) {
            throw new IllegalArgumentException("threshold must be 0..32, was " + threshold);
        }
        this.codes = codes;
        this.threshold = threshold;
        this.chunks = Math.max(3, (threshold + 3) / 3); // ceil((t+1)/3), at least 3: radius floor(t/m) <= 2
        this.radius = threshold / chunks;
        this.offset = new int[chunks];
        this.bits = new int[chunks];
        int at = 0;
        for (int c = 0; c < chunks; c++) {
            bits[c] = 64 / chunks + (c < 64 % chunks ? 1 : 0);
            offset[c] = at;
            at += bits[c];
        }
        this.bucketStart = new int[chunks][];
        this.members = new int[chunks][];
        for (int c = 0; c < chunks; c++) {
            int size = 1 << bits[c];
            int[] start = new int[size + 1];
            for (long code : codes) {
                start[chunk(code, c) + 1]++;
            }
            for (int v = 0; v < size; v++) {
                start[v + 1] += start[v];
            }
            int[] fill = java.util.Arrays.copyOf(start, size);
            int[] ids = new int[codes.length];
            for (int i = 0; i < codes.length; i++) {
                ids[fill[chunk(codes[i], c)]++] = i;
            }
            bucketStart[c] = start;
            members[c] = ids;
        }
    }

    private int chunk(long code, int c) {
        return (int) ((code >>> offset[c]) & ((1L << bits[c]) - 1));
    }

    /** A per-thread scratch space that remembers which codes a query has already reported. */
    static final class Scratch {
        private final int[] seen;
        private int stamp;

        Scratch(int size) {
            seen = new int[size];
        }
    }

    Scratch newScratch() {
        return new Scratch(codes.length);
    }

    /** Calls {@code hit} once for every code index whose code is within the threshold of {@code query}. */
    void query(long query, Scratch scratch, IntConsumer hit) {
        if (++scratch.stamp == 0) { // wrapped around after 4 billion queries: start afresh
            java.util.Arrays.fill(scratch.seen, 0);
            scratch.stamp = 1;
        }
        for (int c = 0; c < chunks; c++) {
            int value = chunk(query, c);
            probe(c, value, 0, 0, query, scratch, hit);
        }
    }

    /** Visits every chunk value within {@code radius} of {@code value}, flipping bits at positions >= from. */
    private void probe(int c, int value, int from, int flipped, long query, Scratch scratch, IntConsumer hit) {
        int[] start = bucketStart[c];
        int[] ids = members[c];
        for (int k = start[value]; k < start[value + 1]; k++) {
            int id = ids[k];
            if (scratch.seen[id] != scratch.stamp) {
                scratch.seen[id] = scratch.stamp;
                if (Long.bitCount(query ^ codes[id]) <= threshold) {
                    hit.accept(id);
                }
            }
        }
        if (flipped == radius) {
            return;
        }
        for (int b = from; b < bits[c]; b++) {
            probe(c, value ^ (1 << b), b + 1, flipped + 1, query, scratch, hit);
        }
    }
}
