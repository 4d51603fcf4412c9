package org.cleanbackup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cleanbackup.dates.CaptureDates;
import org.cleanbackup.plan.DedupePlanner;
import org.cleanbackup.group.ExactDuplicateFinder;
import org.cleanbackup.execute.ExecutionReport;
import org.cleanbackup.execute.FileOperations;
import org.cleanbackup.execute.PlanExecutor;
import org.cleanbackup.execute.RetryPolicy;
import org.cleanbackup.hash.ContentHashers;
import org.cleanbackup.journal.Journal;
import org.cleanbackup.journal.SqliteJournal;
import org.cleanbackup.organize.Layout;
import org.cleanbackup.organize.OrganizePlanner;
import org.cleanbackup.plan.Plan;
import org.cleanbackup.model.ProgressListener;
import org.cleanbackup.scan.ScanOptions;
import org.cleanbackup.scan.ScanResult;
import org.cleanbackup.scan.ScanRoot;
import org.cleanbackup.scan.Scanner;
import org.cleanbackup.undo.CrashRecovery;
import org.cleanbackup.undo.Undo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door of the library: the few calls most programs need, each a thin shortcut through the pipeline
 * (scan, hash, group, plan, execute) that the {@code cleanbackup} command uses too.
 *
 * <pre>{@code
 * try (SqliteJournal journal = CleanBackup.openJournal(journalFile)) {
 *     DedupePlan plan = CleanBackup.dedupe(DedupeRequest.of(inbox).withReferences(library).moveTo(dupes));
 *     ExecutionReport done = plan.execute(journal);   // journaled: every change can be undone
 *     Undo undo = CleanBackup.undo(journal);
 *     undo.run(undo.lastUndoable().orElseThrow(), ProgressListener.NONE);
 * }
 * }</pre>
 *
 * <p>For the other features, the entry points are: {@code PerceptualHashers.fastest().hash(path)} (perceptual
 * hashes, with {@code cleanbackup-phash-java} or {@code cleanbackup-phash-native} on the class path),
 * {@code new CaptureDates().read(path)} (capture dates), {@code SimilarImageFinder} (look-alike images) and
 * {@code CompressionPlanner} (smaller copies). Every type they use is in one of the {@code org.cleanbackup.*}
 * packages; {@code org.cleanbackup.internal} is not API.
 *
 * @since 0.1
 */
public final class CleanBackup {

    private static final Logger LOG = LoggerFactory.getLogger(CleanBackup.class);

    /** How long {@link #openJournal(Path)} waits for another run that holds the journal. */
    private static final long JOURNAL_WAIT_MILLIS = 5_000;

    private CleanBackup() {
    }

    /**
     * Finds the exact duplicates the request asks about and plans what to do with them. Changes nothing: the
     * returned plan is a dry run until {@link DedupePlan#execute(Journal)}.
     */
    public static DedupePlan dedupe(DedupeRequest request) {
        return dedupe(request, ProgressListener.NONE);
    }

    /** Like {@link #dedupe(DedupeRequest)}, reporting each phase (scan, hashing) to {@code progress}. */
    public static DedupePlan dedupe(DedupeRequest request, ProgressListener progress) {
        List<ScanRoot> roots = new ArrayList<>();
        request.references().forEach(r -> roots.add(ScanRoot.reference(r)));
        request.sources().forEach(s -> roots.add(ScanRoot.source(s)));
        ScanOptions options = ScanOptions.of(roots, request.types());
        if (request.to() != null) {
            options = options.excluding(List.of(request.to())); // what was moved aside is not scanned again
        }
        ScanResult scan = new Scanner(options).scan();
        ExactDuplicateFinder.Result found = new ExactDuplicateFinder(new ExactDuplicateFinder.Options(
                ContentHashers.defaultHasher(), 0, request.threads(), request.keep())).find(scan.files(), progress);
        String command = "dedupe" + (request.action() == null ? "" : " --action " + request.action().userName());
        Plan plan = request.action() == null ? new Plan(command, List.of())
                : new DedupePlanner(request.action(), request.to(), false).plan(found.groups(), command);
        return new DedupePlan(scan, found, plan);
    }

    /**
     * Plans an import of the photos and videos in {@code sources} into {@code destination}, filed by capture date
     * with {@code layout} (e.g. {@code new Layout("{yyyy}/{MM}", Locale.ROOT)}), copying and skipping what the
     * destination already holds. Changes nothing: carry out {@link OrganizePlanner.Result#plan()} with
     * {@link #execute(Plan, Journal)}.
     */
    public static OrganizePlanner.Result organize(List<Path> sources, Path destination, Layout layout) {
        return new OrganizePlanner(OrganizePlanner.Options.of(sources, destination, layout))
                .scanGroupAndPlan("organize", ProgressListener.NONE);
    }

    /**
     * Carries out a plan through {@code journal} with the real file system and the default retries (3, from 1 s,
     * doubling): each change is journaled before the disk is touched, nothing is overwritten, a copy is verified
     * before its source is removed.
     */
    public static ExecutionReport execute(Plan plan, Journal journal) {
        return execute(plan, journal, ProgressListener.NONE);
    }

    /** Like {@link #execute(Plan, Journal)}, reporting progress. */
    public static ExecutionReport execute(Plan plan, Journal journal, ProgressListener progress) {
        return new PlanExecutor(journal, FileOperations.system(), RetryPolicy.defaults()).execute(plan, progress);
    }

    /**
     * Opens the SQLite journal in {@code file}, creating it (and its folder) when missing, and settles a run that
     * was interrupted (what it completed is kept, a half-made change rolled back; each is logged). Waits up to 5 s
     * when another run holds it, then fails naming that process. Close it when done.
     */
    public static SqliteJournal openJournal(Path file) {
        SqliteJournal journal = SqliteJournal.open(file, true, JOURNAL_WAIT_MILLIS);
        try {
            CrashRecovery.reconcile(journal).forEach(note -> LOG.info("{}", note));
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
        return journal;
    }

    /**
     * Undo over {@code journal}: {@link Undo#lastUndoable()} or {@link Undo#session(long)} picks a run,
     * {@link Undo#plan} shows its steps, {@link Undo#run} reverses it (itself a journaled run).
     */
    public static Undo undo(Journal journal) {
        return new Undo(journal, new PlanExecutor(journal, FileOperations.system(), RetryPolicy.defaults()));
    }
}
