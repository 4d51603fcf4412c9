package org.cleanbackup.plan;

import java.util.List;
import java.util.Objects;

/**
 * The changes a command wants to make, in order. A dry run prints a plan; a real run hands it to the executor,
 * which journals each action before touching the disk.
 *
 * @param command what asked for it, for the journal ("dedupe --action move ...")
 * @param actions the changes, in the order they will be made
 */
public record Plan(String command, List<Action> actions) {

    public Plan {
        Objects.requireNonNull(command, "command");
        actions = List.copyOf(actions);
    }

    /** True when the plan changes nothing. */
    public boolean isEmpty() {
        return actions.isEmpty();
    }

    /** The bytes the plan's sources hold. */
    public long totalBytes() {
        return actions.stream().mapToLong(Action::size).sum();
    }
}
