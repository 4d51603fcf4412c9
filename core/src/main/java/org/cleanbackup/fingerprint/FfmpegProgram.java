package org.cleanbackup.fingerprint;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cleanbackup.internal.Watchdog;

/**
 * The built-in {@link AudioDecoder}: the {@code ffmpeg} program, up to a batch of files per process (its start-up,
 * about 45 ms, is most of what a 20 s window costs). One process per batch keeps a damaged or hostile file away from
 * the JVM: at worst it is a one-line {@link AudioDecodeException}. {@code ffmpeg} is looked up on the {@code PATH}
 * (the system property {@code cleanbackup.ffmpeg} names another).
 */
final class FfmpegProgram implements AudioDecoder {

    /*
     * The decode is bounded three ways: ffmpeg's -t stops it after the window, we read at most the window's bytes
     * and then end the process, and a watchdog kills it after the timeout (a file that makes the decoder spin).
     * Only the file protocol is allowed (-protocol_whitelist file): a playlist or concat script named .mp3 must not
     * make ffmpeg open URLs, and refusal() keeps such lists from it altogether. Its messages go to a temporary file
     * (bounded by the window and the timeout), read after it ends: the input's description (for AudioFacts) and the
     * last lines (for the reason of a failure).
     */

    /**
     * The largest single allocation ffmpeg may make (256 MiB): a damaged header claiming 237 MHz had swresample
     * build a filter for 8 s and 1.4 GB; with this bound it fails in 0.05 s. Decoding 20 s needs a few MB.
     */
    private static final String MAX_ALLOC = Integer.toString(256 << 20);
    private static final int STDERR_TAIL = 4;
    private static final int STDERR_HEAD = 100;

    private final String ffmpeg = System.getProperty("cleanbackup.ffmpeg", "ffmpeg");

    @Override
    public String name() {
        return "ffmpeg";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Check.REASON;
    }

    /** Whether {@code ffmpeg} runs, checked once. */
    private static final class Check {
        static final Optional<String> REASON = check(System.getProperty("cleanbackup.ffmpeg", "ffmpeg"));

        private static Optional<String> check(String program) {
            try {
                Process p = new ProcessBuilder(program, "-hide_banner", "-version").redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
                p.getInputStream().transferTo(OutputStream.nullOutputStream());
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

    /**
     * Each batch through one process; when that fails (a damaged file stops ffmpeg before it decodes anything),
     * every file of the batch is decoded alone, so one bad file costs the others nothing but time. What is not a
     * regular file, or is a playlist or list of other files, is refused before ffmpeg sees it ({@link #refusal}).
     */
    @Override
    public List<Decoded> decodeAll(List<Path> files, int sampleRate, int seconds, Duration timeout) {
        Decoded[] results = new Decoded[files.size()];
        List<Path> sound = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Optional<String> refused = refusal(files.get(i));
            if (refused.isPresent()) {
                results[i] = new Failure(files.get(i), new AudioDecodeException(refused.get()));
            } else {
                sound.add(files.get(i));
            }
        }
        List<Decoded> decoded = sound.size() > 1 ? batch(sound, sampleRate, seconds, timeout) : null;
        if (decoded == null) {
            decoded = new ArrayList<>();
            for (Path file : sound) {
                try {
                    decoded.add(decode(file, sampleRate, seconds, timeout));
                } catch (IOException e) {
                    decoded.add(new Failure(file, e));
                }
            }
        }
        Iterator<Decoded> next = decoded.iterator();
        for (int i = 0; i < results.length; i++) {
            if (results[i] == null) {
                results[i] = next.next();
            }
        }
        return List.of(results);
    }

    /**
     * Why ffmpeg must not be given this file, if so: a FIFO would block it, {@code /dev/stdin} would read its input,
     * and a playlist (HLS) or an ffconcat list named {@code .mp3} makes ffmpeg read other files (the list would be
     * fingerprinted with their sound, a live playlist read again and again). The libavcodec worker refuses the
     * same files by allowing no second file to be opened.
     */
    static Optional<String> refusal(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.of(Files.exists(file) ? "not a regular file" : "cannot read it: no such file");
            }
            byte[] start;
            try (InputStream in = Files.newInputStream(file)) {
                start = in.readNBytes(512);
            }
            String text = new String(start, StandardCharsets.UTF_8).replace("\uFEFF", "").stripLeading();
            if (text.startsWith("#EXTM3U") || text.startsWith("ffconcat") || text.startsWith("<?xml")
                    && text.contains("<MPD")) { // HLS, ffconcat, DASH
                return Optional.of("it is a list of other files");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot read it (" + e.getMessage() + ")");
        }
    }

    /** One file through its own process. */
    Sound decode(Path file, int sampleRate, int seconds, Duration timeout) throws IOException {
        List<String> command = List.of(ffmpeg, "-hide_banner", "-nostdin", "-nostats", "-v", "info", "-max_alloc", MAX_ALLOC,
                "-protocol_whitelist", "file", "-threads", "1",
                "-i", "file:" + file.toAbsolutePath(),
                "-map", "0:a:0", "-t", Integer.toString(seconds), "-ac", "1", "-ar", Integer.toString(sampleRate),
                "-f", "s16le", "-threads", "1", "pipe:1");
        int window = Math.toIntExact(2L * sampleRate * seconds);
        try (Run run = Run.start(command)) {
            AtomicBoolean timedOut = new AtomicBoolean();
            byte[] bytes;
            int exit;
            try (Watchdog.Timer timer = Watchdog.kill(run.process, timeout, () -> timedOut.set(true))) {
                bytes = run.process.getInputStream().readNBytes(window);
                exit = run.finish(bytes.length >= window); // a full window: the rest of the sound is not wanted
            }
            if (timedOut.get()) {
                throw new AudioDecodeException("decoding took longer than " + timeout.toSeconds() + " s; stopped");
            }
            StderrLog log = run.log(STDERR_HEAD);
            if (bytes.length < 2 || (exit != 0 && bytes.length < window)) {
                throw new AudioDecodeException("cannot decode the sound (" + log.reason(exit) + ")");
            }
            return new Sound(file, samples(bytes, bytes.length / 2), parseFacts(log.head()));
        }
    }

    /**
     * The batch through one process, or null when it failed. Each file's sound is cut or padded with silence to
     * exactly the window, so the samples of the files follow one another at known places; the silence padded after
     * a shorter sound is taken off again by its stated length.
     */
    private List<Decoded> batch(List<Path> files, int sampleRate, int seconds, Duration timeout) {
        long window = (long) sampleRate * seconds;
        List<String> command = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-nostats", "-v", "info", "-max_alloc", MAX_ALLOC,
                "-threads", "1"));
        StringBuilder graph = new StringBuilder();
        for (int i = 0; i < files.size(); i++) {
            command.addAll(List.of("-protocol_whitelist", "file", "-t", Integer.toString(seconds), "-i",
                    "file:" + files.get(i).toAbsolutePath()));
            graph.append('[').append(i).append(":a:0]aformat=channel_layouts=mono,aresample=").append(sampleRate)
                    .append(",aformat=sample_fmts=s16,apad=whole_len=").append(window).append(",atrim=end_sample=")
                    .append(window).append("[a").append(i).append("];");
        }
        for (int i = 0; i < files.size(); i++) {
            graph.append("[a").append(i).append(']');
        }
        graph.append("concat=n=").append(files.size()).append(":v=0:a=1[out]");
        command.addAll(List.of("-filter_complex", graph.toString(), "-map", "[out]", "-f", "s16le", "-threads", "1",
                "pipe:1"));
        List<byte[]> sounds = new ArrayList<>();
        StderrLog log;
        try (Run run = Run.start(command)) {
            AtomicBoolean timedOut = new AtomicBoolean();
            // one timeout for the batch: a file that spins must not hold the thread for a timeout per file (the
            // batch is then decoded file by file, each with its own)
            try (Watchdog.Timer timer = Watchdog.kill(run.process, timeout, () -> timedOut.set(true))) {
                InputStream in = run.process.getInputStream();
                for (int i = 0; i < files.size(); i++) {
                    byte[] bytes = in.readNBytes((int) (2 * window));
                    if (bytes.length != 2 * window) {
                        return null;
                    }
                    sounds.add(bytes);
                }
                if (in.read() >= 0) {
                    return null; // more than we asked for: the graph is not what we think
                }
                if (run.finish(false) != 0 || timedOut.get()) {
                    return null;
                }
            }
            log = run.log(STDERR_HEAD * files.size());
        } catch (IOException e) {
            return null;
        }
        List<AudioFacts> facts = log.factsPerInput(files.size());
        List<Decoded> decoded = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            AudioFacts f = facts.get(i);
            long length = f.durationMillis() < 0 ? window : Math.min(window, f.durationMillis() * sampleRate / 1000);
            decoded.add(new Sound(files.get(i), samples(sounds.get(i), (int) length), f));
        }
        return decoded;
    }

    /** The first {@code count} little-endian 16-bit samples of {@code bytes}. */
    private static short[] samples(byte[] bytes, int count) {
        short[] samples = new short[count];
        ByteBuffer.wrap(bytes, 0, 2 * count).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
        return samples;
    }

    /**
     * A running ffmpeg whose messages go to a temporary file, read once it has ended: a thread reading them from a
     * pipe could lose the input's description when the process ends under load (the facts of a FLAC then said
     * "lossy, 0 kbit/s" and an MP3 was kept over it). The file is deleted on close.
     */
    private static final class Run implements AutoCloseable {
        final Process process;
        private final Path messages;

        private Run(Process process, Path messages) {
            this.process = process;
            this.messages = messages;
        }

        static Run start(List<String> command) throws IOException {
            Path messages = Files.createTempFile("cleanbackup-ffmpeg-", ".log");
            try {
                return new Run(new ProcessBuilder(command)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectError(messages.toFile()).start(), messages);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(messages);
                throw e;
            }
        }

        /**
         * Waits for the process to end, ending it first when {@code stop} (we have what we want); returns its exit
         * code. Reading stops at the end of its output, so without {@code stop} it is ending by itself.
         */
        int finish(boolean stop) throws IOException {
            process.getInputStream().close();
            if (stop) {
                process.destroyForcibly();
            }
            try {
                return process.waitFor();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while decoding");
            }
        }

        StderrLog log(int maxHead) throws IOException {
            return StderrLog.read(messages, maxHead);
        }

        @Override
        public void close() throws IOException {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(messages);
        }
    }

    /**
     * What ffmpeg said: its description of the inputs (the lines before "Stream mapping", at most {@code maxHead}) and
     * its last lines (for the reason of a failure). Bounded: at most the first {@value #HEAD_BYTES} bytes are read
     * for the description, and the last {@value #TAIL_BYTES} for the end.
     */
    record StderrLog(List<String> head, List<String> tail) {
        private static final int HEAD_BYTES = 1 << 20;
        private static final int TAIL_BYTES = 8 << 10;

        static StderrLog read(Path file, int maxHead) throws IOException {
            List<String> head = new ArrayList<>();
            List<String> tail = new ArrayList<>();
            try (SeekableByteChannel channel = Files.newByteChannel(file)) {
                long size = channel.size();
                for (String line : lines(channel, 0, (int) Math.min(size, HEAD_BYTES))) {
                    if (line.startsWith("Stream mapping") || line.startsWith("Output #") || head.size() >= maxHead) {
                        break;
                    }
                    head.add(line);
                }
                List<String> last = lines(channel, Math.max(0, size - TAIL_BYTES), (int) Math.min(size, TAIL_BYTES));
                tail.addAll(last.subList(Math.max(0, last.size() - STDERR_TAIL), last.size()));
            }
            return new StderrLog(head, tail);
        }

        private static List<String> lines(SeekableByteChannel channel, long from, int length)
                throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            channel.position(from);
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // fill
            }
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).lines()
                    .map(l -> l.length() > 500 ? l.substring(0, 500) : l).toList();
        }

        /** The last line that says something, without ffmpeg's "file:..." prefix. */
        String reason(int exit) {
            for (int i = tail.size() - 1; i >= 0; i--) {
                String line = tail.get(i).strip();
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

        /** The facts of each input, by the "Input #i" sections of the description. */
        List<AudioFacts> factsPerInput(int inputs) {
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
            return sections.stream().map(FfmpegProgram::parseFacts).toList();
        }
    }

    private static final Pattern INPUT = Pattern.compile("Input #(\\d+),");
    private static final Pattern AUDIO = Pattern.compile("^\\s*Stream #0:(\\d+)\\S*: Audio: ([A-Za-z0-9_]+)(.*)$");
    private static final Pattern VIDEO = Pattern.compile("^\\s*Stream #0:\\d+\\S*: Video: .*");
    private static final Pattern KBPS = Pattern.compile("(\\d+) kb/s");
    private static final Pattern DURATION = Pattern.compile(
            "^\\s*Duration: (\\d+):(\\d\\d):(\\d\\d)\\.(\\d\\d).*?(?:bitrate: (\\d+) kb/s)?$");
    private static final Pattern TAG = Pattern.compile("^\\s+([^:]+?)\\s*: ?(.*)$");

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
        List<String> tags = new ArrayList<>();
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
                    tags.add(t.group(1));
                }
            }
        }
        return AudioFacts.of(codec, streamRate > 0 ? streamRate : fileRate, duration, tags, cover);
    }
}
