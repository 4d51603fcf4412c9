package org.cleanbackup.plan;

import org.cleanbackup.group.DuplicateGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.cleanbackup.companions.Companions;
import org.cleanbackup.hash.ContentHash;
import org.cleanbackup.internal.hash.ContentReader;
import org.cleanbackup.names.NameCopy;
import org.cleanbackup.model.MediaFile;

/**
 * Turns duplicate groups into a {@link Plan}: one action per duplicate, never one for a kept or reference file, each
 * followed by its companions' actions (sidecars, Live Photo video: {@link Companions}).
 *
 * <p>MOVE and COPY recreate each duplicate's path under the output folder ({@code to/<root name>/<relative path>}),
 * or put it directly in it when {@code flat}; clashing names are resolved when the plan is carried out. A duplicate's
 * sidecars and Live Photo video go where it goes (moved, copied, or into the trash with it; a hard link leaves them
 * where they are, beside the name that stays), named after the name it really gets. A sidecar the copy kept lacks is
 * first copied to it under its own name when the duplicate is moved or deleted.
 */
public final class DedupePlanner {

    private final DuplicateAction action;
    private final Path to;
    private final boolean flat;
    private final Companions companions;

    /**
     * A planner for the given action.
     *
     * @param action what to do with duplicates
     * @param to     the output folder for MOVE and COPY, else ignored
     * @param flat   put MOVE and COPY targets directly in {@code to}
     */
    public DedupePlanner(DuplicateAction action, Path to, boolean flat) {
        this(action, to, flat, new Companions());
    }

    /**
     * A planner that finds companions with {@code companions} (tests give one that reads Live Photo identifiers
     * their own way).
     */
    DedupePlanner(DuplicateAction action, Path to, boolean flat, Companions companions) {
        this.companions = Objects.requireNonNull(companions, "companions");
        this.action = Objects.requireNonNull(action, "action");
        if (action.needsOutputFolder() && to == null) {
            throw new IllegalArgumentException(action.userName() + " needs an output folder");
        }
        this.to = to;
        this.flat = flat;
    }

    /** The plan for these groups, labelled with {@code command} in the journal. */
    public Plan plan(List<DuplicateGroup> groups, String command) {
        List<Primary> primaries = new ArrayList<>();
        Set<Path> stay = new HashSet<>();
        for (DuplicateGroup group : groups) {
            stay.add(group.keep().path());
            group.protectedCopies().forEach(f -> stay.add(f.path()));
            group.hardLinks().forEach(f -> stay.add(f.path()));
            for (MediaFile duplicate : group.duplicates()) {
                if (!group.identicalToKept(duplicate)) {
                    if (action == DuplicateAction.HARDLINK) {
                        stay.add(duplicate.path());
                        continue; // a hard link would replace its tags: never
                    }
                    primaries.add(new Primary(duplicate, group.keep(), group.hash(), "same audio as "
                            + group.keep().path() + ", other tags", false, true));
                    continue;
                }
                primaries.add(new Primary(duplicate, group.keep(), group.hash(), "same content as " + group.keep().path(),
                        true));
            }
        }
        return build(primaries, stay, command);
    }

    /**
     * The plan for OS copy names: one action per copy that is byte-identical to its original, or per copy
     * whatever its content when {@code trustNames}. Copies in reference folders are never acted on.
     */
    public Plan planNameCopies(List<NameCopy> copies, boolean trustNames, String command) {
        List<Primary> primaries = new ArrayList<>();
        Set<Path> stay = new HashSet<>();
        for (NameCopy c : copies) {
            stay.add(c.original().path());
            if (c.copy().reference() || (!trustNames && c.verdict() != NameCopy.Verdict.IDENTICAL)) {
                stay.add(c.copy().path());
                continue;
            }
            String reason = c.verdict() == NameCopy.Verdict.IDENTICAL
                    ? "copy name, same content as " + c.original().path()
                    : "copy name of " + c.original().path() + " (content not identical; acted on because of --trust-names)";
            if (action == DuplicateAction.HARDLINK && c.verdict() != NameCopy.Verdict.IDENTICAL) {
                stay.add(c.copy().path());
                continue; // a hard link would replace different content: never, whatever the names say
            }
            primaries.add(new Primary(c.copy(), c.original(), c.hash(), reason,
                    c.verdict() == NameCopy.Verdict.IDENTICAL));
        }
        return build(primaries, stay, command);
    }

    /** The plan for groups of similar images: one action per duplicate, never for kept or reference images. */
    public Plan planSimilar(List<org.cleanbackup.similar.SimilarGroup> groups, String command) {
        return planSimilar(groups, List.of(), command);
    }

    /**
     * The plan for groups of similar images and of recordings that sound the same: one action per duplicate, never
     * for kept or reference files.
     *
     * @since 0.4
     */
    public Plan planSimilar(List<org.cleanbackup.similar.SimilarGroup> groups,
                            List<org.cleanbackup.sound.SoundGroup> sounds, String command) {
        List<Primary> primaries = new ArrayList<>();
        Set<Path> stay = new HashSet<>();
        for (var group : sounds) {
            if (action == DuplicateAction.HARDLINK) {
                throw new IllegalArgumentException("hardlink needs identical content; recordings of one song in"
                        + " other encodings differ in bytes");
            }
            stay.add(group.keep().path());
            group.protectedCopies().forEach(m -> stay.add(m.file().path()));
            for (var member : group.duplicates()) {
                primaries.add(new Primary(member.file(), group.keep(), null, String.format(java.util.Locale.ROOT,
                        "sounds the same as %s (%.1f %% of fingerprint bits differ%s)", group.keep().path(),
                        100 * member.bitErrorRate(), member.offsetMillis() == 0 ? ""
                                : String.format(java.util.Locale.ROOT, ", starts %+.1f s into it",
                                member.offsetMillis() / 1000.0)), false));
            }
        }
        for (var group : groups) {
            if (action == DuplicateAction.HARDLINK) {
                throw new IllegalArgumentException("hardlink needs identical content; similar images differ in bytes");
            }
            stay.add(group.keep().path());
            group.protectedCopies().forEach(m -> stay.add(m.file().path()));
            for (var member : group.duplicates()) {
                primaries.add(new Primary(member.file(), group.keep(), null, "looks the same as " + group.keep().path()
                        + " (" + member.distance() + " of 64 bits differ)", false));
            }
        }
        return build(primaries, stay, command);
    }

    /** A duplicate to act on, the copy kept, and why. */
    private record Primary(MediaFile file, MediaFile keep, ContentHash hash, String reason, boolean identical,
                           boolean sameAudio) {
        Primary(MediaFile file, MediaFile keep, ContentHash hash, String reason, boolean identical) {
            this(file, keep, hash, reason, identical, false);
        }
    }

    /*
     * Companions. Each duplicate's sidecars and Live Photo video (Companions) are planned right after it, as actions
     * tied to it (Action.Companion): the executor runs them only if the duplicate's action was done, and names them
     * after the name the duplicate really got (x_1.jpg takes x_1.xmp). A hard link leaves the duplicate's name in
     * place, so its companions stay valid where they are: none are planned. A file that is a copy kept (or
     * protected) elsewhere is never taken as a companion; a duplicate that is another duplicate's companion (the Live
     * Photo video of a duplicate still, itself identical to the kept still's video) is planned once, as the
     * companion, so it stays beside its still. Before a duplicate that is taken away (move, delete), a sidecar the
     * copy kept lacks is copied to it under its name (a gift: exact name, never overwriting, only while the kept copy
     * is unchanged; never into a reference folder); a Live Photo video too when the two stills are identical.
     */
    private Plan build(List<Primary> primaries, Set<Path> stay, String command) {
        Map<Path, List<Companions.Found>> found = new HashMap<>();
        Map<Path, Path> claimedBy = new HashMap<>();
        if (action != DuplicateAction.HARDLINK) {
            for (Primary p : primaries) {
                List<Companions.Found> list = companions.of(p.file().path());
                found.put(p.file().path(), list);
                for (Companions.Found c : list) {
                    if (!stay.contains(c.path()) && !c.path().equals(p.file().path())) {
                        claimedBy.putIfAbsent(c.path(), p.file().path());
                    }
                }
            }
        }
        Map<Path, Primary> primaryByPath = new HashMap<>();
        primaries.forEach(p -> primaryByPath.put(p.file().path(), p));
        Set<String> given = new HashSet<>();
        List<Action> actions = new ArrayList<>();
        for (Primary p : primaries) {
            Path path = p.file().path();
            if (claimedBy.containsKey(path)) {
                continue; // planned as the companion of the file it belongs to
            }
            List<String> notes = new ArrayList<>();
            List<Action> gifts = new ArrayList<>();
            List<Action> followers = new ArrayList<>();
            List<Companions.Found> keptCompanions = null;
            Action.Chosen primary = action(p.file(), p.keep(), p.hash(), p.reason(), p.identical(), p.sameAudio(), "");
            for (Companions.Found c : found.getOrDefault(path, List.of())) {
                if (stay.contains(c.path())) {
                    notes.add("its " + c.label() + " " + c.name() + " stays: it is a copy kept");
                    continue;
                }
                if (!path.equals(claimedBy.get(c.path()))) {
                    continue;
                }
                if (keptCompanions == null) {
                    keptCompanions = companions.of(p.keep().path());
                }
                String reason = c.label() + " of " + p.file().path().getFileName();
                Primary alsoDuplicate = primaryByPath.get(c.path());
                if (alsoDuplicate != null) {
                    reason += "; itself " + alsoDuplicate.reason();
                }
                Companions.Found keptOne = keptCompanions.stream().filter(k -> k.sort().equals(c.sort())).findFirst()
                        .orElse(null);
                if (keptOne != null) {
                    if (c.kind() == Companions.Kind.SIDECAR && differ(c.path(), keptOne.path())) {
                        reason += "; differs from the kept copy's " + keptOne.name() + ", which stays with it";
                    }
                } else {
                    Action gift = gift(c, p, given);
                    if (gift != null) {
                        gifts.add(gift);
                        reason += "; a copy given to the kept copy";
                    }
                }
                followers.add(follower(c, p, primary, reason));
            }
            if (!notes.isEmpty()) {
                primary = action(p.file(), p.keep(), p.hash(), p.reason(), p.identical(), p.sameAudio(),
                        "; " + String.join("; ", notes));
            }
            actions.addAll(gifts);
            actions.add(primary);
            actions.addAll(followers);
        }
        return new Plan(command, actions);
    }

    /** The duplicate's companion, moved, copied or trashed with it and named after it. */
    private Action follower(Companions.Found c, Primary p, Action.Chosen primary, String reason) {
        Action.Companion tie = tie(c, p.file().path(), false);
        return switch (primary) {
            case Action.Move m -> new Action.Move(c.path(), p.file().root(), besides(tie, m.target(), c), c.size(),
                    c.lastModified(), null, reason, null, tie);
            case Action.Copy k -> new Action.Copy(c.path(), p.file().root(), besides(tie, k.target(), c), c.size(),
                    c.lastModified(), null, reason, null, tie);
            case Action.Trash t -> new Action.Trash(c.path(), p.file().root(), c.size(), c.lastModified(), null,
                    reason, null, tie);
            // Never planned: a file replaced by a link keeps its name, so its companions stay (see plan()).
            case Action.HardLink h -> throw new IllegalStateException("no companion follows a hardlink");
        };
    }

    /** The companion's name beside its file's planned target. */
    private static Path besides(Action.Companion tie, Path target, Companions.Found c) {
        Path named = tie.besides(target);
        return named != null ? named : target.resolveSibling(c.name());
    }

    /**
     * A copy of the duplicate's companion for the copy kept, which has none of its sort: only when the duplicate is
     * taken away (move, delete), never into a reference folder, a Live Photo video only between identical stills,
     * once per kept copy and sort, and never over an existing file.
     */
    private Action gift(Companions.Found c, Primary p, Set<String> given) {
        MediaFile keep = p.keep();
        if ((action != DuplicateAction.MOVE && action != DuplicateAction.DELETE) || keep.reference()
                || (c.kind() == Companions.Kind.LIVE_PHOTO_VIDEO && !p.identical())
                || !given.add(keep.path() + "\0" + c.sort())) {
            return null;
        }
        Action.Companion tie = tie(c, p.file().path(), true);
        Path target = tie.besides(keep.path());
        if (target == null) {
            target = keep.path().resolveSibling(c.name());
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        return new Action.Copy(c.path(), p.file().root(), target, c.size(), c.lastModified(), null,
                c.label() + " of the duplicate " + p.file().path().getFileName() + " given to the kept copy "
                        + keep.path().getFileName() + ", which had none",
                new Action.KeptCopy(keep.path(), keep.size(), keep.lastModified(), false), tie);
    }

    /** The tie that makes companion {@code c} follow {@code media}'s action ({@code givenToKept}: a copy for the copy kept). */
    private static Action.Companion tie(Companions.Found c, Path media, boolean givenToKept) {
        return new Action.Companion(media, c.suffix(), c.afterFullName(), givenToKept);
    }

    /** Whether two small files differ; one that cannot be read counts as different (both are kept anyway). */
    private static boolean differ(Path a, Path b) {
        try {
            return Files.size(a) != Files.size(b) || !ContentReader.sameContent(a, b);
        } catch (IOException e) {
            return true;
        }
    }

    private Action.Chosen action(MediaFile duplicate, MediaFile keep, ContentHash hash, String reason, boolean identical,
                          boolean sameAudio, String notes) {
        // COPY takes nothing away; the others must find the kept copy as planned (another run, another program)
        Action.KeptCopy kept = !action.takesAway() ? null
                : new Action.KeptCopy(keep.path(), keep.size(), keep.lastModified(), identical, sameAudio);
        Path source = duplicate.path();
        Path root = duplicate.root();
        long size = duplicate.size();
        long time = duplicate.lastModified();
        String why = reason + notes;
        return switch (action) {
            case MOVE -> new Action.Move(source, root, outputPath(duplicate), size, time, hash, why, kept, null);
            case COPY -> new Action.Copy(source, root, outputPath(duplicate), size, time, hash, why, kept, null);
            case DELETE -> new Action.Trash(source, root, size, time, hash, why, kept, null);
            case HARDLINK -> new Action.HardLink(source, root, keep.path(), size, time, hash, why, kept);
        };
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
