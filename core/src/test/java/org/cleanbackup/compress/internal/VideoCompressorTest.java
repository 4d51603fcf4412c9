package org.cleanbackup.compress.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.cleanbackup.compress.CompressionException;
import org.cleanbackup.compress.CompressionLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VideoCompressorTest {

    private static final String NO_FFMPEG = "needs ffmpeg and ffprobe on the PATH (CI installs the Debian package"
            + " 'ffmpeg'); without them videos are skipped, which the no-ffmpeg tests cover";

    @TempDir
    Path dir;

    private final VideoCompressor video = new VideoCompressor();

    private static String probe(Path file, String entries) throws IOException, InterruptedException {
        return MediaFixtures.run(List.of("ffprobe", "-v", "error", "-show_entries", entries, "-of", "compact=p=0",
                file.toString()));
    }

    /** The top-level box types of an MP4, in order. */
    private static List<String> topLevelBoxes(Path file) throws IOException {
        List<String> boxes = new ArrayList<>();
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long pos = 0;
            while (pos + 8 <= f.length()) {
                f.seek(pos);
                long size = f.readInt() & 0xFFFFFFFFL;
                byte[] type = new byte[4];
                f.readFully(type);
                boxes.add(new String(type, StandardCharsets.ISO_8859_1));
                if (size == 1) {
                    size = f.readLong();
                } else if (size == 0) {
                    break;
                }
                pos += size;
            }
        }
        return boxes;
    }

    private void assertValidFastStartMp4(Path out) throws Exception {
        assertThat(probe(out, "stream=codec_type,codec_name")).contains("codec_name=h264|codec_type=video")
                .contains("codec_name=aac|codec_type=audio");
        List<String> boxes = topLevelBoxes(out);
        assertThat(boxes.getFirst()).isEqualTo("ftyp");
        assertThat(boxes.indexOf("moov")).as("faststart: the index comes before the media data " + boxes)
                .isLessThan(boxes.indexOf("mdat"));
        assertThat(probe(out, "format=format_name")).contains("mp4");
    }

    @Test
    void aTestVideoBecomesASmallerFastStartH264AacMp4WithItsCreationDate() throws Exception {
        assumeTrue(MediaFixtures.installed("ffmpeg") && MediaFixtures.installed("ffprobe"), NO_FFMPEG);
        Path original = MediaFixtures.testVideo(dir, "clip.mov", 2);
        Path out = dir.resolve("clip.part");

        video.compress(original, out, CompressionLevel.BALANCED);

        assertThat(Files.size(out)).isLessThan(Files.size(original));
        assertValidFastStartMp4(out);
        assertThat(probe(out, "format_tags=creation_time")).contains("creation_time=2021-06-15T10:20:30");
    }

    @ParameterizedTest(name = "rotation, GPS and dates of an iPhone clip kept ({0})")
    @ValueSource(strings = {"resource", "corpus mov", "corpus mp4"})
    void phoneClipsKeepRotationLocationAndDates(String which) throws Exception {
        assumeTrue(MediaFixtures.installed("ffmpeg") && MediaFixtures.installed("ffprobe"), NO_FFMPEG);
        Path original = switch (which) {
            case "resource" -> {
                Path p = dir.resolve("iphone.mov");
                Files.write(p, MediaFixtures.resource("/compress/iphone-rotated-gps.mov"));
                yield p;
            }
            case "corpus mov" -> MediaFixtures.CORPUS.resolve("video/with-gps.mov");
            default -> MediaFixtures.CORPUS.resolve("video/with-gps.mp4");
        };
        assumeTrue(Files.exists(original), "needs the shared corpus (absent on a user's clone): " + original);
        Path out = dir.resolve("phone.part");

        video.compress(original, out, CompressionLevel.SMALL);

        assertValidFastStartMp4(out);
        String tagsBefore = probe(original, "format_tags");
        String tagsAfter = probe(out, "format_tags");
        for (String key : List.of("creation_time", "com.apple.quicktime.location.ISO6709",
                "com.apple.quicktime.creationdate", "location")) {
            String line = tagsBefore.lines().flatMap(l -> java.util.Arrays.stream(l.split("\\|")))
                    .filter(f -> f.startsWith("tag:" + key + "=")).findFirst().orElse(null);
            if (line != null) {
                assertThat(tagsAfter).as(key).contains(line);
            }
        }
        String rotationBefore = probe(original, "stream_side_data=rotation");
        if (rotationBefore.contains("rotation=")) {
            assertThat(probe(out, "stream_side_data=rotation")).contains(rotationBefore.strip());
        }
    }

    @Test
    void withoutFfmpegVideosAreUnavailableWithTheReason() {
        VideoCompressor missing = new VideoCompressor(dir.resolve("no-such-ffmpeg").toString(), "ffprobe");
        assertThat(missing.unavailableReason()).get().asString().contains("not installed").contains("ffmpeg");
        assertThatThrownBy(() -> missing.compress(dir.resolve("a.mp4"), dir.resolve("a.part"), CompressionLevel.BALANCED))
                .isInstanceOfSatisfying(CompressionException.class, e -> assertThat(e.isUnsupported()).isTrue());
    }

    /** A stand-in for ffmpeg that claims the encoders, then fails the way it is told to. */
    private Path fakeFfmpeg(String failure) throws IOException {
        Path script = dir.resolve("fake-ffmpeg");
        Files.writeString(script, """
                #!/bin/sh
                case "$*" in *-encoders*) echo " V....D libx264  H.264"; echo " A..... aac  AAC"; exit 0;; esac
                echo "[mp4 @ 0x1] some earlier line"
                echo "%s"
                exit 1
                """.formatted(failure));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Test
    void ffmpegExitingNonZeroPutsItsLastLinesInTheMessage() throws Exception {
        assumeTrue(MediaFixtures.installed("ffmpeg") && MediaFixtures.installed("ffprobe"), NO_FFMPEG);
        Path original = MediaFixtures.testVideo(dir, "clip.mov", 1);
        VideoCompressor failing = new VideoCompressor(fakeFfmpeg("Error while opening encoder for output stream #0:0").toString(),
                "ffprobe");
        assertThatThrownBy(() -> failing.compress(original, dir.resolve("clip.part"), CompressionLevel.BALANCED))
                .isInstanceOfSatisfying(CompressionException.class, e -> assertThat(e.isUnsupported()).isFalse())
                .hasMessageContaining("ffmpeg exited with code 1")
                .hasMessageContaining("Error while opening encoder for output stream #0:0")
                .hasMessageContaining("some earlier line");
    }

    @Test
    void aFullDiskReportedByFfmpegIsAFileSystemError() throws Exception {
        assumeTrue(MediaFixtures.installed("ffmpeg") && MediaFixtures.installed("ffprobe"), NO_FFMPEG);
        Path original = MediaFixtures.testVideo(dir, "clip.mov", 1);
        VideoCompressor full = new VideoCompressor(fakeFfmpeg("av_interleaved_write_frame(): No space left on device")
                .toString(), "ffprobe");
        assertThatThrownBy(() -> full.compress(original, dir.resolve("clip.part"), CompressionLevel.BALANCED))
                .isInstanceOf(FileSystemException.class).hasMessageContaining("No space left on device");
    }

    @Test
    void aDamagedVideoIsReportedWithFfprobesWords() throws Exception {
        assumeTrue(MediaFixtures.installed("ffmpeg") && MediaFixtures.installed("ffprobe"), NO_FFMPEG);
        Path junk = dir.resolve("broken.mp4");
        Files.write(junk, new byte[4096]);
        assertThatThrownBy(() -> video.compress(junk, dir.resolve("broken.part"), CompressionLevel.BALANCED))
                .isInstanceOfSatisfying(CompressionException.class, e -> assertThat(e.isUnsupported()).isFalse())
                .hasMessageStartingWith("damaged: ffprobe cannot read it: ");
        assertThat(dir.resolve("broken.part")).doesNotExist();
    }

    @Test
    void containersOutsideTheMp4FamilyAreRenamedToMp4() {
        assertThat(video.targetFileName("IMG_1.MOV")).isEqualTo("IMG_1.MOV");
        assertThat(video.targetFileName("clip.mp4")).isEqualTo("clip.mp4");
        assertThat(video.targetFileName("old.avi")).isEqualTo("old.mp4");
        assertThat(video.targetFileName("cam.MTS")).isEqualTo("cam.mp4");
    }
}
