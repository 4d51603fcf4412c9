package org.cleanbackup.plan;

import java.nio.file.Path;
import java.util.Objects;
import org.cleanbackup.hash.ContentHash;
import org.cleanbackup.model.DisplayNames;

/**
 * One planned change to the file system: one record per kind, each with exactly the fields its change needs.
 *
 * <p>The kinds a user can choose (through {@link DuplicateAction}, {@code organize}, {@code compress}) are the
 * {@link Chosen} ones: {@link Move}, {@link Copy}, {@link Trash} and {@link HardLink}. {@link Create} places a new
 * file a command wrote (a compressed image). {@link Restore}, {@link Remove} and {@link RemoveFolder} are undo's own
 * steps, and {@link Purge} is {@code trash empty}'s: no user choice becomes one of them.
 *
 * <p>Every kind has a source (the file or folder acted on), the source's size and modification time when planned
 * (the action is skipped if they changed), and a reason for a person.
 */
public sealed interface Action permits Action.Chosen, Action.Placing, Action.Remove,
        Action.RemoveFolder, Action.Purge {

    /** The file (or, for {@link RemoveFolder}, the folder) acted on. */
    Path source();

    /** The source's size when planned; the action is skipped if it has changed. */
    long size();

    /** The source's modification time when planned (ms); the action is skipped if it has changed. */
    long lastModified();

    /** Why, for a person: "same content as reference/a.mp3". */
    String reason();

    /** The name users see for this kind of change, for example "hardlink", "remove-dir". */
    default String userName() {
        return switch (this) {
            case Move m -> "move";
            case Copy c -> "copy";
            case Trash t -> "delete";
            case HardLink h -> "hardlink";
            case Create c -> "create";
            case Restore r -> "restore";
            case Remove r -> "remove";
            case RemoveFolder f -> "remove-dir";
            case Purge p -> "purge";
        };
    }

    /**
     * The second path this change names, which the journal and the JSON reports record as its target: where a
     * {@link Placing} kind puts the file, the file a {@link HardLink} links to, the original whose content a
     * {@link Remove}d copy holds; else (trash, folder removal, purge) null.
     */
    default Path targetPath() {
        return switch (this) {
            case Placing p -> p.target();
            case HardLink h -> h.linkTo();
            case Remove r -> r.contentAt();
            case Trash t -> null;
            case RemoveFolder f -> null;
            case Purge p -> null;
        };
    }

    /** One line for a dry run: "move     a.mp3 -> out/a.mp3  (same content as ...)". */
    default String describe() {
        return describe(null);
    }

    /**
     * One line for the change as made: as {@link #describe()}, with {@code placedAt} (the free name a placing action
     * really used) in place of the planned target; null or any other kind: as planned.
     */
    default String describe(Path placedAt) {
        String arrow = switch (this) {
            case Placing p -> " -> " + DisplayNames.of(placedAt != null ? placedAt : p.target());
            case Trash t -> " -> trash";
            case HardLink h -> " => link to " + DisplayNames.of(h.linkTo());
            case Remove r -> " (a copy of " + DisplayNames.of(r.contentAt()) + ")";
            case RemoveFolder f -> "";
            case Purge p -> "";
        };
        return String.format("%-8s %s%s  (%s)", userName(), DisplayNames.of(source()), arrow,
                DisplayNames.of(reason()));
    }

    /**
     * A change a user chooses for a scanned file: move, copy, delete (to the trash) or hardlink. It may be tied to the
     * copy that stays (the file is then taken away only while that copy exists unchanged) and to the media file it
     * is a companion of.
     */
    sealed interface Chosen extends Action permits Move, Copy, Trash, HardLink {

        /** The scan root the source was found under (the trash of a delete lives there). */
        Path sourceRoot();

        /** The source's content hash when known, else null. */
        ContentHash hash();

        /**
         * For an action that takes a duplicate away (dedupe's move, delete, hardlink), or a companion given to the
         * copy kept, the copy that stays: the executor acts only while it still exists unchanged; else null.
         */
        KeptCopy kept();

        /**
         * For a sidecar or Live Photo video that travels with another file (or is given to the copy kept), whose
         * file it belongs to and how it is named; else null.
         */
        Companion companion();
    }

    /** A change that puts a file under a new name: {@link Move}, {@link Copy}, {@link Create}, {@link Restore}. */
    sealed interface Placing extends Action permits Move, Copy, Create, Restore {

        /**
         * Where the file goes: the wanted name (a free one near it is chosen if it is taken), or for
         * {@link Restore} and a companion given to the copy kept, exactly that name.
         */
        Path target();
    }

    /** Move the file to {@code target} (a free name near it; never overwriting). */
    record Move(Path source, Path sourceRoot, Path target, long size, long lastModified, ContentHash hash,
                String reason, KeptCopy kept, Companion companion) implements Chosen, Placing {
        public Move {
            requireChosen(source, sourceRoot, reason);
            Objects.requireNonNull(target, "target");
        }
    }

    /**
     * Copy the file to {@code target} (a free name near it; never overwriting), leaving the source. A companion given
     * to the copy kept ({@link Companion#givenToKept()}) goes to exactly its target.
     */
    record Copy(Path source, Path sourceRoot, Path target, long size, long lastModified, ContentHash hash,
                String reason, KeptCopy kept, Companion companion) implements Chosen, Placing {
        public Copy {
            requireChosen(source, sourceRoot, reason);
            Objects.requireNonNull(target, "target");
        }
    }

    /**
     * Move the file into the trash folder of its root ({@code delete}), from where undo can bring it back. Nothing is
     * unlinked.
     */
    record Trash(Path source, Path sourceRoot, long size, long lastModified, ContentHash hash, String reason,
                 KeptCopy kept, Companion companion) implements Chosen {
        public Trash {
            requireChosen(source, sourceRoot, reason);
        }
    }

    /**
     * Replace the file by a hard link to {@code linkTo} (the copy kept); the replaced file goes to the trash. Its
     * companions stay where they are (the name stays valid), so it has none.
     */
    record HardLink(Path source, Path sourceRoot, Path linkTo, long size, long lastModified, ContentHash hash,
                    String reason, KeptCopy kept) implements Chosen {
        public HardLink {
            requireChosen(source, sourceRoot, reason);
            Objects.requireNonNull(linkTo, "linkTo");
        }

        /** None: a file replaced by a link keeps its name, and its companions stay valid beside it. */
        @Override
        public Companion companion() {
            return null;
        }
    }

    /**
     * Place a finished new file, written to {@code temporary} next to the target (e.g. a compressed image), under
     * {@code target} (a free name near it; never overwriting). Undo removes it again while it is unchanged.
     *
     * @param size         the new file's size
     * @param lastModified the modification time it was given (ms)
     */
    record Create(Path temporary, Path target, long size, long lastModified, String reason) implements Placing {
        public Create {
            requireCommon(temporary, reason);
            Objects.requireNonNull(target, "target");
        }

        /** The temporary file placed. */
        @Override
        public Path source() {
            return temporary;
        }
    }

    /**
     * Undo only: move the file back to exactly the path it came from ({@code target}). If that path is taken, the
     * step is a conflict and nothing is forced.
     */
    record Restore(Path source, Path target, long size, long lastModified, String reason) implements Placing {
        public Restore {
            requireCommon(source, reason);
            Objects.requireNonNull(target, "target");
        }
    }

    /**
     * Undo only: unlink {@code copy}, a copy or hard link a session made, whose content still exists at
     * {@code contentAt}. Refused when that file is gone or differs, so no content is ever lost.
     */
    record Remove(Path copy, Path contentAt, long size, long lastModified, String reason) implements Action {
        public Remove {
            requireCommon(copy, reason);
            Objects.requireNonNull(contentAt, "contentAt");
        }

        /** The copy to remove. */
        @Override
        public Path source() {
            return copy;
        }
    }

    /** Undo and {@code trash empty}: remove a folder a session created (or the trash's), if it is empty. */
    record RemoveFolder(Path folder, String reason) implements Action {
        public RemoveFolder {
            requireCommon(folder, reason);
        }

        /** The folder. */
        @Override
        public Path source() {
            return folder;
        }

        /** Nothing: a folder's size says nothing (its emptiness is checked when it is removed). */
        @Override
        public long size() {
            return 0;
        }

        /** Nothing: a folder's time says nothing. */
        @Override
        public long lastModified() {
            return 0;
        }
    }

    /** {@code trash empty} (and undo of a {@link Create}): unlink a file for good. Cannot be undone. */
    record Purge(Path source, long size, long lastModified, String reason) implements Action {
        public Purge {
            requireCommon(source, reason);
        }
    }

    /**
     * The tie of a companion file (a {@code .xmp} or {@code .aae} sidecar, a Live Photo video) to the media file it
     * belongs to.
     *
     * <p>A companion that travels ({@code givenToKept} false) is acted on after the action whose source is
     * {@code of}, only if that action was done, and is placed beside the name that file was really given (the free
     * name chosen, the trash path): {@code x_1.jpg} takes {@code x_1.xmp} with it. The executor chooses the file's
     * name so that its companions' names are free too; a companion whose name is taken all the same stays where it
     * is. A companion given to the copy kept ({@code givenToKept} true) is a copy to exactly its target, never
     * renumbered: a taken name leaves it undone.
     *
     * @param of            the media file it belongs to (for a gift, the duplicate it came from)
     * @param suffix        what follows the media file's name in its own name ({@code ".xmp"}, {@code ".MOV"}), or
     *                      null when it keeps its own name (a Live Photo video paired by content identifier)
     * @param afterFullName whether the suffix follows the whole name ({@code IMG_1.jpg.xmp}) or the name without its
     *                      extension ({@code IMG_1.xmp})
     * @param givenToKept   a copy of the duplicate's companion for the copy kept, which had none
     */
    record Companion(Path of, String suffix, boolean afterFullName, boolean givenToKept) {
        public Companion {
            Objects.requireNonNull(of, "of");
        }

        /**
         * This companion's name beside {@code media}: {@code dir/x_1.xmp} for {@code dir/x_1.jpg}, or null when it
         * keeps its own name.
         */
        public Path besides(Path media) {
            if (suffix == null) {
                return null;
            }
            String name = media.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String base = afterFullName || dot <= 0 ? name : name.substring(0, dot);
            return media.resolveSibling(base + suffix);
        }
    }

    /**
     * The copy of a group that stays when a duplicate is taken away, as it was planned.
     *
     * @param path         where it is
     * @param size         its size then
     * @param lastModified its modification time then (ms)
     * @param identical    whether the duplicate has the same bytes (exact groups): then the two are compared byte
     *                     for byte at the moment the duplicate goes; look-alikes only have to be unchanged
     * @param sameAudio    whether the duplicate has the same audio with other tags (exact groups of audio compared
     *                     by their sound): then the two sounds are compared byte for byte at the moment the
     *                     duplicate goes
     */
    record KeptCopy(Path path, long size, long lastModified, boolean identical, boolean sameAudio) {
        public KeptCopy {
            Objects.requireNonNull(path, "path");
            if (identical && sameAudio) {
                throw new IllegalArgumentException("identical bytes or the same audio, not both");
            }
        }

        /** A kept copy whose bytes the duplicate has ({@code identical}) or that only has to be unchanged. */
        public KeptCopy(Path path, long size, long lastModified, boolean identical) {
            this(path, size, lastModified, identical, false);
        }
    }

    private static void requireCommon(Path source, String reason) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reason, "reason");
    }

    /** The checks of every {@link Chosen} kind: a source, its scan root and a reason. */
    private static void requireChosen(Path source, Path sourceRoot, String reason) {
        requireCommon(source, reason);
        Objects.requireNonNull(sourceRoot, "sourceRoot");
    }
}
