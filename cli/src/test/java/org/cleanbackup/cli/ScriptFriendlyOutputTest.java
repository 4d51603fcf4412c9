package org.cleanbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What a script relies on, checked across every command: {@code --quiet} prints only errors (and with
 * {@code --json -} only the JSON), and exit codes mean the same everywhere (README "Exit codes"). That output that is
 * not a terminal, or a terminal with {@code NO_COLOR} set, holds no escape sequences and no progress bars needs the
 * command in a JVM of its own: {@link ScriptFriendlyOutputIT}.
 */
class ScriptFriendlyOutputTest {

    @TempDir
    Path dir;

    private String previousConfig;
    private Path samples;
    private String stdout;
    private String stderr;

    @BeforeEach
    void setUp() throws IOException {
        previousConfig = System.getProperty("cleanbackup.config");
        System.setProperty("cleanbackup.config", dir.resolve("config/config.properties").toString());
        samples = copySamples(dir);
    }

    /** A copy of the bundled samples/ in {@code dir/samples}, file times kept. */
    static Path copySamples(Path dir) throws IOException {
        Path samples = dir.resolve("samples");
        Path bundled = Path.of("..", "samples");
        try (Stream<Path> walk = Files.walk(bundled)) {
            for (Path p : walk.toList()) {
                Path to = samples.resolve(bundled.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return samples;
    }

    @AfterEach
    void restore() {
        if (previousConfig == null) {
            System.clearProperty("cleanbackup.config");
        } else {
            System.setProperty("cleanbackup.config", previousConfig);
        }
    }

    private String s(String relative) {
        return samples.resolve(relative).toString();
    }

    private int run(String... args) {
        CliRun run = CliRun.isolated(dir, args);
        stdout = run.stdout();
        stderr = run.stderr();
        return run.code();
    }

    /** Command lines that succeed on the samples, in an order that leaves something to undo and list. */
    private List<String[]> commandsThatSucceed() {
        String lib = dir.resolve("library").toString();
        return List.of(
                new String[] {"hash", s("photos")},
                new String[] {"backends"},
                new String[] {"dedupe", "--reference", s("music/library"), s("music/inbox"), s("photos")},
                new String[] {"dedupe", "--mode", "similar", s("photos")},
                new String[] {"dedupe", "--mode", "names", samples.toString()},
                new String[] {"organize", "--dry-run", s("photos"), s("phone"), lib},
                new String[] {"organize", s("photos"), s("phone"), lib},
                new String[] {"compress", "--dry-run", "--only", "images", s("photos"), dir.resolve("small").toString()},
                new String[] {"undo", "--list"},
                new String[] {"undo", "--dry-run"},
                new String[] {"undo"},
                new String[] {"dedupe", "--reference", s("music/library"), "--action", "delete", s("music/inbox")},
                new String[] {"trash", "list"},
                new String[] {"trash", "empty", "--dry-run"},
                new String[] {"cache", "stats"},
                new String[] {"config", "list"},
                new String[] {"config", "set", "threads", "2"},
                new String[] {"config", "get", "threads"},
                new String[] {"config", "unset", "threads"});
    }

    @Test
    void quietPrintsNothingButErrorsAndJsonStillGoesToStdout() throws IOException {
        for (String[] command : commandsThatSucceed()) {
            String[] quiet = concat(command, "--quiet");
            assertThat(run(quiet)).as(String.join(" ", quiet) + "\n" + stderr).isZero();
            assertThat(stdout).as(String.join(" ", quiet) + ": stdout").isEmpty();
            assertThat(stderr).as(String.join(" ", quiet) + ": stderr").isEmpty();
        }
        ObjectMapper mapper = new ObjectMapper();
        for (String[] command : List.of(new String[] {"hash", s("photos")}, new String[] {"undo", "--list"},
                new String[] {"trash", "list"}, new String[] {"config", "list"}, new String[] {"backends"})) {
            String[] quietJson = concat(command, "--quiet", "--json", "-");
            assertThat(run(quietJson)).as(String.join(" ", quietJson)).isZero();
            assertThat(mapper.readTree(stdout)).as(String.join(" ", quietJson)).isNotEmpty();
            assertThat(stderr).isEmpty();
        }

        Path broken = Files.writeString(Files.createDirectories(dir.resolve("broken")).resolve("broken.jpg"), "no picture");
        assertThat(run("hash", "--quiet", s("photos/inbox/backup"), broken.toString())).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(stdout).isEmpty();
        assertThat(stderr.lines()).singleElement().asString().startsWith("problem: " + broken);
    }

    @Test
    void exitCodesMeanTheSameInEveryCommand() throws IOException {
        // 2: a usage error, one line on stderr, nothing changed. The same for every command.
        CommandLine model = new CommandLine(new CleanBackupCommand());
        for (String name : model.getSubcommands().keySet()) {
            assertThat(run(name, "--no-such-option")).as(name).isEqualTo(ExitCodes.USAGE);
            assertThat(stderr).as(name).startsWith("cleanbackup: Unknown option: '--no-such-option'");
        }
        for (String[] usage : List.of(new String[] {"cache", "nope"}, new String[] {"trash", "nope"},
                new String[] {"config", "nope"}, new String[] {"config", "set", "threads", "lots"},
                new String[] {"completion", "fish"}, new String[] {"undo", "nope"},
                new String[] {"dedupe", "--action", "move", s("music/inbox")},
                new String[] {"organize", s("photos"), s("photos/inbox")},
                new String[] {"compress", s("photos"), s("photos/inbox")},
                new String[] {"hash", "--content", "--algorithm", "crc7", s("photos")})) {
            assertThat(run(usage)).as(String.join(" ", usage) + "\n" + stderr).isEqualTo(ExitCodes.USAGE);
            assertThat(stderr.lines().findFirst().orElse("")).as(String.join(" ", usage)).startsWith("cleanbackup: ");
            assertThat(stdout).as(String.join(" ", usage)).isEmpty();
        }
        assertThat(dir.resolve("journal.db")).as("no usage error started a run").doesNotExist();
        assertThat(samples.resolve("photos/inbox").toFile().list()).as("nothing was made in SOURCE").hasSize(5);

        // 1: done, but some files could not be read; each is one 'problem:' line.
        Path broken = Files.writeString(Files.createDirectories(dir.resolve("broken")).resolve("broken.jpg"), "no picture");
        assertThat(run("hash", broken.toString())).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(stderr).startsWith("problem: " + broken);
        assertThat(run("dedupe", dir.resolve("missing").toString(), s("music"))).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(stderr).startsWith("problem: " + dir.resolve("missing"));
        assertThat(run("dedupe", "--mode", "similar", broken.getParent().toString())).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(stderr).startsWith("problem: " + broken);

        // 0: done.
        for (String[] command : commandsThatSucceed()) {
            assertThat(run(command)).as(String.join(" ", command) + "\n" + stderr).isZero();
        }
    }


    private static String[] concat(String[] command, String... more) {
        String[] all = new String[command.length + more.length];
        System.arraycopy(command, 0, all, 0, command.length);
        System.arraycopy(more, 0, all, command.length, more.length);
        return all;
    }
}
