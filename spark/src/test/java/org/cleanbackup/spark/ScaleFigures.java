package org.cleanbackup.spark;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.RescaleOp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.cleanbackup.phash.PerceptualHasher;
import org.cleanbackup.phash.PerceptualHashers;

/**
 * The pHash distribution docs/scale.md reasons from: the photos of a folder and five variants of each (half size,
 * JPEG re-encoded, 5% cropped, 10% brighter, a 0.9 downscale), hashed with the library; then, over the pairs of
 * unrelated images (different originals), the Hamming distance histogram, the bias of each bit, and for thresholds
 * 4 to 16 the share of pairs the banded join makes candidates (share a band) against a uniform hash's; over related
 * pairs, the share within the threshold.
 *
 * <pre>
 * java ... org.cleanbackup.spark.ScaleFigures /work/shared/corpus/photos /tmp/variants
 * </pre>
 */
public final class ScaleFigures {

    private ScaleFigures() {
    }

    public static void main(String[] args) throws IOException {
        Path photos = Path.of(args[0]);
        Path variants = Files.createDirectories(Path.of(args[1]));
        PerceptualHasher hasher = PerceptualHashers.fastest();
        List<Long> codes = new ArrayList<>();
        List<Integer> origin = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(photos)) {
            files = s.filter(Files::isRegularFile).filter(p -> p.toString().toLowerCase().matches(".*\\.(jpe?g|png)"))
                    .sorted().toList();
        }
        int source = 0;
        for (Path f : files) {
            BufferedImage image;
            try {
                image = ImageIO.read(f.toFile());
                codes.add(hasher.hash(f).bits());
            } catch (IOException | RuntimeException e) {
                continue;
            }
            if (image == null) {
                codes.removeLast();
                continue;
            }
            origin.add(source);
            int w = image.getWidth();
            int h = image.getHeight();
            List<BufferedImage> made = List.of(scaled(image, w / 2, h / 2), scaled(image, w, h),
                    scaled(image.getSubimage(w / 20, h / 20, w - w / 10, h - h / 10), w - w / 10, h - h / 10),
                    new RescaleOp(1.1f, 0, null).filter(scaled(image, w, h), null), scaled(image, w * 9 / 10, h * 9 / 10));
            for (int v = 0; v < made.size(); v++) {
                Path out = variants.resolve(source + "-" + v + ".jpg");
                ImageIO.write(made.get(v), "jpg", out.toFile());
                codes.add(hasher.hash(out).bits());
                origin.add(source);
            }
            source++;
        }
        int n = codes.size();
        System.out.printf("%d originals, %d images with variants, hasher %s%n", source, n, hasher);
        long[] hist = new long[65];
        long unrelated = 0;
        long[] relatedWithin = new long[17];
        long related = 0;
        int[] ts = {4, 6, 8, 10, 12, 16};
        long[] share = new long[ts.length];
        long[] within = new long[ts.length];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                long a = codes.get(i);
                long b = codes.get(j);
                int d = Long.bitCount(a ^ b);
                if (origin.get(i).equals(origin.get(j))) {
                    related++;
                    for (int t = 0; t <= 16; t++) {
                        relatedWithin[t] += d <= t ? 1 : 0;
                    }
                    continue;
                }
                unrelated++;
                hist[d]++;
                for (int k = 0; k < ts.length; k++) {
                    int[] starts = BandedJoin.bandStarts(ts[k]);
                    for (int band = 0; band + 1 < starts.length; band++) {
                        int width = starts[band + 1] - starts[band];
                        long mask = (1L << width) - 1;
                        if (((a >>> starts[band]) & mask) == ((b >>> starts[band]) & mask)) {
                            share[k]++;
                            break;
                        }
                    }
                    within[k] += d <= ts[k] ? 1 : 0;
                }
            }
        }
        double mean = 0;
        for (int d = 0; d <= 64; d++) {
            mean += d * (double) hist[d] / unrelated;
        }
        System.out.printf("unrelated pairs %d: mean distance %.1f, min %d; related pairs %d%n", unrelated, mean,
                firstNonZero(hist), related);
        double worstBias = 0;
        for (int bit = 0; bit < 64; bit++) {
            int ones = 0;
            for (long c : codes) {
                ones += (int) (c >>> bit) & 1;
            }
            worstBias = Math.max(worstBias, Math.abs(ones / (double) n - 0.5));
        }
        System.out.printf("most biased bit: %.2f from 0.5%n", worstBias);
        System.out.println("| threshold | bands | narrowest band (bits) | unrelated pairs sharing a band | uniform hash |"
                + " unrelated within threshold | related within threshold |");
        for (int k = 0; k < ts.length; k++) {
            int[] starts = BandedJoin.bandStarts(ts[k]);
            double uniform = 0;
            int narrow = 64;
            for (int band = 0; band + 1 < starts.length; band++) {
                int width = starts[band + 1] - starts[band];
                narrow = Math.min(narrow, width);
                uniform += Math.pow(2, -width);
            }
            System.out.printf("| %d | %d | %d | %.2e | %.2e | %.2e | %.2f |%n", ts[k], ts[k] + 1, narrow,
                    share[k] / (double) unrelated, uniform, within[k] / (double) unrelated,
                    relatedWithin[ts[k]] / (double) related);
        }
    }

    private static int firstNonZero(long[] hist) {
        for (int d = 0; d < hist.length; d++) {
            if (hist[d] > 0) {
                return d;
            }
        }
        return -1;
    }

    private static BufferedImage scaled(BufferedImage image, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, w, h, null);
        g.dispose();
        return out;
    }
}
