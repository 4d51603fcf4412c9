package org.cleanbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup of documents and archives, run through the real command: by default only media is compared and the
 * summary says what was left out and why; {@code --types all} and {@code --ext '*'} take every file.
 */
class EveryFileDedupeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path backup;
    private String stdout;
    private String stderr;

    @BeforeEach
    void documentsArchivesAndAPhoto() throws IOException {
        backup = Files.createDirectories(dir.resolve("backup/2019"));
        Files.writeString(backup.resolve("tax return.pdf"), "%PDF-1.7 the 2019 tax return");
        Files.writeString(backup.resolve("tax return (1).pdf"), "%PDF-1.7 the 2019 tax return"); // an OS copy name
        Files.write(backup.resolve("site.zip"), new byte[] {'P', 'K', 3, 4, 20, 0, 8, 0, 1, 2, 3, 4});
        Files.createDirectories(dir.resolve("backup/old"));
        Files.write(dir.resolve("backup/old/site.zip"), new byte[] {'P', 'K', 3, 4, 20, 0, 8, 0, 1, 2, 3, 4});
        Files.createFile(backup.resolve("empty.txt"));
        Files.createSymbolicLink(backup.resolve("latest.pdf"), backup.resolve("tax return.pdf"));
        try (InputStream in = getClass().getResourceAsStream("/media/pentax-2004.jpg")) {
            Files.copy(in, backup.resolve("photo.jpg"));
        }
        backup = dir.resolve("backup");
    }

    /** Runs the command with the journal, cache and log in the temporary folder (beside the backup, not in it). */
    private int run(String... args) {
        CliRun run = CliRun.isolated(dir, args);
        stdout = run.stdout();
        stderr = run.stderr();
        return run.code();
    }

    @Test
    void byDefaultOnlyMediaIsComparedAndTheRestIsCountedWithItsReason() throws IOException {
        assertThat(run("dedupe", "--dry-run", backup.toString())).as(stderr).isEqualTo(ExitCodes.OK);
        assertThat(stdout).contains("Scanned 1 file ")
                // the empty file is counted by its extension: it was not asked for, empty or not
                .contains("Left out: 5 files of other types (.pdf: 2, .zip: 2, .txt: 1), 1 link or special file"
                        + " (not followed). --types all takes every file.")
                .contains("Found 0 groups of identical files");

        assertThat(run("dedupe", "--json", "-", backup.toString())).isEqualTo(ExitCodes.OK);
        JsonNode leftOut = JSON.readTree(stdout).at("/summary/leftOut");
        assertThat(leftOut.get("byExtension").get("pdf").asInt()).isEqualTo(2);
        assertThat(leftOut.get("byExtension").get("zip").asInt()).isEqualTo(2);
        assertThat(leftOut.get("byExtension").get("txt").asInt()).isEqualTo(1);
        assertThat(leftOut.get("empty").asInt()).isZero();
        assertThat(leftOut.get("linksOrSpecial").asInt()).isEqualTo(1);
        assertThat(leftOut.get("unreadable").asInt()).isZero();
    }

    @Test
    void typesAllAndAnyExtensionFindTheDuplicatePdfsAndZips() throws IOException {
        assertThat(run("dedupe", "--types", "all", backup.toString())).as(stderr).isEqualTo(ExitCodes.OK);
        assertThat(stdout).contains("Scanned 5 files ")
                .contains("Found 2 groups of identical files: 2 duplicates")
                .contains("Left out: 1 empty file, 1 link or special file (not followed).")
                .doesNotContain("--types all takes");
        assertThat(stdout.lines().filter(l -> l.startsWith("    dup ")))
                .anyMatch(l -> l.endsWith(".pdf")).anyMatch(l -> l.endsWith("site.zip"));

        assertThat(run("dedupe", "--ext", "*", "--json", "-", backup.toString())).as(stderr).isEqualTo(ExitCodes.OK);
        JsonNode json = JSON.readTree(stdout);
        assertThat(json.at("/summary/groups").asInt()).isEqualTo(2);
        assertThat(json.at("/summary/filesScanned").asInt()).isEqualTo(5);
        assertThat(json.at("/summary/leftOut/byExtension").isEmpty()).isTrue();
        assertThat(json.at("/summary/leftOut/empty").asInt()).isEqualTo(1);

        assertThat(run("dedupe", "--types", "all,image", backup.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(stderr).contains("--types all takes every file: name it alone");
    }

    @Test
    void similarComparesOnlyImagesAndNamesModeSeesEveryFile() throws IOException {
        assertThat(run("dedupe", "--mode", "similar", "--types", "all", backup.toString())).as(stderr)
                .isEqualTo(ExitCodes.OK);
        assertThat(stdout).contains("Scanned 5 files ")
                .contains("Left out: 1 empty file, 1 link or special file (not followed), 4 files that are not images.")
                .contains("Images hashed: 1,");

        assertThat(run("dedupe", "--mode", "names", "--types", "all", backup.toString())).as(stderr)
                .isEqualTo(ExitCodes.OK);
        assertThat(stdout).contains("copy  " + backup.resolve("2019/tax return (1).pdf"))
                .contains("Found 1 copy name beside its original: 1 identical, 0 different.")
                .contains("Left out: 1 empty file, 1 link or special file (not followed).");
    }

    @Test
    void hashNotesWhatItLeftOutBesideTheHashes() throws IOException {
        assertThat(run("hash", "--content", backup.toString())).as(stderr).isEqualTo(ExitCodes.OK);
        assertThat(stdout.lines()).singleElement().asString().startsWith(backup.resolve("2019/photo.jpg") + "\t");
        assertThat(stderr).contains("note: Left out: 5 files of other types (.pdf: 2, .zip: 2, .txt: 1),"
                + " 1 link or special file (not followed).");

        assertThat(run("hash", "--json", "-", backup.toString())).isEqualTo(ExitCodes.OK);
        assertThat(JSON.readTree(stdout).at("/summary/leftOut/byExtension/pdf").asInt()).isEqualTo(2);
    }
}
