package org.cleanbackup.bench;

import dev.brachtendorf.jimagehash.hashAlgorithms.PerceptiveHash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cleanbackup.phash.PerceptualHasher;
import org.cleanbackup.phash.PerceptualHashers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * File to hash, end to end, single thread, over a stand-in for the hold-out's mix (issue 17): the camera JPEGs and
 * their PNG, third-size PNG, half-size, quality-60, rotated, gray and cropped variants, made by
 * {@code benchmarks/MakePhashMix.java}. One JMH operation hashes every file of the mix ({@code variant=all}) or of one
 * variant; {@code native}, {@code vector} and {@code jimagehash} ({@code PerceptiveHash(64)}, as in
 * {@link PhashFileBenchmark}) on the same files.
 *
 * <p>{@link #main} is the per-format breakdown: every pass hashes the whole mix with each implementation in turn
 * (so that the three share whatever load the machine has), timing each file in wall time and in the thread's CPU
 * time (which other processes on a shared machine disturb less); it prints per variant the median over the passes
 * and the ratio to JImageHash, one table for each. {@code benchmarks/phash-mix.sh} makes the mix and runs it; by hand,
 * from the repository root:
 * <pre>
 * java benchmarks/MakePhashMix.java ../shared/corpus/photos /tmp/phash-mix
 * CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
 * JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
 * $JAVA -Dcleanbackup.phash.mix=/tmp/phash-mix -cp "$CP" org.openjdk.jmh.Main PhashMixBenchmark -wi 2 -i 3 -w 3s -r 5s -f 1
 * $JAVA --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -cp "$CP" \
 *   org.cleanbackup.bench.PhashMixBenchmark /tmp/phash-mix 2 5       # mix folder, warm-up passes, timed passes
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"})
public class PhashMixBenchmark {

    static final List<String> IMPLS = List.of("native", "vector", "jimagehash");

    @Param({"native", "vector", "jimagehash"})
    public String impl;

    @Param({"all"})
    public String variant;

    private List<Path> files;
    private Hash hash;

    /** One implementation: file to 64 bits (or JImageHash's hash object). */
    interface Hash {
        Object of(Path file) throws IOException;
    }

    static Hash hash(String impl) {
        if (impl.equals("jimagehash")) {
            PerceptiveHash jimagehash = new PerceptiveHash(64);
            return p -> jimagehash.hash(p.toFile());
        }
        PerceptualHasher hasher = PerceptualHashers.get(impl);
        return hasher::hash;
    }

    static Path mixFolder(String given) {
        Path dir = Path.of(given != null ? given : System.getProperty("cleanbackup.phash.mix", "/tmp/phash-mix"));
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("no mix folder at " + dir.toAbsolutePath()
                    + ": make one with java benchmarks/MakePhashMix.java PHOTOS_DIR DIR, pass -Dcleanbackup.phash.mix=DIR");
        }
        return dir;
    }

    /** The mix's images, sorted; the variant is the second-to-last dot-part of a name (photo.png.png: png). */
    static List<Path> mix(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !variantOf(p).isEmpty()).sorted().toList();
        }
    }

    static String variantOf(Path p) {
        String[] parts = p.getFileName().toString().split("\\.");
        return parts.length >= 3 ? parts[parts.length - 2].toLowerCase(Locale.ROOT) : "";
    }

    @Setup
    public void setup() throws IOException {
        files = mix(mixFolder(null)).stream().filter(p -> variant.equals("all") || variantOf(p).equals(variant))
                .toList();
        if (files.isEmpty()) {
            throw new IllegalStateException("no files of variant " + variant);
        }
        hash = hash(impl);
    }

    @Benchmark
    public void allFiles(Blackhole bh) throws IOException {
        for (Path p : files) {
            bh.consume(hash.of(p));
        }
    }

    /** The per-format breakdown: {@code DIR [WARMUP_PASSES [PASSES]]}. */
    public static void main(String[] args) throws IOException {
        Path dir = mixFolder(args.length > 0 ? args[0] : null);
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int passes = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        List<Path> files = mix(dir);
        Map<String, Hash> hashes = new LinkedHashMap<>();
        for (String impl : IMPLS) {
            hashes.put(impl, hash(impl));
        }
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        // impl -> variant -> per pass, nanoseconds; [0] wall, [1] CPU
        Map<String, Map<String, long[][]>> times = new LinkedHashMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (Path p : files) {
            counts.merge(variantOf(p), 1, Integer::sum);
        }
        for (String impl : IMPLS) {
            Map<String, long[][]> perVariant = new TreeMap<>();
            for (String v : counts.keySet()) {
                perVariant.put(v, new long[2][passes]);
            }
            times.put(impl, perVariant);
        }
        long sink = 0;
        for (int pass = -warmup; pass < passes; pass++) {
            for (String impl : IMPLS) {
                Hash h = hashes.get(impl);
                Map<String, long[][]> perVariant = times.get(impl);
                for (Path p : files) {
                    long c0 = threads.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    sink += h.of(p).hashCode();
                    long t = System.nanoTime() - t0;
                    long c = threads.getCurrentThreadCpuTime() - c0;
                    if (pass >= 0) {
                        perVariant.get(variantOf(p))[0][pass] += t;
                        perVariant.get(variantOf(p))[1][pass] += c;
                    }
                }
            }
            System.err.println(pass < 0 ? "warm-up pass done" : "pass " + (pass + 1) + " of " + passes + " done");
        }
        System.out.printf(Locale.ROOT, "%d files in %s; median of %d passes (after %d warm-up), ms per pass (sink %d)%n",
                files.size(), dir, passes, warmup, sink & 1);
        for (int kind = 0; kind < 2; kind++) {
            System.out.println(kind == 0 ? "wall time" : "CPU time of the hashing thread");
            table(times, counts, files.size(), passes, kind);
        }
    }

    private static void table(Map<String, Map<String, long[][]>> times, Map<String, Integer> counts, int files,
                              int passes, int kind) {
        System.out.printf(Locale.ROOT, "%-8s %5s %10s %10s %12s %9s %9s%n", "variant", "files", "native", "vector",
                "jimagehash", "jih/nat", "jih/vec");
        long[][] totals = new long[IMPLS.size()][passes];
        for (String v : counts.keySet()) {
            double[] med = new double[IMPLS.size()];
            for (int i = 0; i < IMPLS.size(); i++) {
                long[] t = times.get(IMPLS.get(i)).get(v)[kind];
                med[i] = median(t) / 1e6;
                for (int pass = 0; pass < passes; pass++) {
                    totals[i][pass] += t[pass];
                }
            }
            row(v, counts.get(v), med);
        }
        double[] all = new double[IMPLS.size()];
        for (int i = 0; i < IMPLS.size(); i++) {
            all[i] = median(totals[i]) / 1e6;
        }
        row("all", files, all);
    }

    private static void row(String v, int n, double[] ms) {
        System.out.printf(Locale.ROOT, "%-8s %5d %10.1f %10.1f %12.1f %8.2fx %8.2fx%n", v, n, ms[0], ms[1], ms[2],
                ms[2] / ms[0], ms[2] / ms[1]);
    }

    private static double median(long[] values) {
        long[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }
}
