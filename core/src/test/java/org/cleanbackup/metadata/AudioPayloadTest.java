package org.cleanbackup.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.cleanbackup.internal.ByteRanges;
import org.cleanbackup.internal.hash.ContentReader;
import org.cleanbackup.metadata.AudioFiles.Kind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Real files of every format from ffmpeg, re-tagged by ffmpeg and by hand, and the same files broken. */
class AudioPayloadTest {

    @TempDir
    static Path dir;

    private static final Map<String, String> TAGS = Map.of("title", "Song", "artist", "Band");
    private static final Map<String, String> OTHER_TAGS = new LinkedHashMap<>(Map.of("title",
            "Song (a much longer title that a tagger wrote)", "artist", "Band", "album", "Album", "genre", "Rock",
            "date", "2001", "track", "3"));

    @BeforeAll
    static void ffmpeg() {
        AudioFiles.assumeFfmpeg();
    }

    private static Path original(Kind kind) throws IOException {
        Path file = dir.resolve("a/song." + kind.extension());
        return Files.exists(file) ? file : AudioFiles.melody(file, kind, 440, 1.5, TAGS);
    }

    static byte[] payloadBytes(Path file) throws IOException {
        AudioPayload.Found found = AudioPayload.of(file);
        assertThat(found).as("payload of " + file).isNotNull();
        ByteRanges r = found.ranges();
        byte[] all = Files.readAllBytes(file);
        byte[] out = new byte[Math.toIntExact(r.length())];
        int at = 0;
        for (int i = 0; i < r.count(); i++) {
            System.arraycopy(all, (int) r.offset(i), out, at, (int) r.length(i));
            at += (int) r.length(i);
        }
        return out;
    }

    @ParameterizedTest(name = "{0}: a copy re-tagged by ffmpeg has the same payload, other bytes")
    @EnumSource(Kind.class)
    void retaggedCopyHasTheSamePayload(Kind kind) throws IOException {
        Path a = original(kind);
        Path b = AudioFiles.retag(a, dir.resolve("b/song." + kind.extension()), OTHER_TAGS);
        assertThat(Files.readAllBytes(b)).isNotEqualTo(Files.readAllBytes(a));
        AudioPayload.Found found = AudioPayload.of(a);
        assertThat(found.ranges().isWhole(Files.size(a))).isFalse();
        assertThat(found.ranges().length()).isGreaterThan(Files.size(a) / 2); // the sound, not a tag
        assertThat(payloadBytes(b)).isEqualTo(payloadBytes(a));
        assertThat(ContentReader.sameBytes(a, found.ranges(), b, AudioPayload.of(b).ranges())).isTrue();
    }

    @ParameterizedTest(name = "{0}: other audio with the same tags has another payload")
    @EnumSource(Kind.class)
    void otherAudioWithTheSameTagsDiffers(Kind kind) throws IOException {
        Path a = original(kind);
        Path other = AudioFiles.melody(dir.resolve("c/other." + kind.extension()), kind, 523, 1.5, TAGS);
        assertThat(payloadBytes(other)).isNotEqualTo(payloadBytes(a));
        assertThat(ContentReader.sameBytes(a, AudioPayload.of(a).ranges(), other, AudioPayload.of(other).ranges()))
                .isFalse();
    }

    @ParameterizedTest(name = "{0}: the format is recognised")
    @EnumSource(Kind.class)
    void formatIsRecognised(Kind kind) throws IOException {
        AudioPayload.Format expected = switch (kind) {
            case MP3 -> AudioPayload.Format.MP3;
            case FLAC -> AudioPayload.Format.FLAC;
            case M4A -> AudioPayload.Format.MP4;
            case OGG -> AudioPayload.Format.OGG_VORBIS;
            case OPUS -> AudioPayload.Format.OGG_OPUS;
            case WAV -> AudioPayload.Format.WAV;
            case AIFF -> AudioPayload.Format.AIFF;
        };
        AudioPayload.Found found = AudioPayload.of(original(kind));
        assertThat(found.format()).isEqualTo(expected);
        if (kind == Kind.FLAC) {
            assertThat(found.samplesMd5()).as("ffmpeg's FLAC encoder sets STREAMINFO's MD5").hasSize(32);
        }
    }

    @Test
    void mp3WithId3v1ApeAndLyrics3AddedByHandHasTheSamePayload() throws IOException {
        Path a = original(Kind.MP3);
        Path v1 = AudioFiles.appended(a, dir.resolve("hand/v1.mp3"), AudioFiles.id3v1("Hand tagged"));
        Path ape = AudioFiles.appended(a, dir.resolve("hand/ape.mp3"),
                AudioFiles.apeV2(Map.of("Title", "Song", "Album", "By hand")), AudioFiles.id3v1("x"));
        Path lyrics = AudioFiles.appended(a, dir.resolve("hand/lyrics.mp3"), AudioFiles.lyrics3v2("la la la"),
                AudioFiles.apeV2(Map.of("Genre", "Pop")), AudioFiles.id3v1("y"));
        for (Path copy : new Path[] {v1, ape, lyrics}) {
            assertThat(payloadBytes(copy)).as(copy.toString()).isEqualTo(payloadBytes(a));
        }
        // the hand-made tags count too
        assertThat(AudioTags.of(ape).fields()).isGreaterThan(AudioTags.of(a).fields());
    }

    @ParameterizedTest(name = "{0}: fuller tags score higher")
    @EnumSource(value = Kind.class, names = {"MP3", "FLAC", "M4A", "OGG", "OPUS"})
    void fullerTagsScoreHigher(Kind kind) throws IOException {
        Path a = original(kind);
        Path fuller = AudioFiles.retag(a, dir.resolve("full/song." + kind.extension()), OTHER_TAGS);
        Path bare = AudioFiles.retag(a, dir.resolve("bare/song." + kind.extension()), Map.of());
        AudioTags tags = AudioTags.of(fuller);
        assertThat(tags.fields()).as("title, artist, album, genre, date, track").isEqualTo(6);
        assertThat(AudioTags.of(a).fields()).isEqualTo(2);
        assertThat(AudioTags.of(bare).fields()).isZero();
    }

    @ParameterizedTest(name = "{0}: cut short anywhere, the reader answers or refuses, never more")
    @EnumSource(Kind.class)
    void truncatedFilesAreRefusedOrRead(Kind kind) throws IOException {
        byte[] whole = Files.readAllBytes(original(kind));
        Path cut = dir.resolve("cut/song." + kind.extension());
        Files.createDirectories(cut.getParent());
        for (int length : new int[] {0, 3, 11, 12, 20, 40, 100, 300, 1000, 5000, whole.length / 2, whole.length - 1}) {
            Files.write(cut, Arrays.copyOf(whole, Math.min(length, whole.length)));
            assertBoundedAnswer(cut);
        }
    }

    @ParameterizedTest(name = "{0}: random bytes changed in the first kilobytes")
    @EnumSource(Kind.class)
    void corruptHeadersAreRefusedOrRead(Kind kind) throws IOException {
        byte[] whole = Files.readAllBytes(original(kind));
        Path bad = dir.resolve("bad/song." + kind.extension());
        Files.createDirectories(bad.getParent());
        Random random = new Random(kind.ordinal());
        for (int round = 0; round < 200; round++) {
            byte[] copy = whole.clone();
            for (int i = 0; i < 4; i++) {
                int at = random.nextInt(Math.min(copy.length, 4096));
                copy[at] = (byte) (random.nextBoolean() ? 0xFF : random.nextInt(256));
            }
            Files.write(bad, copy);
            assertBoundedAnswer(bad);
        }
    }

    /** The reader answers with ranges inside the file, or null, or refuses in one line; and AudioTags never throws. */
    private static void assertBoundedAnswer(Path file) throws IOException {
        long size = Files.size(file);
        try {
            AudioPayload.Found found = AudioPayload.of(file);
            if (found != null) {
                ByteRanges r = found.ranges();
                for (int i = 0; i < r.count(); i++) {
                    assertThat(r.offset(i) + r.length(i)).isLessThanOrEqualTo(size);
                }
            }
        } catch (AudioPayload.Malformed e) {
            assertThat(e.getMessage()).doesNotContain("\n").isNotBlank();
        }
        assertThat(AudioTags.of(file).fields()).isBetween(0, 10);
    }

    @Test
    void bogusSizesAreRefusedWithoutAllocating() throws IOException {
        // ID3v2 claiming 256 MiB in front of an MP3 frame
        byte[] id3 = {'I', 'D', '3', 4, 0, 0, 0x7F, 0x7F, 0x7F, 0x7F, (byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64};
        assertThatThrownBy(() -> AudioPayload.of(write("bogus/id3.mp3", id3))).isInstanceOf(
                AudioPayload.Malformed.class).hasMessageContaining("ID3v2");
        // a FLAC metadata block of 16 MiB in a small file
        byte[] flac = {'f', 'L', 'a', 'C', 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 0, 0, 0};
        assertThatThrownBy(() -> AudioPayload.of(write("bogus/x.flac", flac))).isInstanceOf(
                AudioPayload.Malformed.class).hasMessageContaining("FLAC");
        // an MP4 box of 2^62 bytes
        byte[] mp4 = new byte[48];
        System.arraycopy(new byte[] {0, 0, 0, 16, 'f', 't', 'y', 'p', 'M', '4', 'A', ' ', 0, 0, 0, 0}, 0, mp4, 0, 16);
        System.arraycopy(new byte[] {0, 0, 0, 1, 'm', 'd', 'a', 't', 0x40, 0, 0, 0, 0, 0, 0, 0}, 0, mp4, 16, 16);
        assertThatThrownBy(() -> AudioPayload.of(write("bogus/x.m4a", mp4))).isInstanceOf(
                AudioPayload.Malformed.class).hasMessageContaining("mdat");
        // a WAV whose fmt chunk claims 4 GiB
        byte[] wav = new byte[44];
        System.arraycopy("RIFF\0\0\0\0WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, wav, 0, 16);
        wav[16] = wav[17] = wav[18] = wav[19] = (byte) 0xFF;
        assertThatThrownBy(() -> AudioPayload.of(write("bogus/x.wav", wav))).isInstanceOf(
                AudioPayload.Malformed.class).hasMessageContaining("fmt");
        // an Ogg page whose lacing runs past the end
        byte[] ogg = Files.readAllBytes(original(Kind.OGG));
        Path cut = write("bogus/x.ogg", Arrays.copyOf(ogg, 200));
        assertThatThrownBy(() -> AudioPayload.of(cut)).isInstanceOf(AudioPayload.Malformed.class);
    }

    @Test
    void otherFilesAreNotAudioPayloads() throws IOException {
        assertThat(AudioPayload.of(write("other/x.mp3", "not audio at all, just text".getBytes()))).isNull();
        // an Ogg stream of another codec (Ogg FLAC) is compared whole
        Path oggFlac = dir.resolve("other/flac.oga");
        AudioFiles.melody(oggFlac, Kind.FLAC, 300, 0.5, Map.of()); // FLAC in a .oga name: ffmpeg writes Ogg FLAC
        assertThat(AudioPayload.of(oggFlac)).isNull();
    }

    @Test
    void paddingATaggerLeftAfterTheId3v2TagIsLeftOut() throws IOException {
        Path a = original(Kind.MP3);
        byte[] whole = Files.readAllBytes(a);
        int tag = 10 + ((whole[6] & 0x7F) << 21 | (whole[7] & 0x7F) << 14 | (whole[8] & 0x7F) << 7 | whole[9] & 0x7F);
        byte[] padded = new byte[whole.length + 700];
        System.arraycopy(whole, 0, padded, 0, tag);
        System.arraycopy(whole, tag, padded, tag + 700, whole.length - tag); // 700 zero bytes the tag does not count
        assertThat(payloadBytes(write("hand/padded.mp3", padded))).isEqualTo(payloadBytes(a));
    }

    @Test
    void anAppendedId3v2TagIsLeftOut() throws IOException {
        Path a = original(Kind.MP3);
        byte[] whole = Files.readAllBytes(a);
        int tag = 10 + ((whole[6] & 0x7F) << 21 | (whole[7] & 0x7F) << 14 | (whole[8] & 0x7F) << 7 | whole[9] & 0x7F);
        // the same frames with the tag moved to the end and given a footer
        byte[] head = Arrays.copyOf(whole, tag);
        head[5] |= 0x10;
        byte[] footer = Arrays.copyOfRange(head, 0, 10);
        footer[0] = '3';
        footer[1] = 'D';
        footer[2] = 'I';
        Path moved = write("hand/appended.mp3", new byte[0]);
        try (RandomAccessFile out = new RandomAccessFile(moved.toFile(), "rw")) {
            out.write(whole, tag, whole.length - tag);
            out.write(head);
            out.write(footer);
        }
        assertThat(payloadBytes(moved)).isEqualTo(payloadBytes(a));
    }

    private static Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return file;
    }
}
