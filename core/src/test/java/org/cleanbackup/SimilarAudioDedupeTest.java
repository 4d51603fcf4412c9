package org.cleanbackup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.cleanbackup.execute.ExecutionReport;
import org.cleanbackup.execute.Outcome;
import org.cleanbackup.fingerprint.TestSongs;
import org.cleanbackup.journal.Journal;
import org.cleanbackup.model.MediaType;
import org.cleanbackup.plan.DuplicateAction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dedupe --mode similar --types audio} through the front door, as a user runs it: a FLAC library as the
 * reference, an inbox with other encodings of its songs; the plan, the JSON, the trash and undo are the ones every
 * mode has. Skipped, saying why, without ffmpeg or libchromaprint1.
 */
class SimilarAudioDedupeTest {

    @TempDir
    Path dir;

    private Path library;
    private Path inbox;
    private Path flac;
    private Path mp3;
    private Path cut;
    private Path other;
    private Path broken;
    private final CleanBackup cleanBackup = CleanBackup.builder().build();

    @BeforeEach
    void songs() throws IOException {
        TestSongs.assumeFingerprinting();
        library = Files.createDirectories(dir.resolve("library"));
        inbox = Files.createDirectories(dir.resolve("inbox"));
        flac = TestSongs.melody(library.resolve("song.flac"), 11, 20, "-metadata", "title=Song");
        mp3 = TestSongs.transcode(flac, inbox.resolve("song.mp3"), "-b:a", "128k");
        cut = TestSongs.cut(flac, inbox.resolve("song-cut.ogg"), 0.7, "-c:a", "libvorbis", "-q:a", "4");
        other = TestSongs.melody(inbox.resolve("other.flac"), 12, 20);
        broken = Files.writeString(inbox.resolve("broken.mp3"), "not a song");
    }

    private DedupeRequest request() {
        return DedupeRequest.of(inbox).withReferences(library).withTypes(MediaType.AUDIO)
                .withMode(DedupeRequest.Mode.SIMILAR).withHashCache(dir.resolve("cache.db"));
    }

    @Test
    void otherEncodingsOfALibrarySongGoToTheTrashAndComeBackWithUndo() throws IOException {
        Map<Path, byte[]> before = contents();

        DedupePlan dryRun = cleanBackup.dedupe(request().withAction(DuplicateAction.DELETE).asDryRun());
        assertThat(dryRun.soundGroups()).singleElement().satisfies(g -> {
            assertThat(g.keep().path()).isEqualTo(flac);
            assertThat(g.duplicates()).extracting(m -> m.file().path()).containsExactlyInAnyOrder(mp3, cut);
        });
        assertThat(dryRun.groups()).singleElement().satisfies(g -> {
            assertThat(g.hash().algorithm()).isEqualTo("chromaprint");
            assertThat(g.keepReason()).startsWith("in reference folder");
        });
        assertThat(dryRun.plan().actions()).hasSize(2);
        assertThat(dryRun.plan().actions()).allSatisfy(a -> assertThat(a.describe()).contains("sounds the same as"));
        assertThat(dryRun.problems()).singleElement().satisfies(p -> assertThat(p.path()).isEqualTo(broken));
        assertThat(dryRun.audioFingerprinting()).hasValueSatisfying(h -> assertThat(h.fingerprinted()).isEqualTo(4));
        StringWriter json = new StringWriter();
        dryRun.report(null).writeJson(json);
        assertThat(json.toString()).contains("\"hash\" : \"chromaprint:").contains("song-cut.ogg")
                .contains("\"dryRun\" : true").contains("\"planned\"");
        assertThat(contents()).as("a dry run changes nothing").containsExactlyInAnyOrderEntriesOf(before);

        DedupePlan plan = cleanBackup.dedupe(request().withAction(DuplicateAction.DELETE));
        assertThat(plan.audioFingerprinting()).as("the second run reads the cache")
                .hasValueSatisfying(h -> assertThat(h.fromCache()).isEqualTo(4));
        try (Journal journal = cleanBackup.openJournal(dir.resolve("journal.db"))) {
            ExecutionReport done = plan.execute(journal);
            assertThat(done.count(Outcome.Status.DONE)).isEqualTo(2);
            assertThat(mp3).doesNotExist();
            assertThat(cut).doesNotExist();
            assertThat(flac).exists();
            assertThat(other).exists();

            assertThat(cleanBackup.undoLast(journal)).hasValueSatisfying(
                    undo -> assertThat(undo.count(Outcome.Status.FAILED)).isZero());
        }
        Map<Path, byte[]> after = contents();
        after.keySet().removeIf(p -> p.toString().contains(".cleanbackup-trash"));
        assertThat(after).as("undo puts every file back, byte for byte").containsOnlyKeys(before.keySet());
        before.forEach((p, bytes) -> assertThat(after.get(p)).as(p.toString()).isEqualTo(bytes));
    }

    @Test
    void aHardLinkIsRefusedForRecordingsThatDifferInBytes() {
        assertThatThrownBy(() -> cleanBackup.dedupe(request().withAction(DuplicateAction.HARDLINK)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hardlink needs identical content");
    }

    private Map<Path, byte[]> contents() throws IOException {
        Map<Path, byte[]> all = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().matches(
                    ".*\\.(mp3|flac|ogg)")).toList()) {
                all.put(f, Files.readAllBytes(f));
            }
        }
        return all;
    }
}
