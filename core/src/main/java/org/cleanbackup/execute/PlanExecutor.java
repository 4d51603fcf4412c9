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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.cleanbackup.internal.TemporaryFiles;
import org.cleanbackup.journal.Journal;
import org.cleanbackup.journal.SessionState;
import org.cleanbackup.plan.Action;
import org.cleanbackup.plan.Plan;
import org.cleanbackup.plan.TargetNames;
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
 * <p>One {@link #execute} at a time per executor.
 */
public final class PlanExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(PlanExecutor.class);

    static final int MAX_CONSECUTIVE_FAILURES = 5;

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
        return execute(plan, progress, 0);
    }

    /**
     * Runs the plan as a new journal session that undoes session {@code undoOf} (0: an ordinary run).
     */
    public ExecutionReport execute(Plan plan, ProgressListener progress, long undoOf) {
        long session = journal.beginUndoSession(plan.command(), undoOf);
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
        try {
            for (Action action : plan.actions()) {
                // A stop never falls between trashing an original and putting its replacement in its place.
                if (!interrupted && !completesPrevious(action, previous) && stopRequested.getAsBoolean()) {
                    interrupted = true;
                    stopped = stopped == null ? INTERRUPTED : stopped;
                }
                if (stopped != null) {
                    outcomes.add(new Outcome(action, Outcome.Status.SKIPPED, null, "not tried: " + stopped));
                    continue;
                }
                Outcome outcome = vacatedPathNotFree(action, previous)
                        ? new Outcome(action, Outcome.Status.SKIPPED, null,
                                "not tried: " + previous.action().source() + " could not be moved out of the way first")
                        : executeOne(session, action, run);
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
     * A CREATE at the very path the previous action was to vacate (in-place compression: trash the original, then
     * put the smaller file in its place) runs only if that action was done; otherwise the new file would land
     * beside the original under another name.
     */
    private static boolean vacatedPathNotFree(Action action, Outcome previous) {
        return action.type() == org.cleanbackup.plan.ActionType.CREATE && previous != null
                && previous.action().source().equals(action.target()) && previous.status() != Outcome.Status.DONE;
    }

    /** A CREATE into the path the previous action just vacated: the second half of one change (in-place compression). */
    private static boolean completesPrevious(Action action, Outcome previous) {
        return action.type() == org.cleanbackup.plan.ActionType.CREATE && previous != null
                && previous.action().source().equals(action.target()) && previous.status() == Outcome.Status.DONE;
    }

    /**
     * What one run remembers across actions: the names chosen so far, the companions that follow each file (a
     * sidecar, a Live Photo video: {@link Action.Companion}) and where each followed file went.
     */
    private static final class Run {
        final Set<Path> reserved;
        final Map<Path, List<Action.Companion>> followers = new HashMap<>();
        final Map<Path, Outcome> followed = new HashMap<>();

        Run(Set<Path> reserved, Plan plan) {
            this.reserved = reserved;
            for (Action a : plan.actions()) {
                if (a.companion() != null && !a.companion().givenToKept()) {
                    followers.computeIfAbsent(a.companion().of(), k -> new ArrayList<>()).add(a.companion());
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

    private Outcome executeOne(long session, Action action, Run run) {
        Set<Path> reserved = run.reserved;
        Action.Companion companion = action.companion();
        Outcome followed = null;
        if (companion != null && !companion.givenToKept()) {
            followed = run.followed.get(companion.of());
            if (followed == null || followed.status() != Outcome.Status.DONE || followed.finalPath() == null) {
                return new Outcome(action, Outcome.Status.SKIPPED, null, "not tried: it stays with "
                        + companion.of().getFileName() + ", whose " + action.type().userName() + " was not done");
            }
        }
        String changed = changedSincePlanned(action);
        if (changed != null) {
            // For undo, a file that changed since the run is a conflict to show the user, not a mere skip.
            return new Outcome(action, action.type() == org.cleanbackup.plan.ActionType.RESTORE
                    ? Outcome.Status.CONFLICT : Outcome.Status.SKIPPED, null,
                    action.type() == org.cleanbackup.plan.ActionType.RESTORE
                            ? changed.replace("since it was scanned", "since the run (size or time differ)") : changed);
        }
        String keptGone = keptCopyChanged(action);
        if (keptGone != null) {
            return new Outcome(action, Outcome.Status.SKIPPED, null, keptGone);
        }
        if (followed != null) {
            return follow(session, action, followed.finalPath(), reserved);
        }
        if (companion != null && action.type() == org.cleanbackup.plan.ActionType.COPY) {
            return giveToKept(session, action, reserved);
        }
        return switch (action.type()) {
            case MOVE, COPY, CREATE -> placeCopy(session, action, reserved, run.companionNames(action));
            case DELETE -> toTrash(session, action, reserved, run.companionNames(action));
            case HARDLINK -> replaceByLink(session, action, reserved);
            case RESTORE -> restore(session, action);
            case REMOVE -> removeCopy(session, action);
            case REMOVE_DIR -> removeEmptyDir(session, action);
            case PURGE -> purge(session, action);
        };
    }

    /**
     * Never the last copy: a duplicate is taken away only while the copy that stays exists, unchanged (size and
     * time as planned, and for identical files the same bytes as the duplicate, compared now). Another run or
     * program may have moved, changed or removed it since the plan was made.
     */
    private String keptCopyChanged(Action action) {
        Action.KeptCopy kept = action.kept();
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
        if (action.type() == org.cleanbackup.plan.ActionType.REMOVE_DIR
                || action.type() == org.cleanbackup.plan.ActionType.REMOVE) {
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
    private Outcome follow(long session, Action action, Path placedFile, Set<Path> reserved) {
        Path named = action.companion().besides(placedFile);
        Path name = named != null ? named : TargetNames.free(placedFile.resolveSibling(action.source().getFileName()
                .toString()), reserved);
        Set<Path> renumber = named != null ? null : reserved;
        boolean toTrash = action.type() == org.cleanbackup.plan.ActionType.DELETE;
        return journaled(session, action, toTrash ? null : name, toTrash ? name : null, toTrash, renumber,
                change(action));
    }

    /** A copy of a duplicate's companion for the copy kept: exactly its target, never renumbered, never over a file. */
    private Outcome giveToKept(long session, Action action, Set<Path> reserved) {
        if (reserved.contains(action.target()) || Files.exists(action.target(), LinkOption.NOFOLLOW_LINKS)) {
            return new Outcome(action, Outcome.Status.SKIPPED, null, action.target()
                    + " exists now; not given, it stays with the duplicate");
        }
        reserved.add(action.target());
        return journaled(session, action, action.target(), null, false, null, change(action));
    }

    /** MOVE or COPY to a free name near the wanted target, leaving its companions' names free beside it. */
    private Outcome placeCopy(long session, Action action, Set<Path> reserved, List<UnaryOperator<Path>> companions) {
        Path target = TargetNames.free(action.target(), reserved, companions);
        return journaled(session, action, target, null, false, reserved, change(action));
    }

    /** DELETE: into the trash of the source's root, on the same file system, so undo can bring it back. */
    private Outcome toTrash(long session, Action action, Set<Path> reserved, List<UnaryOperator<Path>> companions) {
        Path backup = TargetNames.free(trashPath(session, action), reserved, companions);
        return journaled(session, action, null, backup, true, reserved, change(action));
    }

    /** HARDLINK: the duplicate goes to the trash, then its name becomes a link to the kept copy. */
    private Outcome replaceByLink(long session, Action action, Set<Path> reserved) {
        Path keeper = action.target();
        Path backup = TargetNames.free(trashPath(session, action), reserved);
        return journaled(session, action, keeper, backup, true, reserved, (name, temp) -> {
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
    private Outcome restore(long session, Action action) {
        Path target = action.target();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return conflict(action, "the original path " + target + " is taken now; left alone");
        }
        // No reserved names: a path taken meanwhile fails the step instead of moving on to name_1.
        return journaled(session, action, target, null, false, null, change(action));
    }

    /**
     * The sequence every placing action shares: journal the intent with the exact paths (and the temporary name a
     * copy across file systems would be written to, in the same folder), create missing folders (each journaled),
     * make the change with retries (a name taken meanwhile moves on to the next free one, and the journal is told),
     * then journal the outcome.
     *
     * @param placesBackup whether the name being placed is the backup (trash) path rather than the target
     * @param reserved     names chosen in this run, or null when only the exact first name will do
     */
    private Outcome journaled(long session, Action action, Path target, Path backup, boolean placesBackup,
                              Set<Path> reserved, Placement placement) {
        Path first = placesBackup ? backup : target;
        // Only a copy writes it; a rename or link on one file system never does, and recovery finds nothing there.
        Path temp = first.resolveSibling(TemporaryFiles.newName());
        long id = journal.recordIntent(session, action, target, backup, temp);
        try {
            Path placed = withRetries(action, () -> createParents(id, first.getParent()), first, name -> {
                if (!name.equals(first)) {
                    journal.updatePaths(id, placesBackup ? target : name, placesBackup ? name : backup);
                }
                placement.place(name, temp);
            }, reserved);
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
        return action.type() == org.cleanbackup.plan.ActionType.COPY
                ? (name, temp) -> copyVerified(action, name, temp)
                : (name, temp) -> move(action, name, temp);
    }

    /** The disk change of one placing action, given the free name to use and the temporary name for a copy. */
    @FunctionalInterface
    private interface Placement {
        void place(Path name, Path temp) throws IOException, ActionFailed;
    }

    /** REMOVE: unlink a copy, only while its content still exists at the target, so nothing is ever lost. */
    private Outcome removeCopy(long session, Action action) {
        try {
            if (!ops.exists(action.target())) {
                return conflict(action, "its original " + action.target() + " is gone; the copy is kept");
            }
            if (!ops.isSameFile(action.source(), action.target())
                    && (ops.attributes(action.target()).size() != action.size()
                    || !ops.sameContent(action.source(), action.target()))) {
                return conflict(action, "its original " + action.target() + " has changed; the copy is kept");
            }
        } catch (IOException e) {
            return conflict(action, Problem.describe(e));
        }
        long id = journal.recordIntent(session, action, action.target(), null);
        try {
            withRetries(action, () -> { }, action.source(), name -> ops.delete(action.source()), null);
            journal.recordDone(id);
            return new Outcome(action, Outcome.Status.DONE, null, null);
        } catch (ActionFailed e) {
            journal.recordFailed(id, e.getMessage());
            return new Outcome(action, Outcome.Status.FAILED, null, e.getMessage());
        }
    }

    /** REMOVE_DIR: only an empty folder; one that holds anything now stays, and that is no problem. */
    private Outcome removeEmptyDir(long session, Action action) {
        Path dir = action.source();
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
    private Outcome purge(long session, Action action) {
        long id = journal.recordIntent(session, action, null, null);
        try {
            withRetries(action, () -> { }, action.source(), name -> ops.delete(action.source()), null);
            journal.recordDone(id);
            return new Outcome(action, Outcome.Status.DONE, null, null);
        } catch (ActionFailed e) {
            journal.recordFailed(id, e.getMessage());
            return new Outcome(action, Outcome.Status.FAILED, null, e.getMessage());
        }
    }

    private static Outcome conflict(Action action, String message) {
        return new Outcome(action, Outcome.Status.CONFLICT, null, message);
    }

    private static Path trashPath(long session, Action action) {
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
        if (sweptFolders.add(temp.getParent())) {
            TemporaryFiles.sweepFolder(temp.getParent(), runStart);
        }
        boolean created = false;
        try {
            try {
                ops.copy(action.source(), temp, stopRequested);
                created = true;
            } catch (FileAlreadyExistsException e) {
                // Our process id and 32 random bits, taken: another file; never ours to remove.
                throw new IOException("the temporary name " + temp.getFileName() + " is taken", e);
            } catch (IOException e) {
                created = Files.exists(temp, LinkOption.NOFOLLOW_LINKS); // a partial file may be left
                throw e;
            }
            ops.force(temp); // the bytes on disk before the copy gets a real name (and before a source goes)
            long size = ops.attributes(temp).size();
            if (size != action.size()) {
                throw new IOException("copy has " + size + " bytes, the source " + action.size() + ": not verified");
            }
            if (!ops.sameContent(action.source(), temp)) {
                throw new IOException("copy differs from the source (compared byte for byte): not kept");
            }
            ops.setLastModified(temp, sourceTime(action));
            rename(temp, target);
        } catch (IOException e) {
            if (created) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                    LOG.error("could not remove the unfinished copy {}: {}", temp, cleanup.getMessage());
                }
            }
            throw e;
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
    private Path withRetries(Action action, Preparation prepare, Path firstName, Step step, Set<Path> reserved)
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
                if (reserved == null) {
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
