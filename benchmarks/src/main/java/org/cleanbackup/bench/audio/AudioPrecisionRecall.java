package org.cleanbackup.bench.audio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cleanbackup.cache.HashCache;
import org.cleanbackup.fingerprint.AudioFingerprint;
import org.cleanbackup.fingerprint.AudioFingerprinter;
import org.cleanbackup.model.FileId;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.ProgressListener;
import org.cleanbackup.sound.SimilarAudioFinder;
import org.cleanbackup.sound.SoundGroup;

/**
 * Precision, recall and speed of similar-audio dedupe on a set made by {@code benchmarks/audio/make-set.py}.
 *
 * <p>Reads {@code SET/manifest.tsv} (path, song, variant): two files are the same recording when their song ids are
 * equal. Then, for each fingerprint window (seconds):
 * <ol>
 * <li>fingerprints every file with {@link AudioFingerprinter#fingerprintAll} (batches of
 * {@link AudioFingerprinter#BATCH} files per ffmpeg process, as the finder does) on {@code --threads} threads,
 * without a cache, and prints files per second (run with {@code --threads 1} for the per-core figure);
 * <li>compares every pair by brute force (the best offset within 15 s, as the matcher does, silence left out) and
 * prints the bit-error rates of same-song pairs by variant against the FLAC, and of different-song pairs: the gap
 * between the two is what the threshold sits in;
 * <li>runs {@link SimilarAudioFinder} (the inverted index, the threshold, the non-chaining groups: what
 * {@code dedupe --mode similar --types audio} does), with the fingerprints from a temporary cache, for several
 * thresholds, and counts pairs: a predicted pair is two files of one group; precision = predicted pairs of one song
 * / predicted pairs, recall = same-song pairs predicted / same-song pairs. Recall also per variant (the copy grouped
 * with its library FLAC).
 * </ol>
 * Output is Markdown on standard output.
 *
 * <p>Run (from the repository root, after {@code mvn -B -q package -DskipTests -pl benchmarks -am}):
 * <pre>
 * benchmarks/audio/make-set.py /tmp/audio-set
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java --enable-native-access=ALL-UNNAMED \
 *   -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *   org.cleanbackup.bench.audio.AudioPrecisionRecall /tmp/audio-set [--threads 1] [--seconds 30,60,120]
 * </pre>
 */
public final class AudioPrecisionRecall {

    private record Item(Path path, int song, String variant) {
    }

    private AudioPrecisionRecall() {
    }

    public static void main(String[] args) throws Exception {
        Path set = Path.of(args[0]);
        int threads = 1;
        List<Integer> windows = List.of(AudioFingerprinter.DEFAULT_SECONDS);
        double[] thresholds = {0.10, 0.15, 0.20, 0.25, 0.30, 0.35};
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--seconds" -> windows = java.util.Arrays.stream(args[++i].split(",")).map(Integer::valueOf)
                        .toList();
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<Item> items = new ArrayList<>();
        List<String> lines = Files.readAllLines(set.resolve("manifest.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            items.add(new Item(set.resolve(f[0]).toAbsolutePath().normalize(), Integer.parseInt(f[1]), f[2]));
        }
        System.out.printf(Locale.ROOT, "# Similar audio: %d files of %d songs in %s, %d threads, %s%n%n", items.size(),
                items.stream().mapToInt(Item::song).distinct().count(), set, threads,
                AudioFingerprinter.system(60).map(Object::toString).orElse("no fingerprinter"));
        for (int seconds : windows) {
            window(set, items, seconds, threads, thresholds);
        }
    }

    private static void window(Path set, List<Item> items, int seconds, int threads, double[] thresholds)
            throws Exception {
        AudioFingerprinter fingerprinter = AudioFingerprinter.system(seconds).orElseThrow(
                () -> new IllegalStateException(AudioFingerprinter.unavailableReason().orElse("")));
        System.out.printf(Locale.ROOT, "## Window %d s%n%n", seconds);

        // 1. speed
        Map<Item, AudioFingerprint> prints = new ConcurrentHashMap<>();
        Map<Item, Long> nanos = new ConcurrentHashMap<>();
        long started = System.nanoTime();
        double cpuBefore = cpuSeconds();
        double ffmpegBefore = childCpuSeconds();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int from = 0; from < items.size(); from += AudioFingerprinter.BATCH) {
                List<Item> batch = items.subList(from, Math.min(items.size(), from + AudioFingerprinter.BATCH));
                futures.add(pool.submit(() -> {
                    long t = System.nanoTime();
                    List<AudioFingerprinter.Outcome> outcomes = fingerprinter.fingerprintAll(
                            batch.stream().map(Item::path).toList());
                    long each = (System.nanoTime() - t) / batch.size();
                    for (int i = 0; i < batch.size(); i++) {
                        prints.put(batch.get(i), outcomes.get(i).fingerprint().orElseThrow());
                        nanos.put(batch.get(i), each);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        double wall = (System.nanoTime() - started) / 1e9;
        double cpu = cpuSeconds() - cpuBefore;
        double ffmpegCpu = childCpuSeconds() - ffmpegBefore;
        System.out.printf(Locale.ROOT, "Fingerprinted %d files in %.1f s on %d threads: %.1f files/s (%.1f per thread);"
                + " CPU time (this JVM and its decoder processes) %.1f s, of which decoding %.1f s: %.1f files per"
                + " CPU-second.%n%n", items.size(), wall, threads, items.size() / wall, items.size() / wall / threads, cpu,
                ffmpegCpu, items.size() / cpu);
        // 2. bit-error rates by brute force
        Map<Integer, Item> flacOf = new HashMap<>();
        items.stream().filter(i -> i.variant().equals("flac")).forEach(i -> flacOf.put(i.song(), i));
        Map<String, List<Double>> same = new TreeMap<>();
        List<Double> different = new ArrayList<>();
        for (int a = 0; a < items.size(); a++) {
            for (int b = a + 1; b < items.size(); b++) {
                Item x = items.get(a);
                Item y = items.get(b);
                double ber = SimilarAudioFinder.bitErrorRate(prints.get(x), prints.get(y));
                if (x.song() != y.song()) {
                    different.add(ber);
                } else if (x.variant().equals("flac") || y.variant().equals("flac")) {
                    same.computeIfAbsent(x.variant().equals("flac") ? y.variant() : x.variant(), v -> new ArrayList<>())
                            .add(ber);
                }
            }
        }
        System.out.println("Bit-error rate at the best offset (brute force), against the library FLAC:");
        System.out.println();
        System.out.println("| pairs | n | min | median | max |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        same.forEach((v, list) -> row("same song, " + v, list));
        row("different songs", different);
        System.out.println();

        // 3. what the finder groups, for several thresholds
        Path db = Files.createTempFile("audio-pr", ".db");
        List<MediaFile> media = new ArrayList<>();
        Map<Path, Item> byPath = new HashMap<>();
        for (Item item : items) {
            BasicFileAttributes attrs = Files.readAttributes(item.path(), BasicFileAttributes.class);
            boolean reference = item.path().startsWith(set.resolve("library").toAbsolutePath().normalize());
            media.add(new MediaFile(item.path(), set.toAbsolutePath(), reference, attrs.size(),
                    attrs.lastModifiedTime().toMillis(), FileId.fromFileKey(attrs.fileKey())));
            byPath.put(item.path(), item);
        }
        long truePairs = 0;
        for (int a = 0; a < items.size(); a++) {
            for (int b = a + 1; b < items.size(); b++) {
                truePairs += items.get(a).song() == items.get(b).song() ? 1 : 0;
            }
        }
        System.out.println("Groups found by SimilarAudioFinder (index, threshold, non-chaining groups), over all pairs:");
        System.out.println();
        System.out.println("| max bit-error rate | groups | predicted pairs | precision | recall | compare time |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: |");
        Map<Double, Map<String, int[]>> perVariant = new TreeMap<>();
        try (HashCache cache = HashCache.open(db)) {
            new SimilarAudioFinder(new SimilarAudioFinder.Options(fingerprinter, 0.2, threads, cache, null, null))
                    .find(media, ProgressListener.NONE); // fills the cache
            for (double threshold : thresholds) {
                long t = System.nanoTime();
                SimilarAudioFinder.Result r = new SimilarAudioFinder(new SimilarAudioFinder.Options(fingerprinter,
                        threshold, threads, cache, null, null)).find(media, ProgressListener.NONE);
                double compare = (System.nanoTime() - t) / 1e9;
                long predicted = 0;
                long correct = 0;
                Map<String, int[]> variants = new TreeMap<>();
                Map<Path, Integer> groupOf = new HashMap<>();
                for (int g = 0; g < r.groups().size(); g++) {
                    SoundGroup group = r.groups().get(g);
                    List<Item> members = new ArrayList<>();
                    members.add(byPath.get(group.keep().path()));
                    group.duplicates().forEach(m -> members.add(byPath.get(m.file().path())));
                    group.protectedCopies().forEach(m -> members.add(byPath.get(m.file().path())));
                    for (Item m : members) {
                        groupOf.put(m.path(), g);
                    }
                    for (int a = 0; a < members.size(); a++) {
                        for (int b = a + 1; b < members.size(); b++) {
                            predicted++;
                            correct += members.get(a).song() == members.get(b).song() ? 1 : 0;
                        }
                    }
                }
                for (Item item : items) {
                    Item flac = flacOf.get(item.song());
                    if (item.variant().equals("flac") || item.variant().equals("only") || flac == null) {
                        continue;
                    }
                    int[] c = variants.computeIfAbsent(item.variant(), v -> new int[2]);
                    Integer g = groupOf.get(item.path());
                    c[0] += g != null && g.equals(groupOf.get(flac.path())) ? 1 : 0;
                    c[1]++;
                }
                perVariant.put(threshold, variants);
                System.out.printf(Locale.ROOT, "| %.2f | %d | %d | %.4f | %.4f | %.2f s |%n", threshold,
                        r.groups().size(), predicted, predicted == 0 ? 1.0 : (double) correct / predicted,
                        (double) correct / truePairs, compare);
            }
        } finally {
            Files.deleteIfExists(db);
            Files.deleteIfExists(Path.of(db + "-wal"));
            Files.deleteIfExists(Path.of(db + "-shm"));
        }
        System.out.printf(Locale.ROOT, "%nSame-song pairs: %d. Recall per variant (grouped with its library FLAC):%n%n",
                truePairs);
        List<String> names = new ArrayList<>(perVariant.values().iterator().next().keySet());
        System.out.println("| max bit-error rate | " + String.join(" | ", names) + " |");
        System.out.println("| ---: |" + " ---: |".repeat(names.size()));
        perVariant.forEach((threshold, variants) -> {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %.2f |", threshold));
            for (String n : names) {
                int[] c = variants.get(n);
                row.append(String.format(Locale.ROOT, " %d/%d |", c[0], c[1]));
            }
            System.out.println(row);
        });
        System.out.println();
    }

    /**
     * CPU seconds used so far by this process and its decoders (user + system): this process's own, its finished
     * children's (the ffmpeg processes are reaped, so their time is in cutime and cstime), and its live children's
     * (the libavcodec workers stay alive between batches).
     */
    private static double cpuSeconds() throws IOException {
        return ticks(Path.of("/proc/self/stat"), true) / 100.0 + childCpuSeconds();
    }

    /** CPU seconds of the decoder processes, finished and still running. */
    private static double childCpuSeconds() throws IOException {
        long live = 0;
        for (ProcessHandle child : ProcessHandle.current().children().toList()) {
            try {
                live += ticks(Path.of("/proc/" + child.pid() + "/stat"), false);
            } catch (IOException gone) {
                // it ended between listing and reading: its time is in cutime now, or will be
            }
        }
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[13]) + Long.parseLong(f[14]) + live) / 100.0;
    }

    /** utime + stime of a /proc/PID/stat, in clock ticks (100 a second), and cutime + cstime unless {@code own}. */
    private static long ticks(Path stat, boolean own) throws IOException {
        String line = Files.readString(stat);
        String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
        // after the name: state(0) ... utime(11) stime(12) cutime(13) cstime(14)
        return Long.parseLong(f[11]) + Long.parseLong(f[12])
                + (own ? 0 : Long.parseLong(f[13]) + Long.parseLong(f[14]));
    }

    private static void row(String name, List<Double> list) {
        List<Double> sorted = list.stream().sorted().toList();
        System.out.printf(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f |%n", name, sorted.size(), sorted.getFirst(),
                sorted.get(sorted.size() / 2), sorted.getLast());
    }
}
