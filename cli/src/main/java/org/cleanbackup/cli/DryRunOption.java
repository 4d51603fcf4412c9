package org.cleanbackup.cli;

import picocli.CommandLine.Option;

/** {@code --dry-run}, shared by the commands that change files (a picocli mixin). */
final class DryRunOption {

    @Option(names = "--dry-run", description = "Print what would be done and change nothing.")
    boolean on;

    /** Whether only a dry run was asked for. */
    boolean requested() {
        return on;
    }

    /** The core's name for it. */
    org.cleanbackup.Run run() {
        return on ? org.cleanbackup.Run.DRY_RUN : org.cleanbackup.Run.FOR_REAL;
    }
}
