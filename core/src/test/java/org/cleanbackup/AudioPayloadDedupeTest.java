package org.cleanbackup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cleanbackup.execute.ExecutionReport;
import org.cleanbackup.execute.Outcome;
import org.cleanbackup.group.DuplicateGroup;
import org.cleanbackup.journal.Journal;
import org.cleanbackup.metadata.AudioFiles;
import org.cleanbackup.metadata.AudioFiles.Kind;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.MediaType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exact dedupe of audio by its sound without its tags, through the front door, on real files from ffmpeg: a library
 * (reference folder) and an inbox of re-tagged copies, other audio with the same tags, every action, undo, and the
 * executor's check of the kept copy's audio.
 */
class AudioPayloadDedupeTest {

    @TempDir
    Path dir;

    private final CleanBackup cleanBackup = CleanBackup.builder().build();
    private Path library;
    private Path inbox;
    private final List<Path> retagged = new ArrayList<>();
    private final List<Path> otherAudio = new ArrayList<>();

    private static final Map<String, String> LIBRARY_TAGS = Map.of("title", "Song", "artist", "Band", "album",
            "Album", "genre", "Pop", "date", "1999");
    private static final Map<String, String> INBOX_TAGS = Map.of("title", "song (copy)");

    @BeforeEach
    void makeFiles() throws IOException {
        AudioFiles.assumeFfmpeg();
        library = dir.resolve("library");
        inbox = dir.resolve("inbox");
        for (Kind kind : Kind.values()) {
            Path song = AudioFiles.melody(library.resolve("song." + kind.extension()), kind, 440, 1.0, LIBRARY_TAGS);
            retagged.add(AudioFiles.retag(song, inbox.resolve("retagged/song." + kind.extension()), INBOX_TAGS));
            otherAudio.add(AudioFiles.melody(inbox.resolve("other/song." + kind.extension()), kind, 330, 1.0,
                    LIBRARY_TAGS));
        }
    }

    private DedupeRequest request() {
        return DedupeRequest.of(inbox).withReferences(library).withTypes(MediaType.AUDIO);
    }

    @Test
    void everyRetaggedCopyIsFoundAndNoOtherAudio() {
        DedupePlan plan = cleanBackup.dedupe(request());
        assertThat(plan.problems()).isEmpty();
        assertThat(plan.groups()).hasSize(Kind.values().length).allSatisfy(g -> {
            assertThat(g.sameAudioOtherTags()).isTrue();
            assertThat(g.keep().path().getParent()).isEqualTo(library);
            assertThat(g.keepReason()).startsWith("in reference folder");
            assertThat(g.hash().algorithm()).endsWith("-audio");
            assertThat(g.duplicates()).hasSize(1);
            assertThat(g.otherTags()).containsExactlyElementsOf(g.duplicates());
        });
        List<Path> duplicates = plan.groups().stream().flatMap(g -> g.duplicates().stream()).map(MediaFile::path)
                .toList();
        assertThat(duplicates).containsExactlyInAnyOrderElementsOf(retagged).doesNotContainAnyElementsOf(otherAudio);
    }

    @Test
    void wholeFilesWhenAskedFindNothing() {
        assertThat(cleanBackup.dedupe(request().comparingAudioPayload(false)).groups()).isEmpty();
    }

    @Test
    void withoutAReferenceTheFullerTagsAreKept() throws IOException {
        Path bare = dir.resolve("loose/bare.flac");
        AudioFiles.retag(library.resolve("song.flac"), bare, Map.of("title", "x"));
        Path full = AudioFiles.retag(library.resolve("song.flac"), dir.resolve("loose/full.flac"), LIBRARY_TAGS);
        // the bare copy is older, so the default policy alone would keep it
        Files.setLastModifiedTime(bare, FileTime.fromMillis(1_000_000));
        DedupePlan plan = cleanBackup.dedupe(DedupeRequest.of(dir.resolve("loose")));
        assertThat(plan.groups()).singleElement().satisfies(g -> {
            assertThat(g.keep().path()).isEqualTo(full);
            assertThat(g.keepReason()).startsWith("fuller tags (5 fields");
            assertThat(g.duplicates()).extracting(MediaFile::path).containsExactly(bare);
        });
    }

    @Test
    void byteIdenticalCopiesStayAnOrdinaryGroup() throws IOException {
        Path copy = inbox.resolve("same/song.mp3");
        Files.createDirectories(copy.getParent());
        Files.copy(library.resolve("song.mp3"), copy);
        DuplicateGroup group = cleanBackup.dedupe(request()).groups().stream()
                .filter(g -> g.keep().path().equals(library.resolve("song.mp3"))).findFirst().orElseThrow();
        assertThat(group.duplicates()).extracting(MediaFile::path).contains(copy, inbox.resolve("retagged/song.mp3"));
        assertThat(group.identicalToKept(group.duplicates().stream().filter(f -> f.path().equals(copy)).findFirst()
                .orElseThrow())).isTrue();
        assertThat(group.otherTags()).extracting(MediaFile::path).containsExactly(inbox.resolve("retagged/song.mp3"));
    }

    @Test
    void aGroupOfPlainCopiesCarriesItsWholeFileHash() throws IOException {
        Path copies = dir.resolve("copies");
        Files.createDirectories(copies);
        Files.copy(library.resolve("song.ogg"), copies.resolve("a.ogg"));
        Files.copy(library.resolve("song.ogg"), copies.resolve("b.ogg"));
        DuplicateGroup group = cleanBackup.dedupe(DedupeRequest.of(copies)).groups().getFirst();
        assertThat(group.sameAudioOtherTags()).isFalse();
        assertThat(group.hash()).isEqualTo(new org.cleanbackup.internal.hash.ContentReader(
                org.cleanbackup.hash.ContentHashers.defaultHasher()).hashFile(copies.resolve("a.ogg"),
                Files.size(copies.resolve("a.ogg"))));
    }

    @Test
    void wavFilesWithoutSoundAreNotTheSameAudio() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        for (String title : List.of("One", "Other title")) {
            java.io.ByteArrayOutputStream wav = new java.io.ByteArrayOutputStream();
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            byte[] name = title.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            int info = 4 + 8 + name.length + (name.length & 1);
            b.put("RIFF".getBytes()).putInt(4 + 24 + 8 + info + 8).put("WAVE".getBytes())
                    .put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(8000)
                    .putInt(16000).putShort((short) 2).putShort((short) 16);
            wav.write(b.array(), 0, b.position());
            b.clear().put("LIST".getBytes()).putInt(info).put("INFO".getBytes()).put("INAM".getBytes())
                    .putInt(name.length);
            wav.write(b.array(), 0, b.position());
            wav.write(name, 0, name.length);
            if ((name.length & 1) != 0) {
                wav.write(0);
            }
            b.clear().put("data".getBytes()).putInt(0); // no samples
            wav.write(b.array(), 0, b.position());
            Files.write(empty.resolve(title + ".wav"), wav.toByteArray());
        }
        assertThat(cleanBackup.dedupe(DedupeRequest.of(empty)).groups()).isEmpty();
    }

    @Test
    void trashThenUndoPutsEveryFileBackByteForByte() throws IOException {
        Map<Path, byte[]> before = contents();
        DedupePlan plan = cleanBackup.dedupe(request().trash());
        try (Journal journal = cleanBackup.openJournal(dir.resolve("journal.db"))) {
            ExecutionReport done = plan.execute(journal);
            assertThat(done.count(Outcome.Status.DONE)).isEqualTo(Kind.values().length);
            retagged.forEach(p -> assertThat(p).doesNotExist());
            otherAudio.forEach(p -> assertThat(p).exists());
            assertThat(cleanBackup.undoLast(journal)).isPresent();
        }
        assertThat(contents()).containsOnlyKeys(before.keySet()).allSatisfy((p, bytes) ->
                assertThat(bytes).as(p.toString()).isEqualTo(before.get(p)));
    }

    @Test
    void aHardLinkNeverReplacesOtherTags() {
        DedupePlan plan = cleanBackup.dedupe(request().hardLink());
        assertThat(plan.groups()).hasSize(Kind.values().length);
        assertThat(plan.plan().actions()).isEmpty();
    }

    @Test
    void aKeptCopyWhoseAudioChangedAfterPlanningSavesTheDuplicate() throws IOException {
        DedupePlan plan = cleanBackup.dedupe(request().trash());
        // Another program rewrites the kept WAV's samples after the plan, keeping its size and time.
        Path kept = library.resolve("song.wav");
        FileTime time = Files.getLastModifiedTime(kept);
        byte[] bytes = Files.readAllBytes(kept);
        for (int i = bytes.length - 1000; i < bytes.length; i++) {
            bytes[i] ^= 0x55;
        }
        Files.write(kept, bytes);
        Files.setLastModifiedTime(kept, time);
        try (Journal journal = cleanBackup.openJournal(dir.resolve("journal.db"))) {
            ExecutionReport done = plan.execute(journal);
            assertThat(done.count(Outcome.Status.DONE)).isEqualTo(Kind.values().length - 1);
            assertThat(done.outcomes()).filteredOn(o -> o.status() != Outcome.Status.DONE).singleElement()
                    .satisfies(o -> assertThat(o.message()).contains("no longer has the same audio"));
        }
        assertThat(inbox.resolve("retagged/song.wav")).exists();
        assertThat(inbox.resolve("retagged/song.mp3")).doesNotExist();
    }

    private Map<Path, byte[]> contents() throws IOException {
        Map<Path, byte[]> all = new HashMap<>();
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).filter(p -> !p.toString().contains("journal"))
                    .filter(p -> !p.toString().contains(".cleanbackup")).toList()) {
                all.put(p, Files.readAllBytes(p));
            }
        }
        return all;
    }
}
