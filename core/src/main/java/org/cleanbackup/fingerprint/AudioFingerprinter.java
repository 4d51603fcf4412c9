package org.cleanbackup.fingerprint;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Computes acoustic fingerprints: the {@code ffmpeg} program decodes the start of a file to 16-bit mono samples at
 * 11025 Hz (Chromaprint's own rate, so it resamples nothing), piped straight into the system's Chromaprint through
 * FFM. One {@code ffmpeg} process per file keeps a damaged or hostile file away from the JVM: at worst it is a
 * one-line {@link AudioDecodeException}. Safe for use from several threads.
 *
 * <p>{@code ffmpeg} is looked up on the {@code PATH} (the system property {@code cleanbackup.ffmpeg} names another);
 * Chromaprint is Debian's {@code libchromaprint1} ({@code libchromaprint.so.1}).
 *
 * @since 0.4
 */
public final class AudioFingerprinter {

    /*
     * The decode is bounded three ways: ffmpeg's -t stops it after the window, we read at most the window's bytes
     * and then end the process, and a watchdog kills it after the timeout (a file that makes the decoder spin).
     * Only the file protocol is allowed (-protocol_whitelist file): a playlist or concat script named .mp3 must not
     * make ffmpeg open URLs. Stderr is read on its own thread, keeping the input's description (for AudioFacts) and
     * the last lines (for the reason of a failure), both bounded.
     */

    /** Chromaprint's sample rate; the samples are decoded at it. */
    public static final int SAMPLE_RATE = 11_025;

    /** The seconds fingerprinted from the start of each file by default (docs/audio.md says why). */
    public static final int DEFAULT_SECONDS = 20;

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final int STDERR_TAIL = 4;
    private static final int STDERR_HEAD = 100;
    /** Files decoded by one ffmpeg process in {@link #fingerprintAll}. */
    public static final int BATCH = 16;

    private final String ffmpeg;
    private final Chromaprint chromaprint;
    private final int seconds;
    private final Duration timeout;

    private AudioFingerprinter(String ffmpeg, Chromaprint chromaprint, int seconds, Duration timeout) {
        this.ffmpeg = ffmpeg;
        this.chromaprint = chromaprint;
        this.seconds = seconds;
        this.timeout = timeout;
    }

    /**
     * The fingerprinter of this system, over the first {@code seconds} of each file; empty when {@code ffmpeg} or
     * Chromaprint is missing ({@link #unavailableReason()} says which).
     */
    public static Optional<AudioFingerprinter> system(int seconds) {
        return system(seconds, DEFAULT_TIMEOUT);
    }

    /** Like {@link #system(int)}, killing a decode that takes longer than {@code timeout}. */
    public static Optional<AudioFingerprinter> system(int seconds, Duration timeout) {
        if (seconds < 1) {
            throw new IllegalArgumentException("fingerprint at least one second, not " + seconds);
        }
        if (unavailableReason().isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new AudioFingerprinter(ffmpegProgram(), Chromaprint.load().orElseThrow(), seconds, timeout));
    }

    /** Why there is no fingerprinter on this system (what to install); empty when there is one. */
    public static Optional<String> unavailableReason() {
        Optional<String> library = Chromaprint.failure();
        if (library.isPresent()) {
            return Optional.of("Chromaprint is not usable (" + library.get() + "); install libchromaprint1");
        }
        return FfmpegCheck.REASON;
    }

    private static String ffmpegProgram() {
        return System.getProperty("cleanbackup.ffmpeg", "ffmpeg");
    }

    /** Whether {@code ffmpeg} runs, checked once. */
    private static final class FfmpegCheck {
        static final Optional<String> REASON = check();

        private static Optional<String> check() {
            String program = ffmpegProgram();
            try {
                Process p = new ProcessBuilder(program, "-hide_banner", "-version").redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
                p.getInputStream().transferTo(OutputStreamSink.INSTANCE);
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return Optional.of(program + " does not answer");
                }
                return p.exitValue() == 0 ? Optional.empty()
                        : Optional.of(program + " does not run (exit code " + p.exitValue() + ")");
            } catch (IOException e) {
                return Optional.of(program + " is not installed (not found on the PATH): audio fingerprints need"
                        + " ffmpeg (Debian/Ubuntu: apt-get install ffmpeg)");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted while checking " + program);
            }
        }
    }

    /** Discards bytes. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }

    /** The seconds fingerprinted from the start of each file. */
    public int seconds() {
        return seconds;
    }

    /** The name of the fingerprint's definition, for caches: {@code chromaprint-v1-60s}. */
    public String algorithm() {
        return FingerprintEntries.algorithm(seconds);
    }

    /** {@code "Chromaprint 1.5.1 through ffmpeg"}. */
    @Override
    public String toString() {
        return "Chromaprint " + chromaprint.version() + " through " + ffmpeg;
    }

    /**
     * Decodes the first {@link #seconds()} of {@code file} and fingerprints them.
     *
     * @throws AudioDecodeException when ffmpeg cannot decode it (the message is one line, without the path) or
     *                              takes longer than the timeout
     * @throws IOException          when ffmpeg cannot be started
     */
    public AudioFingerprint fingerprint(Path file) throws IOException {
        List<String> command = List.of(ffmpeg, "-hide_banner", "-nostdin", "-nostats", "-v", "info",
                "-protocol_whitelist", "file", "-threads", "1",
                "-i", "file:" + file.toAbsolutePath(),
                "-map", "0:a:0", "-t", Integer.toString(seconds), "-ac", "1", "-ar", Integer.toString(SAMPLE_RATE),
                "-f", "s16le", "-threads", "1", "pipe:1");
        Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        AtomicBoolean timedOut = new AtomicBoolean();
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (process.isAlive()) {
                timedOut.set(true);
                process.destroyForcibly();
            }
        });
        StderrReader stderr = new StderrReader(process.getErrorStream());
        Thread reader = Thread.ofVirtual().name("ffmpeg-stderr").start(stderr);
        int[] words;
        long bytes;
        try (Chromaprint.Context context = chromaprint.open(SAMPLE_RATE); Arena arena = Arena.ofConfined()) {
            long limit = 2L * SAMPLE_RATE * seconds;
            byte[] chunk = new byte[64 * 1024];
            MemorySegment buffer = arena.allocate(chunk.length, 2);
            InputStream in = process.getInputStream();
            bytes = 0;
            int held = 0; // bytes in chunk not fed yet (an odd byte waits for its partner)
            while (bytes < limit) {
                int n = in.read(chunk, held, (int) Math.min(chunk.length - held, limit - bytes));
                if (n < 0) {
                    break;
                }
                bytes += n;
                held += n;
                int even = held & ~1;
                if (even > 0) {
                    MemorySegment.copy(chunk, 0, buffer, ValueLayout.JAVA_BYTE, 0, even);
                    context.feed(buffer, even / 2);
                    System.arraycopy(chunk, even, chunk, 0, held - even);
                    held -= even;
                }
            }
            words = context.finish();
        } finally {
            process.getInputStream().close();
            if (process.isAlive()) {
                process.destroyForcibly(); // the window is full (or we failed): the rest is not wanted
            }
        }
        int exit;
        try {
            exit = process.waitFor();
            reader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while decoding");
        }
        if (timedOut.get()) {
            throw new AudioDecodeException("decoding took longer than " + timeout.toSeconds() + " s; stopped");
        }
        boolean windowFull = bytes >= 2L * SAMPLE_RATE * seconds;
        if (bytes == 0 || (exit != 0 && !windowFull)) {
            throw new AudioDecodeException("cannot decode the sound (" + stderr.reason(exit) + ")");
        }
        return new AudioFingerprint(words, stderr.facts());
    }

    /**
     * One file's result from {@link #fingerprintAll}: its fingerprint, or why it has none.
     *
     * @param file        the file
     * @param fingerprint its fingerprint, when it could be decoded
     * @param failure     else the failure, as {@link #fingerprint(Path)} throws it
     */
    public record Outcome(Path file, Optional<AudioFingerprint> fingerprint, Optional<IOException> failure) {
    }

    /**
     * Fingerprints several files, up to {@link #BATCH} in one {@code ffmpeg} process: its start-up (about 40 ms,
     * most of what a 30 s window costs) is paid once. Each file's sound is cut or padded with silence to exactly the
     * window, so the samples of the files follow one another at known places; silence padded at the end is taken off
     * the fingerprint again. When the process fails (a damaged file stops ffmpeg before it decodes anything), every
     * file of the batch is fingerprinted alone, so one bad file costs the others nothing but time.
     *
     * @return one outcome per file, in their order
     */
    public List<Outcome> fingerprintAll(List<Path> files) {
        List<Outcome> outcomes = new ArrayList<>();
        for (int from = 0; from < files.size(); from += BATCH) {
            List<Path> batch = files.subList(from, Math.min(files.size(), from + BATCH));
            List<Outcome> done = batch.size() > 1 ? batch(batch) : null;
            if (done == null) {
                done = new ArrayList<>();
                for (Path f : batch) {
                    try {
                        done.add(new Outcome(f, Optional.of(fingerprint(f)), Optional.empty()));
                    } catch (IOException e) {
                        done.add(new Outcome(f, Optional.empty(), Optional.of(e)));
                    }
                }
            }
            outcomes.addAll(done);
        }
        return outcomes;
    }

    /** The batch through one process, or null when it failed (then each file goes alone). */
    private List<Outcome> batch(List<Path> files) {
        long window = (long) SAMPLE_RATE * seconds;
        List<String> command = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-nostats", "-v", "info",
                "-threads", "1"));
        StringBuilder graph = new StringBuilder();
        for (int i = 0; i < files.size(); i++) {
            command.addAll(List.of("-protocol_whitelist", "file", "-t", Integer.toString(seconds), "-i",
                    "file:" + files.get(i).toAbsolutePath()));
            graph.append('[').append(i).append(":a:0]aformat=channel_layouts=mono,aresample=").append(SAMPLE_RATE)
                    .append(",aformat=sample_fmts=s16,apad=whole_len=").append(window).append(",atrim=end_sample=")
                    .append(window).append("[a").append(i).append("];");
        }
        for (int i = 0; i < files.size(); i++) {
            graph.append("[a").append(i).append(']');
        }
        graph.append("concat=n=").append(files.size()).append(":v=0:a=1[out]");
        command.addAll(List.of("-filter_complex", graph.toString(), "-map", "[out]", "-f", "s16le", "-threads", "1",
                "pipe:1"));
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            return null;
        }
        AtomicBoolean timedOut = new AtomicBoolean();
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (process.isAlive()) {
                timedOut.set(true);
                process.destroyForcibly();
            }
        });
        StderrReader stderr = new StderrReader(process.getErrorStream(), STDERR_HEAD * files.size());
        Thread reader = Thread.ofVirtual().name("ffmpeg-stderr").start(stderr);
        List<int[]> words = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            InputStream in = process.getInputStream();
            byte[] chunk = new byte[64 * 1024];
            MemorySegment buffer = arena.allocate(chunk.length, 2);
            for (int i = 0; i < files.size(); i++) {
                try (Chromaprint.Context context = chromaprint.open(SAMPLE_RATE)) {
                    long left = 2 * window;
                    while (left > 0) {
                        int n = in.readNBytes(chunk, 0, (int) Math.min(chunk.length, left));
                        if (n <= 0 || (n & 1) != 0) {
                            return failed(process);
                        }
                        MemorySegment.copy(chunk, 0, buffer, ValueLayout.JAVA_BYTE, 0, n);
                        context.feed(buffer, n / 2);
                        left -= n;
                    }
                    words.add(context.finish());
                }
            }
            if (in.read() >= 0) {
                return failed(process); // more than we asked for: the graph is not what we think
            }
            if (process.waitFor() != 0 || timedOut.get()) {
                return null;
            }
            reader.join(Duration.ofSeconds(5));
        } catch (IOException e) {
            return failed(process);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(process);
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
        List<AudioFacts> facts = stderr.factsPerInput(files.size());
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            int[] w = withoutPadding(words.get(i), facts.get(i));
            outcomes.add(new Outcome(files.get(i), Optional.of(new AudioFingerprint(w, facts.get(i))),
                    Optional.empty()));
        }
        return outcomes;
    }

    private static List<Outcome> failed(Process process) {
        process.destroyForcibly();
        return null;
    }

    /**
     * The words of a sound shorter than the window, without those of the silence padded after it: as many words as
     * the file alone gives for its stated length. Chromaprint makes one word per 1365 samples once its first frame
     * of 4096 is full, less 18 for the width of its filters (measured: 10 s give 59 words, 12 s 75, 20 s 140, 60 s
     * 463).
     */
    private int[] withoutPadding(int[] words, AudioFacts facts) {
        if (facts.durationMillis() < 0 || facts.durationMillis() >= seconds * 1000L) {
            return words;
        }
        long samples = facts.durationMillis() * SAMPLE_RATE / 1000;
        long keep = Math.max(0, (samples - 4096) / 1365 - 18);
        return keep >= words.length ? words : java.util.Arrays.copyOf(words, (int) keep);
    }

    /** Reads ffmpeg's messages: the input's description (bounded) and the last lines. */
    private static final class StderrReader implements Runnable {
        private final InputStream stream;
        private final List<String> head = new ArrayList<>();
        private final Deque<String> tail = new ArrayDeque<>();
        private boolean headDone;

        private final int maxHead;

        StderrReader(InputStream stream) {
            this(stream, STDERR_HEAD);
        }

        StderrReader(InputStream stream, int maxHead) {
            this.stream = stream;
            this.maxHead = maxHead;
        }

        @Override
        public void run() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.length() > 500) {
                        line = line.substring(0, 500);
                    }
                    synchronized (this) {
                        if (!headDone) {
                            if (line.startsWith("Stream mapping") || line.startsWith("Output #")
                                    || head.size() >= maxHead) {
                                headDone = true;
                            } else {
                                head.add(line);
                            }
                        }
                        tail.addLast(line);
                        if (tail.size() > STDERR_TAIL) {
                            tail.removeFirst();
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process was ended: what was read is what there is
            }
        }

        /** The last line that says something, without ffmpeg's "file:..." prefix. */
        synchronized String reason(int exit) {
            List<String> lines = new ArrayList<>(tail);
            for (int i = lines.size() - 1; i >= 0; i--) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("Stream mapping") || line.startsWith("Press [q]")) {
                    continue;
                }
                int cut = line.indexOf(": ");
                if (line.startsWith("file:") && cut > 0) {
                    line = line.substring(cut + 2);
                }
                return "ffmpeg: " + line;
            }
            return "ffmpeg exited with code " + exit + " and no sound";
        }

        synchronized AudioFacts facts() {
            return parseFacts(head);
        }

        /** The facts of each input, by the "Input #i" sections of the description. */
        synchronized List<AudioFacts> factsPerInput(int inputs) {
            List<List<String>> sections = new ArrayList<>();
            for (int i = 0; i < inputs; i++) {
                sections.add(new ArrayList<>());
            }
            int current = -1;
            for (String line : head) {
                Matcher m = INPUT.matcher(line);
                if (m.lookingAt()) {
                    current = Integer.parseInt(m.group(1));
                }
                if (current >= 0 && current < inputs) {
                    // a stream line names its input: #3:0 belongs to input 3
                    sections.get(current).add(line.replaceFirst("Stream #\\d+:", "Stream #0:"));
                }
            }
            return sections.stream().map(AudioFingerprinter::parseFacts).toList();
        }
    }

    private static final Pattern INPUT = Pattern.compile("Input #(\\d+),");
    private static final Pattern AUDIO = Pattern.compile("^\\s*Stream #0:(\\d+)\\S*: Audio: ([A-Za-z0-9_]+)(.*)$");
    private static final Pattern VIDEO = Pattern.compile("^\\s*Stream #0:\\d+\\S*: Video: .*");
    private static final Pattern KBPS = Pattern.compile("(\\d+) kb/s");
    private static final Pattern DURATION = Pattern.compile(
            "^\\s*Duration: (\\d+):(\\d\\d):(\\d\\d)\\.(\\d\\d).*?(?:bitrate: (\\d+) kb/s)?$");
    private static final Pattern TAG = Pattern.compile("^\\s+([^:]+?)\\s*: ?(.*)$");
    private static final Set<String> TECHNICAL = Set.of("encoder", "major_brand", "minor_version",
            "compatible_brands", "handler_name", "vendor_id", "creation_time", "encoded_by", "encoder_options",
            "language", "duration", "itunsmpb", "itunnorm", "replaygain_track_gain", "replaygain_track_peak",
            "replaygain_album_gain", "replaygain_album_peak", "comment", "tsse", "major brand", "vendor",
            "waveformatextensible_channel_mask", "timecode");

    /**
     * The facts in ffmpeg's description of the input (the lines up to "Stream mapping"): the first audio stream's
     * codec and bit rate, the file's bit rate and duration, the descriptive tags of the file and of that stream (an
     * Ogg file keeps them on the stream), a cover picture.
     */
    static AudioFacts parseFacts(List<String> lines) {
        String codec = "";
        int streamRate = 0;
        int fileRate = 0;
        long duration = -1;
        Set<String> tags = new HashSet<>();
        boolean cover = false;
        // which block the "Metadata:" lines belong to: the file, the first audio stream, or another stream
        boolean inMetadata = false;
        boolean countBlock = false;
        boolean sawAudio = false;
        boolean blockIsFile = true;
        for (String line : lines) {
            if (line.startsWith("Input #")) {
                blockIsFile = true;
                inMetadata = false;
                continue;
            }
            Matcher audio = AUDIO.matcher(line);
            if (audio.matches()) {
                inMetadata = false;
                blockIsFile = false;
                countBlock = !sawAudio;
                if (!sawAudio) {
                    sawAudio = true;
                    codec = audio.group(2).toLowerCase(Locale.ROOT);
                    Matcher k = KBPS.matcher(audio.group(3));
                    if (k.find()) {
                        streamRate = Integer.parseInt(k.group(1));
                    }
                }
                continue;
            }
            if (VIDEO.matcher(line).matches()) {
                inMetadata = false;
                blockIsFile = false;
                countBlock = false;
                cover |= line.contains("attached pic") || line.contains("mjpeg") || line.contains("png");
                continue;
            }
            Matcher d = DURATION.matcher(line);
            if (d.matches()) {
                inMetadata = false;
                duration = ((Long.parseLong(d.group(1)) * 60 + Long.parseLong(d.group(2))) * 60
                        + Long.parseLong(d.group(3))) * 1000 + Long.parseLong(d.group(4)) * 10;
                if (d.group(5) != null) {
                    fileRate = Integer.parseInt(d.group(5));
                }
                continue;
            }
            if (line.strip().equals("Metadata:")) {
                inMetadata = true;
                if (blockIsFile) {
                    countBlock = true;
                }
                continue;
            }
            if (inMetadata && countBlock) {
                Matcher t = TAG.matcher(line);
                if (t.matches() && !t.group(2).isBlank()) {
                    String key = t.group(1).strip().toLowerCase(Locale.ROOT);
                    if (!key.isEmpty() && !TECHNICAL.contains(key)) {
                        tags.add(key);
                    }
                }
            }
        }
        boolean lossless = AudioFacts.losslessCodec(codec);
        int rate = streamRate > 0 ? streamRate : fileRate;
        return new AudioFacts(codec, lossless, rate, tags.size() + (cover ? 1 : 0), duration);
    }
}
