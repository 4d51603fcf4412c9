package org.cleanbackup.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.cleanbackup.thumbnail.Thumbnails;

/**
 * Thumbnails per CPU-second of the thread that makes them, per decoder, over the corpus JPEGs of
 * {@link ThumbnailBenchmark}: the figure issue 18 sets (200 per second per core) measured so that other processes
 * on a shared machine do not count against it, as they do in the JMH benchmark's wall-clock throughput. Warms up
 * with {@code passes} passes, then reports the median of {@code passes} timed passes. The decoder name
 * {@code cached} measures a second review instead: the default decoders with a cache folder (in the temporary
 * folder, left there), which the warm-up passes fill.
 *
 * <p>Run (from the repository root):
 * <pre>
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java --enable-native-access=ALL-UNNAMED \
 *   -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *   org.cleanbackup.bench.ThumbnailCpuTime 7 256 libjpeg-turbo java imageio cached
 * </pre>
 */
public final class ThumbnailCpuTime {

    private ThumbnailCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        int passes = Integer.parseInt(args[0]);
        int maxSide = Integer.parseInt(args[1]);
        List<Path> files = PhashFileBenchmark.corpusJpegs();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (String decoder : Arrays.copyOfRange(args, 2, args.length)) {
            // "cached": every thumbnail read back from a cache folder the warm-up passes filled (a second review)
            Path cache = decoder.equals("cached") ? java.nio.file.Files.createTempDirectory("thumbnail-cache") : null;
            Thumbnails thumbnails = cache != null ? Thumbnails.create(cache) : Thumbnails.create(null).using(decoder);
            for (int i = 0; i < passes; i++) {
                pass(thumbnails, files, maxSide);
            }
            double[] perCpuSecond = new double[passes];
            double[] perWallSecond = new double[passes];
            for (int i = 0; i < passes; i++) {
                long cpu = mx.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                pass(thumbnails, files, maxSide);
                perCpuSecond[i] = files.size() / ((mx.getCurrentThreadCpuTime() - cpu) / 1e9);
                perWallSecond[i] = files.size() / ((System.nanoTime() - wall) / 1e9);
            }
            Arrays.sort(perCpuSecond);
            Arrays.sort(perWallSecond);
            System.out.printf("%-14s %3d files, maxSide %d: %6.0f thumbnails per CPU-second (median of %d; min %.0f,"
                            + " max %.0f), %6.0f per wall-second%n", decoder, files.size(), maxSide,
                    perCpuSecond[passes / 2], passes, perCpuSecond[0], perCpuSecond[passes - 1],
                    perWallSecond[passes / 2]);
        }
    }

    private static void pass(Thumbnails thumbnails, List<Path> files, int maxSide) {
        for (Path file : files) {
            if (thumbnails.jpeg(file, maxSide).isEmpty()) {
                throw new IllegalStateException("no thumbnail: " + file);
            }
        }
    }
}
