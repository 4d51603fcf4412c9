package org.cleanbackup.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The top-level {@code cleanbackup} command: only a list of subcommands.
 *
 * <p>The subcommands are registered here, not in the annotation, so that a run builds the picocli model of the one
 * it runs: building all of them (reflection over every option of every command) was most of the start-up time.
 */
@Command(name = "cleanbackup",
        mixinStandardHelpOptions = true,
        // No command is a method: this skips picocli's scan of every method for @Command at each start (~15 ms).
        // The subcommands say the same.
        addMethodSubcommands = false,
        versionProvider = ManifestVersion.class,
        description = "Brings order to messy photo, video and music backups.",
        footer = {"", "Examples:",
                "  cleanbackup dedupe --dry-run ~/Music/inbox",
                "  cleanbackup dedupe --reference ~/Music/library --action move --to ~/dupes ~/Music/inbox",
                "  cleanbackup compress --level 2 ~/Pictures ~/Pictures-small",
                "", "Exit codes: 0 done, 1 done with problems (listed), 2 usage error (nothing changed)."})
final class CleanBackupCommand implements Runnable {

    /** Every subcommand by name, in the order the help lists them. */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("organize", OrganizeCommand::new);
        SUBCOMMANDS.put("dedupe", DedupeCommand::new);
        SUBCOMMANDS.put("review", ReviewCommand::new);
        SUBCOMMANDS.put("compress", CompressCommand::new);
        SUBCOMMANDS.put("hash", HashCommand::new);
        SUBCOMMANDS.put("backends", BackendsCommand::new);
        SUBCOMMANDS.put("cache", CacheCommand::new);
        SUBCOMMANDS.put("undo", UndoCommand::new);
        SUBCOMMANDS.put("apply", ApplyCommand::new);
        SUBCOMMANDS.put("trash", TrashCommand::new);
        SUBCOMMANDS.put("config", ConfigCommand::new);
        SUBCOMMANDS.put("completion", CompletionCommand::new);
        SUBCOMMANDS.put("help", CommandLine.HelpCommand::new);
    }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The whole command tree: for the top-level help, shell completion and tests. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new CleanBackupCommand());
        SUBCOMMANDS.forEach((name, command) -> cli.addSubcommand(name, command.get()));
        return cli;
    }

    /**
     * The command tree for these arguments: when they start with a subcommand's name (all but {@code help} need
     * only their own model), only that subcommand; for {@code --version}, none; otherwise, for help and for
     * suggestions after a typo, every one.
     */
    static CommandLine commandLineFor(String... args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return new CommandLine(new CleanBackupCommand());
        }
        if (args.length > 0 && SUBCOMMANDS.containsKey(args[0]) && !args[0].equals("help")) {
            CommandLine cli = new CommandLine(new CleanBackupCommand());
            cli.addSubcommand(args[0], SUBCOMMANDS.get(args[0]).get());
            return cli;
        }
        return commandLine();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
