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
                && !(e.action() instanceof Action.Purge) && !(e.action() instanceof Action.RemoveFolder));
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
        ExecutionReport report = executor.undo(new Plan("undo " + session.id(), steps.stream().map(Step::action)
                .toList()), session.id(), progress);
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
                if (e.state() == ActionState.DONE && e.action() instanceof Action.Purge) {
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
            outcomes.add(o.status() != Outcome.Status.DONE && o.action() instanceof Action.Restore && by != null
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
            long size = e.size();
            long time = e.lastModified();
            switch (e.action()) {
                case Action.Move m -> steps.add(new Step(new Action.Restore(m.target(), m.source(), size, time, why),
                        e.id()));
                case Action.Restore r -> steps.add(new Step(new Action.Restore(r.target(), r.source(), size, time,
                        why), e.id()));
                case Action.Trash t -> steps.add(new Step(new Action.Restore(e.backup(), t.source(), size, time, why),
                        e.id()));
                case Action.Copy c -> steps.add(new Step(new Action.Remove(c.target(), c.source(), size, time, why),
                        e.id()));
                case Action.Create c -> steps.add(new Step(new Action.Purge(c.target(), size, time,
                        why + " (a file it made)"), e.id()));
                case Action.HardLink h -> {
                    steps.add(new Step(new Action.Remove(h.source(), h.linkTo(), size, time, why), e.id()));
                    steps.add(new Step(new Action.Restore(e.backup(), h.source(), size, time, why), e.id()));
                }
                case Action.Remove r -> steps.add(new Step(new Action.Copy(r.contentAt(), parent(r.contentAt()),
                        r.copy(), size, time, null, why, null, null), e.id()));
                case Action.RemoveFolder f -> {
                    // nothing to reverse: folders are recreated when needed
                }
                case Action.Purge p -> {
                    // nothing to reverse: a purged file is gone for good
                }
            }
        }
        // Deepest first; a folder that holds anything (a user's file, a conflict) simply stays.
        createdDirs.stream().distinct().sorted((a, b) -> b.getNameCount() - a.getNameCount())
                .forEach(dir -> steps.add(new Step(new Action.RemoveFolder(dir, "folder made by session "
                        + session.id()), 0)));
        return steps;
    }

    private static Path parent(Path path) {
        Path parent = path.getParent();
        return parent == null ? path : parent;
    }
}
