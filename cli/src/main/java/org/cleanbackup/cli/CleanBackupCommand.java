package org.cleanbackup.cli;

import picocli.CommandLine.Command;

/** The top-level {@code cleanbackup} command: only a list of subcommands. */
@Command(name = "cleanbackup",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        description = "Brings order to messy photo, video and music backups.",
        subcommands = {OrganizeCommand.class, DedupeCommand.class, CompressCommand.class, HashCommand.class, BackendsCommand.class, CacheCommand.class,
                UndoCommand.class, TrashCommand.class, ConfigCommand.class, CompletionCommand.class,
                picocli.CommandLine.HelpCommand.class},
        footer = {"", "Examples:",
                "  cleanbackup dedupe --dry-run ~/Music/inbox",
                "  cleanbackup dedupe --reference ~/Music/library --action move --to ~/dupes ~/Music/inbox",
                "  cleanbackup compress --level 2 ~/Pictures ~/Pictures-small",
                "", "Exit codes: 0 done, 1 done with problems (listed), 2 usage error (nothing changed)."})
final class CleanBackupCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
