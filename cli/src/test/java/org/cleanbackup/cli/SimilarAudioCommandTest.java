package org.cleanbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cleanbackup.fingerprint.AudioFingerprinter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dedupe --mode similar --types audio} through the real command, on songs ffmpeg makes: skipped, saying why,
 * without ffmpeg or libchromaprint1.
 */
class SimilarAudioCommandTest {

    @TempDir
    Path dir;

    private Path library;
    private Path inbox;

    @BeforeEach
    void songs() throws IOException {
        Assumptions.assumeTrue(AudioFingerprinter.unavailableReason().isEmpty(),
                () -> "audio fingerprints need ffmpeg and libchromaprint1: "
                        + AudioFingerprinter.unavailableReason().orElse(""));
        library = Files.createDirectories(dir.resolve("library"));
        inbox = Files.createDirectories(dir.resolve("inbox"));
        String melody = "aevalsrc='0.3*exp(-4*mod(t,0.21))*sin(2*PI*t*220*pow(2,floor(mod(abs(sin(floor(t/0.21)"
                + "*12.9898+5))*43758.5453,19))/12))':s=22050:d=20";
        ffmpeg("-f", "lavfi", "-i", melody, "-ar", "44100", library.resolve("song.flac").toString());
        ffmpeg("-i", library.resolve("song.flac").toString(), "-b:a", "128k", inbox.resolve("song.mp3").toString());
        ffmpeg("-ss", "0.7", "-i", library.resolve("song.flac").toString(), "-c:a", "aac", "-b:a", "128k",
                inbox.resolve("song-cut.m4a").toString());
        ffmpeg("-f", "lavfi", "-i", melody.replace("+5))", "+6))"), inbox.resolve("other.flac").toString());
    }

    @Test
    void theInboxsCopiesOfALibrarySongAreMovedAndUndoBringsThemBack() throws IOException {
        Path dupes = dir.resolve("dupes");
        CliRun dryRun = CliRun.isolated(dir, "dedupe", "--mode", "similar", "--types", "audio", "--reference",
                library.toString(), "--action", "move", "--to", dupes.toString(), "--dry-run", "--json",
                dir.resolve("report.json").toString(), inbox.toString());
        assertThat(dryRun.code()).as(dryRun.stderr()).isZero();
        assertThat(dryRun.stdout()).contains("3 copies of one song  chromaprint:")
                .contains("Found 1 group of songs that sound the same: 2 duplicates")
                .contains("Audio fingerprinted: 4, from the cache: 0").doesNotContain("Images hashed");
        assertThat(Files.readString(dir.resolve("report.json"))).contains("chromaprint:").contains("song-cut.m4a");
        assertThat(dupes).doesNotExist();

        CliRun moved = CliRun.isolated(dir, "dedupe", "--mode", "similar", "--types", "audio", "--reference",
                library.toString(), "--action", "move", "--to", dupes.toString(), inbox.toString());
        assertThat(moved.code()).as(moved.stderr()).isZero();
        assertThat(moved.stdout()).contains("from the cache: 4");
        assertThat(dupes.resolve("inbox/song.mp3")).exists();
        assertThat(dupes.resolve("inbox/song-cut.m4a")).exists();
        assertThat(inbox.resolve("other.flac")).as("another song stays").exists();
        assertThat(library.resolve("song.flac")).exists();

        assertThat(CliRun.isolated(dir, "undo").code()).isZero();
        assertThat(inbox.resolve("song.mp3")).exists();
        assertThat(inbox.resolve("song-cut.m4a")).exists();
    }

    @Test
    void theAudioThresholdAndWindowAreTheUsers() {
        CliRun standard = CliRun.isolated(dir, "dedupe", "--mode", "similar", "--types", "audio", inbox.toString(),
                library.toString());
        assertThat(standard.code()).as(standard.stderr()).isZero();
        assertThat(standard.stdout()).contains("Found 1 group of songs that sound the same: 2 duplicates");

        // the cut copy differs in about 5 % of its bits (its start falls between two fingerprint words), the MP3 in
        // well under 1 %: a strict threshold keeps the MP3 and leaves the cut copy out
        CliRun strict = CliRun.isolated(dir, "dedupe", "--mode", "similar", "--types", "audio", "--audio-threshold",
                "0.02", inbox.toString(), library.toString());
        assertThat(strict.code()).as(strict.stderr()).isZero();
        assertThat(strict.stdout()).contains("Found 1 group of songs that sound the same: 1 duplicate")
                .contains("song.mp3").doesNotContain("song-cut.m4a");

        CliRun longer = CliRun.isolated(dir, "dedupe", "--mode", "similar", "--types", "audio", "--audio-seconds",
                "30", "--sensitivity", "exact", inbox.toString(), library.toString());
        assertThat(longer.code()).as(longer.stderr()).isZero();
        assertThat(longer.stdout()).as("another window is another fingerprint: none from the cache")
                .contains("Audio fingerprinted: 4, from the cache: 0")
                .contains("Found 1 group of songs that sound the same: 2 duplicates");

        for (List<String> wrong : List.of(List.of("--mode", "similar", "--audio-threshold", "0.6"),
                List.of("--mode", "similar", "--audio-seconds", "5"),
                List.of("--mode", "exact", "--audio-seconds", "30"),
                List.of("--mode", "similar", "--sensitivity", "exact", "--audio-threshold", "0.1"))) {
            List<String> args = new ArrayList<>(List.of("dedupe", "--types", "audio"));
            args.addAll(wrong);
            args.add(inbox.toString());
            CliRun run = CliRun.isolated(dir, args.toArray(String[]::new));
            assertThat(run.code()).as(wrong + ": " + run.stderr()).isEqualTo(2);
            assertThat(run.stderr()).contains("--audio-");
        }

        // a saved sensitivity is a default, not a typed option: --audio-threshold still goes with it
        assertThat(CliRun.isolated(dir, "config", "set", "sensitivity", "exact").code()).isZero();
        CliRun saved = CliRun.isolated(dir, "dedupe", "--mode", "similar", "--types", "audio", "--audio-threshold",
                "0.02", inbox.toString(), library.toString());
        assertThat(saved.code()).as(saved.stderr()).isZero();
        assertThat(saved.stdout()).contains("Found 1 group of songs that sound the same: 1 duplicate");
    }

    private static void ffmpeg(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-nostdin", "-y"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("ffmpeg failed: " + command + "\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
