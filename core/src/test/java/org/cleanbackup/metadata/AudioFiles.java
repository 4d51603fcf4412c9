package org.cleanbackup.metadata;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real audio files for tests, made by the real {@code ffmpeg} (a test that needs one is skipped, with the reason,
 * where ffmpeg or one of its encoders is missing), and tags added by hand the way old taggers wrote them.
 */
public final class AudioFiles {

    /** The formats the payload reader knows, as file extensions, with the ffmpeg options that encode them. */
    public enum Kind {
        MP3("mp3", "-c:a", "libmp3lame", "-b:a", "128k"),
        FLAC("flac", "-c:a", "flac"),
        M4A("m4a", "-c:a", "aac", "-b:a", "96k"),
        OGG("ogg", "-c:a", "libvorbis"),
        OPUS("opus", "-c:a", "libopus"),
        WAV("wav", "-c:a", "pcm_s16le"),
        AIFF("aiff", "-c:a", "pcm_s16be");

        final String extension;
        final List<String> codec;

        Kind(String extension, String... codec) {
            this.extension = extension;
            this.codec = List.of(codec);
        }

        public String extension() {
            return extension;
        }
    }

    private AudioFiles() {
    }

    /** Whether ffmpeg runs here. */
    public static boolean ffmpegPresent() {
        try {
            return run(List.of("ffmpeg", "-version")) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Skips the calling test, saying why, when ffmpeg is missing. */
    public static void assumeFfmpeg() {
        assumeTrue(ffmpegPresent(), "ffmpeg is not installed: the audio files are made with it");
    }

    /**
     * A melody of two tones ({@code hz} and 1.5 x {@code hz}), {@code seconds} long, encoded as {@code kind} with
     * these tags; skips the test when ffmpeg cannot encode it here.
     */
    public static Path melody(Path file, Kind kind, int hz, double seconds, Map<String, String> tags)
            throws IOException {
        Files.createDirectories(file.getParent());
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y",
                "-f", "lavfi", "-i", "sine=frequency=" + hz + ":duration=" + seconds,
                "-f", "lavfi", "-i", "sine=frequency=" + (hz * 3 / 2) + ":duration=" + seconds,
                "-filter_complex", "amix=inputs=2", "-ar", "48000", "-ac", "2"));
        cmd.addAll(kind.codec);
        tags.forEach((k, v) -> cmd.addAll(List.of("-metadata", k + "=" + v)));
        cmd.add(file.toString());
        assumeTrue(run(cmd) == 0, "this ffmpeg cannot encode " + kind + " (" + String.join(" ", kind.codec) + ")");
        return file;
    }

    /** A copy of {@code source} with its tags replaced by {@code tags} and the audio copied ({@code -c copy}). */
    public static Path retag(Path source, Path copy, Map<String, String> tags) throws IOException {
        Files.createDirectories(copy.getParent());
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y", "-i", source.toString(),
                "-c", "copy", "-map_metadata", "-1"));
        tags.forEach((k, v) -> cmd.addAll(List.of("-metadata", k + "=" + v)));
        cmd.add(copy.toString());
        if (run(cmd) != 0) {
            throw new IOException("ffmpeg could not re-tag " + source);
        }
        return copy;
    }

    /** An ID3v1 tag (128 bytes) with this title. */
    public static byte[] id3v1(String title) {
        byte[] tag = new byte[128];
        tag[0] = 'T';
        tag[1] = 'A';
        tag[2] = 'G';
        byte[] t = title.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(t, 0, tag, 3, Math.min(30, t.length));
        byte[] artist = "Someone".getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(artist, 0, tag, 33, artist.length);
        tag[127] = (byte) 255; // no genre
        return tag;
    }

    /** An APEv2 tag with a header and a footer, holding these items. */
    public static byte[] apeV2(Map<String, String> items) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        items.forEach((k, v) -> {
            byte[] value = v.getBytes(StandardCharsets.UTF_8);
            writeLe(body, value.length);
            writeLe(body, 0);
            body.writeBytes(k.getBytes(StandardCharsets.US_ASCII));
            body.write(0);
            body.writeBytes(value);
        });
        int size = body.size() + 32;
        ByteArrayOutputStream tag = new ByteArrayOutputStream();
        apeHeader(tag, size, items.size(), 0xA0000000); // header present, this is the header
        tag.writeBytes(body.toByteArray());
        apeHeader(tag, size, items.size(), 0x80000000); // header present, this is the footer
        return tag.toByteArray();
    }

    private static void apeHeader(ByteArrayOutputStream out, int size, int items, int flags) {
        out.writeBytes("APETAGEX".getBytes(StandardCharsets.US_ASCII));
        writeLe(out, 2000);
        writeLe(out, size);
        writeLe(out, items);
        writeLe(out, flags);
        out.writeBytes(new byte[8]);
    }

    /** A Lyrics3 v2 tag with these lyrics. */
    public static byte[] lyrics3v2(String lyrics) {
        String field = "LYR" + String.format("%05d", lyrics.length()) + lyrics;
        String body = "LYRICSBEGIN" + "IND00002" + "10" + field;
        return (body + String.format("%06d", body.length()) + "LYRICS200").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void writeLe(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }

    /** {@code file} with {@code tail} appended, as a new file. */
    public static Path appended(Path file, Path copy, byte[]... tails) throws IOException {
        Files.createDirectories(copy.getParent());
        Files.copy(file, copy);
        for (byte[] tail : tails) {
            Files.write(copy, tail, java.nio.file.StandardOpenOption.APPEND);
        }
        return copy;
    }

    private static int run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("ffmpeg did not finish: " + cmd);
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
