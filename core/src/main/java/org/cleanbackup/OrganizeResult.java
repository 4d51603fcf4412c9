package org.cleanbackup;

import java.util.List;
import org.cleanbackup.model.Problem;
import org.cleanbackup.organize.OrganizedFile;
import org.cleanbackup.plan.Plan;
import org.cleanbackup.scan.LeftOut;

/**
 * What {@link CleanBackup#organize(OrganizeRequest)} plans. Nothing has changed on disk yet: carry out
 * {@link #plan()} with {@link CleanBackup#execute(Plan, org.cleanbackup.journal.Journal)}.
 *
 * @param request  what was asked
 * @param plan     the moves or copies, in order
 * @param files    every source file with its decision (its target, or why it is skipped)
 * @param problems what could not be read
 * @param notes    things worth telling that are not failures
 * @param leftOut  what the scan of the sources did not consider (other types, empty files, links), and why
 * @since 0.3
 */
public record OrganizeResult(OrganizeRequest request, Plan plan, List<OrganizedFile> files, List<Problem> problems,
                             List<String> notes, LeftOut leftOut) {

    /** Copies the lists. */
    public OrganizeResult {
        files = List.copyOf(files);
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
    }
}
