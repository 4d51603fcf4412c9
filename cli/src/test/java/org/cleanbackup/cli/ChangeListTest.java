package org.cleanbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.cleanbackup.execute.Outcome;
import org.cleanbackup.plan.Action;
import org.junit.jupiter.api.Test;

/** The lines a real run prints for what it changed, and for what it did not, from the executor's outcomes. */
class ChangeListTest {

    private static final Path ROOT = Path.of("/in");

    /** The kinds of action these lines are printed for. */
    private enum Kind { MOVE, COPY, DELETE, HARDLINK, RESTORE, REMOVE_DIR }

    private static Action action(Kind kind, String source, String target, String reason) {
        Path from = Path.of(source);
        Path to = target == null ? null : Path.of(target);
        return switch (kind) {
            case MOVE -> new Action.Move(from, ROOT, to, 10, 0, null, reason, null, null);
            case COPY -> new Action.Copy(from, ROOT, to, 10, 0, null, reason, null, null);
            case DELETE -> new Action.Trash(from, ROOT, 10, 0, null, reason, null, null);
            case HARDLINK -> new Action.HardLink(from, ROOT, to, 10, 0, null, reason, null);
            case RESTORE -> new Action.Restore(from, to, 10, 0, reason);
            case REMOVE_DIR -> new Action.RemoveFolder(from, reason);
        };
    }

    private static String print(Outcome... outcomes) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        ChangeList.print(out, List.of(outcomes));
        out.flush();
        return text.toString();
    }

    @Test
    void doneLinesNameWhereTheFileWentAndTheOthersSayWhyNot() {
        Outcome moved = new Outcome(action(Kind.MOVE, "/in/a.mp3", "/out/a.mp3", "same content as /lib/a.mp3"),
                Outcome.Status.DONE, Path.of("/out/a_1.mp3"), null);
        Outcome trashed = new Outcome(action(Kind.DELETE, "/in/b.mp3", null, "same content as /lib/b.mp3"),
                Outcome.Status.DONE, Path.of("/in/.cleanbackup-trash/3/b.mp3"), null);
        Outcome skipped = new Outcome(action(Kind.MOVE, "/in/c.mp3", "/out/c.mp3", "same content as /lib/c.mp3"),
                Outcome.Status.SKIPPED, null, "changed since it was scanned; left alone");
        Outcome failed = new Outcome(action(Kind.DELETE, "/in/d.mp3", null, "same content as /lib/d.mp3"),
                Outcome.Status.FAILED, null, "Permission denied");
        Outcome conflict = new Outcome(action(Kind.RESTORE, "/out/e.mp3", "/in/e.mp3", "undo of session 3"),
                Outcome.Status.CONFLICT, null, "the original path /in/e.mp3 is taken now; left alone");
        Outcome keptDir = new Outcome(action(Kind.REMOVE_DIR, "/out/sub", null, "folder made by session 3"),
                Outcome.Status.DONE, null, "not empty; kept");

        assertThat(print(moved, skipped, trashed, failed, conflict, keptDir)).isEqualTo("""
                Changes made:
                  move     /in/a.mp3 -> /out/a_1.mp3  (same content as /lib/a.mp3)
                  delete   /in/b.mp3 -> /in/.cleanbackup-trash/3/b.mp3  (same content as /lib/b.mp3)
                Left as they were:
                  remove-dir /out/sub  (folder made by session 3; not empty; kept)
                Not done:
                  move     /in/c.mp3 -> /out/c.mp3  (skipped: changed since it was scanned; left alone)
                  delete   /in/d.mp3 -> trash  (failed: Permission denied)
                  restore  /out/e.mp3 -> /in/e.mp3  (conflict: the original path /in/e.mp3 is taken now; left alone)
                """);
    }

    @Test
    void aRunThatChangedNothingSaysSo() {
        Outcome skipped = new Outcome(action(Kind.COPY, "/in/c.jpg", "/out/c.jpg", "taken 2020-01-01"),
                Outcome.Status.SKIPPED, null, "no longer exists (removed while the run went on?)");
        assertThat(print(skipped)).startsWith("Changes made: none.\nNot done:\n  copy     /in/c.jpg -> /out/c.jpg");
        assertThat(print()).isEqualTo("Changes made: none.\n");
    }

    @Test
    void aHardLinkNamesTheCopyItLinksToAndWhereTheDuplicateWent() {
        Outcome linked = new Outcome(action(Kind.HARDLINK, "/in/a.jpg", "/lib/a.jpg", "same content as /lib/a.jpg"),
                Outcome.Status.DONE, Path.of("/in/.cleanbackup-trash/1/a.jpg"), null);
        assertThat(ChangeList.line(linked, new ChangeList.Label("hardlink", Path.of("/in/a.jpg")))).isEqualTo(
                "hardlink /in/a.jpg => link to /lib/a.jpg, the duplicate -> /in/.cleanbackup-trash/1/a.jpg"
                        + "  (same content as /lib/a.jpg)");
    }

    @Test
    void controlCharactersInNamesAndMessagesAreEscaped() {
        Outcome moved = new Outcome(action(Kind.MOVE, "/in/a\nb.jpg", "/out/a\nb.jpg", "same as /lib/\u001b[2Jx.jpg"),
                Outcome.Status.DONE, Path.of("/out/a\nb_1.jpg"), null);
        Outcome failed = new Outcome(action(Kind.COPY, "/in/c\rd.jpg", "/out/c\rd.jpg", "x"),
                Outcome.Status.FAILED, null, "cannot write /out/c\rd.jpg");
        String text = print(moved, failed);
        assertThat(text).contains("move     /in/a\\nb.jpg -> /out/a\\nb_1.jpg  (same as /lib/\\e[2Jx.jpg)")
                .contains("copy     /in/c\\rd.jpg -> /out/c\\rd.jpg  (failed: cannot write /out/c\\rd.jpg)");
        assertThat(text.lines()).as("one file, one line").hasSize(4);
    }
}
