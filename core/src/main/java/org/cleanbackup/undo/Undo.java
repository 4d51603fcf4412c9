package org.cleanbackup.undo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.cleanbackup.execute.ExecutionReport;
import org.cleanbackup.execute.Outcome;
import org.cleanbackup.execute.PlanExecutor;
import org.cleanbackup.journal.ActionState;
import org.cleanbackup.journal.Journal;
import org.cleanbackup.journal.JournalEntry;
import org.cleanbackup.journal.SessionInfo;
import org.cleanbackup.plan.Action;
import org.cleanbackup.plan.ActionType;
import org.cleanbackup.plan.Plan;
import org.cleanbackup.model.ProgressListener;

/**
 * Reverses a journaled session: its done actions, newest first, then the folders it created (when empty).
 *
 * <p>Each reversal is an ordinary journaled action carried out by the {@link PlanExecutor}, in a session of its
 * own, so an undo can itself be undone. A step whose file changed since (size or modification time differ from
 * the journal) or whose original path is taken now is a conflict: reported, never forced; the rest goes on.
 *
 * <table>
 *   <caption>How each action is reversed</caption>
 *   <tr><th>action</th><th>reversed by</th></tr>
 *   <tr><td>move a → b</td><td>restore b → a</td></tr>
 *   <tr><td>copy a → b</td><td>remove b, if a still holds the same content</td></tr>
 *   <tr><td>delete a (trash t)</td><td>restore t → a</td></tr>
 *   <tr><td>hardlink a → k (trash t)</td><td>remove the link a, then restore t → a</td></tr>
 *   <tr><td>restore a → b (an undo)</td><td>restore b → a</td></tr>
 *   <tr><td>remove b, a copy of a (an undo)</td><td>copy a → b</td></tr>
 *   <tr><td>create b (a new file, e.g. compressed)</td><td>remove b, if unchanged (size and time)</td></tr>
 *   <tr><td>purge (trash empty)</td><td>nothing: gone for good</td></tr>
 * </table>
 */
public final class Undo {

    private final Journal journal;
    private final PlanExecutor executor;

    /** Undo through {@code executor}, which must write to the same {@code journal}. */
    public Undo(Journal journal, PlanExecutor executor) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /**
     * The newest session that changed anything, is not itself an undo, and is not fully undone yet: what
     * {@code undo last} means. (An undo is undone by naming its session.)
     */
    public Optional<SessionInfo> lastUndoable() {
        return journal.sessions().stream().filter(s -> s.undoOf() == 0 && s.done() > s.undone())
                .filter(this::reversible).findFirst();
    }

    /**
     * Whether undoing the session can bring anything back: false for a {@code trash empty}, whose files are gone
     * for good (and for a session that only removed folders).
     */
    public boolean reversible(SessionInfo session) {
        return journal.entries(session.id()).stream().anyMatch(e -> e.state() == ActionState.DONE
                && e.type() != ActionType.PURGE && e.type() != ActionType.REMOVE_DIR);
    }

    /** The session with this id. */
    public Optional<SessionInfo> session(long id) {
        return journal.sessions().stream().filter(s -> s.id() == id).findFirst();
    }

    /** The steps that would reverse the session, in order: what a dry run prints. */
    public Plan plan(SessionInfo session) {
        return new Plan("undo " + session.id(), steps(session).stream().map(Step::action).toList());
    }

    /** Reverses the session and marks the reversed actions UNDONE. */
    public ExecutionReport run(SessionInfo session, ProgressListener progress) {
        List<Step> steps = steps(session);
        ExecutionReport report = executor.execute(new Plan("undo " + session.id(), steps.stream().map(Step::action)
                .toList()), progress, session.id());
        // An entry is undone when every step that reverses it was done (a hard link takes two).
        java.util.Map<Long, Boolean> allDone = new java.util.LinkedHashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            long entry = steps.get(i).entryId();
            if (entry > 0) {
                boolean done = report.outcomes().get(i).status() == Outcome.Status.DONE;
                allDone.merge(entry, done, Boolean::logicalAnd);
            }
        }
        allDone.forEach((entry, done) -> {
            if (done) {
                journal.recordUndone(entry);
            }
        });
        return explainEmptiedTrash(report);
    }

    /**
     * A file put in the trash and since removed by {@code trash empty} cannot come back: say so, rather than the
     * executor's "no longer exists", which would blame the run.
     */
    private ExecutionReport explainEmptiedTrash(ExecutionReport report) {
        java.util.Map<Path, Long> purged = new java.util.HashMap<>();
        for (SessionInfo s : journal.sessions()) {
            for (JournalEntry e : journal.entries(s.id())) {
                if (e.state() == ActionState.DONE && e.type() == ActionType.PURGE) {
                    purged.put(e.source(), s.id());
                }
            }
        }
        if (purged.isEmpty()) {
            return report;
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Outcome o : report.outcomes()) {
            Long by = purged.get(o.action().source());
            outcomes.add(o.status() != Outcome.Status.DONE && o.action().type() == ActionType.RESTORE && by != null
                    ? new Outcome(o.action(), Outcome.Status.CONFLICT, null, "it was in the trash, which session " + by
                            + " ('trash empty') emptied: gone for good, it cannot come back")
                    : o);
        }
        return new ExecutionReport(report.sessionId(), outcomes, report.stoppedBecause(), report.interrupted());
    }

    private record Step(Action action, long entryId) {
    }

    private List<Step> steps(SessionInfo session) {
        List<JournalEntry> entries = journal.entries(session.id());
        List<Step> steps = new ArrayList<>();
        List<Path> createdDirs = new ArrayList<>();
        for (int i = entries.size() - 1; i >= 0; i--) {
            JournalEntry e = entries.get(i);
            if (e.state() != ActionState.DONE) {
                continue;
            }
            for (int d = e.createdDirs().size() - 1; d >= 0; d--) {
                createdDirs.add(e.createdDirs().get(d));
            }
            String why = "undo of session " + session.id();
            switch (e.type()) {
                case MOVE, RESTORE -> steps.add(new Step(restore(e.target(), e.source(), e, why), e.id()));
                case DELETE -> steps.add(new Step(restore(e.backup(), e.source(), e, why), e.id()));
                case COPY -> steps.add(new Step(new Action(ActionType.REMOVE, e.target(), parent(e.target()),
                        e.source(), e.size(), e.lastModified(), null, why), e.id()));
                case CREATE -> steps.add(new Step(new Action(ActionType.PURGE, e.target(), parent(e.target()), null,
                        e.size(), e.lastModified(), null, why + " (a file it made)"), e.id()));
                case HARDLINK -> {
                    steps.add(new Step(new Action(ActionType.REMOVE, e.source(), parent(e.source()), e.target(),
                            e.size(), e.lastModified(), null, why), e.id()));
                    steps.add(new Step(restore(e.backup(), e.source(), e, why), e.id()));
                }
                case REMOVE -> steps.add(new Step(new Action(ActionType.COPY, e.target(), parent(e.target()),
                        e.source(), e.size(), e.lastModified(), null, why), e.id()));
                case REMOVE_DIR, PURGE -> {
                    // nothing to reverse: folders are recreated when needed; a purged file is gone for good
                }
            }
        }
        // Deepest first; a folder that holds anything (a user's file, a conflict) simply stays.
        createdDirs.stream().distinct().sorted((a, b) -> b.getNameCount() - a.getNameCount())
                .forEach(dir -> steps.add(new Step(new Action(ActionType.REMOVE_DIR, dir, parent(dir), null, 0, 0,
                        null, "folder made by session " + session.id()), 0)));
        return steps;
    }

    private static Action restore(Path from, Path to, JournalEntry e, String why) {
        return new Action(ActionType.RESTORE, from, parent(from), to, e.size(), e.lastModified(), null, why);
    }

    private static Path parent(Path path) {
        Path parent = path.getParent();
        return parent == null ? path : parent;
    }
}
