package org.cleanbackup.cli;

import picocli.CommandLine.Mixin;

/**
 * A command that changes files (compress, dedupe, organize, trash, undo): besides what every command takes, it takes
 * {@code --dry-run}, to print what it would do and change nothing, and {@code --json}, the report for scripts.
 */
abstract class ChangingCommand extends BaseCommand {

    @Mixin
    DryRunOption dryRun;

    @Mixin
    JsonOption json;
}
