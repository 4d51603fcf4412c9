package org.cleanbackup.sound;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.cleanbackup.internal.Pools;

/**
 * Finds the pairs of fingerprints that match: aligned bit-error rate over the part where they overlap, at the best
 * offset, without comparing all pairs.
 */
final class FingerprintIndex {

    /*
     * As AcoustID does, an inverted index on sub-values of the raw words: each 32-bit word posts its high and its
     * low 16 bits (two keys, so a word with bit errors in one half still hits with the other). A query walks its own
     * words' posting lists and votes for (other file, offset) with offset = own position - other position; a pair
     * of copies collects many votes at its true offset (at a bit-error rate of 0.1, a 16-bit half survives intact in
     * 19 % of the words: about 180 votes over 60 s), unrelated files a vote here and there. Keys posted by very many
     * words (silence, a steady tone) are skipped: they say nothing and would make the search quadratic. Each
     * candidate's best offsets (and their neighbours: a cut of 0.7 s falls between two words) are then checked
     * exactly: the share of differing bits over the overlap. Positions where both fingerprints repeat their
     * previous word (silence, a held note) are not counted: two songs that both open with silence are not the same
     * song for it, and the overlap that remains must be long enough to judge.
     */

    /** Two halves of 16 bits: 2^17 keys. */
    private static final int KEYS = 1 << 17;
    /** Offsets are packed in 12 bits of the vote key. */
    static final int MAX_OFFSET_LIMIT = 2000;
    /** At least this many votes at one offset (with its neighbours) make a candidate. */
    private static final int MIN_VOTES = 2;
    /** How many of a candidate file's best offsets are checked exactly. */
    private static final int OFFSETS_CHECKED = 3;

    /**
     * A matching pair.
     *
     * @param a            the first file's index (a &lt; b)
     * @param b            the second file's index
     * @param bitErrorRate the share of differing bits over the compared overlap
     * @param offset       words of {@code a} before {@code b}'s start: a's word {@code p} matches b's {@code p - offset}
     * @param compared     how many word positions were compared
     */
    record Match(int a, int b, double bitErrorRate, int offset, int compared) {
    }

    private final int[][] words;
    private final int[] start;
    private final long[] postings;
    private final int cap;

    private FingerprintIndex(int[][] words) {
        this.words = words;
        int[] counts = new int[KEYS + 1];
        long total = 0;
        for (int[] fp : words) {
            for (int w : fp) {
                counts[(w >>> 16) + 1]++;
                counts[KEYS / 2 + (w & 0xFFFF) + 1]++;
            }
            total += 2L * fp.length;
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("too many fingerprint words to index: " + total);
        }
        start = new int[KEYS + 1];
        for (int k = 0; k < KEYS; k++) {
            start[k + 1] = start[k] + counts[k + 1];
        }
        postings = new long[(int) total];
        int[] next = Arrays.copyOf(start, KEYS);
        for (int f = 0; f < words.length; f++) {
            int[] fp = words[f];
            for (int p = 0; p < fp.length; p++) {
                long entry = ((long) f << 32) | p;
                postings[next[fp[p] >>> 16]++] = entry;
                postings[next[KEYS / 2 + (fp[p] & 0xFFFF)]++] = entry;
            }
        }
        cap = (int) Math.max(64, 32 * total / KEYS);
    }

    /**
     * Every pair of fingerprints whose bit-error rate at their best offset (within {@code maxOffset} words) is at
     * most {@code maxBitErrorRate} over at least {@code minCompared} compared positions (and at least
     * {@code minShare} of the shorter one's words).
     */
    static List<Match> matches(int[][] words, double maxBitErrorRate, int maxOffset, int minCompared, double minShare,
                               int threads, ExecutorService executor) {
        if (maxOffset < 0 || maxOffset > MAX_OFFSET_LIMIT) {
            throw new IllegalArgumentException("the offset is 0 to " + MAX_OFFSET_LIMIT + " words, was " + maxOffset);
        }
        FingerprintIndex index = new FingerprintIndex(words);
        ConcurrentLinkedQueue<Match> found = new ConcurrentLinkedQueue<>();
        int n = words.length;
        int slices = Math.max(1, Math.min(n, threads * 8));
        try (Pools.Lease<ExecutorService> pool = Pools.fixed(executor, threads, "cleanbackup-sound")) {
            List<Future<?>> futures = new ArrayList<>();
            for (int s = 0; s < slices; s++) {
                int slice = s;
                futures.add(pool.executor().submit(() -> {
                    VoteMap votes = new VoteMap();
                    for (int a = slice; a < n; a += slices) {
                        index.query(a, votes, maxBitErrorRate, maxOffset, minCompared, minShare, found);
                    }
                }));
            }
            Pools.awaitAll(futures, "comparing fingerprints");
        }
        List<Match> list = new ArrayList<>(found);
        list.sort((x, y) -> x.a() != y.a() ? Integer.compare(x.a(), y.a()) : Integer.compare(x.b(), y.b()));
        return list;
    }

    private void query(int a, VoteMap votes, double maxBer, int maxOffset, int minCompared, double minShare,
                       ConcurrentLinkedQueue<Match> found) {
        int[] fp = words[a];
        votes.clear();
        for (int p = 0; p < fp.length; p++) {
            vote(a, p, fp[p] >>> 16, votes, maxOffset);
            vote(a, p, KEYS / 2 + (fp[p] & 0xFFFF), votes, maxOffset);
        }
        // per other file, its best offsets by votes (a vote at d also counts for d-1 and d+1)
        java.util.Map<Integer, int[][]> best = new java.util.HashMap<>();
        votes.forEach((key, count) -> {
            int b = (int) (key >>> 12);
            int d = (int) (key & 0xFFF) - maxOffset;
            int near = count + votes.get(key - 1, d > -maxOffset) + votes.get(key + 1, d < maxOffset);
            if (near < MIN_VOTES) {
                return;
            }
            int[][] top = best.computeIfAbsent(b, x -> new int[OFFSETS_CHECKED][]);
            for (int i = 0; i < OFFSETS_CHECKED; i++) {
                if (top[i] == null || top[i][1] < near) {
                    System.arraycopy(top, i, top, i + 1, OFFSETS_CHECKED - i - 1);
                    top[i] = new int[] {d, near};
                    break;
                }
            }
        });
        for (var e : best.entrySet()) {
            int b = e.getKey();
            int[] other = words[b];
            double bestBer = 2;
            int bestOffset = 0;
            int bestCompared = 0;
            for (int[] candidate : e.getValue()) {
                if (candidate == null) {
                    continue;
                }
                for (int d = candidate[0] - 1; d <= candidate[0] + 1; d++) {
                    if (Math.abs(d) > maxOffset) {
                        continue;
                    }
                    long errorsAndCompared = compare(fp, other, d);
                    int compared = (int) errorsAndCompared;
                    if (compared == 0) {
                        continue;
                    }
                    double ber = (errorsAndCompared >>> 32) / (32.0 * compared);
                    if (ber < bestBer) {
                        bestBer = ber;
                        bestOffset = d;
                        bestCompared = compared;
                    }
                }
            }
            int shorter = Math.min(fp.length, other.length);
            if (bestBer <= maxBer && bestCompared >= minCompared && bestCompared >= minShare * shorter) {
                found.add(new Match(a, b, bestBer, bestOffset, bestCompared));
            }
        }
    }

    private void vote(int a, int p, int key, VoteMap votes, int maxOffset) {
        int from = start[key];
        int to = start[key + 1];
        if (to - from > cap) {
            return; // a word too common to tell songs apart
        }
        for (int i = from; i < to; i++) {
            long entry = postings[i];
            int b = (int) (entry >>> 32);
            if (b <= a) {
                continue;
            }
            int d = p - (int) entry;
            if (d < -maxOffset || d > maxOffset) {
                continue;
            }
            votes.add(((long) b << 12) | (d + maxOffset));
        }
    }

    /**
     * The lowest bit-error rate of {@code a} against {@code b} over every offset within {@code maxOffset} words, by
     * brute force, counting only offsets where enough positions are compared (as {@link #matches} does); 1 when
     * there is none.
     */
    static double bestBitErrorRate(int[] a, int[] b, int maxOffset, int minCompared, double minShare) {
        double best = 1;
        int shorter = Math.min(a.length, b.length);
        for (int offset = -maxOffset; offset <= maxOffset; offset++) {
            long r = compare(a, b, offset);
            int compared = (int) r;
            if (compared > 0 && compared >= minCompared && compared >= minShare * shorter) {
                best = Math.min(best, (r >>> 32) / (32.0 * compared));
            }
        }
        return best;
    }

    /**
     * The differing bits (high 32 bits of the result) and the positions compared (low 32) of {@code a} against
     * {@code b} shifted by {@code offset}: a's word p against b's word p - offset, where both exist, leaving out
     * positions where both repeat their previous word.
     */
    static long compare(int[] a, int[] b, int offset) {
        int from = Math.max(0, offset);
        int to = Math.min(a.length, b.length + offset);
        long errors = 0;
        int compared = 0;
        for (int p = from; p < to; p++) {
            int q = p - offset;
            if (p > 0 && q > 0 && a[p] == a[p - 1] && b[q] == b[q - 1]) {
                continue;
            }
            errors += Integer.bitCount(a[p] ^ b[q]);
            compared++;
        }
        return errors << 32 | compared;
    }

    /** Counts per (file, offset) key: open addressing, reused from query to query. */
    static final class VoteMap {
        private long[] keys = new long[1024];
        private int[] counts = new int[1024];
        private int size;

        VoteMap() {
            Arrays.fill(keys, -1L);
        }

        void clear() {
            if (size > 0) {
                Arrays.fill(keys, -1L);
                Arrays.fill(counts, 0);
                size = 0;
            }
        }

        void add(long key) {
            int mask = keys.length - 1;
            int i = (int) mix(key) & mask;
            while (keys[i] != -1L && keys[i] != key) {
                i = (i + 1) & mask;
            }
            if (keys[i] == -1L) {
                keys[i] = key;
                if (++size * 2 > keys.length) {
                    counts[i] = 1;
                    grow();
                    return;
                }
            }
            counts[i]++;
        }

        int get(long key, boolean valid) {
            if (!valid) {
                return 0;
            }
            int mask = keys.length - 1;
            int i = (int) mix(key) & mask;
            while (keys[i] != -1L) {
                if (keys[i] == key) {
                    return counts[i];
                }
                i = (i + 1) & mask;
            }
            return 0;
        }

        interface Visitor {
            void visit(long key, int count);
        }

        void forEach(Visitor visitor) {
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] != -1L) {
                    visitor.visit(keys[i], counts[i]);
                }
            }
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldCounts = counts;
            keys = new long[oldKeys.length * 2];
            counts = new int[oldKeys.length * 2];
            Arrays.fill(keys, -1L);
            int mask = keys.length - 1;
            for (int j = 0; j < oldKeys.length; j++) {
                if (oldKeys[j] != -1L) {
                    int i = (int) mix(oldKeys[j]) & mask;
                    while (keys[i] != -1L) {
                        i = (i + 1) & mask;
                    }
                    keys[i] = oldKeys[j];
                    counts[i] = oldCounts[j];
                }
            }
        }

        private static long mix(long key) {
            long h = key * 0x9E3779B97F4A7C15L;
            return h ^ (h >>> 29);
        }
    }
}
