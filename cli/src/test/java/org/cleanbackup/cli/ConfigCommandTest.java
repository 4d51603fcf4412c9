package org.cleanbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCommandTest {

    @TempDir
    Path dir;

    private String previous;
    private Path config;
    private String stdout;
    private String stderr;

    @BeforeEach
    void useTempSettings() throws IOException {
        previous = System.getProperty("cleanbackup.config");
        config = dir.resolve("config/config.properties");
        System.setProperty("cleanbackup.config", config.toString());
        Files.createDirectories(dir.resolve("inbox"));
        Files.writeString(dir.resolve("inbox/a.mp3"), "same");
        Files.writeString(dir.resolve("inbox/b.mp3"), "same");
    }

    @AfterEach
    void restore() {
        if (previous == null) {
            System.clearProperty("cleanbackup.config");
        } else {
            System.setProperty("cleanbackup.config", previous);
        }
    }

    private int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), args);
        stdout = o.toString();
        stderr = e.toString();
        return code;
    }

    private int dedupe(String... extra) {
        String[] base = {"dedupe", "--journal", dir.resolve("j.db").toString(), "--log-file",
                dir.resolve("log").toString(), "--to", dir.resolve("out").toString()};
        String[] all = java.util.Arrays.copyOf(base, base.length + extra.length + 1);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        all[all.length - 1] = dir.resolve("inbox").toString();
        return run(all);
    }

    @Test
    void aFlagBeatsTheFileAndTheFileBeatsTheDefault() {
        assertThat(run("config", "list")).isZero();
        assertThat(stdout).contains("action").contains("built-in default");

        assertThat(run("config", "set", "action", "copy")).isZero();
        assertThat(config).content().contains("action=copy");
        assertThat(run("config", "list")).isZero();
        assertThat(stdout).containsPattern("action\\s+copy\\s+" + java.util.regex.Pattern.quote(config.toString()));

        assertThat(dedupe("--dry-run")).isZero();
        assertThat(stdout).as("the file's action applies").contains("copy ");
        assertThat(stderr.lines().findFirst()).as("and says so first").hasValueSatisfying(l -> assertThat(l)
                .startsWith("note: --action copy comes from the settings file " + config));
        assertThat(dedupe("--dry-run", "--action", "delete")).isZero();
        assertThat(stdout).as("the flag wins").contains("-> trash").doesNotContain("copy  ");

        assertThat(run("config", "unset", "action")).isZero();
        assertThat(dedupe()).isZero();
        assertThat(stdout).as("back to the default: report").contains("Found 1 group");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void aBadValueInTheFileStopsEveryCommandBeforeItTouchesAnything() throws IOException {
        Files.createDirectories(config.getParent());
        Files.writeString(config, "threads=lots\n");
        assertThat(dedupe("--action", "move")).isEqualTo(ExitCodes.USAGE);
        assertThat(stderr).contains("threads").contains(config.toString()).contains("lots");
        assertThat(dir.resolve("inbox/b.mp3")).exists();
        assertThat(dir.resolve("out")).doesNotExist();

        assertThat(run("config", "unset", "threads")).as("config itself still runs, to repair").isZero();
        assertThat(dedupe()).isZero();
    }

    @Test
    void setRefusesBadValuesAndUnknownKeys() {
        assertThat(run("config", "set", "threads", "0")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("config", "set", "colour", "blue")).isEqualTo(ExitCodes.USAGE);
        assertThat(stderr).contains("unknown key 'colour'");
        assertThat(config).doesNotExist();
    }

    /** A saved similar-mode setting is a default for similar runs, not an error in an exact one. */
    @Test
    void aSimilarModeSettingDoesNotBreakAnExactDedupe() {
        assertThat(run("config", "set", "sensitivity", "aggressive")).isZero();
        assertThat(run("config", "set", "threshold", "12")).isZero();

        assertThat(dedupe()).as(stderr).isZero();
        assertThat(stdout).contains("Found 1 group");
    }
}
