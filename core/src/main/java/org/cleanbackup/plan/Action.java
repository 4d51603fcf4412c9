package org.cleanbackup.plan;

import java.nio.file.Path;
import java.util.Objects;
import org.cleanbackup.hash.ContentHash;
import org.cleanbackup.model.DisplayNames;

/**
 * One planned change to the file system.
 *
 * @param type         what to do
 * @param source       the file acted on
 * @param sourceRoot   the scan root the source was found under (the trash of a delete lives there)
 * @param target       for MOVE and COPY the wanted destination (a free name is chosen if it is taken); for
 *                     RESTORE the exact destination; for HARDLINK the file to link to; for REMOVE the file whose
 *                     content the removed copy duplicates; null for DELETE, REMOVE_DIR and PURGE
 * @param size         the source's size when planned; the action is skipped if it has changed
 * @param lastModified the source's modification time when planned (ms); the action is skipped if it has changed
 * @param hash         the source's content hash when known, else null
 * @param reason       why, for a person: "same content as reference/a.mp3"
 * @param kept         for an action that takes a duplicate away (dedupe's move, delete, hardlink), the copy that
 *                     stays: the executor acts only while it still exists unchanged; else null
 * @param companion    for a sidecar or Live Photo video that travels with another file (or is given to the copy
 *                     kept), whose file it belongs to and how it is named; else null
 */
public record Action(ActionType type, Path source, Path sourceRoot, Path target, long size, long lastModified,
                     ContentHash hash, String reason, KeptCopy kept, Companion companion) {

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
    public record Companion(Path of, String suffix, boolean afterFullName, boolean givenToKept) {
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
     */
    public record KeptCopy(Path path, long size, long lastModified, boolean identical) {
        public KeptCopy {
            Objects.requireNonNull(path, "path");
        }
    }

    /** An action that takes no duplicate away. */
    public Action(ActionType type, Path source, Path sourceRoot, Path target, long size, long lastModified,
                  ContentHash hash, String reason) {
        this(type, source, sourceRoot, target, size, lastModified, hash, reason, null, null);
    }

    /** An action on a file that is nobody's companion. */
    public Action(ActionType type, Path source, Path sourceRoot, Path target, long size, long lastModified,
                  ContentHash hash, String reason, KeptCopy kept) {
        this(type, source, sourceRoot, target, size, lastModified, hash, reason, kept, null);
    }

    public Action {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sourceRoot, "sourceRoot");
        Objects.requireNonNull(reason, "reason");
        if ((type == ActionType.MOVE || type == ActionType.COPY || type == ActionType.HARDLINK || type == ActionType.CREATE
                || type == ActionType.RESTORE || type == ActionType.REMOVE) && target == null) {
            throw new IllegalArgumentException(type + " needs a target");
        }
    }

    /** One line for a dry run: "move  a.mp3 -> out/a.mp3  (same content as ...)". */
    public String describe() {
        String arrow = switch (type) {
            case MOVE, COPY, RESTORE, CREATE -> " -> " + DisplayNames.of(target);
            case DELETE -> " -> trash";
            case HARDLINK -> " => link to " + DisplayNames.of(target);
            case REMOVE -> " (a copy of " + DisplayNames.of(target) + ")";
            case REMOVE_DIR, PURGE -> "";
        };
        return String.format("%-8s %s%s  (%s)", type.userName(), DisplayNames.of(source), arrow,
                DisplayNames.of(reason));
    }
}
