package org.cleanbackup.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cleanbackup.phash.HashResult;
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
 * {@link PerceptualHasher#hashAll} over the corpus JPEGs with 1 and 2 threads: how batch hashing scales with cores.
 *
 * <p>Run (from the repository root):
 * <pre>
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *   org.openjdk.jmh.Main PhashBatchBenchmark -wi 2 -i 3 -w 3s -r 5s -f 1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"})
public class PhashBatchBenchmark {

    @Param({"native", "vector"})
    public String backend;

    @Param({"1", "2"})
    public int threads;

    private List<Path> files;
    private PerceptualHasher hasher;

    @Setup
    public void setup() throws java.io.IOException {
        files = PhashFileBenchmark.corpusJpegs();
        hasher = PerceptualHashers.get(backend);
    }

    @Benchmark
    public List<HashResult> batch() throws InterruptedException {
        return hasher.hashAll(files, threads, r -> { });
    }
}
