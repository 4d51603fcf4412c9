package org.cleanbackup;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.cleanbackup.group.KeepPolicy;
import org.cleanbackup.plan.DuplicateAction;
import org.cleanbackup.model.MediaType;

/**
 * What {@link CleanBackup#dedupe(DedupeRequest)} looks for and what it plans to do with the duplicates it finds.
 * Start from {@link #of(Path...)} and change one thing at a time:
 *
 * <pre>{@code
 * DedupeRequest.of(inbox).withReferences(library).withTypes(MediaType.AUDIO).moveTo(dupes)
 * }</pre>
 *
 * @param sources    folders whose duplicates may be acted on
 * @param references folders holding originals: their files are kept, never moved, changed or deleted
 * @param types      the media types to look at
 * @param action     what to do with each duplicate, or null to only report them (the plan is then empty)
 * @param to         the output folder for {@link DuplicateAction#MOVE} and {@link DuplicateAction#COPY}, else null
 * @param keep       which copy of a group to keep when no reference file decides
 * @param threads    hashing threads, at least 1
 * @since 0.1
 */
public record DedupeRequest(List<Path> sources, List<Path> references, Set<MediaType> types, DuplicateAction action,
                            Path to, KeepPolicy keep, int threads) {

    /** Checks the request; a MOVE or COPY without an output folder is refused here, before anything is scanned. */
    public DedupeRequest {
        sources = List.copyOf(sources);
        references = List.copyOf(references);
        types = Set.copyOf(types);
        Objects.requireNonNull(keep, "keep");
        if (sources.isEmpty() && references.isEmpty()) {
            throw new IllegalArgumentException("name at least one folder");
        }
        if (types.isEmpty()) {
            throw new IllegalArgumentException("name at least one media type");
        }
        if (action != null && action.needsOutputFolder() && to == null) {
            throw new IllegalArgumentException(action.userName() + " needs an output folder");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
    }

    /** Every audio, image and video file in {@code sources}, reported only, keeping the oldest copy. */
    public static DedupeRequest of(Path... sources) {
        return new DedupeRequest(List.of(sources), List.of(), EnumSet.allOf(MediaType.class), null, null,
                KeepPolicy.OLDEST, Runtime.getRuntime().availableProcessors());
    }

    /** The same request with these reference folders (originals that are never acted on). */
    public DedupeRequest withReferences(Path... folders) {
        return new DedupeRequest(sources, List.of(folders), types, action, to, keep, threads);
    }

    /** The same request looking only at these media types. */
    public DedupeRequest withTypes(MediaType first, MediaType... more) {
        return new DedupeRequest(sources, references, EnumSet.of(first, more), action, to, keep, threads);
    }

    /** The same request, moving duplicates under {@code folder} (their path below it kept). */
    public DedupeRequest moveTo(Path folder) {
        return new DedupeRequest(sources, references, types, DuplicateAction.MOVE, Objects.requireNonNull(folder, "folder"),
                keep, threads);
    }

    /** The same request, copying duplicates under {@code folder}. */
    public DedupeRequest copyTo(Path folder) {
        return new DedupeRequest(sources, references, types, DuplicateAction.COPY, Objects.requireNonNull(folder, "folder"),
                keep, threads);
    }

    /** The same request, moving duplicates into their root's {@code .cleanbackup-trash/} folder (undoable). */
    public DedupeRequest trash() {
        return new DedupeRequest(sources, references, types, DuplicateAction.DELETE, null, keep, threads);
    }

    /** The same request, replacing duplicates by hard links to the copy kept (the duplicate goes to the trash). */
    public DedupeRequest hardLink() {
        return new DedupeRequest(sources, references, types, DuplicateAction.HARDLINK, null, keep, threads);
    }

    /** The same request, choosing the copy to keep with {@code policy}. */
    public DedupeRequest keeping(KeepPolicy policy) {
        return new DedupeRequest(sources, references, types, action, to, policy, threads);
    }

    /** The same request, hashing with {@code n} threads. */
    public DedupeRequest withThreads(int n) {
        return new DedupeRequest(sources, references, types, action, to, keep, n);
    }
}
