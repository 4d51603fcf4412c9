package org.cleanbackup.phash.nativ;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cleanbackup.fingerprint.AudioDecodeException;
import org.cleanbackup.fingerprint.AudioDecoder;
import org.cleanbackup.fingerprint.AudioFingerprinter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The libavcodec worker against the real {@code ffmpeg} program, on files ffmpeg makes: the same samples, the facts,
 * and what happens when a file is bad, a worker dies or a file takes too long.
 */
class NativeAudioDecoderTest {

    private static final int RATE = AudioFingerprinter.SAMPLE_RATE;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final NativeAudioDecoder decoder = new NativeAudioDecoder();

    @BeforeEach
    void needsTheWorkerAndFfmpeg() {
        assumeThat(decoder.unavailableReason()).as("the audio worker is absent from this build").isEmpty();
        assumeThat(ffmpegRuns()).as("ffmpeg makes the test's songs (apt-get install ffmpeg)").isTrue();
    }

    @Test
    void givesTheSamplesTheFfmpegProgramGivesAndTheFactsOfEachFile() throws IOException {
        Path flac = song("a.flac", 8, "-metadata", "title=A", "-metadata", "artist=B");
        Path mp3 = song("a.mp3", 8, "-b:a", "192k", "-metadata", "album=C");
        Path m4a = song("a.m4a", 8, "-c:a", "aac", "-b:a", "128k");
        Path opus = song("a.opus", 8, "-c:a", "libopus", "-b:a", "96k");
        Path wav = song("mono.wav", 3, "-ac", "1", "-ar", "8000");

        List<AudioDecoder.Decoded> decoded = decoder.decodeAll(List.of(flac, mp3, m4a, opus, wav), RATE, 5, TIMEOUT);

        assertThat(decoded).extracting(AudioDecoder.Decoded::file).containsExactly(flac, mp3, m4a, opus, wav);
        for (AudioDecoder.Decoded d : decoded) {
            assertThat(d).isInstanceOf(AudioDecoder.Sound.class);
            AudioDecoder.Sound sound = (AudioDecoder.Sound) d;
            assertThat(sound.samples()).as(d.file() + ": as ffmpeg -ac 1 -ar 11025 -t 5 gives them")
                    .isEqualTo(ffmpegSamples(d.file(), 5));
        }
        assertThat(sound(decoded, 0).samples()).as("the window, not the whole song").hasSize(5 * RATE);
        assertThat(sound(decoded, 4).samples()).as("a song shorter than the window: all of it").hasSize(3 * RATE);
        assertThat(sound(decoded, 0).facts()).satisfies(f -> {
            assertThat(f.codec()).isEqualTo("flac");
            assertThat(f.lossless()).isTrue();
            assertThat(f.tags()).isEqualTo(2);
            assertThat(f.durationMillis()).isBetween(7_900L, 8_100L);
        });
        assertThat(sound(decoded, 1).facts()).satisfies(f -> {
            assertThat(f.codec()).isEqualTo("mp3");
            assertThat(f.lossless()).isFalse();
            assertThat(f.bitrate()).isEqualTo(192);
            assertThat(f.tags()).as("album; the encoder tag does not count").isEqualTo(1);
        });
        assertThat(sound(decoded, 2).facts().codec()).isEqualTo("aac");
        assertThat(sound(decoded, 3).facts().codec()).isEqualTo("opus");
        assertThat(sound(decoded, 4).facts().lossless()).as("PCM").isTrue();
    }

    @Test
    void aBadFileIsAOneLineFailureAndTheFilesAfterItAreDecoded() throws IOException {
        Path good = song("good.mp3", 3);
        Path garbage = Files.writeString(dir.resolve("garbage.mp3"), "not a song\n".repeat(200));
        Path empty = Files.createFile(dir.resolve("empty.flac"));
        Path truncated = dir.resolve("truncated.flac");
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(song("whole.flac", 3)), 300));
        Path missing = dir.resolve("gone.ogg");
        Path folder = Files.createDirectory(dir.resolve("folder.mp3"));

        List<AudioDecoder.Decoded> decoded = decoder.decodeAll(
                List.of(garbage, good, empty, truncated, missing, folder, good), RATE, 2, TIMEOUT);

        assertThat(decoded.get(1)).isInstanceOf(AudioDecoder.Sound.class);
        assertThat(decoded.get(6)).isInstanceOf(AudioDecoder.Sound.class);
        for (int i : new int[]{0, 2, 3, 4, 5}) {
            assertThat(decoded.get(i)).as(decoded.get(i).file().toString())
                    .isInstanceOfSatisfying(AudioDecoder.Failure.class, f -> assertThat(f.reason())
                            .isInstanceOf(AudioDecodeException.class)
                            .hasMessageNotContaining("\n")
                            .hasMessageNotContaining(dir.toString()));
        }
        assertThat(((AudioDecoder.Failure) decoded.get(4)).reason()).hasMessageContaining("No such file");
    }

    @Test
    void oddFileNamesAreFileNamesNeverProtocolsOrOptions() throws IOException {
        Path song = song("plain.mp3", 2);
        List<Path> odd = new ArrayList<>();
        for (String name : List.of("ümlaut ♪.mp3", "http:host.mp3", "concat:a|b.mp3", "-i.mp3", "line\nbreak.mp3")) {
            odd.add(Files.copy(song, dir.resolve(name)));
        }
        List<AudioDecoder.Decoded> decoded = decoder.decodeAll(odd, RATE, 2, TIMEOUT);
        assertThat(decoded).allSatisfy(d -> assertThat(d).as(d.file().getFileName().toString())
                .isInstanceOf(AudioDecoder.Sound.class));
    }

    @Test
    void aWorkerKilledFromOutsideCostsNoFileItsDecodeAndIsReplaced() throws Exception {
        Path a = song("a.mp3", 2);
        assertThat(decoder.decodeAll(List.of(a), RATE, 2, TIMEOUT).getFirst()).isInstanceOf(AudioDecoder.Sound.class);
        ProcessHandle idle = NativeAudioDecoder.IDLE.getFirst().handle();
        idle.destroyForcibly(); // killed while it waits: the next call must not give it a file
        idle.onExit().get(10, TimeUnit.SECONDS);
        assertThat(decoder.decodeAll(List.of(a), RATE, 2, TIMEOUT).getFirst()).isInstanceOf(AudioDecoder.Sound.class);

        // killed while it decodes a file of a long call (seen holding that file open): the file goes to a new
        // worker, and nothing is lost
        Path longSong = song("long.flac", 60);
        List<Path> copies = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            copies.add(Files.copy(longSong, dir.resolve("long-" + i + ".flac")));
        }
        ProcessHandle busy = NativeAudioDecoder.IDLE.getFirst().handle(); // the worker the call will take
        var call = CompletableFuture.supplyAsync(() -> decoder.decodeAll(copies, RATE, 60, TIMEOUT));
        Path open = null;
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); open == null && System.nanoTime() < end; ) {
            open = openFile(busy, "long-");
            Thread.sleep(1);
        }
        assertThat(open).as("the worker was seen decoding one of the call's files").isNotNull();
        busy.destroyForcibly();

        List<AudioDecoder.Decoded> decoded = call.get(120, TimeUnit.SECONDS);

        assertThat(decoded).hasSize(24).allSatisfy(d -> assertThat(d).as(d.file().toString())
                .isInstanceOf(AudioDecoder.Sound.class));
        assertThat(workers()).as("a new worker").isNotEmpty().doesNotContain(busy);
    }

    @Test
    void aFileThatTakesTooLongIsStoppedByTheWorkerWhichGoesOn() throws IOException {
        Path a = song("slow.flac", 30);
        Path b = song("after.mp3", 2);
        assertThat(decoder.decodeAll(List.of(b), RATE, 2, TIMEOUT).getFirst()).isInstanceOf(AudioDecoder.Sound.class);
        long pid = NativeAudioDecoder.IDLE.getFirst().handle().pid();

        // a timeout no decode can meet: the worker's own deadline stops it, long before the watchdog would
        List<AudioDecoder.Decoded> decoded = decoder.decodeAll(List.of(a), RATE, 30, Duration.ofMillis(1));

        assertThat(decoded.getFirst()).isInstanceOfSatisfying(AudioDecoder.Failure.class,
                f -> assertThat(f.reason()).isInstanceOf(AudioDecodeException.class)
                        .hasMessage("decoding took longer than 1 ms; stopped"));
        assertThat(decoder.decodeAll(List.of(b), RATE, 2, TIMEOUT).getFirst()).isInstanceOf(AudioDecoder.Sound.class);
        assertThat(NativeAudioDecoder.IDLE.getFirst().handle().pid()).as("the same worker").isEqualTo(pid);
    }

    @Test
    void aWorkerThatStopsAnsweringIsKilledAndItsFileIsNotRetried() throws Exception {
        Path a = song("a.mp3", 2);
        assertThat(decoder.decodeAll(List.of(a), RATE, 2, TIMEOUT).getFirst()).isInstanceOf(AudioDecoder.Sound.class);
        ProcessHandle stopped = NativeAudioDecoder.IDLE.getFirst().handle(); // the worker the next call takes
        try {
            signal("STOP", stopped); // alive, but it will never answer
            List<AudioDecoder.Decoded> decoded = decoder.decodeAll(List.of(a), RATE, 2, Duration.ofMillis(300));

            assertThat(decoded.getFirst()).isInstanceOfSatisfying(AudioDecoder.Failure.class,
                    f -> assertThat(f.reason()).isInstanceOf(AudioDecodeException.class)
                            .hasMessage("decoding took longer than 300 ms; stopped"));
            stopped.onExit().get(10, TimeUnit.SECONDS); // killed by the watchdog
        } finally {
            if (stopped.isAlive()) {
                signal("CONT", stopped);
            }
        }
        assertThat(decoder.decodeAll(List.of(a), RATE, 2, TIMEOUT).getFirst()).isInstanceOf(AudioDecoder.Sound.class);
    }

    @Test
    void filesThatReferToOtherFilesOrAreNoFilesAreRefusedAtOnce() throws Exception {
        Path song = song("seg.mp3", 2);
        Path live = Files.writeString(dir.resolve("live.mp3"),
                "#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:1.0,\nseg.mp3\n");
        Path self = Files.writeString(dir.resolve("self.mp3"), "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nself.mp3\n");
        Path list = Files.writeString(dir.resolve("list.mp3"), "ffconcat version 1.0\nfile seg.mp3\nfile seg.mp3\n");
        Path fifo = dir.resolve("fifo.mp3");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Path stdin = Files.createSymbolicLink(dir.resolve("stdin.mp3"), Path.of("/proc/self/fd/0"));
        Path toFifo = Files.writeString(dir.resolve("to-fifo.mp3"), "ffconcat version 1.0\nfile fifo.mp3\n");
        List<Path> files = List.of(live, self, list, fifo, stdin, toFifo, song);

        List<AudioDecoder.Decoded> decoded = decoder.decodeAll(files, RATE, 2, TIMEOUT);

        // a live playlist would be read again and again, a list would give its files' sound as its own (or open a
        // FIFO), a FIFO would block, /dev/stdin would read the worker's own requests: each is refused, none waited out
        for (AudioDecoder.Decoded d : decoded.subList(0, 6)) {
            assertThat(d).as(d.file().getFileName().toString()).isInstanceOfSatisfying(AudioDecoder.Failure.class,
                    f -> assertThat(f.reason()).hasMessageNotContaining("took longer"));
        }
        assertThat(decoded.get(6)).isInstanceOf(AudioDecoder.Sound.class);
    }

    @Test
    void aDamagedSampleRateIsRefusedBeforeTheResamplerIsBuiltForIt() throws IOException {
        // a WAV whose header claims 237 MHz: a resampler for that takes seconds and over a gigabyte to set up
        ByteBuffer wav = ByteBuffer.allocate(44 + 8000).order(ByteOrder.LITTLE_ENDIAN);
        int rate = 237_000_000;
        wav.put("RIFF".getBytes()).putInt(36 + 8000).put("WAVEfmt ".getBytes()).putInt(16).putShort((short) 1)
                .putShort((short) 1).putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes()).putInt(8000);
        Path damaged = Files.write(dir.resolve("damaged.wav"), wav.array());
        Path song = song("after.mp3", 2);

        List<AudioDecoder.Decoded> decoded = decoder.decodeAll(List.of(damaged, song), RATE, 2, TIMEOUT);

        assertThat(decoded.getFirst()).isInstanceOfSatisfying(AudioDecoder.Failure.class,
                f -> assertThat(f.reason()).hasMessageContaining("sample rate is out of range"));
        assertThat(decoded.get(1)).isInstanceOf(AudioDecoder.Sound.class);
    }

    @Test
    void ambisonicSoundIsHeardThroughItsOmnidirectionalChannel() throws IOException {
        // first-order ambisonics (ACN): the sound in W, and a louder one in X that a plain average would mix in;
        // the ffmpeg program cannot mix these channels down at all (no layout it knows)
        Path ambisonic = song("amb.opus", 3, "-af", "pan=4.0|c0=0.25*c0+0.25*c1|c1=0*c0|c2=0*c0|c3=c0+c1", "-ac",
                "4", "-c:a", "libopus", "-mapping_family", "2");
        AudioDecoder.Decoded decoded = decoder.decodeAll(List.of(ambisonic), RATE, 5, TIMEOUT).getFirst();
        int w = peak(ffmpegSamples(ambisonic, 5, "-af", "pan=mono|c0=c0"));
        assertThat(w).as("W is not silence").isGreaterThan(1000);
        assertThat(decoded).isInstanceOfSatisfying(AudioDecoder.Sound.class, sound -> {
            assertThat(sound.samples().length).isBetween(3 * RATE - 200, 3 * RATE + 200);
            assertThat((double) peak(sound.samples())).as("as loud as W, not as an average with X")
                    .isCloseTo(w, org.assertj.core.data.Percentage.withPercentage(10));
        });
    }

    private static int peak(short[] samples) {
        int peak = 0;
        for (short v : samples) {
            peak = Math.max(peak, Math.abs(v));
        }
        return peak;
    }

    /** The path of a file under the test's folder whose name starts with {@code prefix}, open in {@code p}. */
    private Path openFile(ProcessHandle p, String prefix) {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + p.pid() + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (target.startsWith(dir) && target.getFileName().toString().startsWith(prefix)) {
                        return target;
                    }
                } catch (IOException closed) {
                    // closed while listed
                }
            }
        } catch (IOException gone) {
            // not running (yet, or any more)
        }
        return null;
    }

    private static void signal(String name, ProcessHandle p) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).start().waitFor()).isZero();
    }

    @Test
    void theProgramFoldersOfKilledJvmsAreRemovedAndNothingElse() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long dead = gone.pid();
        assumeThat(ProcessHandle.of(dead)).as("pid " + dead + " not reused yet").isEmpty();
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Path leftover = Files.createDirectory(tmp.resolve("cleanbackup-audio-" + dead + "-123"));
        Files.writeString(leftover.resolve(NativeAudioDecoder.PROGRAM), "program");
        Path live = Files.createDirectory(tmp.resolve("cleanbackup-audio-" + ProcessHandle.current().pid() + "-456"));
        Path foreign = Files.createDirectory(tmp.resolve("cleanbackup-audio-" + dead + "-789"));
        Files.writeString(foreign.resolve("a user's file"), "keep me");
        Path link = Files.createSymbolicLink(tmp.resolve("cleanbackup-audio-" + dead + "-000"), live);
        Path other = Files.createDirectory(tmp.resolve("cleanbackup-audiox-" + dead + "-1"));

        NativeAudioDecoder.removeLeftovers(tmp);

        assertThat(leftover).doesNotExist();
        assertThat(live).as("its JVM runs").exists();
        assertThat(foreign.resolve("a user's file")).as("a folder holding more than ours is not emptied").exists();
        assertThat(link).as("a link is not followed").exists();
        assertThat(other).exists();
    }

    @Test
    void theFingerprinterUsesTheWorker() {
        assumeThat(AudioFingerprinter.unavailableReason()).as("libchromaprint1 is installed").isEmpty();
        assertThat(AudioFingerprinter.system(20).orElseThrow().toString()).endsWith("through libavcodec");
    }

    private static AudioDecoder.Sound sound(List<AudioDecoder.Decoded> decoded, int i) {
        return (AudioDecoder.Sound) decoded.get(i);
    }

    private static List<ProcessHandle> workers() {
        try (Stream<ProcessHandle> children = ProcessHandle.current().children()) {
            return children.filter(p -> p.info().command().orElse("").endsWith(NativeAudioDecoder.PROGRAM))
                    .filter(ProcessHandle::isAlive).toList();
        }
    }

    /** A few seconds of two tones and a beat, made by ffmpeg into {@code name} (its extension's format). */
    private Path song(String name, int seconds, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i",
                "aevalsrc='0.3*sin(2*PI*t*(330+110*floor(mod(t*3,4))))+0.2*sin(2*PI*t*55)*exp(-6*mod(t,0.5))':s=44100:d="
                        + seconds, "-ac", "2"));
        args.addAll(List.of(options));
        args.add(dir.resolve(name).toString());
        run(args);
        return dir.resolve(name);
    }

    private static short[] ffmpegSamples(Path file, int seconds, String... filter) throws IOException {
        List<String> args = new ArrayList<>(List.of("-threads", "1", "-i", "file:" + file, "-map", "0:a:0", "-t",
                Integer.toString(seconds)));
        args.addAll(List.of(filter));
        args.addAll(List.of("-ac", "1", "-ar", Integer.toString(RATE), "-f", "s16le", "-"));
        byte[] bytes = run(args);
        short[] samples = new short[bytes.length / 2];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
        return samples;
    }

    private static byte[] run(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-nostdin", "-y"));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("ffmpeg failed: " + command);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return out;
    }

    private static boolean ffmpegRuns() {
        try {
            run(List.of("-version"));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
