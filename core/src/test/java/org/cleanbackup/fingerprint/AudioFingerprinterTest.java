package org.cleanbackup.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioFingerprinterTest {

    @TempDir
    Path dir;

    @Test
    void aSongIsFingerprintedWithWhatFfmpegSaysAboutIt() throws IOException {
        TestSongs.assumeFingerprinting();
        Path flac = TestSongs.melody(dir.resolve("a.flac"), 1, 20, "-metadata", "title=A", "-metadata", "artist=B");
        Path mp3 = TestSongs.transcode(flac, dir.resolve("a.mp3"), "-b:a", "192k", "-map_metadata", "-1");
        AudioFingerprinter fingerprinter = AudioFingerprinter.system(60).orElseThrow();

        AudioFingerprint lossless = fingerprinter.fingerprint(flac);
        AudioFingerprint lossy = fingerprinter.fingerprint(mp3);

        // 20 s at one word per 1365 samples of 11025 Hz, less the first frame's and the filters' widths: 140 words
        assertThat(lossless.length()).isBetween(135, 145);
        assertThat(lossless.facts()).satisfies(f -> {
            assertThat(f.codec()).isEqualTo("flac");
            assertThat(f.lossless()).isTrue();
            assertThat(f.tags()).isEqualTo(2);
            assertThat(f.durationMillis()).isBetween(19_900L, 20_100L);
        });
        assertThat(lossy.facts()).satisfies(f -> {
            assertThat(f.codec()).isEqualTo("mp3");
            assertThat(f.lossless()).isFalse();
            assertThat(f.bitrate()).isEqualTo(192);
            assertThat(f.tags()).isZero();
        });
        // the same sound: nearly every bit agrees, word by word
        int[] a = lossless.words();
        int[] b = lossy.words();
        long differing = 0;
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            differing += Integer.bitCount(a[i] ^ b[i]);
        }
        assertThat(differing / (32.0 * n)).isLessThan(0.1);
    }

    @Test
    void tagsAreCountedAsExactModeCountsThem() throws IOException {
        TestSongs.assumeFingerprinting();
        Path flac = TestSongs.melody(dir.resolve("t.flac"), 5, 5, "-metadata", "title=T", "-metadata", "artist=A",
                "-metadata", "album=B", "-metadata", "genre=G", "-metadata", "track=3", "-metadata", "encoder=x");
        AudioFingerprinter fingerprinter = AudioFingerprinter.system(15).orElseThrow();
        for (String ext : List.of("flac", "mp3", "m4a", "ogg", "opus")) {
            Path file = ext.equals("flac") ? flac
                    : TestSongs.transcode(flac, dir.resolve("t." + ext), ext.equals("ogg") ? new String[]{"-c:a",
                            "libvorbis"} : new String[0]);
            int exactMode = org.cleanbackup.metadata.AudioTags.of(file).score();
            assertThat(fingerprinter.fingerprint(file).facts().tags()).as(ext).isEqualTo(exactMode).isEqualTo(5);
        }
    }

    @Test
    void onlyTheWindowIsDecoded() throws IOException {
        TestSongs.assumeFingerprinting();
        Path flac = TestSongs.melody(dir.resolve("long.flac"), 2, 30);
        AudioFingerprint tenSeconds = AudioFingerprinter.system(10).orElseThrow().fingerprint(flac);
        assertThat(tenSeconds.length()).as("10 s, not 30").isBetween(55, 63);
        assertThat(tenSeconds.facts().durationMillis()).as("the file's length, not the window's").isGreaterThan(29_000L);
    }

    @Test
    void aBrokenFileIsAOneLineFailureNotACrash() throws IOException {
        TestSongs.assumeFingerprinting();
        Path garbage = Files.write(dir.resolve("broken.mp3"), "this is not an mp3 at all\n".repeat(100).getBytes());
        Path empty = Files.createFile(dir.resolve("empty.flac"));
        AudioFingerprinter fingerprinter = AudioFingerprinter.system(60).orElseThrow();

        for (Path bad : List.of(garbage, empty)) {
            assertThatThrownBy(() -> fingerprinter.fingerprint(bad)).isInstanceOf(AudioDecodeException.class)
                    .hasMessageStartingWith("cannot decode the sound (ffmpeg: ")
                    .hasMessageNotContaining("\n")
                    .hasMessageNotContaining(bad.toString());
        }
    }

    @Test
    void listsOfOtherFilesAndFilesThatAreNoFilesAreRefusedBeforeFfmpegSeesThem() throws Exception {
        TestSongs.assumeFingerprinting();
        Path song = TestSongs.melody(dir.resolve("seg.mp3"), 1, 3);
        Path live = Files.writeString(dir.resolve("live.mp3"),
                "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:1.0,\nseg.mp3\n");
        Path list = Files.writeString(dir.resolve("list.mp3"), "\uFEFFffconcat version 1.0\nfile seg.mp3\n");
        Path fifo = dir.resolve("fifo.mp3");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

        Path other = TestSongs.melody(dir.resolve("other.flac"), 2, 3);

        List<AudioFingerprinter.Outcome> outcomes = AudioFingerprinter.system(15).orElseThrow()
                .fingerprintAll(List.of(live, song, list, other, fifo));

        assertThat(outcomes).extracting(AudioFingerprinter.Outcome::file)
                .containsExactly(live, song, list, other, fifo);
        assertThat(outcomes.get(1).fingerprint()).as("the songs between them, decoded together").isPresent();
        assertThat(outcomes.get(3).fingerprint()).isPresent();
        assertThat(outcomes.get(1).fingerprint().get().facts().codec()).isEqualTo("mp3");
        assertThat(outcomes.get(3).fingerprint().get().facts().codec()).isEqualTo("flac");
        for (int i : new int[]{0, 2, 4}) {
            assertThat(outcomes.get(i).failure()).as(outcomes.get(i).file().toString())
                    .hasValueSatisfying(e -> assertThat(e).isInstanceOf(AudioDecodeException.class)
                            .message().isIn("it is a list of other files", "not a regular file"));
        }
    }

    @Test
    void aPictureHasNoSoundToFingerprint() throws IOException {
        TestSongs.assumeFingerprinting();
        Path picture = dir.resolve("cover.png");
        new ProcessBuilder("ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i", "color=red:s=32x32", "-frames:v",
                "1", picture.toString()).start().onExit().join();
        assertThat(picture).exists();
        assertThatThrownBy(() -> AudioFingerprinter.system(60).orElseThrow().fingerprint(picture))
                .isInstanceOf(AudioDecodeException.class);
    }

    @Test
    void aBatchGivesWhatEachFileGivesAloneAndABrokenFileCostsTheOthersNothing() throws IOException {
        TestSongs.assumeFingerprinting();
        Path flac = TestSongs.melody(dir.resolve("a.flac"), 3, 20, "-metadata", "title=A");
        Path opus = TestSongs.transcode(flac, dir.resolve("a.opus"), "-c:a", "libopus", "-b:a", "96k");
        Path mono = TestSongs.transcode(flac, dir.resolve("mono.m4a"), "-ac", "1", "-c:a", "aac", "-b:a", "128k");
        Path shortSong = TestSongs.melody(dir.resolve("short.mp3"), 4, 12, "-b:a", "128k");
        Path broken = Files.writeString(dir.resolve("broken.mp3"), "not a song");
        AudioFingerprinter fingerprinter = AudioFingerprinter.system(15).orElseThrow();
        List<Path> good = List.of(flac, opus, mono, shortSong);

        List<AudioFingerprinter.Outcome> batch = fingerprinter.fingerprintAll(good);
        assertThat(batch).extracting(AudioFingerprinter.Outcome::file).containsExactlyElementsOf(good);
        for (int i = 0; i < good.size(); i++) {
            AudioFingerprint alone = fingerprinter.fingerprint(good.get(i));
            AudioFingerprint together = batch.get(i).fingerprint().orElseThrow();
            assertThat(together.facts()).isEqualTo(alone.facts());
            assertThat(together.length()).as(good.get(i) + ": the padded silence is taken off again")
                    .isBetween(alone.length() - 3, alone.length() + 3);
            int n = Math.min(alone.length(), together.length()) - 3;
            long differing = 0;
            for (int k = 0; k < n; k++) {
                differing += Integer.bitCount(alone.words()[k] ^ together.words()[k]);
            }
            assertThat(differing / (32.0 * n)).as(good.get(i).toString()).isLessThan(0.02);
        }

        List<AudioFingerprinter.Outcome> withBroken = fingerprinter.fingerprintAll(
                List.of(flac, broken, shortSong));
        assertThat(withBroken.get(0).fingerprint()).isPresent();
        assertThat(withBroken.get(1).failure()).hasValueSatisfying(
                e -> assertThat(e).isInstanceOf(AudioDecodeException.class));
        assertThat(withBroken.get(2).fingerprint()).isPresent();
    }

    @Test
    void factsComeFromFfmpegsDescriptionOfTheInput() {
        AudioFacts mp3 = FfmpegProgram.parseFacts(List.of(
                "Input #0, mp3, from 'file:/music/a.mp3':",
                "  Metadata:",
                "    album           : X",
                "    title           : Song A",
                "    artist          : Me",
                "    encoder         : Lavf59.27.100",
                "  Duration: 00:03:00.04, start: 0.025057, bitrate: 330 kb/s",
                "  Stream #0:0: Audio: mp3, 44100 Hz, stereo, fltp, 320 kb/s",
                "    Metadata:",
                "      encoder         : Lavc59.37",
                "  Stream #0:1: Video: mjpeg (Baseline), yuvj420p(pc), 500x500, 90k tbr (attached pic)",
                "    Metadata:",
                "      comment         : Cover (front)"));
        assertThat(mp3).isEqualTo(new AudioFacts("mp3", false, 320, 4, 180_040));

        AudioFacts opus = FfmpegProgram.parseFacts(List.of(
                "Input #0, ogg, from 'file:/music/t.opus':",
                "  Duration: 00:00:59.50, start: 0.000000, bitrate: 185 kb/s",
                "  Stream #0:0: Audio: opus, 48000 Hz, stereo, fltp",
                "    Metadata:",
                "      encoder         : Lavc59.37.100 libopus",
                "      title           : T",
                "      ARTIST          : A",
                "                      : a second line of the artist"));
        assertThat(opus).as("Ogg keeps its tags on the stream; the file's rate when the stream has none")
                .isEqualTo(new AudioFacts("opus", false, 185, 2, 59_500));

        AudioFacts alac = FfmpegProgram.parseFacts(List.of(
                "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'file:/music/x.m4a':",
                "  Metadata:",
                "    major_brand     : M4A ",
                "    compatible_brands: M4A isomiso2",
                "  Duration: N/A, bitrate: N/A",
                "  Stream #0:0[0x1](und): Audio: alac (alac / 0x63616C61), 44100 Hz, stereo, s16p, 1017 kb/s (default)"));
        assertThat(alac).isEqualTo(new AudioFacts("alac", true, 1017, 0, -1));
    }

    @Test
    void cacheEntriesReadBackAsTheyWereWritten() {
        AudioFingerprint fp = new AudioFingerprint(new int[] {0, -1, 0x12345678, Integer.MIN_VALUE},
                new AudioFacts("mp3", false, 192, 3, 181_000));
        String value = FingerprintEntries.encode(fp);
        assertThat(FingerprintEntries.decode(value)).contains(fp);
        assertThat(FingerprintEntries.failureReason(value)).isEmpty();
        assertThat(FingerprintEntries.failureReason(FingerprintEntries.failure("cannot decode")))
                .contains("cannot decode");
        assertThat(FingerprintEntries.decode("garbage")).isEmpty();
        assertThat(FingerprintEntries.algorithm(60)).isEqualTo("chromaprint-v2-60s");
    }
}
