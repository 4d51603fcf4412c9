package org.cleanbackup.fingerprint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Songs made by the {@code ffmpeg} program for the tests: a melody of pseudo-random notes from a seed (different
 * seeds, different songs), then transcoded, cut or made quieter as a user's copies are. Tests that need them call
 * {@link #assumeFingerprinting()} first: without ffmpeg or libchromaprint1 they are skipped, saying why.
 */
public final class TestSongs {

    private TestSongs() {
    }

    /** Skips the calling test when this machine cannot fingerprint audio (ffmpeg or libchromaprint1 missing). */
    public static void assumeFingerprinting() {
        Assumptions.assumeTrue(AudioFingerprinter.unavailableReason().isEmpty(),
                () -> "audio fingerprints need ffmpeg and libchromaprint1: "
                        + AudioFingerprinter.unavailableReason().orElse(""));
    }

    /** A melody of {@code seconds} made from {@code seed}, written by ffmpeg to {@code file} (its extension's codec). */
    public static Path melody(Path file, int seed, int seconds, String... encoderOptions) throws IOException {
        double note = 0.18 + (seed % 7) * 0.02;
        String pitch = String.format(Locale.ROOT,
                "220*pow(2,floor(mod(abs(sin(floor(t/%.3f)*%d.9898+%d))*43758.5453,19))/12)", note, 11 + seed, seed);
        String bass = String.format(Locale.ROOT,
                "55*pow(2,floor(mod(abs(sin(floor(t/%.3f)*%d.233+%d))*43758.5453,12))/12)", 4 * note, 70 + seed, seed);
        String expr = String.format(Locale.ROOT,
                "0.3*exp(-4*mod(t,%.3f))*(sin(2*PI*t*%s)+0.4*sin(4*PI*t*%s))+0.2*sin(2*PI*t*%s)", note, pitch, pitch,
                bass);
        List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i", "aevalsrc='" + expr + "':s=22050:d=" + seconds,
                "-ar", "44100", "-ac", "2"));
        args.addAll(List.of(encoderOptions));
        args.add(file.toString());
        return ffmpeg(args);
    }

    /** {@code source} re-encoded into {@code file} with these options before the output (e.g. -b:a 128k). */
    public static Path transcode(Path source, Path file, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("-i", source.toString()));
        args.addAll(List.of(options));
        args.add(file.toString());
        return ffmpeg(args);
    }

    /** {@code source} with its first {@code seconds} cut, re-encoded into {@code file}. */
    public static Path cut(Path source, Path file, double seconds, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("-ss", String.format(Locale.ROOT, "%.3f", seconds), "-i",
                source.toString()));
        args.addAll(List.of(options));
        args.add(file.toString());
        return ffmpeg(args);
    }

    private static Path ffmpeg(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-nostdin", "-y"));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("ffmpeg failed: " + command + "\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return Path.of(command.getLast());
    }
}
