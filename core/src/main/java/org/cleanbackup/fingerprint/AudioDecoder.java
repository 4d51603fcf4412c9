package org.cleanbackup.fingerprint;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Service-provider interface for an audio decoder: the start of audio files to 16-bit mono samples, for
 * {@link AudioFingerprinter}.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/org.cleanbackup.fingerprint.AudioDecoder}); the usable one of highest {@link #priority()}
 * decodes. The built-in last resort is {@code ffmpeg} (priority 0: the {@code ffmpeg} program, one process for a
 * batch of files); phash-native adds {@code libavcodec} (100: a worker program of ours on FFmpeg's libraries that
 * decodes file after file without starting again).
 *
 * <p>Contract: thread-safe; the public no-argument constructor never throws (it records why the decoder cannot work
 * and reports it from {@link #unavailableReason()}); a file that cannot be decoded is a {@link Failure}, never an
 * exception out of {@link #decodeAll}; a damaged or hostile file must not be able to crash the JVM (decode it in
 * another process) and never yields more than {@code sampleRate * seconds} samples.
 *
 * @since 0.4
 */
public interface AudioDecoder {

    /** A short name for listings and logs, lower case, e.g. {@code "ffmpeg"}. */
    String name();

    /** Higher is used first. */
    int priority();

    /** Why this decoder cannot run here (one line, saying what to install), or empty when it can. */
    Optional<String> unavailableReason();

    /**
     * Decodes the first {@code seconds} of each file to mono 16-bit samples at {@code sampleRate}, as
     * {@code ffmpeg -t SECONDS -ac 1 -ar RATE -f s16le} would.
     *
     * @param timeout the longest one file may take; a decode that takes longer is stopped and is a failure
     * @return one result per file, in their order
     */
    List<Decoded> decodeAll(List<Path> files, int sampleRate, int seconds, Duration timeout);

    /** A file's result: its sound, or why there is none. */
    sealed interface Decoded {
        /** The file. */
        Path file();
    }

    /**
     * The decoded start of a file.
     *
     * @param samples mono 16-bit samples, at most {@code sampleRate * seconds} (not copied)
     * @param facts   what the decoder read about the file
     */
    record Sound(Path file, short[] samples, AudioFacts facts) implements Decoded {
        public Sound {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(samples, "samples");
            Objects.requireNonNull(facts, "facts");
        }
    }

    /**
     * A file that could not be decoded.
     *
     * @param reason an {@link AudioDecodeException} with a one-line reason that does not repeat the path, or the
     *               {@link IOException} that kept the decoder from running
     */
    record Failure(Path file, IOException reason) implements Decoded {
        public Failure {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
