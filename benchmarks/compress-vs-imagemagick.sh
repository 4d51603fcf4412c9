#!/usr/bin/env bash
# JPEG compression speed and size: Clean-Backup's two JPEG encoders (libjpeg-turbo through phash-native, and the
# JDK's ImageIO; level 2 = quality 85) against ImageMagick's `convert -quality 85`, on the same photos, one core and
# all cores, with output sizes and PSNR. Results go into docs/benchmarks.md ("Compression").
#
# Usage: benchmarks/compress-vs-imagemagick.sh [PHOTOS_DIR] [ROUNDS]
#   PHOTOS_DIR  JPEGs to compress (default: ../shared/corpus/photos next to the repository)
#   ROUNDS      timed rounds per measurement, the best is reported (default 3)
# Environment: CONVERT (ImageMagick's convert or magick; default: the one on the PATH), JAVA_HOME (a JDK 25+),
#              CLEANBACKUP (the launcher used for the end-to-end runs; default ./cleanbackup).
# Needs: ImageMagick, a JDK 25, and the project built (mvn -pl core,phash-native,cli -am package -DskipTests, or
# ./cleanbackup once; phash-native's native library needs gcc and libjpeg62-turbo-dev at build time). Reads the photos only; everything it writes is in a temporary folder that is removed at the end.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
photos="${1:-$here/../shared/corpus/photos}"
rounds="${2:-3}"
convert="${CONVERT:-$(command -v magick || command -v convert-im6.q16 || command -v convert || true)}"
launcher="${CLEANBACKUP:-$here/cleanbackup}"
[ -d "$photos" ] || { echo "no photo folder: $photos" >&2; exit 2; }
[ -n "$convert" ] || { echo "ImageMagick is not installed (apt-get install imagemagick)" >&2; exit 2; }
# A wrapper script in front of the real binary adds its own start-up to every call and skews every figure.
[ "$(head -c 2 "$convert" 2>/dev/null)" = "#!" ] && echo "warning: $convert is a script, not ImageMagick itself; set CONVERT to the real binary" >&2

. "$here/benchmarks/jdk25.sh"
cp_core="$here/core/target/classes:$here/phash-java/target/classes:$here/phash-native/target/classes:$here/cli/target/lib/*"
[ -d "$here/core/target/classes/org/cleanbackup/compress" ] && [ -d "$here/phash-native/target/classes" ] \
  || { echo "build first: mvn -pl core,phash-native,cli -am package -DskipTests" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/in"
find "$photos" -maxdepth 1 -type f \( -iname '*.jpg' -o -iname '*.jpeg' \) -exec cp {} "$work/in/" \;
cores="$(nproc)"
count="$(ls "$work/in" | wc -l)"

# Runs a command; prints its wall time and the CPU time (user + system) of it and its children, in seconds. The CPU
# time barely moves when other work shares the machine; the wall time does.
measure() {
  local TIMEFORMAT='%R %U %S' out
  out=$( { time "$@" >/dev/null 2>"$work/last-stderr"; } 2>&1 ) || true
  awk '{printf "%.2f %.2f\n", $1, $2 + $3}' <<<"$out"
}
report() { # $1: label; "wall cpu" lines on stdin, one per round; the fastest round is reported
  local line wall cpu
  line=$(sort -n | head -1); wall=${line% *}; cpu=${line#* }
  echo "$1: best of $rounds: $wall s wall ($(rate "$count" "$wall") images/s), $cpu s CPU ($(rate "$count" "$cpu") images per CPU-second)"
}
rate() { awk -v n="$1" -v t="$2" 'BEGIN{printf "%.1f", n/t}'; }

im_run() { # $1: parallel processes, $2: threads inside each (ImageMagick uses OpenMP on every core by default)
  rm -rf "$work/im"; mkdir -p "$work/im"
  (cd "$work/in" && ls | MAGICK_THREAD_LIMIT="$2" xargs -d '\n' -P "$1" -I{} "$convert" {} -quality 85 "$work/im/{}")
}

echo "== machine"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $cores cores; $(free -g | awk '/Mem:/{print $2}') GiB"
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews every figure)"
echo "java: $("$java" -version 2>&1 | head -1)"
echo "imagemagick: $("$convert" -version | head -1) ($convert)"
echo "photos: $count JPEGs, $(du -cb "$work/in"/* | tail -1 | cut -f1) bytes, from $photos"

echo "== ImageMagick convert -quality 85 (one process per photo; MAGICK_THREAD_LIMIT sets its OpenMP threads)"
for setting in "1 1" "$cores 1" "1 $cores"; do
  set -- $setting
  for r in $(seq "$rounds"); do measure im_run "$1" "$2"; done | report "processes=$1 x threads=$2"
done
im_run "$cores" 1 2>/dev/null

echo "== Clean-Backup JPEG encoders (libjpeg-turbo through FFM, and ImageIO), in one warm JVM"
cat > "$work/Bench.java" <<'JAVA'
import java.awt.image.BufferedImage;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.*;
import javax.imageio.ImageIO;
import org.cleanbackup.compress.*;
import org.cleanbackup.compress.internal.JpegCompressor;
import org.cleanbackup.phash.nativ.NativeJpegCompressor;

/** Encoder throughput (warm, best of N rounds), output sizes and PSNR against the original for ours and ImageMagick's. */
public class Bench {
    public static void main(String[] a) throws Exception {
        Path in = Path.of(a[0]), out = Path.of(a[1]), im = Path.of(a[2]);
        int rounds = Integer.parseInt(a[3]), cores = Integer.parseInt(a[4]);
        System.out.println("Compressors.load() chooses for .jpg: " + Compressors.load().forFileName("x.jpg").orElseThrow());
        NativeJpegCompressor nat = new NativeJpegCompressor();
        nat.unavailableReason().ifPresent(r -> { throw new IllegalStateException("native encoder unavailable: " + r); });
        Map<String, Compressor> encoders = new LinkedHashMap<>();
        encoders.put("native", nat);
        encoders.put("imageio", new JpegCompressor());
        List<Path> files;
        try (var s = Files.list(in)) { files = s.sorted().toList(); }
        Set<Path> refused = ConcurrentHashMap.newKeySet();
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (var e : encoders.entrySet()) {
            Compressor jpeg = e.getValue();
            Path dir = Files.createDirectories(out.resolve(e.getKey()));
            for (int threads : new int[] {1, cores}) {
                double bestSeconds = Double.MAX_VALUE, bestCpu = Double.MAX_VALUE;
                for (int r = 0; r <= rounds; r++) { // round 0 warms the JIT up and is not counted
                    ExecutorService pool = Executors.newFixedThreadPool(threads);
                    long t0 = System.nanoTime(), c0 = os.getProcessCpuTime();
                    List<Future<?>> fs = new ArrayList<>();
                    for (Path f : files) {
                        fs.add(pool.submit(() -> {
                            Path o = dir.resolve(f.getFileName());
                            Files.deleteIfExists(o);
                            try { jpeg.compress(f, o, CompressionLevel.BALANCED); } catch (CompressionException x) { refused.add(f); }
                            return null;
                        }));
                    }
                    for (Future<?> f : fs) f.get();
                    double s = (System.nanoTime() - t0) / 1e9, cpu = (os.getProcessCpuTime() - c0) / 1e9;
                    pool.shutdown();
                    if (r > 0) { bestSeconds = Math.min(bestSeconds, s); bestCpu = Math.min(bestCpu, cpu); }
                }
                System.out.printf(Locale.ROOT, "%s threads=%d: best of %d: %.2f s wall (%.1f images/s), %.2f s CPU (%.1f"
                        + " images per CPU-second)%n", e.getKey(), threads, rounds, bestSeconds, files.size() / bestSeconds,
                        bestCpu, files.size() / bestCpu);
            }
        }
        refused.forEach(f -> System.out.println("refused (kept as is by compress): " + f.getFileName()));
        long orig = 0, magick = 0; int n = 0; double psnrIm = 0;
        Map<String, long[]> sizes = new LinkedHashMap<>();
        Map<String, Double> psnr = new LinkedHashMap<>();
        for (String k : encoders.keySet()) { sizes.put(k, new long[2]); psnr.put(k, 0.0); }
        for (Path f : files) {
            if (refused.contains(f)) continue;
            Path m = im.resolve(f.getFileName());
            if (!Files.exists(m)) continue;
            long so = Files.size(f);
            orig += so; magick += Files.size(m);
            BufferedImage ref = ImageIO.read(f.toFile());
            psnrIm += psnr(ref, ImageIO.read(m.toFile()));
            for (String k : encoders.keySet()) {
                Path o = out.resolve(k).resolve(f.getFileName());
                long s1 = Files.size(o);
                sizes.get(k)[0] += s1; sizes.get(k)[1] += Math.min(so, s1);
                psnr.merge(k, psnr(ref, ImageIO.read(o.toFile())), Double::sum);
            }
            n++;
        }
        System.out.printf(Locale.ROOT, "sizes over the %d photos all handled: originals %d, ImageMagick %d (mean PSNR %.2f dB)%n",
                n, orig, magick, psnrIm / n);
        for (String k : encoders.keySet()) {
            System.out.printf(Locale.ROOT, "  %s: %d (%d after keeping originals that were smaller), mean PSNR %.2f dB%n",
                    k, sizes.get(k)[0], sizes.get(k)[1], psnr.get(k) / n);
        }
    }

    static double psnr(BufferedImage x, BufferedImage y) {
        int w = x.getWidth(), h = x.getHeight();
        int[] p = x.getRGB(0, 0, w, h, null, 0, w), q = y.getRGB(0, 0, w, h, null, 0, w);
        double se = 0;
        for (int i = 0; i < p.length; i++) for (int s = 0; s < 24; s += 8) { int d = ((p[i] >> s) & 255) - ((q[i] >> s) & 255); se += d * d; }
        return se == 0 ? 99 : 10 * Math.log10(255.0 * 255 / (se / (3.0 * p.length)));
    }
}
JAVA
"$java" --enable-native-access=ALL-UNNAMED -cp "$cp_core" "$work/Bench.java" "$work/in" "$work/ours" "$work/im" "$rounds" "$cores"

echo "== Clean-Backup end to end: $launcher compress --only images --level 2 (JVM start, scan, journal included)"
if "$launcher" compress --help >/dev/null 2>&1; then
  for threads in 1 "$cores"; do
    for r in $(seq "$rounds"); do
      rm -rf "$work/dest" "$work/journal.db"*
      measure "$launcher" compress --quiet --journal "$work/journal.db" --only images --level 2 --threads "$threads" \
          "$work/in" "$work/dest"
    done | report "threads=$threads"
  done
else
  echo "skipped: '$launcher compress' is not available (the subcommand is not registered in this build)"
fi
