package org.cleanbackup.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cleanbackup.phash.PerceptualHash;
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

/**
 * The pHash kernel alone: a 32x32 luma block to its 64-bit hash (DCT, median, bits), per backend. The blocks are
 * real-looking (random but fixed per setup) and rotate through 64 of them so no result can be constant-folded.
 *
 * <p>Run (from the repository root, after {@code mvn -B -q package -DskipTests -pl benchmarks -am}):
 * <pre>
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *   org.openjdk.jmh.Main PhashKernelBenchmark -wi 2 -i 3 -w 2s -r 3s -f 1
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"})
public class PhashKernelBenchmark {

    @Param({"scalar", "vector", "native"})
    public String backend;

    private PerceptualHasher hasher;
    private final float[][] blocks = new float[64][1024];
    private int next;

    @Setup
    public void setup() {
        hasher = PerceptualHashers.get(backend);
        SplittableRandom r = new SplittableRandom(1);
        for (float[] b : blocks) {
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) (r.nextDouble() * 255);
            }
        }
    }

    @Benchmark
    public PerceptualHash blockToHash() {
        next = (next + 1) & 63;
        return hasher.hashBlock(blocks[next]);
    }
}
