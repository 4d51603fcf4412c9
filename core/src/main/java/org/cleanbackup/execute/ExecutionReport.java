package org.cleanbackup.execute;

import java.util.List;

/**
 * What a run of a plan did.
 *
 * @param sessionId the journal session, for undo
 * @param outcomes  one per action, in plan order
 * @param stoppedBecause why the run stopped early, or null when every action was tried
 * @param interrupted    whether the caller asked the run to stop (Ctrl-C): the actions not tried are SKIPPED, and
 *                       the ones DONE are in the journal for undo
 */
public record ExecutionReport(long sessionId, List<Outcome> outcomes, String stoppedBecause, boolean interrupted) {

    /** The message of an action that was not tried because the run was interrupted before it. */
    public static final String NOT_TRIED_INTERRUPTED = "not tried: " + PlanExecutor.INTERRUPTED;

    public ExecutionReport {
        outcomes = List.copyOf(outcomes);
    }

    /** A report of a run that was not asked to stop. */
    public ExecutionReport(long sessionId, List<Outcome> outcomes, String stoppedBecause) {
        this(sessionId, outcomes, stoppedBecause, false);
    }

    /** How many actions ended with the given status. */
    public long count(Outcome.Status status) {
        return outcomes.stream().filter(o -> o.status() == status).count();
    }

    /**
     * Whether {@code outcome} is an action not tried because the run was interrupted before it: nothing happened to
     * its file, and nothing is wrong with it (not a problem to list; run the command again for it).
     */
    public static boolean notTriedAfterInterrupt(Outcome outcome) {
        return outcome.status() == Outcome.Status.SKIPPED && NOT_TRIED_INTERRUPTED.equals(outcome.message());
    }

    /** The bytes of the files whose action was done. */
    public long bytesDone() {
        return outcomes.stream().filter(o -> o.status() == Outcome.Status.DONE).mapToLong(o -> o.action().size()).sum();
    }
}
