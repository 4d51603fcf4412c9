package org.cleanbackup.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.cleanbackup.dedupe.DedupePlanner;
import org.cleanbackup.dedupe.ExactDuplicateFinder;
import org.cleanbackup.execute.ExecutionReport;
import org.cleanbackup.execute.FileOperations;
import org.cleanbackup.execute.PlanExecutor;
import org.cleanbackup.execute.RetryPolicy;
import org.cleanbackup.journal.SqliteJournal;
import org.cleanbackup.plan.ActionType;
import org.cleanbackup.plan.Plan;
import org.cleanbackup.report.ProgressListener;
import org.cleanbackup.scan.MediaType;
import org.cleanbackup.scan.ScanOptions;
import org.cleanbackup.scan.ScanResult;
import org.cleanbackup.scan.ScanRoot;
import org.cleanbackup.scan.Scanner;
import org.cleanbackup.undo.Undo;
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

        // scan -> hash -> group
        ScanResult scan = new Scanner(ScanOptions.of(
                List.of(ScanRoot.reference(library), ScanRoot.source(inbox)), EnumSet.of(MediaType.AUDIO))).scan();
        var found = new ExactDuplicateFinder(ExactDuplicateFinder.Options.defaults())
                .find(scan.files(), ProgressListener.NONE);

        // plan -> execute (journaled) -> report
        Plan plan = new DedupePlanner(ActionType.MOVE, dir.resolve("dupes"), false).plan(found.groups(), "example");
        try (SqliteJournal journal = SqliteJournal.open(dir.resolve("journal.db"), true, 5_000)) {
            PlanExecutor executor = new PlanExecutor(journal, FileOperations.system(), RetryPolicy.defaults());
            ExecutionReport report = executor.execute(plan, ProgressListener.NONE);
            assertThat(report.bytesDone()).isEqualTo(8);
            assertThat(dir.resolve("dupes/inbox/song (1).mp3")).exists();

            Undo undo = new Undo(journal, executor);
            undo.run(undo.lastUndoable().orElseThrow(), ProgressListener.NONE);
            assertThat(inbox.resolve("song (1).mp3")).exists();
        }
    }
}
