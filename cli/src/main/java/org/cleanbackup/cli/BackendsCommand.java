package org.cleanbackup.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cleanbackup.phash.BackendStatus;
import org.cleanbackup.phash.PerceptualHasher;
import org.cleanbackup.phash.PerceptualHashers;
import org.cleanbackup.scan.MediaFile;
import org.cleanbackup.scan.MediaType;
import org.cleanbackup.scan.ScanOptions;
import org.cleanbackup.scan.ScanRoot;
import org.cleanbackup.scan.Scanner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cleanbackup backends}: which perceptual-hash backends work here, and which is fastest on your images. */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = {"Lists the perceptual-hash backends (native: C with libjpeg-turbo; vector: Java Vector API;"
                + " scalar: plain Java), which one is used, why any is unavailable, and their self-test results."
                + " With --benchmark, times each one on your images (the bundled samples when no DIR is given) and"
                + " offers to save the fastest as your default."},
        footer = {"", "Examples:", "  cleanbackup backends", "  cleanbackup backends --benchmark ~/Pictures/2024"})
final class BackendsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--benchmark", description = "Time each usable backend on the images in DIR.")
    boolean benchmark;

    @Option(names = "--save", description = "With --benchmark: save the fastest as the default without asking.")
    boolean save;

    @Parameters(paramLabel = "DIR", arity = "0..1", description = "Images to time the backends on.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<BackendStatus> statuses = PerceptualHashers.backends();
        out.printf("%-8s %-7s %-9s %-10s %s%n", "backend", "active", "usable", "self-test", "note");
        for (BackendStatus s : statuses) {
            out.printf("%-8s %-7s %-9s %-10s %s%n", s.name(), s.active() ? "yes" : "", s.available() ? "yes" : "no",
                    s.available() ? (s.selfTestPassed() ? "passed" : "FAILED") : "-", s.reason());
        }
        String forced = System.getProperty(PerceptualHashers.BACKEND_PROPERTY);
        if (forced != null) {
            out.println("(forced by -D" + PerceptualHashers.BACKEND_PROPERTY + "=" + forced + ")");
        }
        if (!benchmark) {
            return ExitCodes.OK;
        }
        List<Path> images = images();
        if (images.isEmpty()) {
            throw new UserException("no images to time in " + (dir == null ? "the bundled samples" : dir));
        }
        out.println();
        out.println("Timing on " + Units.count(images.size(), "image", "images") + ", one thread, best of 3:");
        String fastest = null;
        double best = Double.MAX_VALUE;
        for (BackendStatus s : statuses) {
            if (!s.usable()) {
                continue;
            }
            PerceptualHasher hasher = PerceptualHashers.get(s.name());
            hasher.hashAll(images, 1, r -> { }); // warm-up: JIT and file cache
            double bestMs = Double.MAX_VALUE;
            for (int round = 0; round < 3; round++) {
                long start = System.nanoTime();
                hasher.hashAll(images, 1, r -> { });
                bestMs = Math.min(bestMs, (System.nanoTime() - start) / 1e6);
            }
            out.printf(Locale.ROOT, "  %-8s %8.1f ms  (%.2f ms per image)%n", s.name(), bestMs, bestMs / images.size());
            if (bestMs < best) {
                best = bestMs;
                fastest = s.name();
            }
        }
        if (fastest == null) {
            throw new UserException("no backend is usable here");
        }
        out.println("Fastest here: " + fastest + ".");
        boolean store = save;
        if (!store && System.console() != null && System.console().isTerminal()) {
            String answer = System.console().readLine("Save %s as your default backend? [y/N] ", fastest);
            store = answer != null && answer.trim().toLowerCase(Locale.ROOT).startsWith("y");
        }
        if (store) {
            Settings settings = Settings.load(Settings.defaultFile());
            settings.put("backend", fastest);
            out.println("Saved: backend = " + fastest + " in " + settings.file());
        }
        return ExitCodes.OK;
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
