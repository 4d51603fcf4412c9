package org.cleanbackup.phash.nativ;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import org.cleanbackup.fingerprint.AudioDecodeException;
import org.cleanbackup.fingerprint.AudioDecoder;
import org.cleanbackup.internal.NativeLib;

/**
 * The {@code libavcodec} audio decoder: a small program of ours on FFmpeg's libraries ({@code cleanbackup-audio-decode},
 * built from cleanbackup_audio.c into this jar) decodes file after file in one long-lived process per thread, so
 * the 45 ms an {@code ffmpeg} process costs to start is paid once, not per batch; it gives the same samples as
 * {@code ffmpeg -ac 1 -ar RATE}. A damaged file that crashes a decoder ends that worker only: the file is named in
 * a one-line failure and a new worker takes the next file.
 *
 * <p>A file is blamed for a crash (SIGSEGV and the like, remembered as its problem) only when it crashed a worker that
 * had decoded nothing before; a worker that dies otherwise (killed from outside, a broken answer, a crash on a file
 * after others) has its file tried once more on a new worker, and a second death is reported as an error that is not
 * remembered, so the next run tries again. The worker stops a file that runs past the timeout itself and goes on;
 * one that does not answer soon after is killed, and that file is not retried. A worker found idle for more than
 * {@value #MAX_IDLE_SECONDS} s when files come is ended (each also ends itself after 30 s alone).
 *
 * @since 0.4
 */
public final class NativeAudioDecoder implements AudioDecoder {

    static final String PROGRAM = "cleanbackup-audio-decode";
    /** The temporary folders the program is copied into: cleanbackup-audio-PID-RANDOM. */
    private static final String FOLDER = "cleanbackup-audio-";
    private static final int PROTOCOL_VERSION = 2;
    static final int MAX_IDLE_SECONDS = 10;

    /** Workers waiting for files, the last returned first (package-private for the tests). */
    static final ConcurrentLinkedDeque<AudioWorker> IDLE = new ConcurrentLinkedDeque<>();

    /** Finds the worker program (copied out of the jar once) and checks that it runs; never throws. */
    public NativeAudioDecoder() {
        Program.failure();
    }

    @Override
    public String name() {
        return "libavcodec";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Program.failure();
    }

    @Override
    public List<Decoded> decodeAll(List<Path> files, int sampleRate, int seconds, Duration timeout) {
        if (Program.PATH.isEmpty()) {
            throw new IllegalStateException("the libavcodec decoder is unavailable: " + Program.failure().orElse(""));
        }
        List<Decoded> decoded = new ArrayList<>(files.size());
        AudioWorker worker = null;
        boolean inStep = false; // false while an exception leaves the worker's conversation half done
        try {
            for (Path file : files) {
                Decoded result = null;
                for (int attempt = 0; result == null; attempt++) {
                    try {
                        if (worker == null) { // a retry goes to a new worker, never to another used one
                            worker = attempt == 0 ? take() : AudioWorker.start(Program.PATH.get());
                        }
                    } catch (IOException e) {
                        result = new Failure(file, e);
                        break;
                    }
                    boolean fresh = worker.decoded() == 0;
                    try {
                        result = worker.decode(file, sampleRate, seconds, timeout);
                    } catch (AudioWorker.Died died) {
                        worker.close();
                        worker = null;
                        // the file's fault only when it ran out of time, or a worker crashed on its first file;
                        // else once more on a new worker, then an error not remembered as the file's
                        boolean fileAtFault = died.kind() == AudioWorker.Died.Kind.TIMED_OUT
                                || died.kind() == AudioWorker.Died.Kind.CRASHED && fresh;
                        if (fileAtFault) {
                            result = new Failure(file, new AudioDecodeException(died.getMessage()));
                        } else if (attempt > 0) {
                            result = new Failure(file, new IOException(died.getMessage()));
                        }
                    }
                }
                decoded.add(result);
            }
            inStep = true;
        } finally {
            if (worker != null) {
                if (inStep) {
                    IDLE.push(worker);
                } else {
                    worker.close();
                }
            }
        }
        return decoded;
    }

    /** {@code "60 s"}, or {@code "300 ms"} below a second. */
    static String duration(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /**
     * Removes the program folders in {@code tmp} of JVMs that are gone (killed, so their exit hooks did not run): ours
     * by name, real folders owned by this user, named after a pid no longer running. Anything else, or any doubt,
     * is left alone.
     */
    static void removeLeftovers(Path tmp) {
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(tmp, FOLDER + "*")) {
            UserPrincipal me = tmp.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name"));
            for (Path folder : folders) {
                String rest = folder.getFileName().toString().substring(FOLDER.length());
                int dash = rest.indexOf('-');
                if (dash < 1 || dash > 18 || !rest.substring(0, dash).chars().allMatch(Character::isDigit)
                        || ProcessHandle.of(Long.parseLong(rest.substring(0, dash))).isPresent()
                        || !Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
                        || !me.equals(Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS))) {
                    continue;
                }
                try {
                    Files.deleteIfExists(folder.resolve(PROGRAM));
                    Files.deleteIfExists(folder); // fails, and stays, when it holds anything else
                } catch (IOException e) {
                    // the next folder
                }
            }
        } catch (IOException | RuntimeException e) {
            // a leftover is 30 KB of temporary files: never a reason not to decode
        }
    }

    /** An idle worker still fit for use, or a new one; the unfit are ended on the way. */
    private static AudioWorker take() throws IOException {
        for (AudioWorker w = IDLE.poll(); w != null; w = IDLE.poll()) {
            if (w.usable(Duration.ofSeconds(MAX_IDLE_SECONDS))) {
                return w;
            }
            w.close();
        }
        return AudioWorker.start(Program.PATH.orElseThrow());
    }

    /**
     * The worker program, copied out of the jar into a private temporary folder once per JVM (a jar's entries cannot
     * be run where they are) and run once with {@code --version} to see that it starts: its libraries present, the
     * folder not mounted noexec.
     */
    private static final class Program {
        static final Optional<Path> PATH;
        private static final Optional<String> FAILURE;

        static {
            Path path = null;
            String failure;
            try {
                path = extract();
                failure = check(path);
            } catch (IOException | NativeLib.Unavailable | UnsupportedOperationException e) {
                failure = "cannot set up " + PROGRAM + ": " + e.getMessage();
            }
            PATH = failure == null ? Optional.of(path) : Optional.empty();
            FAILURE = Optional.ofNullable(failure);
        }

        static Optional<String> failure() {
            return FAILURE;
        }

        private static Path extract() throws IOException, NativeLib.Unavailable {
            try (InputStream program = NativeLibrary.artifact(PROGRAM, "audio worker")) {
                removeLeftovers(Path.of(System.getProperty("java.io.tmpdir")));
                // the JVM's pid in the name: a folder left by a JVM killed before its exit hooks ran is found
                // and removed by the next one
                Path folder = Files.createTempDirectory(FOLDER + ProcessHandle.current().pid() + "-"); // 0700
                folder.toFile().deleteOnExit();
                Path file = folder.resolve(PROGRAM);
                file.toFile().deleteOnExit(); // registered after its folder, so deleted before it
                Files.copy(program, file);
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r-x------"));
                return file;
            }
        }

        /** Null when the program runs and speaks our protocol, else why not. */
        private static String check(Path program) throws IOException {
            Process p = new ProcessBuilder(program.toString(), "--version").redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.DISCARD.file()).start();
            String said = new String(p.getInputStream().readNBytes(4096), StandardCharsets.UTF_8).strip();
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return PROGRAM + " does not answer";
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                return "interrupted while checking " + PROGRAM;
            }
            if (p.exitValue() != 0 || !said.startsWith(PROGRAM + " " + PROTOCOL_VERSION + " ")) {
                String line = said.lines().findFirst().orElse("");
                return PROGRAM + " does not run here (exit code " + p.exitValue() + (line.isEmpty() ? "" : ": " + line)
                        + "; are FFmpeg's libraries installed? apt-get install ffmpeg)";
            }
            return null;
        }
    }
}
