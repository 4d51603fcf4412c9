package org.cleanbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command tree is built lazily (start-up); these check that laziness changes nothing a user sees. */
class CommandTreeTest {

    @Test
    void everySubcommandIsRegisteredUnderItsOwnName() {
        Map<String, CommandLine> all = CleanBackupCommand.commandLine().getSubcommands();
        assertThat(all).containsKeys("organize", "dedupe", "compress", "hash", "backends", "cache", "undo", "trash",
                "config", "completion", "help");
        all.forEach((name, cli) -> assertThat(cli.getCommandSpec().userObject().getClass()
                .getAnnotation(CommandLine.Command.class).name()).as(name).isEqualTo(name));
    }

    @Test
    void aRunOfOneSubcommandBuildsOnlyThatOne() {
        assertThat(CleanBackupCommand.commandLineFor("dedupe", "--dry-run", "x").getSubcommands())
                .containsOnlyKeys("dedupe");
        assertThat(CleanBackupCommand.commandLineFor("--version").getSubcommands()).isEmpty();
        assertThat(CleanBackupCommand.commandLineFor("--help").getSubcommands()).hasSizeGreaterThan(10);
        assertThat(CleanBackupCommand.commandLineFor("help", "dedupe").getSubcommands()).hasSizeGreaterThan(10);
    }

    @Test
    void aMistypedCommandStillGetsASuggestionAndTheTopLevelHelpListsEveryCommand() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "dedup", "x");
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("dedupe");

        StringWriter help = new StringWriter();
        assertThat(Main.run(new PrintWriter(help), new PrintWriter(new StringWriter()), "--help")).isZero();
        assertThat(help.toString()).contains("organize", "dedupe", "compress", "undo", "completion");
    }

    @Test
    void completionCoversEveryCommandThoughItsRunBuiltOnlyItself() {
        StringWriter out = new StringWriter();
        assertThat(Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "completion", "bash")).isZero();
        assertThat(out.toString()).contains("organize", "dedupe", "compress", "--max-hash-bytes");
    }
}
