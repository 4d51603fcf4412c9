package org.cleanbackup.phash.nativ;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cleanbackup.fingerprint.AudioDecodeException;
import org.cleanbackup.fingerprint.AudioDecoder;
import org.cleanbackup.fingerprint.AudioFacts;
import org.cleanbackup.internal.Watchdog;

/**
 * One running {@code cleanbackup-audio-decode} process (cleanbackup_audio.c, which documents the protocol): a file's
 * path goes in, its samples and facts come back, one file at a time. Used by one thread at a time (the pool in
 * {@link NativeAudioDecoder} hands it out). Everything the worker says is checked against bounds before anything is
 * allocated for it, so a worker gone wrong cannot make the JVM allocate what it likes.
 */
final class AudioWorker implements AutoCloseable {

    private static final int SOUND = 0;
    private static final int NO_SOUND = 1;
    private static final int MAX_TEXT = 4096;
    private static final int MAX_TAGS = 64;
    /** Files one worker decodes before it is replaced, so that a slow leak in a decoder stays small. */
    private static final int RETIRE_AFTER = 1000;

    /** Why a request got no answer: the worker is gone. */
    static final class Died extends Exception {
        private static final long serialVersionUID = 1L;

        /** How it went. */
        enum Kind {
            /** The watchdog ended it: the file took too long even for the worker's own deadline. */
            TIMED_OUT,
            /** A signal a decoder's fault raises (SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL): the file did it. */
            CRASHED,
            /** Killed from outside, an exit, a broken answer: not necessarily the file. */
            ENDED
        }

        private final Kind kind;

        Died(String message, Kind kind) {
            super(message);
            this.kind = kind;
        }

        Kind kind() {
            return kind;
        }
    }

    /** The signals of a fault in the process itself (not sent by someone else): ILL, ABRT, BUS, FPE, SEGV. */
    private static final Set<Integer> FAULTS = Set.of(4, 6, 7, 8, 11);

    private final Process process;
    private final DataOutputStream requests;
    private final DataInputStream answers;
    private final Charset names = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"),
            StandardCharsets.UTF_8);
    private int decoded;
    private long idleSince = System.nanoTime();

    private AudioWorker(Process process) {
        this.process = process;
        this.requests = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 8192));
        this.answers = new DataInputStream(new BufferedInputStream(process.getInputStream(), 64 * 1024));
    }

    /** Starts a worker. */
    static AudioWorker start(Path program) throws IOException {
        // stderr is discarded: the worker prints nothing there, and a crash is told by its exit status
        return new AudioWorker(new ProcessBuilder(program.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start());
    }

    /** How many files this worker has decoded. */
    int decoded() {
        return decoded;
    }

    /** Whether it can take another file: alive, not idle for long (it ends itself after 30 s), not worn. */
    boolean usable(Duration maxIdle) {
        return process.isAlive() && decoded < RETIRE_AFTER && System.nanoTime() - idleSince < maxIdle.toNanos();
    }

    /**
     * Decodes the first {@code seconds} of {@code file}.
     *
     * @return the sound, or a {@link AudioDecoder.Failure} the worker reported (damaged, not audio, past
     *         {@code timeout})
     * @throws Died when the worker ended without an answer: it crashed, or did not answer in time and was killed;
     *              it is of no further use then
     */
    AudioDecoder.Decoded decode(Path file, int sampleRate, int seconds, Duration timeout) throws Died {
        byte[] path = file.toAbsolutePath().toString().getBytes(names);
        AtomicBoolean timedOut = new AtomicBoolean();
        // the worker keeps the timeout itself and answers "took longer"; the watchdog is for a worker that cannot
        // answer (stuck where no deadline reaches), a little later
        long millis = Math.min(timeout.toMillis(), 0xFFFF_FFFFL);
        Duration backstop = timeout.plus(Duration.ofMillis(Math.clamp(millis, 1_000, 5_000)));
        try (Watchdog.Timer timer = Watchdog.kill(process, backstop, () -> timedOut.set(true))) {
            requests.writeInt(Integer.reverseBytes(sampleRate));
            requests.writeInt(Integer.reverseBytes(seconds));
            requests.writeInt(Integer.reverseBytes((int) millis));
            requests.writeInt(Integer.reverseBytes(path.length));
            requests.write(path);
            requests.flush();
            AudioDecoder.Decoded answer = answer(file, (long) sampleRate * seconds);
            decoded++;
            return answer;
        } catch (IOException e) {
            if (timedOut.get()) {
                throw new Died("decoding took longer than " + NativeAudioDecoder.duration(timeout) + "; stopped",
                        Died.Kind.TIMED_OUT);
            }
            if (process.isAlive()) { // it answered something we cannot take: it is of no further use
                process.destroyForcibly();
                throw new Died("the decoder gave a broken answer (" + e.getMessage() + ")", Died.Kind.ENDED);
            }
            throw ending(e);
        } finally {
            idleSince = System.nanoTime();
        }
    }

    private AudioDecoder.Decoded answer(Path file, long maxSamples) throws IOException {
        int status = u32();
        if (status == NO_SOUND) {
            return new AudioDecoder.Failure(file, new AudioDecodeException(text()));
        }
        if (status != SOUND) {
            throw new IOException("the worker answered nonsense (status " + status + ")");
        }
        String codec = text();
        int bitrate = u32();
        long millis = Long.reverseBytes(answers.readLong());
        boolean cover = u32() != 0;
        int tagCount = u32();
        if (tagCount < 0 || tagCount > MAX_TAGS) {
            throw new IOException("the worker answered nonsense (" + tagCount + " tags)");
        }
        List<String> tags = new ArrayList<>(tagCount);
        for (int i = 0; i < tagCount; i++) {
            tags.add(text());
        }
        int count = u32();
        if (count < 0 || count > maxSamples) {
            throw new IOException("the worker answered nonsense (" + count + " samples)");
        }
        byte[] bytes = new byte[2 * count];
        answers.readFully(bytes);
        short[] samples = new short[count];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
        return new AudioDecoder.Sound(file, samples, AudioFacts.of(codec, bitrate, millis, tags, cover));
    }

    private int u32() throws IOException {
        return Integer.reverseBytes(answers.readInt());
    }

    private String text() throws IOException {
        int n = u32();
        if (n < 0 || n > MAX_TEXT) {
            throw new IOException("the worker answered nonsense (a text of " + n + " bytes)");
        }
        byte[] bytes = new byte[n];
        answers.readFully(bytes);
        // one line, whatever the worker (or a tag's name) holds
        return new String(bytes, StandardCharsets.UTF_8).replaceAll("[\\p{Cntrl}]", " ").strip();
    }

    /** How the worker ended, from its exit status: a fault's signal (a crash), another signal, or an exit code. */
    private Died ending(IOException e) {
        try {
            if (process.waitFor(5, TimeUnit.SECONDS)) {
                int status = process.exitValue();
                if (status > 128 && FAULTS.contains(status - 128)) {
                    return new Died("the decoder crashed on it (signal " + (status - 128) + ")", Died.Kind.CRASHED);
                }
                return new Died(status > 128 ? "the decoder was ended by signal " + (status - 128) + " while on it"
                        : "the decoder ended on it (exit code " + status + ")", Died.Kind.ENDED);
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        return new Died("the decoder stopped answering (" + (e instanceof EOFException ? "end of output"
                : e.getMessage()) + ")", Died.Kind.ENDED);
    }

    /** Ends the worker: it is told to stop, and killed if it does not. */
    @Override
    public void close() {
        try {
            requests.writeInt(0); // a sample rate of 0: the end
            requests.flush();
            requests.close();
        } catch (IOException ignored) {
            // it has ended already
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The worker's process, for tests that stop or end it from outside. */
    ProcessHandle handle() {
        return process.toHandle();
    }
}
