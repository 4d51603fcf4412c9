package org.cleanbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trash list|empty}: the filters (--folder, --session, --older-than), and emptying, which removes files for
 * good: on a terminal only after a yes to a question that lists them, without one only with --yes.
 */
class TrashCommandTest {

    @TempDir
    Path dir;

    private String previousConfig;
    /** Trashed by session 1, from under a/ ... */
    private Path fromA;
    /** ... and by session 2, from under b/. */
    private Path fromB;

    @BeforeEach
    void twoRunsTrashedOneFileEach() throws IOException {
        previousConfig = System.getProperty("cleanbackup.config");
        System.setProperty("cleanbackup.config", dir.resolve("config/config.properties").toString());
        Path a = Files.createDirectories(dir.resolve("a/sub"));
        Path b = Files.createDirectories(dir.resolve("b"));
        fromA = pair(a.resolve("x.jpg"), a.getParent().resolve("x.jpg"), "alpha");
        fromB = pair(b.resolve("y copy.jpg"), b.resolve("y.jpg"), "beta");
        assertThat(CliRun.isolated(dir, "dedupe", "--action", "delete", dir.resolve("a").toString()).code()).isZero();
        assertThat(CliRun.isolated(dir, "dedupe", "--action", "delete", b.toString()).code()).isZero();
        assertThat(fromA).doesNotExist();
        assertThat(fromB).doesNotExist();
    }

    /** Two files with the same content; the newer one (returned, as a real path) is the duplicate that goes. */
    private static Path pair(Path newer, Path older, String content) throws IOException {
        Files.writeString(newer, content);
        Files.writeString(older, content);
        Files.setLastModifiedTime(older, FileTime.fromMillis(1_500_000_000_000L));
        Files.setLastModifiedTime(newer, FileTime.fromMillis(1_600_000_000_000L));
        return newer.toRealPath();
    }

    @AfterEach
    void restoreSettings() {
        if (previousConfig == null) {
            System.clearProperty("cleanbackup.config");
        } else {
            System.setProperty("cleanbackup.config", previousConfig);
        }
    }

    /** The originals of the files {@code trash ARGS --json -} lists. */
    private List<String> listed(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("trash"));
        all.addAll(List.of(args));
        all.addAll(List.of("--json", "-"));
        CliRun run = CliRun.isolated(dir, all.toArray(String[]::new));
        assertThat(run.code()).as(run.stderr()).isZero();
        List<String> originals = new ArrayList<>();
        new ObjectMapper().readTree(run.stdout()).get("files").forEach(f -> originals.add(f.get("original").asText()));
        return originals;
    }

    @Test
    void listAndEmptyTakeAFolderAndASessionFilterCombinedWithAge() throws IOException {
        String a = fromA.toString();
        String b = fromB.toString();
        assertThat(listed("list")).containsExactly(a, b);
        assertThat(listed("list", "--folder", dir.resolve("a").toString())).containsExactly(a);
        assertThat(listed("list", "--folder", dir.resolve("a/sub").toString())).containsExactly(a);
        assertThat(listed("list", "--folder", dir.resolve("a/su").toString())).as("a folder, not a prefix").isEmpty();
        assertThat(listed("list", "--session", "2")).containsExactly(b);
        assertThat(listed("list", "--session", "1", "--session", "2")).containsExactly(a, b);
        assertThat(listed("list", "--folder", dir.resolve("b").toString(), "--folder", dir.resolve("a").toString()))
                .containsExactly(a, b);
        assertThat(listed("list", "--folder", dir.resolve("a").toString(), "--session", "2")).isEmpty();
        assertThat(listed("list", "--session", "2", "--older-than", "1d")).as("trashed just now").isEmpty();
        assertThat(listed("empty", "--dry-run", "--session", "1")).containsExactly(a);

        CliRun human = CliRun.isolated(dir, "trash", "list", "--session", "2");
        assertThat(human.stdout()).contains(b).doesNotContain(a).contains("1 of 2 files in the trash");

        CliRun emptied = CliRun.isolated(dir, "trash", "empty", "--yes", "--folder", dir.resolve("b").toString(),
                "--json", "-");
        assertThat(emptied.code()).as(emptied.stderr()).isZero();
        JsonNode json = new ObjectMapper().readTree(emptied.stdout());
        assertThat(json.at("/summary/removed").asInt()).isEqualTo(1);
        assertThat(json.at("/files/0/original").asText()).isEqualTo(b);
        assertThat(listed("list")).as("only the files the filter chose are gone").containsExactly(a);
        assertThat(Files.exists(dir.resolve("a/.cleanbackup-trash"))).isTrue();
        assertThat(dir.resolve("b/.cleanbackup-trash")).as("the emptied trash folder is removed").doesNotExist();
    }

    @Test
    void withoutATerminalEmptyRemovesNothingUnlessTheCommandSaysYes() throws IOException {
        CliRun refused = CliRun.isolated(dir, "trash", "empty");
        assertThat(refused.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.stderr().lines().toList()).singleElement().asString().startsWith("cleanbackup: ")
                .contains("--yes").contains("nothing was removed");
        assertThat(refused.stdout()).isEmpty();
        assertThat(listed("list")).hasSize(2);
        CliRun sessions = CliRun.isolated(dir, "undo", "--list", "--json", "-");
        assertThat(new ObjectMapper().readTree(sessions.stdout())).as("no session was started").hasSize(2);

        assertThat(CliRun.isolated(dir, "trash", "empty", "--quiet", "--older-than", "1d").code())
                .as("--quiet answers nothing either").isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.isolated(dir, "trash", "list", "--yes").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.isolated(dir, "trash", "list", "--session", "0").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(listed("list")).hasSize(2);

        CliRun yes = CliRun.isolated(dir, "trash", "empty", "-y");
        assertThat(yes.code()).as(yes.stderr()).isZero();
        assertThat(yes.stdout()).contains("Removed 2 files");
        assertThat(listed("list")).isEmpty();
    }

    @Test
    void onATerminalEmptyListsWhatItWillRemoveAndRemovesItOnlyOnYes() throws Exception {
        String[] command = {"trash", "empty", "--session", "1", "--journal", dir.resolve("journal.db").toString(),
                "--log-file", dir.resolve("log.txt").toString()};
        try (Terminal t = Terminal.start(dir, command)) {
            String question = t.waitFor("[y/N]", 0);
            assertThat(question).contains("removed for good").contains(fromA.toString())
                    .doesNotContain(fromB.toString()).contains("Remove 1 of 2 files");
            t.keys(""); // Enter: the default is no
            assertThat(t.waitFor("EXITED", 0)).contains("Nothing removed.").contains("EXITED 0");
        }
        assertThat(listed("list")).as("nothing removed on a no").hasSize(2);

        try (Terminal t = Terminal.start(dir, command)) {
            t.waitFor("[y/N]", 0);
            t.keys("y");
            assertThat(t.waitFor("EXITED", 0)).contains("Removed 1 file").contains("EXITED 0");
        }
        assertThat(listed("list")).containsExactly(fromB.toString());
    }
}
