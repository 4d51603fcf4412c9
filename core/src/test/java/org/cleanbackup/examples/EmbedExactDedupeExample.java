package org.cleanbackup.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cleanbackup.CleanBackup;
import org.cleanbackup.DedupePlan;
import org.cleanbackup.DedupeRequest;
import org.cleanbackup.journal.Journal;
import org.cleanbackup.model.MediaType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Example: embed exact deduplication. Moves the songs of an inbox that a protected library already has into an
 * output folder, through the journal, then undoes it. Runs as a test in the build, so it stays true.
 */
class EmbedExactDedupeExample {

    @TempDir
    Path dir;

    @Test
    void moveDuplicatesOfALibraryAsideThenUndo() throws Exception {
        Path library = Files.createDirectories(dir.resolve("library"));
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Files.writeString(library.resolve("song.mp3"), "la la la");
        Files.writeString(inbox.resolve("song (1).mp3"), "la la la");
        Files.writeString(inbox.resolve("new.mp3"), "something new");

        // scan -> hash -> group -> plan: nothing changes yet (this is the dry run)
        CleanBackup cleanBackup = CleanBackup.builder().build(); // the real file system, default retries
        DedupePlan plan = cleanBackup.dedupe(DedupeRequest.of(inbox).withReferences(library)
                .withTypes(MediaType.AUDIO).moveTo(dir.resolve("dupes")));
        assertThat(plan.groups()).singleElement()
                .satisfies(g -> assertThat(g.keep().path()).isEqualTo(library.resolve("song.mp3")));
        assertThat(plan.plan().actions()).hasSize(1);

        // execute (journaled) -> report
        try (Journal journal = cleanBackup.openJournal(dir.resolve("journal.db"))) {
            var done = plan.execute(journal); // an ExecutionReport: each change journaled before the disk is touched
            assertThat(done.bytesDone()).isEqualTo(8);
            assertThat(dir.resolve("dupes/inbox/song (1).mp3")).exists();
            StringWriter json = new StringWriter();
            plan.report(done).writeJson(json); // the document docs/json/dedupe.schema.json describes
            assertThat(json.toString()).contains("\"actionsDone\" : 1");

            // the newest run undone, itself journaled; cleanBackup.undo(journal) picks any run and shows its steps
            assertThat(cleanBackup.undoLast(journal)).hasValueSatisfying(u -> assertThat(u.bytesDone()).isEqualTo(8));
            assertThat(inbox.resolve("song (1).mp3")).exists();
        }
    }
}
