package org.cleanbackup.dedupe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.cleanbackup.names.NameCopy;
import org.cleanbackup.plan.Action;
import org.cleanbackup.plan.ActionType;
import org.cleanbackup.plan.Plan;
import org.cleanbackup.scan.MediaFile;

/**
 * Turns duplicate groups into a {@link Plan}: one action per duplicate, never one for a kept or reference file.
 *
 * <p>MOVE and COPY recreate each duplicate's path under the output folder ({@code to/<root name>/<relative path>}),
 * or put it directly in it when {@code flat}; clashing names are resolved when the plan is carried out.
 */
public final class DedupePlanner {

    private final ActionType action;
    private final Path to;
    private final boolean flat;

    /**
     * A planner for the given action.
     *
     * @param action what to do with duplicates
     * @param to     the output folder for MOVE and COPY, else ignored
     * @param flat   put MOVE and COPY targets directly in {@code to}
     */
    public DedupePlanner(ActionType action, Path to, boolean flat) {
        this.action = Objects.requireNonNull(action, "action");
        if ((action == ActionType.MOVE || action == ActionType.COPY) && to == null) {
            throw new IllegalArgumentException(action.userName() + " needs an output folder");
        }
        this.to = to;
        this.flat = flat;
    }

    /** The plan for these groups, labelled with {@code command} in the journal. */
    public Plan plan(List<DuplicateGroup> groups, String command) {
        List<Action> actions = new ArrayList<>();
        for (DuplicateGroup group : groups) {
            for (MediaFile duplicate : group.duplicates()) {
                actions.add(action(duplicate, group.keep(), group.hash(), "same content as " + group.keep().path(),
                        true));
            }
        }
        return new Plan(command, actions);
    }

    /**
     * The plan for OS copy names: one action per copy that is byte-identical to its original, or per copy
     * whatever its content when {@code trustNames}. Copies in reference folders are never acted on.
     */
    public Plan planNameCopies(List<NameCopy> copies, boolean trustNames, String command) {
        List<Action> actions = new ArrayList<>();
        for (NameCopy c : copies) {
            if (c.copy().reference() || (!trustNames && c.verdict() != NameCopy.Verdict.IDENTICAL)) {
                continue;
            }
            String reason = c.verdict() == NameCopy.Verdict.IDENTICAL
                    ? "copy name, same content as " + c.original().path()
                    : "copy name of " + c.original().path() + " (content not identical; acted on because of --trust-names)";
            if (action == ActionType.HARDLINK && c.verdict() != NameCopy.Verdict.IDENTICAL) {
                continue; // a hard link would replace different content: never, whatever the names say
            }
            actions.add(action(c.copy(), c.original(), c.hash(), reason, c.verdict() == NameCopy.Verdict.IDENTICAL));
        }
        return new Plan(command, actions);
    }

    /** The plan for groups of similar images: one action per duplicate, never for kept or reference images. */
    public Plan planSimilar(List<org.cleanbackup.similar.SimilarGroup> groups, String command) {
        List<Action> actions = new ArrayList<>();
        for (var group : groups) {
            if (action == ActionType.HARDLINK) {
                throw new IllegalArgumentException("hardlink needs identical content; similar images differ in bytes");
            }
            for (var member : group.duplicates()) {
                actions.add(action(member.file(), group.keep(), null, "looks the same as " + group.keep().path()
                        + " (" + member.distance() + " of 64 bits differ)", false));
            }
        }
        return new Plan(command, actions);
    }

    private Action action(MediaFile duplicate, MediaFile keep, org.cleanbackup.hash.ContentHash hash, String reason,
                          boolean identical) {
        Path target = switch (action) {
            case MOVE, COPY -> outputPath(duplicate);
            case HARDLINK -> keep.path();
            case DELETE -> null;
            default -> throw new IllegalArgumentException(action.userName() + " is not a dedupe action");
        };
        // COPY takes nothing away; the others must find the kept copy as planned (another run, another program)
        Action.KeptCopy kept = action == ActionType.COPY ? null
                : new Action.KeptCopy(keep.path(), keep.size(), keep.lastModified(), identical);
        return new Action(action, duplicate.path(), duplicate.root(), target, duplicate.size(),
                duplicate.lastModified(), hash, reason, kept);
    }

    private Path outputPath(MediaFile file) {
        if (flat) {
            return to.resolve(file.path().getFileName().toString());
        }
        Path rootName = file.root().getFileName();
        Path base = rootName == null ? to : to.resolve(rootName.toString());
        return base.resolve(file.relativePath().toString());
    }
}
