package org.cleanbackup.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cleanbackup.phash.BackendStatus;
import org.cleanbackup.phash.HashResult;
import org.cleanbackup.phash.PerceptualHasher;
import org.cleanbackup.phash.PerceptualHashers;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.MediaType;
import org.cleanbackup.model.Problem;
import org.cleanbackup.scan.ScanOptions;
import org.cleanbackup.scan.ScanRoot;
import org.cleanbackup.scan.Scanner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cleanbackup backends}: which perceptual-hash backends work here, and which is fastest on your images. */
@Command(name = "backends", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = {"Lists the perceptual-hash backends (native: C with libjpeg-turbo; vector: Java Vector API;"
                + " scalar: plain Java), which one is used, why any is unavailable, and their self-test results."
                + " With --benchmark, times each one on your images (the bundled samples when no DIR is given) and"
                + " offers to save the fastest as your default."},
        footer = {"", "Examples:", "  cleanbackup backends", "  cleanbackup backends --benchmark ~/Pictures/2024",
                "  cleanbackup backends --json - | jq -r '.backends[] | select(.active) | .name'"})
final class BackendsCommand extends BaseCommand {

    @Mixin
    JsonOption json;

    @Option(names = "--benchmark", description = "Time each usable backend on the images in DIR.")
    boolean benchmark;

    @Option(names = "--save", description = "With --benchmark: save the fastest as the default without asking (with --json the"
            + " fastest is saved only with --save: no question is asked).")
    boolean save;

    @Parameters(paramLabel = "DIR", arity = "0..1", description = "Images to time the backends on.")
    Path dir;

    @Override
    int run() throws Exception {
        PrintWriter out = out();
        boolean human = json.human(common);
        List<BackendStatus> statuses = PerceptualHashers.backends();
        String forced = System.getProperty(PerceptualHashers.BACKEND_PROPERTY);
        if (human) {
            out.printf("%-8s %-7s %-9s %-10s %s%n", "backend", "active", "usable", "self-test", "note");
            for (BackendStatus s : statuses) {
                out.printf("%-8s %-7s %-9s %-10s %s%n", s.name(), s.active() ? "yes" : "", s.available() ? "yes" : "no",
                        s.available() ? (s.selfTestPassed() ? "passed" : "FAILED") : "-", s.reason());
            }
            if (forced != null) {
                out.println("(forced by -D" + PerceptualHashers.BACKEND_PROPERTY + "=" + forced + ")");
            }
        }
        Benchmark timed = benchmark ? benchmark(statuses, out, human) : null;
        if (json.requested()) {
            json.write(out, g -> writeJson(g, statuses, forced, timed));
        }
        if (timed != null && !timed.problems().isEmpty()) {
            timed.problems().forEach(p -> err().println("problem: " + p));
            return ExitCodes.PROBLEMS;
        }
        return ExitCodes.OK;
    }

    /** Times every usable backend, prints the figures (when human) and saves the fastest when asked to. */
    private Benchmark benchmark(List<BackendStatus> statuses, PrintWriter out, boolean human)
            throws IOException, InterruptedException {
        List<Path> images = images();
        if (images.isEmpty()) {
            throw new UserException("no images to time in " + (dir == null ? "the bundled samples" : dir));
        }
        Map<String, Double> millis = new LinkedHashMap<>();
        String fastest = null;
        double best = Double.MAX_VALUE;
        // A warm-up pass (JIT and file cache) that also finds the files a backend cannot hash: each is named once and
        // left out of the timing, so every backend is timed on the same images, those that all of them read.
        Map<Path, Problem> problems = new LinkedHashMap<>();
        List<BackendStatus> usable = statuses.stream().filter(BackendStatus::usable).toList();
        for (BackendStatus s : usable) {
            for (HashResult r : PerceptualHashers.get(s.name()).hashAll(images, 1, x -> { })) {
                if (r instanceof HashResult.Failed f) {
                    problems.putIfAbsent(f.path(), f.problem());
                }
            }
        }
        if (!problems.isEmpty()) {
            images = images.stream().filter(p -> !problems.containsKey(p)).toList();
        }
        if (images.isEmpty()) {
            throw new UserException("no image in " + (dir == null ? "the bundled samples" : dir)
                    + " could be hashed: nothing to time (" + problems.size() + " unreadable)");
        }
        if (human) {
            out.println();
            out.println("Timing on " + Units.count(images.size(), "image", "images") + ", one thread, best of 3"
                    + (problems.isEmpty() ? ":" : " (" + Units.count(problems.size(), "file", "files")
                    + " left out: not readable as an image, listed on stderr):"));
        }
        for (BackendStatus s : usable) {
            PerceptualHasher hasher = PerceptualHashers.get(s.name()); // the pass above warmed it up
            double bestMs = Double.MAX_VALUE;
            for (int round = 0; round < 3; round++) {
                long start = System.nanoTime();
                hasher.hashAll(images, 1, r -> { });
                bestMs = Math.min(bestMs, (System.nanoTime() - start) / 1e6);
            }
            millis.put(s.name(), bestMs);
            if (human) {
                out.printf(Locale.ROOT, "  %-8s %8.1f ms  (%.2f ms per image)%n", s.name(), bestMs, bestMs / images.size());
            }
            if (bestMs < best) {
                best = bestMs;
                fastest = s.name();
            }
        }
        if (fastest == null) {
            throw new UserException("no backend is usable here");
        }
        if (human) {
            out.println("Fastest here: " + fastest + ".");
        }
        boolean store = save;
        // Ask only a person at a terminal; a script (--json, --quiet) saves with --save or not at all.
        if (!store && human && System.console() != null && System.console().isTerminal()) {
            String answer = System.console().readLine("Save %s as your default backend? [y/N] ", fastest);
            store = answer != null && answer.trim().toLowerCase(Locale.ROOT).startsWith("y");
        }
        if (store) {
            Settings settings = Settings.load(Settings.defaultFile());
            settings.put("backend", fastest);
            if (human) {
                out.println("Saved: backend = " + fastest + " in " + settings.file());
            }
        }
        return new Benchmark(images.size(), millis, fastest, store, List.copyOf(problems.values()));
    }

    private static void writeJson(JsonGenerator g, List<BackendStatus> statuses, String forced, Benchmark timed)
            throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("backends");
        for (BackendStatus s : statuses) {
            g.writeStartObject();
            g.writeStringField("name", s.name());
            g.writeBooleanField("active", s.active());
            g.writeBooleanField("available", s.available());
            g.writeBooleanField("selfTestPassed", s.selfTestPassed());
            g.writeStringField("reason", s.reason());
            g.writeEndObject();
        }
        g.writeEndArray();
        if (forced != null) {
            g.writeStringField("forced", forced);
        }
        if (timed != null) {
            g.writeObjectFieldStart("benchmark");
            g.writeNumberField("images", timed.images());
            g.writeArrayFieldStart("results");
            for (Map.Entry<String, Double> e : timed.millis().entrySet()) {
                g.writeStartObject();
                g.writeStringField("name", e.getKey());
                g.writeNumberField("millis", Math.round(e.getValue() * 10) / 10.0);
                g.writeNumberField("millisPerImage", Math.round(e.getValue() / timed.images() * 1000) / 1000.0);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("fastest", timed.fastest());
            g.writeBooleanField("saved", timed.saved());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** What {@code --benchmark} measured: best of three, one thread, per backend in listing order. */
    private record Benchmark(int images, Map<String, Double> millis, String fastest, boolean saved,
                             List<Problem> problems) {
    }

    private List<Path> images() throws IOException {
        Path folder = dir;
        if (folder == null) {
            // The bundled samples sit next to the launcher; from a distribution, the user names a folder.
            Path samples = Path.of(System.getProperty("cleanbackup.home", ".")).resolve("samples");
            folder = Files.isDirectory(samples) ? samples : Path.of(".");
        }
        List<Path> images = new ArrayList<>();
        for (MediaFile f : new Scanner(ScanOptions.of(List.of(ScanRoot.source(folder)), java.util.Set.of(MediaType.IMAGE)))
                .scan().files()) {
            images.add(f.path());
        }
        return images;
    }
}
