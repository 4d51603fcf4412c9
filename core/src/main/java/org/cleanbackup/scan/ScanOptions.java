package org.cleanbackup.scan;

import org.cleanbackup.model.MediaType;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Collectors;
import org.cleanbackup.internal.TemporaryFiles;

/**
 * What a {@link Scanner} looks at.
 *
 * @param roots        the folders to walk, sources and references
 * @param extensions   lower-case extensions (without dots) of the files to keep; empty keeps every regular file
 * @param followLinks  follow symbolic links (loops are detected and reported, not followed)
 * @param includeEmpty keep zero-byte files (they are all "identical", so they are left out by default)
 * @param excluded     folders never entered, such as the output folder of a move
 * @param pool         the fork-join pool to walk on (one task per folder), left running afterwards; null to make
 *                     one of up to four threads per root
 */
public record ScanOptions(List<ScanRoot> roots, Set<String> extensions, boolean followLinks, boolean includeEmpty,
                          List<Path> excluded, ForkJoinPool pool) {

    /** The folder name, under each root, where deleted files wait in case of undo. Never scanned. */
    public static final String TRASH_FOLDER = TemporaryFiles.TRASH_FOLDER;

    public ScanOptions {
        roots = List.copyOf(Objects.requireNonNull(roots, "roots"));
        extensions = Objects.requireNonNull(extensions, "extensions").stream()
                .map(e -> e.toLowerCase(Locale.ROOT).replaceFirst("^\\.", ""))
                .collect(Collectors.toUnmodifiableSet());
        excluded = List.copyOf(Objects.requireNonNull(excluded, "excluded"));
    }

    /** Options walking on pools of our own. */
    public ScanOptions(List<ScanRoot> roots, Set<String> extensions, boolean followLinks, boolean includeEmpty,
                       List<Path> excluded) {
        this(roots, extensions, followLinks, includeEmpty, excluded, null);
    }

    /** A copy walking on {@code pool} (null: pools of our own), which the scanner never shuts down. */
    public ScanOptions withPool(ForkJoinPool pool) {
        return new ScanOptions(roots, extensions, followLinks, includeEmpty, excluded, pool);
    }

    /** Options for the given roots, keeping files of the given media types, with the defaults for the rest. */
    public static ScanOptions of(List<ScanRoot> roots, Set<MediaType> types) {
        return new ScanOptions(roots, MediaType.extensionsOf(types), false, false, List.of());
    }

    /** A copy that also leaves out the given folders. */
    public ScanOptions excluding(List<Path> more) {
        var all = new java.util.ArrayList<>(excluded);
        all.addAll(more);
        return new ScanOptions(roots, extensions, followLinks, includeEmpty, all, pool);
    }

    /** A copy with the given link and empty-file settings. */
    public ScanOptions with(boolean followLinks, boolean includeEmpty) {
        return new ScanOptions(roots, extensions, followLinks, includeEmpty, excluded, pool);
    }

    /** Whether a file name passes the extension filter. */
    public boolean accepts(String fileName) {
        return extensions.isEmpty() || extensions.contains(MediaType.extensionOf(fileName));
    }
}
