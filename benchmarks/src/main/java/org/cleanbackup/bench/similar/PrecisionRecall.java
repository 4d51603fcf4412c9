package org.cleanbackup.bench.similar;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.RescaleOp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.cleanbackup.phash.Orientation;
import org.cleanbackup.phash.OrientationHashes;
import org.cleanbackup.phash.PerceptualHasher;
import org.cleanbackup.phash.PerceptualHashers;
import org.cleanbackup.similar.Sensitivity;

/**
 * Precision and recall of the perceptual hash plus a Hamming threshold, on transformed copies of real photos.
 *
 * <p>For every JPEG of the corpus folder the program decodes the photo with ImageIO (TwelveMonkeys plug-ins), turns
 * it upright by its EXIF orientation (as the hash does; the copies carry no EXIF), and writes seven copies to a temp
 * folder with Java2D/ImageIO: {@code resize50} (half size, bilinear = 2x2 box, JPEG q90), {@code jpeg-q40} (JPEG
 * quality 40), {@code png} (lossless PNG), {@code crop3} (3% cut off each side, JPEG q90), {@code bright20}
 * (every RGB channel times 1.2, clipped, JPEG q90), {@code gray} (Rec. 601 luma, 8-bit gray JPEG q90) and
 * {@code rot90} (a quarter turn clockwise, JPEG q90). A photo that the hasher or ImageIO cannot decode is reported
 * and skipped.
 *
 * <p>Every item (original or copy) is hashed with {@link PerceptualHashers#fastest()} under all eight
 * orientations. Positives are all pairs of items derived from the same photo (original-copy and copy-copy);
 * negatives are all pairs derived from different photos. For thresholds 0..16 and the {@link Sensitivity} presets
 * it prints precision, recall and F1 over all pairs, once with the upright hashes and once with orientation
 * matching (the smaller of the two directions of min-over-8-orientations, as the grouping does), then recall per
 * transformation, then every negative pair within the STANDARD threshold with its file names so that a person can
 * judge whether the two photos are really different pictures. Output is Markdown on standard output.
 *
 * <p>Run (from the repository root, after {@code mvn -B -q package -DskipTests -pl benchmarks -am}):
 * <pre>
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
 *   -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *   org.cleanbackup.bench.similar.PrecisionRecall [--photos ../shared/corpus/photos] [--threads 2] [--keep]
 *   [--backends native,vector,scalar] [--also 10]
 * </pre>
 * {@code --keep} leaves the temp folder of copies in place (its path is printed); {@code --backends} also hashes
 * every item with the listed backends and reports whether they agree with the fastest one and their preset scores;
 * {@code --also T} adds threshold T (a candidate preset) to the per-transformation recall table.
 */
public final class PrecisionRecall {

    /** The transformations, in output order. */
    static final List<String> TRANSFORMS =
            List.of("resize50", "jpeg-q40", "png", "crop3", "bright20", "gray", "rot90");

    private static final int MAX_THRESHOLD = 16;

    private PrecisionRecall() {
    }

    /** One hashed file: an original ({@code transform == "original"}) or a copy of photo {@code source}. */
    record Item(int source, String transform, Path path, long upright, long[] orientations) {
    }

    public static void main(String[] args) throws Exception {
        Path photos = Path.of("../shared/corpus/photos");
        int threads = 2;
        boolean keep = false;
        List<String> backends = List.of();
        int also = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--photos" -> photos = Path.of(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--keep" -> keep = true;
                case "--backends" -> backends = List.of(args[++i].split(","));
                case "--also" -> also = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        PerceptualHasher hasher = PerceptualHashers.fastest();
        List<Path> files;
        try (Stream<Path> s = Files.list(photos)) {
            files = s.filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".jpg") || n.endsWith(".jpeg");
            }).sorted().toList();
        }
        Path tmp = Files.createTempDirectory("cleanbackup-pr-");
        long t0 = System.nanoTime();

        // 1. Decode, orient and transform every photo (in parallel); collect the ones that fail.
        List<String> skipped = new ArrayList<>();
        List<Path> originals = new ArrayList<>();
        List<Map<String, Path>> copies = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Map<String, Path>>> jobs = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                Path dir = tmp.resolve(String.format(Locale.ROOT, "%03d", i));
                jobs.add(pool.submit(() -> makeCopies(hasher, file, dir)));
            }
            for (int i = 0; i < files.size(); i++) {
                try {
                    copies.add(jobs.get(i).get());
                    originals.add(files.get(i));
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable cause = e.getCause();
                    skipped.add("`" + files.get(i).getFileName() + "`: " + cause.getMessage());
                }
            }
        }
        long t1 = System.nanoTime();

        // 2. Hash everything with the fastest backend (and the others asked for).
        List<Item> items = hashAll(hasher, originals, copies);
        long t2 = System.nanoTime();

        StringBuilder out = new StringBuilder();
        out.append("## Similar images: precision and recall\n\n");
        out.append(String.format(Locale.ROOT, "- Photos: %d JPEGs in `%s`, %d used, %d skipped; %d items "
                        + "(original + %d copies each); backend `%s`.%n", files.size(), photos, originals.size(),
                skipped.size(), items.size(), TRANSFORMS.size(), hasher.name()));
        for (String s : skipped) {
            out.append("  - skipped ").append(s).append('\n');
        }
        for (String w : WARNINGS) {
            out.append("  - ImageIO warning (photo used): ").append(w).append('\n');
        }
        out.append(String.format(Locale.ROOT, "- Making the copies took %.1f s, hashing them (8 orientations) %.1f s"
                + " (%d threads for the copies, 1 for hashing).%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9, threads));
        report(out, items, also);

        for (String name : backends) {
            if (name.equals(hasher.name())) {
                continue;
            }
            PerceptualHasher other;
            try {
                other = PerceptualHashers.get(name);
            } catch (RuntimeException e) {
                out.append("\n- backend `").append(name).append("` unavailable: ").append(e.getMessage()).append('\n');
                continue;
            }
            List<Item> otherItems = hashAll(other, originals, copies);
            int differ = 0;
            int maxDist = 0;
            for (int k = 0; k < items.size(); k++) {
                int d = Long.bitCount(items.get(k).upright() ^ otherItems.get(k).upright());
                if (d != 0) {
                    differ++;
                }
                maxDist = Math.max(maxDist, d);
            }
            out.append(String.format(Locale.ROOT, "%n### Backend `%s` against `%s`%n%n%d of %d upright hashes differ,"
                    + " by at most %d bits.%n%n", name, hasher.name(), differ, items.size(), maxDist));
            presetTable(out, pairs(otherItems), true);
        }

        System.out.print(out);
        if (keep) {
            System.err.println("copies kept in " + tmp);
        } else {
            deleteTree(tmp);
        }
    }

    private static List<Item> hashAll(PerceptualHasher hasher, List<Path> originals, List<Map<String, Path>> copies)
            throws IOException {
        List<Item> items = new ArrayList<>();
        for (int s = 0; s < originals.size(); s++) {
            items.add(hashItem(hasher, s, "original", originals.get(s)));
            for (Map.Entry<String, Path> e : copies.get(s).entrySet()) {
                items.add(hashItem(hasher, s, e.getKey(), e.getValue()));
            }
        }
        return items;
    }

    private static Item hashItem(PerceptualHasher hasher, int source, String transform, Path path) throws IOException {
        OrientationHashes oh = hasher.hashOrientations(path);
        long[] all = new long[8];
        for (int o = 0; o < 8; o++) {
            all[o] = oh.hashes().get(o).bits();
        }
        return new Item(source, transform, path, all[0], all);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Copies

    private static Map<String, Path> makeCopies(PerceptualHasher hasher, Path file, Path dir) throws IOException {
        // The hasher must read it too (it reports truncated and damaged files), and tells the EXIF orientation.
        Orientation orientation = hasher.decode(file).orientation();
        BufferedImage img = readRgb(file);
        img = orient(img, orientation);
        Files.createDirectories(dir);
        Map<String, Path> out = new LinkedHashMap<>();
        int w = img.getWidth();
        int h = img.getHeight();
        out.put("resize50", writeJpeg(scale(img, Math.max(1, w / 2), Math.max(1, h / 2)), dir.resolve("resize50.jpg"), 0.9f));
        out.put("jpeg-q40", writeJpeg(img, dir.resolve("q40.jpg"), 0.4f));
        Path png = dir.resolve("copy.png");
        if (!ImageIO.write(img, "png", png.toFile())) {
            throw new IOException("no PNG writer");
        }
        out.put("png", png);
        int cx = Math.round(w * 0.03f);
        int cy = Math.round(h * 0.03f);
        out.put("crop3", writeJpeg(copyOf(img.getSubimage(cx, cy, w - 2 * cx, h - 2 * cy)), dir.resolve("crop3.jpg"), 0.9f));
        BufferedImage bright = new RescaleOp(1.2f, 0f, null).filter(img, null);
        out.put("bright20", writeJpeg(bright, dir.resolve("bright20.jpg"), 0.9f));
        out.put("gray", writeJpeg(gray(img), dir.resolve("gray.jpg"), 0.9f));
        out.put("rot90", writeJpeg(orient(img, Orientation.ROTATE_90), dir.resolve("rot90.jpg"), 0.9f));
        return out;
    }

    /** ImageIO warnings while reading originals (reported; the photo is still used when the hasher read it). */
    private static final List<String> WARNINGS = new ArrayList<>();

    /** Reads the first image of a file as TYPE_INT_RGB, noting decoder warnings. */
    static BufferedImage readRgb(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException("no ImageIO reader");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((r, w) -> warnings.add(w));
                BufferedImage raw = reader.read(0);
                if (!warnings.isEmpty()) {
                    synchronized (WARNINGS) {
                        WARNINGS.add("`" + file.getFileName() + "`: " + String.join("; ", new java.util.LinkedHashSet<>(warnings)));
                    }
                }
                BufferedImage rgb = new BufferedImage(raw.getWidth(), raw.getHeight(), BufferedImage.TYPE_INT_RGB);
                Graphics2D g = rgb.createGraphics();
                g.drawImage(raw, 0, 0, null);
                g.dispose();
                return rgb;
            } finally {
                reader.dispose();
            }
        }
    }

    private static BufferedImage copyOf(BufferedImage src) {
        BufferedImage dst = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        g.drawImage(src, 0, 0, null);
        g.dispose();
        return dst;
    }

    private static BufferedImage scale(BufferedImage src, int w, int h) {
        BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return dst;
    }

    private static BufferedImage gray(BufferedImage src) {
        int w = src.getWidth();
        int h = src.getHeight();
        BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        int[] row = new int[w];
        byte[] luma = new byte[w];
        for (int y = 0; y < h; y++) {
            src.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                double l = 0.299 * ((p >> 16) & 255) + 0.587 * ((p >> 8) & 255) + 0.114 * (p & 255);
                luma[x] = (byte) Math.min(255, (int) Math.round(l));
            }
            dst.getRaster().setDataElements(0, y, w, 1, luma);
        }
        return dst;
    }

    /** {@code o} applied to the pixels: what a viewer shows for a stored image whose EXIF says {@code o}. */
    static BufferedImage orient(BufferedImage src, Orientation o) {
        if (o == Orientation.NORMAL) {
            return src;
        }
        int w = src.getWidth();
        int h = src.getHeight();
        boolean transpose = o == Orientation.TRANSPOSE || o == Orientation.ROTATE_90
                || o == Orientation.TRANSVERSE || o == Orientation.ROTATE_270;
        int dw = transpose ? h : w;
        int dh = transpose ? w : h;
        int[] s = src.getRGB(0, 0, w, h, null, 0, w);
        int[] d = new int[dw * dh];
        for (int i = 0; i < dh; i++) {          // destination row
            for (int j = 0; j < dw; j++) {      // destination column
                int si;
                int sj;
                switch (o) {                    // same definitions as Orientation.applyToPixels
                    case MIRROR_HORIZONTAL -> { si = i; sj = w - 1 - j; }
                    case ROTATE_180 -> { si = h - 1 - i; sj = w - 1 - j; }
                    case MIRROR_VERTICAL -> { si = h - 1 - i; sj = j; }
                    case TRANSPOSE -> { si = j; sj = i; }
                    case ROTATE_90 -> { si = h - 1 - j; sj = i; }
                    case TRANSVERSE -> { si = h - 1 - j; sj = w - 1 - i; }
                    case ROTATE_270 -> { si = j; sj = w - 1 - i; }
                    default -> throw new AssertionError(o);
                }
                d[i * dw + j] = s[si * w + sj];
            }
        }
        BufferedImage dst = new BufferedImage(dw, dh, BufferedImage.TYPE_INT_RGB);
        dst.setRGB(0, 0, dw, dh, d, 0, dw);
        return dst;
    }

    private static Path writeJpeg(BufferedImage img, Path to, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream os = ImageIO.createImageOutputStream(to.toFile())) {
            writer.setOutput(os);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            writer.write(null, new IIOImage(img, null, null), p);
        } finally {
            writer.dispose();
        }
        return to;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Scoring

    /** Every unordered pair once: upright and orientation-matched distance, and whether it is a positive. */
    record Pair(Item a, Item b, int upright, int oriented) {
        boolean positive() {
            return a.source() == b.source();
        }
    }

    static int orientedDistance(Item a, Item b) {
        int best = Long.bitCount(a.upright() ^ b.upright());
        for (long v : a.orientations()) {
            best = Math.min(best, Long.bitCount(v ^ b.upright()));
        }
        for (long v : b.orientations()) {
            best = Math.min(best, Long.bitCount(v ^ a.upright()));
        }
        return best;
    }

    static List<Pair> pairs(List<Item> items) {
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            for (int j = i + 1; j < items.size(); j++) {
                Item a = items.get(i);
                Item b = items.get(j);
                pairs.add(new Pair(a, b, Long.bitCount(a.upright() ^ b.upright()), orientedDistance(a, b)));
            }
        }
        return pairs;
    }

    /** Counts at one threshold. */
    record Score(long tp, long fp, long fn) {
        double precision() {
            return tp + fp == 0 ? 1.0 : (double) tp / (tp + fp);
        }

        double recall() {
            return tp + fn == 0 ? 1.0 : (double) tp / (tp + fn);
        }

        double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
    }

    static Score score(List<Pair> pairs, int threshold, boolean oriented, java.util.function.Predicate<Pair> include) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (Pair p : pairs) {
            if (!include.test(p)) {
                continue;
            }
            int d = oriented ? p.oriented() : p.upright();
            if (p.positive()) {
                if (d <= threshold) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (d <= threshold) {
                fp++;
            }
        }
        return new Score(tp, fp, fn);
    }

    private static void report(StringBuilder out, List<Item> items, int also) {
        List<Pair> pairs = pairs(items);
        long positives = pairs.stream().filter(Pair::positive).count();
        long origCopy = pairs.stream().filter(p -> p.positive() && p.a().transform().equals("original")).count();
        out.append(String.format(Locale.ROOT, "- Pairs: %d positives (%d original-copy, %d copy-copy), %d negatives.%n",
                positives, origCopy, positives - origCopy, pairs.size() - positives));

        out.append("\n### All pairs, by threshold\n\n");
        out.append("Distances are even for all but tied hashes (a hash has 32 one bits, above the median, unless"
                + " coefficients tie at it),"
                + " so an odd threshold behaves as the even one below it. The last column is the upright recall when"
                + " pairs involving the rot90 copy are left out.\n\n");
        out.append("| threshold | upright: TP | FP | precision | recall | F1 | orientations: TP | FP | precision | recall | F1 | upright recall w/o rot90 |\n");
        out.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        java.util.function.Predicate<Pair> noRot = p -> !p.a().transform().equals("rot90")
                && !p.b().transform().equals("rot90");
        for (int t = 0; t <= MAX_THRESHOLD; t++) {
            Score u = score(pairs, t, false, p -> true);
            Score o = score(pairs, t, true, p -> true);
            Score nr = score(pairs, t, false, noRot);
            out.append(String.format(Locale.ROOT, "| %d%s | %d | %d | %.4f | %.4f | %.4f | %d | %d | %.4f | %.4f | %.4f | %.4f |%n",
                    t, presetMark(t), u.tp(), u.fp(), u.precision(), u.recall(), u.f1(),
                    o.tp(), o.fp(), o.precision(), o.recall(), o.f1(), nr.recall()));
        }

        out.append("\n### Presets\n\n");
        presetTable(out, pairs, false);

        out.append("\n### Recall per transformation (original-copy pairs)\n\n");
        out.append("Distances are between the original and its copy: median / 95th percentile / max, upright and with "
                + "orientations.\n\n");
        StringBuilder head = new StringBuilder("| transformation | n | upright d med/p95/max | oriented d med/p95/max |");
        StringBuilder rule = new StringBuilder("| --- | ---: | ---: | ---: |");
        for (Sensitivity s : Sensitivity.values()) {
            head.append(" upright ").append(s.name().toLowerCase(Locale.ROOT)).append(" (").append(s.threshold())
                    .append(") |");
            rule.append(" ---: |");
        }
        for (Sensitivity s : Sensitivity.values()) {
            head.append(" oriented ").append(s.name().toLowerCase(Locale.ROOT)).append(" |");
            rule.append(" ---: |");
        }
        if (also >= 0) {
            head.append(" upright ").append(also).append(" | oriented ").append(also).append(" |");
            rule.append(" ---: | ---: |");
        }
        out.append(head).append('\n').append(rule).append('\n');
        for (String tr : TRANSFORMS) {
            List<Pair> ps = pairs.stream()
                    .filter(p -> p.positive() && p.a().transform().equals("original") && p.b().transform().equals(tr))
                    .toList();
            int[] up = ps.stream().mapToInt(Pair::upright).sorted().toArray();
            int[] or = ps.stream().mapToInt(Pair::oriented).sorted().toArray();
            out.append(String.format(Locale.ROOT, "| %s | %d | %s | %s |", tr, ps.size(), quantiles(up), quantiles(or)));
            for (Sensitivity s : Sensitivity.values()) {
                out.append(String.format(Locale.ROOT, " %.3f |", fraction(up, s.threshold())));
            }
            for (Sensitivity s : Sensitivity.values()) {
                out.append(String.format(Locale.ROOT, " %.3f |", fraction(or, s.threshold())));
            }
            if (also >= 0) {
                out.append(String.format(Locale.ROOT, " %.3f | %.3f |", fraction(up, also), fraction(or, also)));
            }
            out.append('\n');
        }
        int[] copyCopyUp = pairs.stream().filter(p -> p.positive() && !p.a().transform().equals("original"))
                .mapToInt(Pair::upright).sorted().toArray();
        int[] copyCopyOr = pairs.stream().filter(p -> p.positive() && !p.a().transform().equals("original"))
                .mapToInt(Pair::oriented).sorted().toArray();
        out.append(String.format(Locale.ROOT, "| (copy-copy, all) | %d | %s | %s |", copyCopyUp.length,
                quantiles(copyCopyUp), quantiles(copyCopyOr)));
        for (Sensitivity s : Sensitivity.values()) {
            out.append(String.format(Locale.ROOT, " %.3f |", fraction(copyCopyUp, s.threshold())));
        }
        for (Sensitivity s : Sensitivity.values()) {
            out.append(String.format(Locale.ROOT, " %.3f |", fraction(copyCopyOr, s.threshold())));
        }
        if (also >= 0) {
            out.append(String.format(Locale.ROOT, " %.3f | %.3f |", fraction(copyCopyUp, also), fraction(copyCopyOr, also)));
        }
        out.append('\n');

        // Negatives: distance distribution and the close ones.
        int[] negUp = pairs.stream().filter(p -> !p.positive()).mapToInt(Pair::upright).sorted().toArray();
        int[] negOr = pairs.stream().filter(p -> !p.positive()).mapToInt(Pair::oriented).sorted().toArray();
        out.append(String.format(Locale.ROOT, "%n### Negatives%n%nDistances of the %d negative pairs: upright min %d,"
                        + " 0.1%% %d, 1%% %d, median %d; with orientations min %d, 0.1%% %d, 1%% %d, median %d.%n",
                negUp.length, negUp[0], negUp[negUp.length / 1000], negUp[negUp.length / 100], negUp[negUp.length / 2],
                negOr[0], negOr[negOr.length / 1000], negOr[negOr.length / 100], negOr[negOr.length / 2]));
        int standard = Sensitivity.STANDARD.threshold();
        int aggressive = Sensitivity.AGGRESSIVE.threshold();
        Map<String, List<Pair>> close = new TreeMap<>();
        for (Pair p : pairs) {
            if (!p.positive() && p.oriented() <= aggressive) {
                Item a = p.a().source() < p.b().source() ? p.a() : p.b();
                Item b = a == p.a() ? p.b() : p.a();
                close.computeIfAbsent(a.source() + "/" + b.source(), k -> new ArrayList<>()).add(p);
            }
        }
        out.append(String.format(Locale.ROOT, "%nPhoto pairs with any derived negative pair within the aggressive "
                + "threshold (%d) with orientations; those within the standard threshold (%d) are the standard "
                + "preset's false positives. Originals' distance is upright/oriented; `n<=%d` counts the derived "
                + "pairs (of 64) within the standard threshold (upright / oriented):%n%n", aggressive, standard, standard));
        out.append("| photo A | photo B | originals' d | min d (upright / oriented) | n<=" + standard
                + " (upright / oriented) | closest pairs |\n| --- | --- | ---: | ---: | ---: | --- |\n");
        for (List<Pair> group : close.values()) {
            Pair first = group.get(0);
            Item a = first.a().source() < first.b().source() ? first.a() : first.b();
            Item b = a == first.a() ? first.b() : first.a();
            Item oa = items.stream().filter(i -> i.source() == a.source() && i.transform().equals("original")).findFirst().orElseThrow();
            Item ob = items.stream().filter(i -> i.source() == b.source() && i.transform().equals("original")).findFirst().orElseThrow();
            long nUp = group.stream().filter(p -> p.upright() <= standard).count();
            long nOr = group.stream().filter(p -> p.oriented() <= standard).count();
            int minUp = group.stream().mapToInt(Pair::upright).min().orElseThrow();
            int minOr = group.stream().mapToInt(Pair::oriented).min().orElseThrow();
            String closest = group.stream().sorted(Comparator.comparingInt(Pair::oriented)).limit(3)
                    .map(p -> p.a().transform() + "~" + p.b().transform() + " " + p.oriented())
                    .reduce((x, y) -> x + ", " + y).orElse("");
            out.append(String.format(Locale.ROOT, "| `%s` | `%s` | %d / %d | %d / %d | %d / %d | %s |%n",
                    oa.path().getFileName(), ob.path().getFileName(),
                    Long.bitCount(oa.upright() ^ ob.upright()), orientedDistance(oa, ob), minUp, minOr, nUp, nOr,
                    closest));
        }
    }

    private static void presetTable(StringBuilder out, List<Pair> pairs, boolean orientedOnly) {
        out.append("| preset | threshold | mode | TP | FP | FN | precision | recall | F1 | recall without rot90 pairs |\n");
        out.append("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        java.util.function.Predicate<Pair> noRot = p -> !p.a().transform().equals("rot90")
                && !p.b().transform().equals("rot90");
        for (Sensitivity s : Sensitivity.values()) {
            for (boolean oriented : orientedOnly ? new boolean[] {true} : new boolean[] {false, true}) {
                Score sc = score(pairs, s.threshold(), oriented, p -> true);
                Score nr = score(pairs, s.threshold(), oriented, noRot);
                out.append(String.format(Locale.ROOT, "| %s | %d | %s | %d | %d | %d | %.4f | %.4f | %.4f | %.4f |%n",
                        s.name().toLowerCase(Locale.ROOT), s.threshold(), oriented ? "orientations" : "upright",
                        sc.tp(), sc.fp(), sc.fn(), sc.precision(), sc.recall(), sc.f1(), nr.recall()));
            }
        }
    }

    private static String presetMark(int t) {
        for (Sensitivity s : Sensitivity.values()) {
            if (s.threshold() == t) {
                return " (" + s.name().toLowerCase(Locale.ROOT) + ")";
            }
        }
        return "";
    }

    private static String quantiles(int[] sorted) {
        if (sorted.length == 0) {
            return "-";
        }
        return sorted[sorted.length / 2] + " / " + sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]
                + " / " + sorted[sorted.length - 1];
    }

    private static double fraction(int[] values, int threshold) {
        if (values.length == 0) {
            return Double.NaN;
        }
        int n = 0;
        for (int v : values) {
            if (v <= threshold) {
                n++;
            }
        }
        return (double) n / values.length;
    }
}
