package org.cleanbackup.bench.similar;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cleanbackup.similar.HashGrouping;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link HashGrouping#groups(long[], int, int)} (multi-index Hamming search, then non-chaining greedy groups) on
 * synthetic 64-bit hashes shaped like a photo library: {@code clusterShare} of the codes are in clusters of near
 * copies (a random base plus 1 to 5 copies, each copy the base with 0 to 12 random bits flipped), the rest are
 * distinct random codes; all in random order. One operation groups all {@code size} codes (index build, all-pairs
 * search, adjacency lists, groups), so the mode is single-shot; the data is made once per trial.
 *
 * <p>Run (from the repository root, after {@code mvn -B -q package -DskipTests -pl benchmarks -am}):
 * <pre>
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *   org.openjdk.jmh.Main GroupingBenchmark -p size=1000000 -p threads=1,2 -wi 2 -i 5 -f 1
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *   org.openjdk.jmh.Main GroupingBenchmark -p size=10000000 -p threads=2 -wi 1 -i 3 -f 1
 * </pre>
 * The fork runs with {@code -Xmx4g}; 10,000,000 codes need about 1.5 GB of heap (see docs/benchmarks.md, "Similar images").
 *
 * <p>Without JMH, one timed run with the peak heap in use (for finding the smallest {@code -Xmx}):
 * <pre>
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -Xmx2g -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *   org.cleanbackup.bench.similar.GroupingBenchmark 10000000 2 [repetitions=3] [threshold=8]
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class GroupingBenchmark {

    @Param({"1000000", "10000000"})
    public int size;

    @Param({"1", "2"})
    public int threads;

    @Param({"8"})
    public int threshold;

    @Param({"0.3"})
    public double clusterShare;

    private long[] codes;
    private List<int[]> last;

    @Setup(Level.Trial)
    public void setup() {
        codes = codes(size, clusterShare, 42);
    }

    @Benchmark
    public List<int[]> groups() {
        last = HashGrouping.groups(codes, threshold, threads);
        return last;
    }

    @TearDown(Level.Trial)
    public void describe() {
        System.out.println();
        System.out.println(describe(last));
    }

    /**
     * {@code n} codes in random order: about {@code clusterShare * n} of them in clusters (a random base and 1 to
     * 5 copies of it with 0 to 12 of the 64 bits flipped), the rest random.
     */
    static long[] codes(int n, double clusterShare, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] out = new long[n];
        int at = 0;
        int clustered = (int) (n * clusterShare);
        while (at < clustered) {
            long base = r.nextLong();
            out[at++] = base;
            int copies = 1 + r.nextInt(5);
            for (int c = 0; c < copies && at < n; c++) {
                long copy = base;
                int flips = r.nextInt(13);
                long mask = 0;
                while (Long.bitCount(mask) < flips) {
                    mask |= 1L << r.nextInt(64);
                }
                out[at++] = copy ^ mask;
            }
        }
        while (at < n) {
            out[at++] = r.nextLong();
        }
        for (int i = n - 1; i > 0; i--) { // shuffle: the index must not profit from cluster members being adjacent
            int j = r.nextInt(i + 1);
            long t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return out;
    }

    static String describe(List<int[]> groups) {
        if (groups == null) {
            return "no result";
        }
        long members = 0;
        int largest = 0;
        for (int[] g : groups) {
            members += g.length;
            largest = Math.max(largest, g.length);
        }
        return String.format(java.util.Locale.ROOT, "groups: %d, items in groups: %d, largest group: %d",
                groups.size(), members, largest);
    }

    /** One plain timed run per repetition, with the peak heap use: args size threads [repetitions] [threshold]. */
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int threads = Integer.parseInt(args[1]);
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int threshold = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        long t0 = System.nanoTime();
        long[] codes = codes(n, 0.3, 42);
        System.out.printf(java.util.Locale.ROOT, "made %,d codes in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
        for (int rep = 0; rep < reps; rep++) {
            System.gc();
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                pool.resetPeakUsage();
            }
            long start = System.nanoTime();
            List<int[]> groups = HashGrouping.groups(codes, threshold, threads);
            long ms = (System.nanoTime() - start) / 1_000_000;
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            System.out.printf(java.util.Locale.ROOT, "rep %d: %,d codes, threshold %d, %d threads: %,d ms; "
                            + "peak heap (sum of pool peaks) %,d MB; %s%n", rep + 1, n, threshold, threads, ms,
                    peak >> 20, describe(groups));
        }
    }
}
