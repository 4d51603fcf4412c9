package org.cleanbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The reference/source/output flow of the original audio script, run through the real command line. */
class DedupeCommandTest {

    @TempDir
    Path dir;

    private Path library;
    private Path inbox;
    private Path out;
    private String stdout;
    private String stderr;

    private void copyMedia(String name, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try (InputStream in = getClass().getResourceAsStream("/media/" + name)) {
            Files.copy(in, target);
        }
        Files.setLastModifiedTime(target, FileTime.fromMillis(1_500_000_000_000L));
    }

    @BeforeEach
    void messyMusicFolder() throws IOException {
        library = dir.resolve("library");
        inbox = dir.resolve("inbox");
        out = dir.resolve("dupes");
        copyMedia("chirp-1.mp3", library.resolve("chirp-1.mp3"));
        copyMedia("chirp-3.mp3", library.resolve("sub/chirp-3.mp3"));
        copyMedia("chirp-1.mp3", inbox.resolve("chirp-1 (1).mp3"));     // duplicate of the library
        copyMedia("chirp-1.mp3", inbox.resolve("old/chirp-1.mp3"));     // another one
        copyMedia("chirp-2.mp3", inbox.resolve("chirp-2.mp3"));         // same size as chirp-1, other content
        copyMedia("chirp-3.mp3", inbox.resolve("two words/chirp-3.mp3"));
    }

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(1, List.of("--journal", dir.resolve("journal.db").toString(),
                "--log-file", dir.resolve("log.txt").toString(), "--retry-delay", "1ms"));
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), all.toArray(String[]::new));
        stdout = o.toString();
        stderr = e.toString();
        return code;
    }

    /** Every file under the folder with its bytes and modification time. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                String key = root.relativize(p).toString();
                tree.put(key, Files.isDirectory(p) ? "dir" : java.util.Arrays.hashCode(Files.readAllBytes(p))
                        + "@" + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return tree;
    }

    @Test
    void movesTheSourcesDuplicatesOfTheReferenceToTheOutputFolder() throws IOException {
        Map<String, String> libraryBefore = snapshot(library);

        int code = run("dedupe", "--reference", library.toString(), "--action", "move", "--to", out.toString(),
                inbox.toString());

        assertThat(code).as(stderr).isZero();
        assertThat(snapshot(library)).as("the reference folder is never touched").isEqualTo(libraryBefore);
        assertThat(out.resolve("inbox/chirp-1 (1).mp3")).exists();
        assertThat(out.resolve("inbox/old/chirp-1.mp3")).exists();
        assertThat(out.resolve("inbox/two words/chirp-3.mp3")).exists();
        assertThat(inbox.resolve("chirp-1 (1).mp3")).doesNotExist();
        assertThat(inbox.resolve("chirp-2.mp3")).as("same size, different content: not a duplicate").exists();
        assertThat(Files.getLastModifiedTime(out.resolve("inbox/old/chirp-1.mp3")).toMillis()).isEqualTo(1_500_000_000_000L);
        assertThat(stdout).contains("3 duplicates").contains("Move: 3 done");
    }

    /** A real run says what it changed, as a dry run says what it would: one line a file, the name actually used. */
    @ParameterizedTest(name = "--action {0} lists each change")
    @ValueSource(strings = {"move", "copy", "delete", "hardlink"})
    void aRealRunListsEachChangeWithTheNameActuallyUsed(String action) throws IOException {
        Path taken = Files.createDirectories(out.resolve("inbox/old")).resolve("chirp-1.mp3");
        Files.writeString(taken, "already here");
        Path realInbox = inbox.toRealPath();

        int code = run("dedupe", "--reference", library.toString(), "--action", action, "--to", out.toString(),
                inbox.toString());

        assertThat(code).as(stderr).isZero();
        List<String> lines = stdout.lines().toList();
        int heading = lines.indexOf("Changes made:");
        assertThat(heading).as(stdout).isNotNegative();
        List<String> changes = lines.subList(heading + 1, heading + 4);
        assertThat(changes).as(stdout).allMatch(l -> l.startsWith(String.format("  %-8s %s", action, realInbox)));
        assertThat(lines.get(heading + 4)).as("three changes, then a blank line").isEmpty();
        String old = realInbox.resolve("old/chirp-1.mp3").toString();
        String line = changes.stream().filter(l -> l.contains(" " + old + " ")).findFirst().orElseThrow();
        String expected = switch (action) {
            case "move", "copy" -> " -> " + out.toRealPath().resolve("inbox/old/chirp-1_1.mp3"); // the free name
            case "delete" -> " -> " + realInbox.resolve(".cleanbackup-trash/1/old/chirp-1.mp3");
            default -> " => link to " + library.toRealPath().resolve("chirp-1.mp3") + ", the duplicate -> "
                    + realInbox.resolve(".cleanbackup-trash/1/old/chirp-1.mp3");
        };
        assertThat(line).contains(old + expected + "  (same content as ");
        assertThat(stdout).doesNotContain("Not done:");
        assertThat(taken).hasContent("already here");

        // --quiet: nothing at all on stdout, the changes included.
        CliRun undo = CliRun.isolated(dir, "undo", "--quiet");
        assertThat(undo.code()).as(undo.stderr()).isZero();
        assertThat(run("dedupe", "--quiet", "--reference", library.toString(), "--action", action, "--to",
                out.toString(), inbox.toString())).as(stderr).isZero();
        assertThat(stdout).isEmpty();
    }

    @ParameterizedTest(name = "--dry-run --action {0} changes nothing")
    @ValueSource(strings = {"move", "copy", "delete", "hardlink", "report"})
    void dryRunLeavesTheTreeByteIdentical(String action) throws IOException {
        Map<String, String> before = snapshot(dir);
        int code = run("dedupe", "--dry-run", "--reference", library.toString(), "--action", action, "--to",
                out.toString(), inbox.toString());
        assertThat(code).as(stderr).isZero();
        Map<String, String> after = snapshot(dir);
        after.keySet().removeIf(k -> k.startsWith("log.txt")); // the log is ours, not the user's
        before.keySet().removeIf(k -> k.startsWith("log.txt"));
        assertThat(after).isEqualTo(before);
        if (!action.equals("report")) {
            assertThat(stdout).contains("Dry run").contains(inbox.resolve("old/chirp-1.mp3").toString());
        }
    }

    @Test
    void flatOutputNeverOverwritesAndPicksUniqueNames() throws IOException {
        copyMedia("chirp-1.mp3", inbox.resolve("a/chirp.mp3"));
        copyMedia("chirp-1.mp3", inbox.resolve("b/chirp.mp3"));
        Files.createDirectories(out);
        Files.writeString(out.resolve("chirp.mp3"), "already here");
        int code = run("dedupe", "--reference", library.toString(), "--action", "move", "--flat", "--to",
                out.toString(), inbox.toString());
        assertThat(code).as(stderr).isZero();
        assertThat(out.resolve("chirp.mp3")).hasContent("already here");
        assertThat(out.resolve("chirp_1.mp3")).exists();
        assertThat(out.resolve("chirp_2.mp3")).exists();
    }

    @Test
    void jsonReportHasTheDocumentedShape() throws IOException {
        Path json = dir.resolve("report.json");
        int code = run("dedupe", "--reference", library.toString(), "--json", json.toString(), inbox.toString());
        assertThat(code).isZero();
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.get("groups")).hasSize(2);
        JsonNode first = report.get("groups").get(0);
        assertThat(first.get("hash").asText()).startsWith("xxh3:");
        assertThat(first.get("keep").asText()).startsWith(library.toRealPath().toString());
        assertThat(report.get("summary").get("duplicates").asInt()).isEqualTo(3);
        assertThat(report.get("summary").get("filesScanned").asInt()).isEqualTo(6);
        assertThat(report.get("actions")).isEmpty();
        assertThat(report.get("problems")).isEmpty();
    }

    @Test
    void jsonToStdoutIsTheOnlyOutput() throws IOException {
        int code = run("dedupe", "--json", "-", inbox.toString());
        assertThat(code).isZero();
        JsonNode report = new ObjectMapper().readTree(stdout);
        assertThat(report.get("summary").get("groups").asInt()).isEqualTo(1);
    }

    @Test
    void usageMistakesAreOneLineAndExitCode2() throws IOException {
        Map<String, String> before = snapshot(dir);
        assertThat(run("dedupe", "--action", "move", inbox.toString())).isEqualTo(2);
        assertThat(stderr.strip()).contains("needs --to").doesNotContain("Exception").hasLineCount(1);
        assertThat(run("dedupe", "--reference", library.toString(), "--action", "move", "--to",
                library.resolve("dupes").toString(), inbox.toString())).isEqualTo(2);
        assertThat(stderr).contains("inside the reference folder");
        // a --to that holds the scanned folder would "move" each duplicate to a name beside itself
        assertThat(run("dedupe", "--reference", library.toString(), "--action", "move", "--to", dir.toString(),
                inbox.toString())).isEqualTo(2);
        assertThat(stderr).contains("holds the scanned folder " + inbox);
        assertThat(run("dedupe", "--action", "move", "--to", inbox.toString(), inbox.toString())).isEqualTo(2);
        assertThat(stderr).contains("holds the scanned folder");
        assertThat(run("dedupe", "--action", "shred", inbox.toString())).isEqualTo(2);
        assertThat(run("dedupe", "--no-such-flag", inbox.toString())).isEqualTo(2);
        assertThat(run("dedupe")).isEqualTo(2);
        before.keySet().removeIf(k -> k.startsWith("log.txt") || k.startsWith("journal"));
        Map<String, String> after = snapshot(dir);
        after.keySet().removeIf(k -> k.startsWith("log.txt") || k.startsWith("journal"));
        assertThat(after).isEqualTo(before);
    }

    @Test
    void aMissingFolderIsReportedAndTheRestIsStillDone() throws IOException {
        int code = run("dedupe", "--reference", library.toString(), "--action", "delete", inbox.toString(),
                dir.resolve("missing").toString());
        assertThat(code).isEqualTo(1);
        assertThat(stderr).contains("missing").contains("folder does not exist");
        assertThat(inbox.resolve("old/chirp-1.mp3")).doesNotExist();
        assertThat(inbox.resolve(".cleanbackup-trash")).isDirectory();
    }

    @Test
    void theOutputFolderInsideAScannedFolderIsNotScannedAgain() throws IOException {
        Path inside = inbox.resolve("dupes");
        int code = run("dedupe", "--reference", library.toString(), "--action", "copy", "--to", inside.toString(),
                inbox.toString());
        assertThat(code).isZero();
        int again = run("dedupe", "--reference", library.toString(), "--action", "copy", "--to", inside.toString(),
                "--json", "-", inbox.toString());
        assertThat(again).isZero();
        JsonNode report = new ObjectMapper().readTree(stdout);
        assertThat(report.get("summary").get("filesScanned").asInt()).as("4 in the inbox, 2 in the library, none of the 3 copies").isEqualTo(6);
    }

    @Test
    void aMoveToAnotherFileSystemIsCopiedVerifiedAndDeleted() throws IOException {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm), "no writable /dev/shm (tmpfs) to move to");
        Path other = Files.createTempDirectory(shm, "cleanbackup-test");
        try {
            assumeTrue(!Files.getFileStore(other).equals(Files.getFileStore(dir)), "/dev/shm is on the same file system");
            byte[] original = Files.readAllBytes(inbox.resolve("old/chirp-1.mp3"));
            int code = run("dedupe", "--reference", library.toString(), "--action", "move", "--to", other.toString(),
                    inbox.toString());
            assertThat(code).as(stderr).isZero();
            assertThat(other.resolve("inbox/old/chirp-1.mp3")).hasBinaryContent(original);
            assertThat(Files.getLastModifiedTime(other.resolve("inbox/old/chirp-1.mp3")).toMillis())
                    .isEqualTo(1_500_000_000_000L);
            assertThat(inbox.resolve("old/chirp-1.mp3")).doesNotExist();
        } finally {
            try (Stream<Path> walk = Files.walk(other)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void namesModeActsOnlyOnIdenticalCopiesUnlessNamesAreTrusted() throws IOException {
        copyMedia("chirp-1.mp3", inbox.resolve("chirp-1.mp3"));
        copyMedia("chirp-3.mp3", inbox.resolve("chirp-2 - Copy.mp3"));     // says copy of chirp-2, is not
        copyMedia("chirp-3.mp3", inbox.resolve("Track (1) - Intro.mp3"));  // look-alike without an original
        int code = run("dedupe", "--mode", "names", "--action", "move", "--to", out.toString(), inbox.toString());
        assertThat(code).as(stderr).isZero();
        assertThat(out.resolve("inbox/chirp-1 (1).mp3")).exists();
        assertThat(inbox.resolve("chirp-2 - Copy.mp3")).as("different content stays").exists();
        assertThat(inbox.resolve("Track (1) - Intro.mp3")).exists();
        assertThat(stdout).contains("different content");

        code = run("dedupe", "--mode", "names", "--trust-names", "--action", "move", "--to", out.toString(),
                inbox.toString());
        assertThat(code).as(stderr).isZero();
        assertThat(out.resolve("inbox/chirp-2 - Copy.mp3")).exists();
        assertThat(inbox.resolve("chirp-1.mp3")).as("originals are never moved").exists();
    }

    /**
     * Names with a newline and an escape sequence (one that would clear the screen) are printed escaped, one file
     * one line, in the report, the dry-run plan and the problems; the JSON keeps them exact.
     */
    @Test
    void controlCharactersInNamesAreEscapedOnTheTerminalAndExactInJson() throws IOException {
        Path odd = dir.resolve("odd");
        String screenClear = "b\u001b[2J\u001b[31mred.mp3";
        copyMedia("chirp-1.mp3", odd.resolve(screenClear));
        copyMedia("chirp-1.mp3", odd.resolve("new\nline.mp3"));

        assertThat(run("dedupe", "--dry-run", "--action", "delete", odd.toString())).as(stderr).isZero();

        assertThat(stdout).doesNotContain("\u001b").contains("b\\e[2J\\e[31mred.mp3").contains("new\\nline.mp3");
        assertThat(stdout.lines().filter(l -> l.contains("line.mp3"))).allMatch(l -> l.contains("new\\nline.mp3"));

        assertThat(run("dedupe", "--json", "-", odd.toString())).isZero();
        assertThat(stdout).contains("b\\u001B[2J\\u001B[31mred.mp3").contains("new\\nline.mp3");
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(stdout);
        assertThat(json.toString()).contains(new com.fasterxml.jackson.databind.ObjectMapper()
                .writeValueAsString(odd.resolve(screenClear).toString()));
    }

    /** The executor's own steps are not actions a user can ask for. */
    @Test
    void internalActionTypesAreRefused() {
        for (String internal : List.of("purge", "remove_dir", "restore", "remove", "create")) {
            assertThat(run("dedupe", "--action", internal, inbox.toString())).as(internal).isEqualTo(ExitCodes.USAGE);
            assertThat(stderr).contains("unknown --action '" + internal + "'");
        }
    }

    /** A report that cannot be written is refused before anything changes, not found after, with a stack trace. */
    @Test
    void anUnwritableJsonPathIsAUsageErrorBeforeAnyChange() throws IOException {
        Map<String, String> before = snapshot(inbox);
        for (String json : List.of(dir.resolve("no/such/folder/r.json").toString(), dir.toString())) {
            assertThat(run("dedupe", "--reference", library.toString(), "--action", "delete", "--json", json,
                    inbox.toString())).as(json).isEqualTo(ExitCodes.USAGE);
            assertThat(stderr).contains("--json").contains("nothing was changed").doesNotContain("Exception");
        }
        assertThat(snapshot(inbox)).isEqualTo(before);
    }
}
