package org.cleanbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code apply PLAN.json}: a plan saved by {@code dedupe --action delete --dry-run --json} (the JSON the Spark job
 * writes too) is carried out through the journal and undone by {@code undo}; a file changed since the plan (size, or
 * same size and time but other bytes) is refused with one problem line and left alone, the rest goes on.
 */
class ApplyCommandTest {

    @TempDir
    Path dir;

    private String previousConfig;
    private Path photos;

    @BeforeEach
    void threePairs() throws IOException {
        previousConfig = System.getProperty("cleanbackup.config");
        System.setProperty("cleanbackup.config", dir.resolve("config/config.properties").toString());
        photos = Files.createDirectories(dir.resolve("photos"));
        for (String name : new String[] {"a", "b", "c"}) {
            Path keep = photos.resolve(name + ".jpg");
            Path copy = Files.createDirectories(photos.resolve("backup")).resolve(name + ".jpg");
            Files.writeString(keep, "content of " + name);
            Files.writeString(copy, "content of " + name);
            Files.setLastModifiedTime(keep, FileTime.fromMillis(1_500_000_000_000L));
            Files.setLastModifiedTime(copy, FileTime.fromMillis(1_600_000_000_000L));
        }
    }

    @AfterEach
    void restoreSettings() {
        if (previousConfig == null) {
            System.clearProperty("cleanbackup.config");
        } else {
            System.setProperty("cleanbackup.config", previousConfig);
        }
    }

    private Path plan() {
        Path plan = dir.resolve("plan.json");
        CliRun run = CliRun.isolated(dir, "dedupe", "--action", "delete", "--dry-run", "--json", plan.toString(),
                photos.toString());
        assertThat(run.code()).as(run.stderr()).isZero();
        return plan;
    }

    @Test
    void appliesThePlanThroughTheJournalAndUndoBringsTheFilesBack() throws IOException {
        Path plan = plan();
        CliRun dry = CliRun.isolated(dir, "apply", "--dry-run", plan.toString());
        assertThat(dry.code()).as(dry.stderr()).isZero();
        assertThat(dry.stdout()).contains("3 of 3 actions would be applied");
        assertThat(photos.resolve("backup")).isDirectoryContaining(p -> p.getFileName().toString().equals("a.jpg"));

        CliRun run = CliRun.isolated(dir, "apply", plan.toString());
        assertThat(run.code()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("Applied 3 of 3 actions");
        for (String name : new String[] {"a", "b", "c"}) {
            assertThat(photos.resolve("backup/" + name + ".jpg")).doesNotExist();
            assertThat(photos.resolve(name + ".jpg")).hasContent("content of " + name);
        }

        CliRun undo = CliRun.isolated(dir, "undo");
        assertThat(undo.code()).as(undo.stderr()).isZero();
        for (String name : new String[] {"a", "b", "c"}) {
            assertThat(photos.resolve("backup/" + name + ".jpg")).hasContent("content of " + name);
        }
    }

    @Test
    void aFileChangedSinceThePlanIsRefusedWithOneLineAndTheRestGoesOn() throws IOException {
        Path plan = plan();
        Files.setLastModifiedTime(plan, FileTime.fromMillis(1_700_000_000_000L));
        Path grown = photos.resolve("backup/a.jpg");
        Files.writeString(grown, "content of a, and more");
        Files.setLastModifiedTime(grown, FileTime.fromMillis(1_600_000_000_000L));
        Path sameSize = photos.resolve("backup/b.jpg");
        Files.writeString(sameSize, "CONTENT OF b"); // same size, same time: only the content hash tells
        Files.setLastModifiedTime(sameSize, FileTime.fromMillis(1_600_000_000_000L));

        CliRun run = CliRun.isolated(dir, "apply", plan.toString());
        assertThat(run.code()).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(run.stderr().lines().filter(l -> l.startsWith("problem: ")).toList()).hasSize(2)
                .anySatisfy(l -> assertThat(l).contains(grown.toString(), "size 12, now 22", "left alone"))
                .anySatisfy(l -> assertThat(l).contains(sameSize.toString(), "content hash differs", "left alone"));
        assertThat(grown).hasContent("content of a, and more");
        assertThat(sameSize).hasContent("CONTENT OF b");
        assertThat(photos.resolve("backup/c.jpg")).doesNotExist();
        assertThat(run.stdout()).contains("Applied 1 of 3 actions");
    }

    @Test
    void aPlanNewerThanAFileIsStillRefusedWhenTheFileWasTouchedAfterIt() throws IOException {
        Path plan = plan();
        Files.setLastModifiedTime(plan, FileTime.fromMillis(1_650_000_000_000L));
        Path touched = photos.resolve("backup/c.jpg");
        Files.setLastModifiedTime(touched, FileTime.fromMillis(1_700_000_000_000L));
        CliRun run = CliRun.isolated(dir, "apply", plan.toString());
        assertThat(run.code()).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(run.stderr()).contains("problem: " + touched, "changed since the plan was made (modified");
        assertThat(touched).exists();
    }
}
