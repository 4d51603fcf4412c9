package org.cleanbackup.fingerprint;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * Computes acoustic fingerprints: an {@link AudioDecoder} decodes the start of a file to 16-bit mono samples at 11025
 * Hz (Chromaprint's own rate, so it resamples nothing), fed to the system's Chromaprint through FFM. The decoder is
 * the usable one of highest priority: phash-native's {@code libavcodec} worker when it is on the class path, else the
 * {@code ffmpeg} program; the system property {@code cleanbackup.audio.decoder} names one. Either way the decoding
 * runs in another process, so a damaged or hostile file is at worst a one-line {@link AudioDecodeException}. Safe
 * for use from several threads.
 *
 * <p>Chromaprint is Debian's {@code libchromaprint1} ({@code libchromaprint.so.1}).
 *
 * @since 0.4
 */
public final class AudioFingerprinter {

    /** Chromaprint's sample rate; the samples are decoded at it. */
    public static final int SAMPLE_RATE = 11_025;

    /** The seconds fingerprinted from the start of each file by default (docs/audio.md says why). */
    public static final int DEFAULT_SECONDS = 20;

    /** Files handed to the decoder at once by {@link #fingerprintAll}. */
    public static final int BATCH = 16;

    /** The longest window: an hour. */
    public static final int MAX_SECONDS = 3600;

    /** The sound one batch may hold, in seconds: 16 files of 20 s (about 7 MB of samples). */
    private static final int BATCH_SECONDS = BATCH * DEFAULT_SECONDS;

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final AudioDecoder decoder;
    private final Chromaprint chromaprint;
    private final int seconds;
    private final Duration timeout;

    private AudioFingerprinter(AudioDecoder decoder, Chromaprint chromaprint, int seconds, Duration timeout) {
        this.decoder = decoder;
        this.chromaprint = chromaprint;
        this.seconds = seconds;
        this.timeout = timeout;
    }

    /**
     * The fingerprinter of this system, over the first {@code seconds} of each file; empty when no decoder or
     * Chromaprint is usable ({@link #unavailableReason()} says which).
     */
    public static Optional<AudioFingerprinter> system(int seconds) {
        return system(seconds, DEFAULT_TIMEOUT);
    }

    /** Like {@link #system(int)}, stopping a decode that takes longer than {@code timeout}. */
    public static Optional<AudioFingerprinter> system(int seconds, Duration timeout) {
        if (seconds < 1 || seconds > MAX_SECONDS) {
            throw new IllegalArgumentException("fingerprint 1 to " + MAX_SECONDS + " seconds, not " + seconds);
        }
        Optional<Chromaprint> chromaprint = Chromaprint.load();
        Optional<AudioDecoder> decoder = Decoders.CHOSEN;
        if (chromaprint.isEmpty() || decoder.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new AudioFingerprinter(decoder.get(), chromaprint.get(), seconds, timeout));
    }

    /** Why there is no fingerprinter on this system (what to install); empty when there is one. */
    public static Optional<String> unavailableReason() {
        Optional<String> library = Chromaprint.failure();
        if (library.isPresent()) {
            return Optional.of("Chromaprint is not usable (" + library.get() + "); install libchromaprint1");
        }
        return Decoders.CHOSEN.isPresent() ? Optional.empty() : Optional.of(Decoders.whyNone());
    }

    /** The decoders on the class path and the one chosen, found once. */
    private static final class Decoders {
        static final List<AudioDecoder> ALL = Stream.concat(Stream.of(new FfmpegProgram()),
                        ServiceLoader.load(AudioDecoder.class, AudioDecoder.class.getClassLoader()).stream()
                                .map(ServiceLoader.Provider::get))
                .sorted(Comparator.comparingInt(AudioDecoder::priority).reversed()).toList();
        static final Optional<AudioDecoder> CHOSEN = choose(System.getProperty("cleanbackup.audio.decoder", ""));

        private static Optional<AudioDecoder> choose(String name) {
            return ALL.stream().filter(d -> name.isEmpty() || d.name().equals(name))
                    .filter(d -> d.unavailableReason().isEmpty()).findFirst();
        }

        static String whyNone() {
            String name = System.getProperty("cleanbackup.audio.decoder", "");
            List<AudioDecoder> asked = ALL.stream().filter(d -> name.isEmpty() || d.name().equals(name)).toList();
            if (asked.isEmpty()) {
                return "no audio decoder is named " + name + " (cleanbackup.audio.decoder)";
            }
            // the last resort's reason says what to install
            return asked.getLast().unavailableReason().orElse("no audio decoder");
        }
    }

    /** The seconds fingerprinted from the start of each file. */
    public int seconds() {
        return seconds;
    }

    /** The name of the fingerprint's definition, for caches: {@code chromaprint-v2-60s}. */
    public String algorithm() {
        return FingerprintEntries.algorithm(seconds);
    }

    /** {@code "Chromaprint 1.5.1 through libavcodec"}. */
    @Override
    public String toString() {
        return "Chromaprint " + chromaprint.version() + " through " + decoder.name();
    }

    /**
     * Decodes the first {@link #seconds()} of {@code file} and fingerprints them.
     *
     * @throws AudioDecodeException when it cannot be decoded (the message is one line, without the path) or takes
     *                              longer than the timeout
     * @throws IOException          when the decoder cannot be started
     */
    public AudioFingerprint fingerprint(Path file) throws IOException {
        Outcome outcome = fingerprintAll(List.of(file)).getFirst();
        if (outcome.failure().isPresent()) {
            throw outcome.failure().get();
        }
        return outcome.fingerprint().orElseThrow();
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
     * Fingerprints several files, handing them to the decoder {@link #BATCH} at a time, fewer for a window longer
     * than {@value #DEFAULT_SECONDS} s (the {@code ffmpeg} program decodes a batch in one process). One bad file costs
     * the others nothing.
     *
     * @return one outcome per file, in their order
     */
    public List<Outcome> fingerprintAll(List<Path> files) {
        List<Outcome> outcomes = new ArrayList<>();
        // a batch's sound is held at once: fewer files when the window is long
        int per = Math.clamp(BATCH_SECONDS / seconds, 1, BATCH);
        for (int from = 0; from < files.size(); from += per) {
            List<Path> batch = files.subList(from, Math.min(files.size(), from + per));
            for (AudioDecoder.Decoded decoded : decoder.decodeAll(batch, SAMPLE_RATE, seconds, timeout)) {
                outcomes.add(switch (decoded) {
                    case AudioDecoder.Sound sound -> new Outcome(sound.file(),
                            Optional.of(new AudioFingerprint(fingerprint(sound.samples()), sound.facts())),
                            Optional.empty());
                    case AudioDecoder.Failure failure -> new Outcome(failure.file(), Optional.empty(),
                            Optional.of(failure.reason()));
                });
            }
        }
        return outcomes;
    }

    private int[] fingerprint(short[] samples) {
        try (Chromaprint.Context context = chromaprint.open(SAMPLE_RATE); Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(ValueLayout.JAVA_SHORT, Math.max(1, samples.length));
            MemorySegment.copy(samples, 0, buffer, ValueLayout.JAVA_SHORT, 0, samples.length);
            if (samples.length > 0) {
                context.feed(buffer, samples.length);
            }
            return context.finish();
        }
    }
}
