package org.cleanbackup.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.cleanbackup.execute.Outcome;
import org.cleanbackup.plan.Action;
import org.cleanbackup.model.DisplayNames;

/**
 * What a real run changed, one line an outcome, in the columns a dry run lists its plan in
 * ({@link Action#describe()}), but from what happened: the name actually used (a taken name became
 * {@code name_1.ext}; a trashed file's place in the trash) and, for a step not done, why. Shared by every command
 * that changes files, so a move reads the same whichever command made it.
 */
final class ChangeList {

    /** The verb and the name a line gives an action's source; compress names the original, not its temporary file. */
    record Label(String verb, Path source) {
    }

    private ChangeList() {
    }

    /**
     * Prints the outcomes under "Changes made:" (done; "Changes made: none." when nothing was) and "Not done:"
     * (skipped, failed, conflicts).
     */
    static void print(PrintWriter out, List<Outcome> outcomes) {
        print(out, outcomes, o -> new Label(o.action().userName(), o.action().source()));
    }

    /** As {@link #print(PrintWriter, List)}, with each line's verb and source name given by {@code label}. */
    static void print(PrintWriter out, List<Outcome> outcomes, Function<Outcome, Label> label) {
        List<Outcome> done = outcomes.stream().filter(ChangeList::changed).toList();
        List<Outcome> unchanged = outcomes.stream().filter(o -> o.status() == Outcome.Status.DONE && !changed(o))
                .toList();
        List<Outcome> notDone = outcomes.stream().filter(o -> o.status() != Outcome.Status.DONE).toList();
        out.println(done.isEmpty() ? "Changes made: none." : "Changes made:");
        done.forEach(o -> out.println("  " + line(o, label.apply(o))));
        if (!unchanged.isEmpty()) {
            out.println("Left as they were:");
            unchanged.forEach(o -> out.println("  " + line(o, label.apply(o))));
        }
        if (!notDone.isEmpty()) {
            out.println("Not done:");
            notDone.forEach(o -> out.println("  " + line(o, label.apply(o))));
        }
    }

    /**
     * Whether the disk changed: a folder to remove that is not empty or already gone ends done, with that said in
     * its message, and nothing removed.
     */
    private static boolean changed(Outcome o) {
        return o.status() == Outcome.Status.DONE && !(o.action() instanceof Action.RemoveFolder && o.message() != null);
    }

    /**
     * One outcome: "move     a.mp3 -> out/a_1.mp3  (same content as ...)" when done, "move     b.mp3 -> out/b.mp3
     * (skipped: changed since it was scanned; left alone)" when not. Control characters in names are escaped.
     */
    static String line(Outcome o, Label label) {
        Action a = o.action();
        boolean done = o.status() == Outcome.Status.DONE;
        // Done: where the file went, else where it was to go.
        Path went = done && o.finalPath() != null ? o.finalPath() : null;
        String where = switch (a) {
            case Action.Placing p -> " -> " + DisplayNames.of(went != null ? went : p.target());
            case Action.Trash t -> " -> " + (went != null ? DisplayNames.of(went) : "trash");
            case Action.HardLink h -> " => link to " + DisplayNames.of(h.linkTo())
                    + (went != null ? ", the duplicate -> " + DisplayNames.of(went) : "");
            case Action.Remove r -> " (a copy of " + DisplayNames.of(r.contentAt()) + ")";
            case Action.RemoveFolder f -> "";
            case Action.Purge p -> "";
        };
        String why = done
                ? DisplayNames.of(a.reason()) + (o.message() != null ? "; " + DisplayNames.of(o.message()) : "")
                : o.status().name().toLowerCase(Locale.ROOT) + ": "
                        + DisplayNames.of(o.message() != null ? o.message() : "not done");
        return String.format("%-8s %s%s  (%s)", label.verb(), DisplayNames.of(label.source()), where, why);
    }
}
