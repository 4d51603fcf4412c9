package org.cleanbackup.sound;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.cleanbackup.cache.HashCache;
import org.cleanbackup.fingerprint.AudioFingerprinter;
import org.cleanbackup.fingerprint.FingerprintEntries;
import org.cleanbackup.fingerprint.TestSongs;
import org.cleanbackup.group.KeepPolicy;
import org.cleanbackup.model.FileId;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.ProgressListener;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real songs made by ffmpeg, fingerprinted by Chromaprint: skipped, saying why, where either is missing. */
class SimilarAudioFinderTest {

    @TempDir
    Path dir;

    private Path library;
    private Path inbox;

    @BeforeEach
    void folders() throws IOException {
        TestSongs.assumeFingerprinting();
        library = Files.createDirectories(dir.resolve("library"));
        inbox = Files.createDirectories(dir.resolve("inbox"));
    }

    private SimilarAudioFinder.Result find(HashCache cache, KeepPolicy keep, Path... files) throws IOException {
        List<MediaFile> media = new java.util.ArrayList<>();
        for (Path f : files) {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            Path root = f.startsWith(library) ? library : inbox;
            media.add(new MediaFile(f, root, root.equals(library), a.size(), a.lastModifiedTime().toMillis(),
                    FileId.fromFileKey(a.fileKey())));
        }
        AudioFingerprinter fingerprinter = AudioFingerprinter.system(60).orElseThrow();
        return new SimilarAudioFinder(new SimilarAudioFinder.Options(fingerprinter,
                SimilarAudioFinder.DEFAULT_MAX_BIT_ERROR_RATE, 2, cache, keep, null)).find(media, ProgressListener.NONE);
    }

    @Test
    void aTranscodeAndACutCopyMatchTheLosslessOriginalWhichIsKept() throws IOException {
        Path flac = TestSongs.melody(inbox.resolve("song.flac"), 3, 20);
        Path mp3 = TestSongs.transcode(flac, inbox.resolve("song-128.mp3"), "-b:a", "128k");
        Path opus = TestSongs.transcode(flac, inbox.resolve("song.opus"), "-c:a", "libopus", "-b:a", "128k");
        Path cut = TestSongs.cut(flac, inbox.resolve("song-cut.m4a"), 0.7, "-c:a", "aac", "-b:a", "160k");

        SimilarAudioFinder.Result found = find(null, null, mp3, cut, flac, opus);

        assertThat(found.problems()).isEmpty();
        assertThat(found.fingerprinted()).isEqualTo(4);
        assertThat(found.groups()).singleElement().satisfies(g -> {
            assertThat(g.keep().path()).as("lossless over lossy").isEqualTo(flac);
            assertThat(g.keepReason()).startsWith("best copy: flac, lossless");
            assertThat(g.duplicates()).extracting(m -> m.file().path()).containsExactlyInAnyOrder(mp3, opus, cut);
            SoundGroup.Member trimmed = g.duplicates().stream().filter(m -> m.file().path().equals(cut))
                    .findFirst().orElseThrow();
            assertThat(trimmed.offsetMillis()).as("its sound starts 0.7 s into the song, in steps of 124 ms")
                    .isBetween(500L, 900L);
            assertThat(g.duplicates()).allSatisfy(m -> assertThat(m.bitErrorRate())
                    .isLessThan(SimilarAudioFinder.DEFAULT_MAX_BIT_ERROR_RATE));
        });
    }

    @Test
    void twoDifferentMelodiesAreNotOneSong() throws IOException {
        Path one = TestSongs.melody(inbox.resolve("one.flac"), 4, 20);
        Path two = TestSongs.melody(inbox.resolve("two.flac"), 5, 20);
        Path twoMp3 = TestSongs.transcode(two, inbox.resolve("two.mp3"), "-b:a", "192k");

        SimilarAudioFinder.Result found = find(null, null, one, two, twoMp3);

        assertThat(found.groups()).singleElement().satisfies(g -> {
            assertThat(g.keep().path()).isEqualTo(two);
            assertThat(g.duplicates()).extracting(m -> m.file().path()).containsExactly(twoMp3);
        });

        // the brute-force rate (every offset, no index) agrees: a copy near 0, another song near 0.4
        AudioFingerprinter fingerprinter = AudioFingerprinter.system(20).orElseThrow();
        var a = fingerprinter.fingerprint(one);
        var b = fingerprinter.fingerprint(two);
        var c = fingerprinter.fingerprint(twoMp3);
        assertThat(SimilarAudioFinder.bitErrorRate(b, c)).isLessThan(0.05);
        assertThat(SimilarAudioFinder.bitErrorRate(a, b)).isGreaterThan(0.3);
        assertThat(SimilarAudioFinder.bitErrorRate(b, c)).isEqualTo(SimilarAudioFinder.bitErrorRate(c, b));
    }

    @Test
    void aReferenceCopyIsKeptThenTheHigherBitRateThenFullerTags() throws IOException {
        Path flac = TestSongs.melody(dir.resolve("source.flac"), 6, 20);
        Path reference = TestSongs.transcode(flac, library.resolve("song.mp3"), "-b:a", "128k");
        Path better = TestSongs.transcode(flac, inbox.resolve("song-320.mp3"), "-b:a", "320k");
        Path tagged = TestSongs.transcode(flac, inbox.resolve("song-192-tagged.mp3"), "-b:a", "192k",
                "-metadata", "title=Song", "-metadata", "artist=Someone");
        Path bare = TestSongs.transcode(flac, inbox.resolve("song-192.mp3"), "-b:a", "192k");

        SoundGroup withReference = find(null, null, bare, tagged, better, reference).groups().getFirst();
        assertThat(withReference.keep().path()).isEqualTo(reference);
        assertThat(withReference.keepReason()).startsWith("in reference folder");
        assertThat(withReference.duplicates()).extracting(m -> m.file().path()).containsExactly(better, tagged, bare);

        SoundGroup inboxOnly = find(null, null, bare, tagged, better).groups().getFirst();
        assertThat(inboxOnly.keep().path()).isEqualTo(better);
        assertThat(inboxOnly.keepReason()).contains("mp3, 320 kbit/s");

        SoundGroup sameRate = find(null, null, bare, tagged).groups().getFirst();
        assertThat(sameRate.keep().path()).as("fuller tags").isEqualTo(tagged);
    }

    @Test
    void aFilePolicyDecidesWhenAsked() throws IOException {
        Path flac = TestSongs.melody(inbox.resolve("old.flac"), 7, 20);
        Path mp3 = TestSongs.transcode(flac, inbox.resolve("new.mp3"), "-b:a", "128k");
        Files.setLastModifiedTime(flac, java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));

        SoundGroup g = find(null, KeepPolicy.NEWEST, flac, mp3).groups().getFirst();

        assertThat(g.keep().path()).isEqualTo(mp3);
        assertThat(g.keepReason()).isEqualTo(KeepPolicy.NEWEST.userName());
    }

    @Test
    void soundsUnderTenSecondsAreCountedAndNeverGrouped() throws IOException {
        Path song = TestSongs.melody(inbox.resolve("song.flac"), 10, 20);
        Path jingle = TestSongs.melody(inbox.resolve("jingle.flac"), 11, 4);
        Path jingleCopy = TestSongs.transcode(jingle, inbox.resolve("jingle.mp3"), "-b:a", "320k");

        SimilarAudioFinder.Result found = find(null, null, song, jingle, jingleCopy);

        assertThat(found.tooShort()).isEqualTo(2);
        assertThat(found.groups()).isEmpty();
        assertThat(found.problems()).as("a short sound is no error").isEmpty();
    }

    @Test
    void aBrokenFileIsAProblemAndTheOthersAreStillGrouped() throws IOException {
        Path flac = TestSongs.melody(inbox.resolve("song.flac"), 8, 20);
        Path mp3 = TestSongs.transcode(flac, inbox.resolve("song.mp3"), "-b:a", "192k");
        byte[] start = java.util.Arrays.copyOf(Files.readAllBytes(mp3), 20);
        Path broken = Files.write(inbox.resolve("broken.mp3"), start);
        Path text = Files.writeString(inbox.resolve("notes.ogg"), "not a song");

        SimilarAudioFinder.Result found = find(null, null, flac, broken, mp3, text);

        assertThat(found.problems()).extracting(p -> p.path()).containsExactlyInAnyOrder(broken, text);
        assertThat(found.problems()).allSatisfy(p -> assertThat(p.message()).startsWith("cannot decode the sound"));
        assertThat(found.groups()).singleElement()
                .satisfies(g -> assertThat(g.duplicates()).extracting(m -> m.file().path()).containsExactly(mp3));
    }

    @Test
    void aSecondRunTakesTheFingerprintsAndTheFailuresFromTheCache() throws IOException {
        Path flac = TestSongs.melody(inbox.resolve("song.flac"), 9, 20);
        Path mp3 = TestSongs.transcode(flac, inbox.resolve("song.mp3"), "-b:a", "192k");
        Path broken = Files.writeString(inbox.resolve("broken.mp3"), "ID3 but nothing else");
        Path db = dir.resolve("cache.db");

        SimilarAudioFinder.Result first;
        try (HashCache cache = HashCache.open(db)) {
            first = find(cache, null, flac, mp3, broken);
        }
        SimilarAudioFinder.Result second;
        try (HashCache cache = HashCache.open(db)) {
            second = find(cache, null, flac, mp3, broken);
            assertThat(cache.stats().entries()).containsEntry(FingerprintEntries.algorithm(60), 3L);
        }

        assertThat(first.fingerprinted()).isEqualTo(2);
        assertThat(first.fromCache()).isZero();
        assertThat(second.fingerprinted()).as("nothing decoded again").isZero();
        assertThat(second.fromCache()).isEqualTo(2);
        assertThat(second.problems()).as("the damaged file is remembered").isEqualTo(first.problems());
        assertThat(second.groups()).isEqualTo(first.groups());
    }
}
