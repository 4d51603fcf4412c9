package org.cleanbackup.compress.internal;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.cleanbackup.compress.CompressionException;
import org.cleanbackup.compress.CompressionLevel;
import org.cleanbackup.compress.Compressor;
import org.cleanbackup.model.MediaType;

/**
 * Re-encodes videos to H.264 and AAC in an MP4 container with the {@code ffmpeg} program, keeping the rotation, the
 * container metadata (creation time, GPS location, camera make and model) and the stream metadata. Not API: found
 * through {@link org.cleanbackup.compress.Compressors}.
 *
 * <p>The programs are looked up on the {@code PATH}; the system properties {@code cleanbackup.ffmpeg} and
 * {@code cleanbackup.ffprobe} name other ones.
 */
public final class VideoCompressor implements Compressor {

    /*
     * -noautorotate: ffmpeg would otherwise turn the pixels upright and drop the display matrix; keeping the matrix
     * keeps the video exactly as the camera stored it (no rescaling of a rotated frame) and every player honours it.
     * -map_metadata 0 with +use_metadata_tags: the QuickTime keys (com.apple.quicktime.location.ISO6709,
     * creationdate, make, model) survive; without the flag the MP4 muxer drops keys it has no atom for.
     * -map 0:V:0 (capital V: not a cover picture) and 0:a?: the main picture and every sound track. Data tracks
     * (timecode, Apple's live-photo metadata) and subtitles are not carried over; docs/compress.md says so.
     * Sound that is already AAC is copied, not re-encoded: a second lossy pass costs quality and saves little.
     * 10-bit and HDR sources are refused: 8-bit H.264 would band and wash out their colours, and the x264 10-bit
     * profile plays almost nowhere.
     * The output is probed before it is accepted: it must hold H.264 and last as long as the source (within 10 %
     * and half a second), because ffmpeg exits 0 on many damaged inputs after encoding only their first part.
     */

    private static final Set<String> KEEP_NAME = Set.of("mp4", "m4v", "mov", "3gp", "3g2");
    private static final int STDERR_LINES = 5;

    private final String ffmpeg;
    private final String ffprobe;
    private volatile Optional<String> unavailable;

    /** Uses {@code ffmpeg} and {@code ffprobe} from the PATH, or the system properties' programs. */
    public VideoCompressor() {
        this(System.getProperty("cleanbackup.ffmpeg", "ffmpeg"), System.getProperty("cleanbackup.ffprobe", "ffprobe"));
    }

    VideoCompressor(String ffmpeg, String ffprobe) {
        this.ffmpeg = ffmpeg;
        this.ffprobe = ffprobe;
    }

    @Override
    public String name() {
        return "video";
    }

    @Override
    public MediaType mediaType() {
        return MediaType.VIDEO;
    }

    @Override
    public Set<String> extensions() {
        return MediaType.VIDEO.extensions();
    }

    /** {@code .mov}, {@code .3gp} and {@code .m4v} keep their names (the same ISO file family); others become {@code .mp4}. */
    @Override
    public String targetFileName(String sourceFileName) {
        String ext = MediaType.extensionOf(sourceFileName);
        if (ext.equals("mp4") || KEEP_NAME.contains(ext)) {
            return sourceFileName;
        }
        int dot = sourceFileName.lastIndexOf('.');
        return (dot <= 0 ? sourceFileName : sourceFileName.substring(0, dot)) + ".mp4";
    }

    @Override
    public Optional<String> unavailableReason() {
        Optional<String> known = unavailable;
        if (known == null) {
            known = check();
            unavailable = known;
        }
        return known;
    }

    private Optional<String> check() {
        try {
            Result encoders = run(List.of(ffmpeg, "-hide_banner", "-nostdin", "-encoders"), 200);
            if (encoders.exitCode() != 0) {
                return Optional.of(ffmpeg + " does not run (exit code " + encoders.exitCode() + ")");
            }
            String all = String.join("\n", encoders.lines());
            if (!all.contains(" libx264 ")) {
                return Optional.of(ffmpeg + " has no H.264 encoder (libx264); videos need an ffmpeg built with it");
            }
            if (!all.contains(" aac ")) {
                return Optional.of(ffmpeg + " has no AAC encoder");
            }
            Result probe = run(List.of(ffprobe, "-version"), 2);
            if (probe.exitCode() != 0) {
                return Optional.of(ffprobe + " does not run (exit code " + probe.exitCode() + ")");
            }
            return Optional.empty();
        } catch (IOException e) {
            String which = e.getMessage() != null && e.getMessage().contains(ffprobe) ? ffprobe : ffmpeg;
            return Optional.of(which + " is not installed (not found on the PATH): videos need ffmpeg"
                    + " (Debian/Ubuntu: apt-get install ffmpeg)");
        }
    }

    /** What ffprobe says about a file: one map per stream, and the duration in seconds (or -1). */
    record Probe(List<Map<String, String>> streams, double duration) {

        Optional<Map<String, String>> firstVideo() {
            return streams.stream().filter(s -> "video".equals(s.get("codec_type"))).findFirst();
        }

        List<Map<String, String>> audio() {
            return streams.stream().filter(s -> "audio".equals(s.get("codec_type"))).toList();
        }
    }

    @Override
    public void compress(Path source, Path target, CompressionLevel level) throws IOException {
        Optional<String> reason = unavailableReason();
        if (reason.isPresent()) {
            throw CompressionException.unsupported(reason.get());
        }
        Probe in = probe(source, "damaged: ffprobe cannot read it");
        Map<String, String> video = in.firstVideo()
                .orElseThrow(() -> CompressionException.unsupported("no video stream: not re-encoded"));
        String pixFmt = video.getOrDefault("pix_fmt", "");
        String transfer = video.getOrDefault("color_transfer", "");
        if (pixFmt.matches(".*(p1[0-6]|p0[1-9]).*") || transfer.equals("smpte2084") || transfer.equals("arib-std-b67")) {
            throw CompressionException.unsupported("10-bit or HDR video (" + pixFmt + ", " + transfer
                    + "): 8-bit H.264 would lose its colours; not re-encoded");
        }
        List<String> command = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-nostats",
                "-loglevel", "error", "-n", "-noautorotate", "-i", source.toString(),
                "-map", "0:V:0", "-map", "0:a?", "-map_metadata", "0",
                "-c:v", "libx264", "-preset", "medium", "-crf", Integer.toString(level.crf())));
        if (!pixFmt.equals("yuvj420p")) {
            command.addAll(List.of("-pix_fmt", "yuv420p")); // 4:2:2 and 4:4:4 H.264 profiles play almost nowhere
        }
        boolean allAac = !in.audio().isEmpty() && in.audio().stream().allMatch(a -> "aac".equals(a.get("codec_name")));
        if (allAac) {
            command.addAll(List.of("-c:a", "copy"));
        } else {
            command.addAll(List.of("-c:a", "aac", "-b:a", level.audioKbps() + "k"));
        }
        command.addAll(List.of("-movflags", "+faststart+use_metadata_tags",
                // the source's brand tags describe its own file type, not the MP4 written here
                "-metadata", "major_brand=", "-metadata", "minor_version=", "-metadata", "compatible_brands=",
                "-f", "mp4", target.toString()));
        Result result = run(command, STDERR_LINES);
        if (result.lines().stream().anyMatch(l -> l.contains("No space left on device")
                || l.contains("Disk quota exceeded"))) {
            throw new org.cleanbackup.compress.DiskFullException(target.toString());
        }
        if (result.exitCode() != 0) {
            throw CompressionException.failed("ffmpeg exited with code " + result.exitCode() + ": "
                    + String.join(" / ", result.lines()));
        }
        if (!Files.isRegularFile(target) || Files.size(target) == 0) {
            throw CompressionException.failed("ffmpeg exited 0 but wrote nothing");
        }
        Probe out = probe(target, "ffmpeg's output cannot be read back");
        if (out.firstVideo().map(v -> !"h264".equals(v.get("codec_name"))).orElse(true)) {
            throw CompressionException.failed("ffmpeg's output holds no H.264 video");
        }
        if (in.duration() > 0 && out.duration() < in.duration() * 0.9 - 0.5) {
            throw CompressionException.failed(String.format(Locale.ROOT,
                    "damaged: only %.1f s of %.1f s could be encoded", out.duration(), in.duration()));
        }
        Outputs.force(target);
    }

    private Probe probe(Path file, String failure) throws IOException {
        Result r = run(List.of(ffprobe, "-v", "error", "-show_entries",
                "stream=codec_type,codec_name,pix_fmt,color_transfer:format=duration", "-of", "compact=p=0",
                file.toString()), 200);
        if (r.exitCode() != 0) {
            List<String> tail = r.lines().subList(Math.max(0, r.lines().size() - STDERR_LINES), r.lines().size());
            throw CompressionException.failed(failure + ": " + String.join(" / ", tail));
        }
        List<Map<String, String>> streams = new ArrayList<>();
        double duration = -1;
        for (String line : r.lines()) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String pair : line.split("\\|")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    fields.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
            if (fields.containsKey("codec_type")) {
                streams.add(fields);
            } else if (fields.containsKey("duration")) {
                try {
                    duration = Double.parseDouble(fields.get("duration"));
                } catch (NumberFormatException e) {
                    duration = -1; // "N/A" for streams without a known length
                }
            }
        }
        return new Probe(streams, duration);
    }

    /** A finished program: its exit code and the last lines it printed. */
    record Result(int exitCode, List<String> lines) {
    }

    /** Runs a program to its end, keeping the last {@code keep} lines of its (merged) output. */
    static Result run(List<String> command, int keep) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process = builder.start();
        Deque<String> last = new ArrayDeque<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    last.addLast(line.strip());
                    if (last.size() > keep) {
                        last.removeFirst();
                    }
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
            }
            return new Result(process.waitFor(), List.copyOf(last));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("stopped while " + command.getFirst() + " was running");
        } finally {
            if (process.isAlive()) {
                // a stopped run must not leave an encoder writing to a file that is about to be deleted
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
