package org.cleanbackup.execute;

import java.util.List;

/**
 * What a run of a plan did.
 *
 * @param sessionId the journal session, for undo
 * @param outcomes  one per action, in plan order
 * @param stoppedBecause why the run stopped early, or null when every action was tried
 */
public record ExecutionReport(long sessionId, List<Outcome> outcomes, String stoppedBecause) {

    public ExecutionReport {
        outcomes = List.copyOf(outcomes);
    }

    /** How many actions ended with the given status. */
    public long count(Outcome.Status status) {
        return outcomes.stream().filter(o -> o.status() == status).count();
    }

    /** The bytes of the files whose action was done. */
    public long bytesDone() {
        return outcomes.stream().filter(o -> o.status() == Outcome.Status.DONE).mapToLong(o -> o.action().size()).sum();
    }
}
