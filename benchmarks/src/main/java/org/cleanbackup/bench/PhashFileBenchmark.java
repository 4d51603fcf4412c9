package org.cleanbackup.bench;

import dev.brachtendorf.jimagehash.hashAlgorithms.PerceptiveHash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * File to hash, end to end (open, decode, EXIF orientation, shrink, DCT, bits), single thread, over every YCbCr or
 * grayscale JPEG in the corpus folder (57 of the 58; the CMYK one is left out, as decode_floor leaves it out): one
 * operation hashes all of them. {@code native} is libjpeg-turbo with DCT-domain scaling;
 * {@code vector} is the pure-Java path (the DC-only decoder for baseline JPEGs of at least 256 x 256 pixels,
 * ImageIO + TwelveMonkeys for the rest: here 2 progressive and 6 small files); {@code jimagehash} is JImageHash 1.0.0's
 * {@code PerceptiveHash(64)} on the same files, the outside baseline. Compare with {@code decode_floor}
 * (benchmarks/src/main/c), libjpeg-turbo's own 1/8-scale decode time for the same files.
 *
 * <p>Run (from the repository root; {@code -Dcleanbackup.corpus.photos} defaults to ../shared/corpus/photos):
 * <pre>
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *   org.openjdk.jmh.Main PhashFileBenchmark -wi 2 -i 3 -w 3s -r 5s -f 1
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"})
public class PhashFileBenchmark {

    @Param({"native", "vector", "jimagehash"})
    public String impl;

    private List<Path> files;
    private PerceptualHasher hasher;
    private PerceptiveHash jimagehash;

    static List<Path> corpusJpegs() throws IOException {
        Path dir = Path.of(System.getProperty("cleanbackup.corpus.photos", "../shared/corpus/photos"));
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("no photo folder at " + dir.toAbsolutePath()
                    + ": pass -Dcleanbackup.corpus.photos=DIR (JPEG files)");
        }
        try (Stream<Path> s = Files.list(dir)) {
            // the same files decode_floor decodes: CMYK/YCCK JPEGs (4 components) have no libjpeg grayscale path
            return s.filter(p -> p.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".jpg"))
                    .filter(p -> !isFourComponentJpeg(p)).sorted().toList();
        }
    }

    /** Whether the first frame header (SOF0..SOF2) says 4 components. */
    static boolean isFourComponentJpeg(Path p) {
        try {
            byte[] b = Files.readAllBytes(p);
            for (int i = 2; i + 9 < b.length; ) {
                int marker = b[i + 1] & 0xFF;
                if (marker >= 0xC0 && marker <= 0xC2) {
                    return b[i + 9] == 4;
                }
                i += 2 + (((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF));
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    @Setup
    public void setup() throws IOException {
        files = corpusJpegs();
        if (impl.equals("jimagehash")) {
            jimagehash = new PerceptiveHash(64);
        } else {
            hasher = PerceptualHashers.get(impl);
        }
    }

    @Benchmark
    public void allFiles(Blackhole bh) throws IOException {
        for (Path p : files) {
            bh.consume(jimagehash != null ? jimagehash.hash(p.toFile()) : hasher.hash(p));
        }
    }
}
