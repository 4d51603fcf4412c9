package org.cleanbackup;

import java.util.ArrayList;
import java.util.List;
import org.cleanbackup.group.DuplicateGroup;
import org.cleanbackup.group.ExactDuplicateFinder;
import org.cleanbackup.execute.ExecutionReport;
import org.cleanbackup.hash.ContentHashers;
import org.cleanbackup.journal.Journal;
import org.cleanbackup.plan.Plan;
import org.cleanbackup.report.DedupeReport;
import org.cleanbackup.model.ProgressListener;
import org.cleanbackup.model.Problem;
import org.cleanbackup.scan.ScanResult;

/**
 * What {@link CleanBackup#dedupe(DedupeRequest)} found and plans to do. Nothing has changed on disk yet: look at
 * {@link #groups()} and {@link #plan()}, then {@link #execute(Journal)} it, or drop it (a dry run).
 *
 * @param scan  the files scanned, with the problems met while scanning
 * @param found the groups of identical files and the files that could not be read
 * @param plan  one action per duplicate (empty when the request only reports)
 * @since 0.1
 */
public record DedupePlan(ScanResult scan, ExactDuplicateFinder.Result found, Plan plan) {

    /** The groups of identical files, largest reclaimable size first. */
    public List<DuplicateGroup> groups() {
        return found.groups();
    }

    /** Files that could not be scanned or read: they are in no group. */
    public List<Problem> problems() {
        List<Problem> all = new ArrayList<>(scan.problems());
        all.addAll(found.problems());
        return List.copyOf(all);
    }

    /**
     * Carries out the plan through {@code journal} (each change journaled before the disk is touched, nothing
     * overwritten, failed steps retried), so that {@link CleanBackup#undo(Journal)} can reverse it.
     */
    public ExecutionReport execute(Journal journal) {
        return CleanBackup.execute(plan, journal);
    }

    /**
     * The whole run as one report (counts, bytes, problems; {@link DedupeReport#writeJson} writes the documented
     * JSON).
     *
     * @param execution what {@link #execute(Journal)} returned, or null when nothing was carried out
     */
    public DedupeReport report(ExecutionReport execution) {
        return DedupeReport.builder()
                .scanned(scan.files().size(), scan.totalBytes())
                .groups(groups())
                .plan(plan)
                .execution(execution)
                .problems(problems())
                .hash(ContentHashers.defaultHasher().name(), found.partialHash())
                .dryRun(execution == null && !plan.isEmpty())
                .build();
    }

    /** Like {@link #execute(Journal)}, reporting each phase to {@code progress}. */
    public ExecutionReport execute(Journal journal, ProgressListener progress) {
        return CleanBackup.execute(plan, journal, progress);
    }
}
