package org.cleanbackup.execute;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.cleanbackup.internal.TemporaryFiles;
import org.cleanbackup.journal.Journal;
import org.cleanbackup.journal.SessionState;
import org.cleanbackup.plan.Action;
import org.cleanbackup.plan.Plan;
import org.cleanbackup.model.ProgressListener;
import org.cleanbackup.model.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a {@link Plan}, one action at a time, through the {@link Journal}.
 *
 * <p>For every action: check that the source is still what was planned (size and modification time), choose a
 * free target name, write the intent to the journal (durable before anything else), create missing folders
 * (each journaled first), make the change, and journal it done. The executor never overwrites: links and new
 * files are created with CREATE_NEW semantics and a taken name moves on to {@code name_1.ext}, {@code name_2.ext}.
 *
 * <p>A move within one file system places the file with link(2), which fails atomically rather than replace an
 * existing name (rename(2) would silently replace it), then removes the old name; where hard links are not
 * supported it falls back to a rename that refuses an existing target. A copy (COPY, and a move across file
 * systems) never appears half-written under a real name: it is written under a temporary name in the target's
 * folder ({@link TemporaryFiles}: {@code .cleanbackup-tmp-<pid><random>.part}, journaled with the intent, so crash
 * recovery removes it), forced to disk, verified (size, then both files compared byte for byte), given the source's
 * modification time, and only then placed under its free final name the same refusing way; a move deletes its
 * source after that. Failed steps are retried with exponential backoff; after the last try the file stays where it
 * was, no temporary file is left, and the failure is reported. A CREATE that replaces a file the previous action
 * moved away runs only if that move was done. A companion (a sidecar, a Live Photo video: {@link Action.Companion})
 * runs only if its file's action was done, and takes the name that follows the name its file really got; its file's
 * name is chosen so that name is free too. After {@value #MAX_CONSECUTIVE_FAILURES} failures in a row (a full disk, a
 * vanished drive) the run stops rather than fail every remaining file the same way.
 *
 * <p>Stopping: the {@code stopRequested} supplier (a Ctrl-C seen by the caller) is asked before each action and
 * between the chunks of a copy. Once it says true no further action starts, a copy in progress is abandoned and its
 * temporary file removed (a change already placed is finished), every action is settled in the journal, and the
 * report says {@link ExecutionReport#interrupted()}. If the journal itself fails mid-run, the session is left
 * RUNNING (not marked finished), so that crash recovery ({@code undo.CrashRecovery}) settles its unfinished action
 * from the disk on the next start.
 *
 * <p>One {@link #execute} or {@link #undo} at a time per executor.
 */
public final class PlanExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(PlanExecutor.class);

    static final int MAX_CONSECUTIVE_FAILURES = 5;

    /** At most this many copies, and about this many bytes, are prepared in one batch (see {@link #prepareCopies}). */
    static final int BATCH_FILES = 64;
    static final long BATCH_BYTES = 256L << 20;

    /** Why the actions after a stop were not tried. */
    static final String INTERRUPTED = "the run was interrupted";

    private final Journal journal;
    private final FileOperations ops;
    private final RetryPolicy retry;
    private final BooleanSupplier stopRequested;
    /** Folders swept for stale temporary files in this run (each once, before its first copy). */
    private final Set<Path> sweptFolders = new HashSet<>();
    private Instant runStart = Instant.now();

    /** An executor writing to {@code journal} and changing the disk through {@code ops}; it runs to the end. */
    public PlanExecutor(Journal journal, FileOperations ops, RetryPolicy retry) {
        this(journal, ops, retry, () -> false);
    }

    /**
     * An executor that also stops early once {@code stopRequested} says so (see the class notes: the change in
     * progress is finished or rolled back, no further one is started).
     *
     * @param stopRequested asked between actions and between the chunks of a copy, from the executing thread; it
     *                      must be cheap and must not block
     */
    public PlanExecutor(Journal journal, FileOperations ops, RetryPolicy retry, BooleanSupplier stopRequested) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.ops = Objects.requireNonNull(ops, "ops");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.stopRequested = Objects.requireNonNull(stopRequested, "stopRequested");
    }

    /** Runs the plan as a new journal session. */
    public ExecutionReport execute(Plan plan, ProgressListener progress) {
        return run(journal.beginSession(plan.command()), plan, progress);
    }

    /**
     * Runs undo's plan for session {@code undone} as a new journal session, recorded as that session's undo (so
     * {@code undo last} passes over it, and it can itself be undone by naming it).
     */
    public ExecutionReport undo(Plan plan, long undone, ProgressListener progress) {
        return run(journal.beginUndoSession(plan.command(), undone), plan, progress);
    }

    private ExecutionReport run(long session, Plan plan, ProgressListener progress) {
        List<Outcome> outcomes = new ArrayList<>();
        Set<Path> reserved = new HashSet<>();
        Run run = new Run(reserved, plan);
        String stopped = null;
        boolean interrupted = false;
        boolean settled = false;
        int failuresInARow = 0;
        Outcome previous = null;
        runStart = Instant.now();
        sweptFolders.clear();
        progress.phase("Applying", plan.actions().size(), "files");
        List<Action> actions = plan.actions();
        try {
            for (int i = 0; i < actions.size(); i++) {
                Action action = actions.get(i);
                if (stopped == null) {
                    prepareAhead(session, actions, i, run); // a stop meanwhile is seen just below
                }
                // A stop never falls between trashing an original and putting its replacement in its place.
                if (!interrupted && !completesPrevious(action, previous) && stopRequested.getAsBoolean()) {
                    interrupted = true;
                    stopped = stopped == null ? INTERRUPTED : stopped;
                }
                if (stopped != null) {
                    Outcome notTried = new Outcome(action, Outcome.Status.SKIPPED, null, "not tried: " + stopped);
                    settleUnused(run, notTried);
                    outcomes.add(notTried);
                    continue;
                }
                Outcome outcome = vacatedPathNotFree(action, previous)
                        ? new Outcome(action, Outcome.Status.SKIPPED, null,
                                "not tried: " + previous.action().source() + " could not be moved out of the way first")
                        : executeOne(session, action, run);
                settleUnused(run, outcome);
                run.done(outcome);
                previous = outcome;
                outcomes.add(outcome);
                progress.advance(1);
                if (outcome.status() == Outcome.Status.FAILED) {
                    LOG.warn("{}: {}", action.source(), outcome.message());
                    if (++failuresInARow >= MAX_CONSECUTIVE_FAILURES) {
                        stopped = "the run stopped after " + failuresInARow + " failures in a row (last: "
                                + outcome.message() + ")";
                    }
                } else {
                    failuresInARow = 0;
                }
            }
            if (!interrupted && stopRequested.getAsBoolean()) {
                interrupted = true; // during the last action (a copy abandoned), or just after it
                stopped = stopped == null ? INTERRUPTED : stopped;
            }
            settled = true;
        } finally {
            if (!settled) {
                run.prepared.values().forEach(PreparedCopy::discard); // crash recovery settles their intents
            }
            run.forcing.close(); // waits for forces still running (none after a settled run)
            progress.phaseDone();
            // Only a run whose every action reached the journal is ended. After a journal failure (or a bug) mid-action
            // the session stays RUNNING: its last action may be at INTENT, and only crash recovery, on the next start,
            // settles that from the disk. Marked FINISHED, it would never be looked at again.
            if (settled) {
                journal.endSession(session, interrupted ? SessionState.INTERRUPTED : SessionState.FINISHED);
            }
        }
        return new ExecutionReport(session, outcomes, stopped, interrupted);
    }

    /**
     * Plain copies (organize's import) are prepared in batches: every intent of a batch is journaled in one
     * transaction, every copy written to its temporary name, and the temporary files forced to disk side by side, so
     * the disk is waited for about once per batch rather than twice per file (a journal commit, then the copy's
     * fsync). Each copy is then verified and placed on its turn by the same code as a single one. One batch is
     * written ahead: while a batch's copies are forced to disk, the next one is written, and the first is placed
     * only after that. The rules hold as before: each intent, with its temporary name, is durable before its file is
     * created; a copy gets its real name only once forced and verified; a crash leaves only journaled temporary
     * names, which recovery removes.
     */
    private void prepareAhead(long session, List<Action> actions, int i, Run run) {
        if (i >= run.preparedUpTo && batchable(actions.get(i), run)) {
            prepareCopies(session, actions, i, run);
        }
        if (i == run.latestBatch && run.preparedUpTo < actions.size()
                && batchable(actions.get(run.preparedUpTo), run)) {
            prepareCopies(session, actions, run.preparedUpTo, run); // this batch is being forced meanwhile
        }
    }

    /** Prepares the batch of plain copies that starts at {@code from} (see {@link #prepareAhead}). */
    private void prepareCopies(long session, List<Action> actions, int from, Run run) {
        List<PreparedCopy> batch = new ArrayList<>();
        List<Journal.Intent> intents = new ArrayList<>();
        long bytes = 0;
        int end = from;
        for (; end < actions.size() && batch.size() < BATCH_FILES && bytes < BATCH_BYTES; end++) {
            Action action = actions.get(end);
            if (!batchable(action, run)) {
                break;
            }
            if (changedSincePlanned(action) != null) {
                continue; // skipped when its turn comes, with the reason
            }
            Path target = TargetNames.free(((Action.Copy) action).target(), run.reserved);
            PreparedCopy copy = new PreparedCopy(action, target, target.resolveSibling(TemporaryFiles.newName()));
            batch.add(copy);
            intents.add(new Journal.Intent(action, target, null, copy.temp));
            bytes += action.size();
        }
        run.preparedUpTo = end;
        run.latestBatch = from;
        if (batch.size() < 2) {
            batch.forEach(copy -> run.reserved.remove(copy.target)); // nothing to share: the plain way
            return;
        }
        long[] ids = journal.recordIntents(session, intents);
        for (int i = 0; i < batch.size(); i++) {
            PreparedCopy copy = batch.get(i);
            copy.id = ids[i];
            run.prepared.put(copy.action, copy);
        }
        for (PreparedCopy copy : batch) {
            if (stopRequested.getAsBoolean()) {
                break; // the rest are settled as not tried
            }
            try {
                createParents(copy.id, copy.target.getParent());
                writeCopy(copy.action, copy.temp);
            } catch (IOException e) {
                // Tried again, with retries and the failure reported, when its turn comes.
                LOG.debug("{}: {} (will try again)", copy.action.source(), Problem.describe(e));
                continue;
            }
            // Forced side by side: the file system writes them together and commits its own journal once for many
            // (one after another, each fsync would wait for a commit of its own).
            copy.forced = run.forcing.submit(() -> {
                ops.force(copy.temp);
                return null;
            });
        }
    }

    /** A plain copy: no companion tied to it or following it, no kept copy to check just before it. */
    private static boolean batchable(Action action, Run run) {
        return action instanceof Action.Copy copy && copy.companion() == null && copy.kept() == null
                && !run.followers.containsKey(copy.source());
    }

    /**
     * An action of a prepared batch whose turn did not use its intent (it was not tried, or changed since it was
     * planned): its temporary file goes and the journal says why, so nothing is left at INTENT.
     */
    private void settleUnused(Run run, Outcome outcome) {
        PreparedCopy copy = run.prepared.remove(outcome.action());
        if (copy != null) {
            copy.discard();
            journal.recordFailed(copy.id, outcome.message() != null ? outcome.message() : "not tried");
        }
    }

    /** A copy of a batch: its journaled intent, and its temporary file once written and being forced to disk. */
    private static final class PreparedCopy {
        final Action action;
        final Path target;
        final Path temp;
        long id;
        /** Set once the copy is written; done once it is on disk. Null when it was not written (or is used up). */
        Future<?> forced;

        PreparedCopy(Action action, Path target, Path temp) {
            this.action = action;
            this.target = target;
            this.temp = temp;
        }

        /**
         * Whether the written copy is on disk now, waiting for its force if need be; once asked, it is used up (a
         * retry copies afresh). A copy that could not be forced is removed.
         */
        boolean takeForced() {
            if (awaitForce()) {
                return true;
            }
            deleteQuietly(temp);
            return false;
        }

        /** Removes the temporary file, once no force of it runs any more. */
        void discard() {
            awaitForce();
            deleteQuietly(temp);
        }

        /** Waits for the force of the written copy, if one runs; true when it succeeded. */
        private boolean awaitForce() {
            Future<?> f = forced;
            forced = null;
            if (f == null) {
                return false;
            }
            try {
                f.get();
                return true;
            } catch (ExecutionException e) {
                LOG.debug("{}: could not force {} to disk: {}", action.source(), temp, String.valueOf(e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    /**
     * A CREATE at the very path the previous action was to vacate (in-place compression: trash the original, then
     * put the smaller file in its place) runs only if that action was done; otherwise the new file would land
     * beside the original under another name.
     */
    private static boolean vacatedPathNotFree(Action action, Outcome previous) {
        return action instanceof Action.Create create && previous != null
                && previous.action().source().equals(create.target()) && previous.status() != Outcome.Status.DONE;
    }

    /** A CREATE into the path the previous action just vacated: the second half of one change (in-place compression). */
    private static boolean completesPrevious(Action action, Outcome previous) {
        return action instanceof Action.Create create && previous != null
                && previous.action().source().equals(create.target()) && previous.status() == Outcome.Status.DONE;
    }

    /**
     * What one run remembers across actions: the names chosen so far, the companions that follow each file (a
     * sidecar, a Live Photo video: {@link Action.Companion}) and where each followed file went.
     */
    private static final class Run {
        final Set<Path> reserved;
        final Map<Path, List<Action.Companion>> followers = new HashMap<>();
        final Map<Path, Outcome> followed = new HashMap<>();
        /** Copies of the batches whose intents are journaled (see {@link #prepareAhead}), until each is used. */
        final Map<Action, PreparedCopy> prepared = new IdentityHashMap<>();
        /** The index of the first action not yet looked at for a batch, and the first action of the latest batch. */
        int preparedUpTo;
        int latestBatch = -1;
        /** Where the batches' copies are forced to disk, side by side. */
        final ExecutorService forcing = Executors.newVirtualThreadPerTaskExecutor();

        Run(Set<Path> reserved, Plan plan) {
            this.reserved = reserved;
            for (Action a : plan.actions()) {
                Action.Companion c = companionOf(a);
                if (c != null && !c.givenToKept()) {
                    followers.computeIfAbsent(c.of(), k -> new ArrayList<>()).add(c);
                }
            }
        }

        void done(Outcome outcome) {
            if (followers.containsKey(outcome.action().source())) {
                followed.put(outcome.action().source(), outcome);
            }
        }

        /** The names the companions following {@code action}'s file take beside a name chosen for it. */
        List<UnaryOperator<Path>> companionNames(Action action) {
            List<UnaryOperator<Path>> names = new ArrayList<>();
            for (Action.Companion c : followers.getOrDefault(action.source(), List.of())) {
                if (c.suffix() != null) {
                    names.add(c::besides);
                }
            }
            return names;
        }
    }

    /** The file {@code action}'s file is a companion of, when it is a chosen action tied to one; else null. */
    private static Action.Companion companionOf(Action action) {
        return action instanceof Action.Chosen chosen ? chosen.companion() : null;
    }

    private Outcome executeOne(long session, Action action, Run run) {
        Set<Path> reserved = run.reserved;
        Action.Companion companion = companionOf(action);
        Outcome followed = null;
        if (companion != null && !companion.givenToKept()) {
            followed = run.followed.get(companion.of());
            if (followed == null || followed.status() != Outcome.Status.DONE || followed.finalPath() == null) {
                return new Outcome(action, Outcome.Status.SKIPPED, null, "not tried: it stays with "
                        + companion.of().getFileName() + ", whose " + action.userName() + " was not done");
            }
        }
        String changed = changedSincePlanned(action);
        if (changed != null) {
            // For undo, a file that changed since the run is a conflict to show the user, not a mere skip.
            boolean undoing = action instanceof Action.Restore;
            return new Outcome(action, undoing ? Outcome.Status.CONFLICT : Outcome.Status.SKIPPED, null,
                    undoing ? changed.replace("since it was scanned", "since the run (size or time differ)") : changed);
        }
        String keptGone = keptCopyChanged(action);
        if (keptGone != null) {
            return new Outcome(action, Outcome.Status.SKIPPED, null, keptGone);
        }
        if (followed != null) {
            return follow(session, (Action.Chosen) action, followed.finalPath(), reserved);
        }
        if (companion != null && action instanceof Action.Copy gift) {
            return giveToKept(session, gift, reserved);
        }
        return switch (action) {
            case Action.Move move -> placeCopy(session, move, reserved, run.companionNames(action), null);
            case Action.Copy copy -> placeCopy(session, copy, reserved, run.companionNames(action),
                    run.prepared.remove(action));
            case Action.Create create -> placeCopy(session, create, reserved, run.companionNames(action), null);
            case Action.Trash trash -> toTrash(session, trash, reserved, run.companionNames(action));
            case Action.HardLink link -> replaceByLink(session, link, reserved);
            case Action.Restore restore -> restore(session, restore);
            case Action.Remove remove -> removeCopy(session, remove);
            case Action.RemoveFolder folder -> removeEmptyDir(session, folder);
            case Action.Purge purge -> purge(session, purge);
        };
    }

    /**
     * Never the last copy: a duplicate is taken away only while the copy that stays exists, unchanged (size and
     * time as planned, and for identical files the same bytes as the duplicate, compared now; for copies of one
     * recording with other tags the same audio bytes, compared now). Another run or program may have moved,
     * changed or removed it since the plan was made.
     */
    private String keptCopyChanged(Action action) {
        Action.KeptCopy kept = action instanceof Action.Chosen chosen ? chosen.kept() : null;
        if (kept == null) {
            return null;
        }
        String why;
        try {
            BasicFileAttributes attrs = ops.attributes(kept.path());
            if (!attrs.isRegularFile() || attrs.size() != kept.size()
                    || attrs.lastModifiedTime().toMillis() != kept.lastModified()) {
                why = "changed since planning";
            } else if (kept.identical() && !ops.sameContent(kept.path(), action.source())) {
                why = "no longer has the same content";
            } else if (kept.sameAudio() && !ops.sameAudio(kept.path(), action.source())) {
                why = "no longer has the same audio";
            } else {
                return null;
            }
        } catch (NoSuchFileException e) {
            why = "is gone";
        } catch (IOException e) {
            why = "cannot be read (" + Problem.describe(e) + ")";
        }
        return "the copy that stays, " + kept.path() + ", " + why + ": " + action.source()
                + " is not taken away";
    }

    private String changedSincePlanned(Action action) {
        if (action instanceof Action.RemoveFolder || action instanceof Action.Remove) {
            // A folder's size and time say nothing (emptiness is checked when it is removed); a copy to remove is
            // checked against its original's content, which is stricter (a hard link has the original's time).
            return null;
        }
        try {
            BasicFileAttributes attrs = ops.attributes(action.source());
            if (attrs.size() != action.size() || attrs.lastModifiedTime().toMillis() != action.lastModified()) {
                return "changed since it was scanned; left alone";
            }
            return null;
        } catch (NoSuchFileException e) {
            return "no longer exists (removed while the run went on?)";
        } catch (IOException e) {
            return Problem.describe(e);
        }
    }

    /**
     * A companion (MOVE, COPY or DELETE) beside the name its file really got: exactly the name that follows it
     * (reserved when the file's name was chosen; taken meanwhile, the companion stays and that is a failure to
     * report), or its own name, free, when it keeps its own.
     */
    private Outcome follow(long session, Action.Chosen action, Path placedFile, Set<Path> reserved) {
        Path named = action.companion().besides(placedFile);
        Path name = named != null ? named : TargetNames.free(placedFile.resolveSibling(action.source().getFileName()
                .toString()), reserved);
        Naming naming = named != null ? Naming.EXACT : new Naming.Renumber(reserved);
        Paths paths = action instanceof Action.Trash ? Paths.aside(null, name) : Paths.at(name);
        return journaled(session, action, paths, naming, change(action));
    }

    /** A copy of a duplicate's companion for the copy kept: exactly its target, never renumbered, never over a file. */
    private Outcome giveToKept(long session, Action.Copy action, Set<Path> reserved) {
        if (reserved.contains(action.target()) || Files.exists(action.target(), LinkOption.NOFOLLOW_LINKS)) {
            return new Outcome(action, Outcome.Status.SKIPPED, null, action.target()
                    + " exists now; not given, it stays with the duplicate");
        }
        reserved.add(action.target());
        return journaled(session, action, Paths.at(action.target()), Naming.EXACT, change(action));
    }

    /**
     * MOVE, COPY or CREATE to a free name near the wanted target, leaving its companions' names free beside it.
     */
    private Outcome placeCopy(long session, Action.Placing action, Set<Path> reserved,
                              List<UnaryOperator<Path>> companions, PreparedCopy prepared) {
        if (prepared != null) {
            return carriedOut(prepared.id, action, Paths.at(prepared.target), prepared.temp,
                    new Naming.Renumber(reserved), (name, temp) -> {
                        if (prepared.takeForced()) { // a retry copies afresh: the failed try removed this one
                            removingOnFailure(temp, () -> placeVerified(action, name, temp));
                        } else {
                            copyVerified(action, name, temp);
                        }
                    });
        }
        Path target = TargetNames.free(action.target(), reserved, companions);
        return journaled(session, action, Paths.at(target), new Naming.Renumber(reserved), change(action));
    }

    /** DELETE: into the trash of the source's root, on the same file system, so undo can bring it back. */
    private Outcome toTrash(long session, Action.Trash action, Set<Path> reserved,
                            List<UnaryOperator<Path>> companions) {
        Path backup = TargetNames.free(trashPath(session, action), reserved, companions);
        return journaled(session, action, Paths.aside(null, backup), new Naming.Renumber(reserved), change(action));
    }

    /** HARDLINK: the duplicate goes to the trash, then its name becomes a link to the kept copy. */
    private Outcome replaceByLink(long session, Action.HardLink action, Set<Path> reserved) {
        Path keeper = action.linkTo();
        Path backup = TargetNames.free(trashPath(session, action), reserved);
        return journaled(session, action, Paths.aside(keeper, backup), new Naming.Renumber(reserved), (name, temp) -> {
            move(action, name, temp);
            try {
                ops.link(action.source(), keeper);
            } catch (IOException e) {
                // Put the duplicate back where it was; the name is free since we just moved it away.
                ops.rename(name, action.source());
                throw e;
            }
        });
    }

    /** RESTORE: back to exactly where the file was; a taken path is a conflict, never overwritten. */
    private Outcome restore(long session, Action.Restore action) {
        Path target = action.target();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return conflict(action, "the original path " + target + " is taken now; left alone");
        }
        // Exactly this name: a path taken meanwhile fails the step instead of moving on to name_1.
        return journaled(session, action, Paths.at(target), Naming.EXACT, change(action));
    }

    /**
     * The sequence every placing action shares: journal the intent with the exact paths (and the temporary name a
     * copy across file systems would be written to, in the same folder), create missing folders (each journaled),
     * make the change with retries (a name taken meanwhile moves on to the next free one, and the journal is told),
     * then journal the outcome.
     *
     * @param paths  the target and backup to journal, and which of the two is the name being placed
     * @param naming whether a name taken meanwhile moves on to the next free one or fails the step
     */
    private Outcome journaled(long session, Action action, Paths paths, Naming naming, Placement placement) {
        // Only a copy writes it; a rename or link on one file system never does, and recovery finds nothing there.
        Path temp = paths.placed().resolveSibling(TemporaryFiles.newName());
        long id = journal.recordIntent(session, action, paths.target(), paths.backup(), temp);
        return carriedOut(id, action, paths, temp, naming, placement);
    }

    /**
     * The rest of {@link #journaled} once the intent {@code id} is recorded: folders, the change with retries, the
     * outcome in the journal.
     */
    private Outcome carriedOut(long id, Action action, Paths paths, Path temp, Naming naming, Placement placement) {
        Path first = paths.placed();
        try {
            Path placed = withRetries(action, () -> createParents(id, first.getParent()), first, name -> {
                if (!name.equals(first)) {
                    Paths renamed = paths.placing(name);
                    journal.updatePaths(id, renamed.target(), renamed.backup());
                }
                placement.place(name, temp);
            }, naming);
            journal.recordDone(id);
            return new Outcome(action, Outcome.Status.DONE, placed, null);
        } catch (ActionFailed e) {
            journal.recordFailed(id, e.getMessage());
            return new Outcome(action, e.interrupted ? Outcome.Status.SKIPPED : Outcome.Status.FAILED, null,
                    e.getMessage());
        }
    }

    /**
     * What places {@code action}'s file under a name: a verified copy for COPY, a move for everything else (DELETE
     * and RESTORE move too, and CREATE moves its temporary file in).
     */
    private Placement change(Action action) {
        return action instanceof Action.Copy
                ? (name, temp) -> copyVerified(action, name, temp)
                : (name, temp) -> move(action, name, temp);
    }

    /** The disk change of one placing action, given the free name to use and the temporary name for a copy. */
    @FunctionalInterface
    private interface Placement {
        void place(Path name, Path temp) throws IOException, ActionFailed;
    }

    /**
     * The paths an intent records, and which of them the change creates: the target (a move, a copy, a restore), or
     * the backup, the trash path (a delete; a hard link, whose target is the file linked to).
     */
    private record Paths(Path target, Path backup, boolean asideInTrash) {

        /** The change creates {@code target}. */
        static Paths at(Path target) {
            return new Paths(target, null, false);
        }

        /** The change puts the original aside at {@code backup}; {@code target} is recorded as it is. */
        static Paths aside(Path target, Path backup) {
            return new Paths(target, backup, true);
        }

        /** The name the change creates. */
        Path placed() {
            return asideInTrash ? backup : target;
        }

        /** The same paths with {@code name} as the name created (the first one was taken meanwhile). */
        Paths placing(Path name) {
            return asideInTrash ? new Paths(target, name, true) : new Paths(name, backup, false);
        }
    }

    /** What a name taken meanwhile means for a step. */
    private sealed interface Naming {

        /** Only the exact first name will do: a taken one fails the step, leaving the file where it is. */
        Naming EXACT = new Exact();

        /** Move on to the next free name, among those {@code reserved} in this run. */
        record Renumber(Set<Path> reserved) implements Naming {
        }

        /** See {@link #EXACT}. */
        record Exact() implements Naming {
        }
    }

    /** REMOVE: unlink a copy, only while its content still exists at the target, so nothing is ever lost. */
    private Outcome removeCopy(long session, Action.Remove action) {
        Path original = action.contentAt();
        try {
            if (!ops.exists(original)) {
                return conflict(action, "its original " + original + " is gone; the copy is kept");
            }
            if (!ops.isSameFile(action.copy(), original)
                    && (ops.attributes(original).size() != action.size()
                    || !ops.sameContent(action.copy(), original))) {
                return conflict(action, "its original " + original + " has changed; the copy is kept");
            }
        } catch (IOException e) {
            return conflict(action, Problem.describe(e));
        }
        return journaledDelete(session, action, original);
    }

    /** Deletes the action's source (with retries), journaled: intent (with {@code target}), then done or failed. */
    private Outcome journaledDelete(long session, Action action, Path target) {
        long id = journal.recordIntent(session, action, target, null);
        try {
            withRetries(action, () -> { }, action.source(), name -> ops.delete(action.source()), Naming.EXACT);
            journal.recordDone(id);
            return new Outcome(action, Outcome.Status.DONE, null, null);
        } catch (ActionFailed e) {
            journal.recordFailed(id, e.getMessage());
            return new Outcome(action, Outcome.Status.FAILED, null, e.getMessage());
        }
    }

    /** REMOVE_DIR: only an empty folder; one that holds anything now stays, and that is no problem. */
    private Outcome removeEmptyDir(long session, Action.RemoveFolder action) {
        Path dir = action.folder();
        try (var entries = Files.newDirectoryStream(dir)) {
            if (entries.iterator().hasNext()) {
                return new Outcome(action, Outcome.Status.DONE, null, "not empty; kept");
            }
        } catch (NoSuchFileException e) {
            return new Outcome(action, Outcome.Status.DONE, null, "already gone");
        } catch (IOException e) {
            return new Outcome(action, Outcome.Status.DONE, null, "kept: " + Problem.describe(e));
        }
        long id = journal.recordIntent(session, action, null, null);
        try {
            ops.delete(dir);
            journal.recordDone(id);
            return new Outcome(action, Outcome.Status.DONE, null, null);
        } catch (IOException e) {
            journal.recordFailed(id, Problem.describe(e));
            return new Outcome(action, Outcome.Status.DONE, null, "kept: " + Problem.describe(e));
        }
    }

    /** PURGE: remove a trashed file for good (trash empty). */
    private Outcome purge(long session, Action.Purge action) {
        return journaledDelete(session, action, null);
    }

    private static Outcome conflict(Action action, String message) {
        return new Outcome(action, Outcome.Status.CONFLICT, null, message);
    }

    private static Path trashPath(long session, Action.Chosen action) {
        return action.sourceRoot().resolve(TemporaryFiles.TRASH_FOLDER).resolve(Long.toString(session))
                .resolve(action.sourceRoot().relativize(action.source()));
    }

    /**
     * Moves the source to {@code target} (which must be free) without ever replacing a file; across file systems
     * through a verified copy written to {@code temp} first.
     */
    private void move(Action action, Path target, Path temp) throws IOException {
        Path source = action.source();
        if (ops.sameFileSystem(source, target.getParent())) {
            rename(source, target);
            return;
        }
        copyVerified(action, target, temp); // on disk, verified and in place: only now may the source go
        try {
            ops.delete(source);
        } catch (IOException e) {
            ops.delete(target);
            throw e;
        }
    }

    /**
     * Gives {@code from} the name {@code to} on one file system, never replacing a file: link(2), which fails rather
     * than replace, then unlink of the old name; where hard links are not supported, a rename that refuses an
     * existing target.
     */
    private void rename(Path from, Path to) throws IOException {
        boolean linked;
        try {
            ops.link(to, from);
            linked = true;
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (FileSystemException | UnsupportedOperationException e) {
            linked = false; // no hard links here (FAT, some network shares): a refusing rename instead
        }
        if (linked) {
            try {
                ops.delete(from);
            } catch (IOException e) {
                ops.delete(to); // the old name stays; take back the second one
                throw e;
            }
        } else {
            ops.rename(from, to);
        }
    }

    /**
     * Copies the source to the new file {@code target}: written to {@code temp} (in the same folder), forced to disk,
     * checked against the source, given the source's modification time, and only then placed under {@code target}.
     * On any failure, or a stop, the temporary file is removed and nothing stands under {@code target}.
     */
    private void copyVerified(Action action, Path target, Path temp) throws IOException {
        writeCopy(action, temp);
        removingOnFailure(temp, () -> {
            ops.force(temp); // the bytes on disk before the copy gets a real name (and before a source goes)
            placeVerified(action, target, temp);
        });
    }

    /**
     * Writes the source's bytes to the new file {@code temp}, not forced to disk; a partial file is removed on
     * failure or a stop.
     */
    private void writeCopy(Action action, Path temp) throws IOException {
        if (sweptFolders.add(temp.getParent())) {
            TemporaryFiles.sweepFolder(temp.getParent(), runStart);
        }
        try {
            ops.copy(action.source(), temp, stopRequested);
        } catch (FileAlreadyExistsException e) {
            // Our process id and 32 random bits, taken: another file; never ours to remove.
            throw new IOException("the temporary name " + temp.getFileName() + " is taken", e);
        } catch (IOException e) {
            removeAfter(e, temp); // a partial file may be left
            throw e;
        }
    }

    /**
     * Places the written and forced copy {@code temp} under {@code target} once it is verified: the size, then the
     * bytes compared with the source's; it gets the source's modification time before its real name.
     */
    private void placeVerified(Action action, Path target, Path temp) throws IOException {
        long size = ops.attributes(temp).size();
        if (size != action.size()) {
            throw new IOException("copy has " + size + " bytes, the source " + action.size() + ": not verified");
        }
        if (!ops.sameContent(action.source(), temp)) {
            throw new IOException("copy differs from the source (compared byte for byte): not kept");
        }
        ops.setLastModified(temp, sourceTime(action));
        rename(temp, target);
    }

    /** Runs {@code step}; if it fails, the unfinished copy {@code temp} is removed before the failure goes on. */
    private static void removingOnFailure(Path temp, Preparation step) throws IOException {
        try {
            step.run();
        } catch (IOException e) {
            removeAfter(e, temp);
            throw e;
        }
    }

    /** Removes the unfinished copy {@code temp}, if any, after {@code failure}; a failure to remove it is added. */
    private static void removeAfter(IOException failure, Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException cleanup) {
            failure.addSuppressed(cleanup);
            LOG.error("could not remove the unfinished copy {}: {}", temp, cleanup.getMessage());
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            LOG.error("could not remove the unfinished copy {}: {}", temp, e.getMessage());
        }
    }

    /**
     * The time to give a copy: the source's own, to the nanosecond (plans hold milliseconds, and a copy across file
     * systems must not lose the rest), when it is still the one planned; else the planned one.
     */
    private FileTime sourceTime(Action action) {
        try {
            FileTime actual = ops.attributes(action.source()).lastModifiedTime();
            if (actual.toMillis() == action.lastModified()) {
                return actual;
            }
        } catch (IOException e) {
            // gone or unreadable now: the planned time is the best there is
        }
        return FileTime.fromMillis(action.lastModified());
    }

    /** Creates the missing folders above and including {@code dir}, journaling each before creating it. */
    private void createParents(long id, Path dir) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path d = dir; d != null && !Files.isDirectory(d); d = d.getParent()) {
            missing.push(d);
        }
        while (!missing.isEmpty()) {
            Path d = missing.pop();
            journal.recordCreatedDir(id, d);
            try {
                ops.createDirectory(d);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(d)) {
                    throw new IOException(d + " exists and is not a folder", e);
                }
            }
        }
    }

    @FunctionalInterface
    private interface Preparation {
        void run() throws IOException;
    }

    @FunctionalInterface
    private interface Step {
        void run(Path name) throws IOException, ActionFailed;
    }

    /**
     * Runs {@code step} with retries. A taken name is not a failure: the next free name is used (and the step
     * tells the journal). Returns the name finally used.
     */
    private Path withRetries(Action action, Preparation prepare, Path firstName, Step step, Naming naming)
            throws ActionFailed {
        Path name = firstName;
        IOException last = null;
        int attempt = 0;
        int renames = 0;
        while (attempt <= retry.retries()) {
            try {
                prepare.run();
                step.run(name);
                return name;
            } catch (FileAlreadyExistsException e) {
                if (!(naming instanceof Naming.Renumber(Set<Path> reserved))) {
                    throw new ActionFailed("the path " + name + " is taken now; left alone");
                }
                if (++renames > 10_000) {
                    throw new ActionFailed("no free name found near " + firstName);
                }
                name = TargetNames.free(firstName, reserved); // someone took it meanwhile: next free name
                continue;
            } catch (InterruptedIOException e) {
                throw new ActionFailed(INTERRUPTED + " during the copy; the unfinished copy was removed", true);
            } catch (NoSuchFileException e) {
                if (!Files.exists(action.source(), LinkOption.NOFOLLOW_LINKS)) {
                    throw new ActionFailed("no longer exists (removed while the run went on?)");
                }
                last = e;
            } catch (IOException e) {
                last = e;
            }
            attempt++;
            if (attempt <= retry.retries() && stopRequested.getAsBoolean()) {
                throw new ActionFailed(INTERRUPTED + " before another try (" + Problem.describe(last) + ")", true);
            }
            if (attempt <= retry.retries()) {
                LOG.info("{}: {} (try {} of {}, waiting {} ms)", action.source(), Problem.describe(last), attempt,
                        retry.retries() + 1, retry.delayBefore(attempt).toMillis());
                try {
                    retry.sleeper().sleep(retry.delayBefore(attempt));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ActionFailed("interrupted");
                }
            }
        }
        String what = last instanceof FileSystemException fse && fse.getFile() != null
                && !fse.getFile().equals(action.source().toString()) ? " (" + fse.getFile() + ")" : "";
        throw new ActionFailed(Problem.describe(last) + what + (retry.retries() > 0
                ? " after " + (retry.retries() + 1) + " tries" : ""));
    }

    /** An action that could not be done; the message is for the user. */
    private static final class ActionFailed extends Exception {
        private static final long serialVersionUID = 1L;

        /** Not done because the run was stopped: the disk is as before, and it is not a failure of the file. */
        final boolean interrupted;

        ActionFailed(String message) {
            this(message, false);
        }

        ActionFailed(String message, boolean interrupted) {
            super(message, null, false, false);
            this.interrupted = interrupted;
        }
    }
}
