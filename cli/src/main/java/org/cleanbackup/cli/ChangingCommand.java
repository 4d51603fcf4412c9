package org.cleanbackup.cli;

import org.cleanbackup.CleanBackup;
import org.cleanbackup.journal.Journal;
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

    /**
     * For a command that plans before it changes: the journal, opened (created when missing) before the scan and held
     * to the end, so a second run waits or is refused rather than plan from a tree this one is changing; null for a
     * dry run, which changes nothing.
     */
    final Journal journalUnlessDryRun() {
        return dryRun.requested() ? null : openJournal(CleanBackup.IfMissing.CREATE);
    }
}
