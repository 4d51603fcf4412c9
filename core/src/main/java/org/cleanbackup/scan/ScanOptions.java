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
 * @param extensions   lower-case extensions (without dots) of the files to keep, at least one; {@link #ANY_EXTENSION}
 *                     ({@code "*"}) keeps every regular file, whatever its extension ({@link #EVERY_FILE})
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

    /** The extension that stands for any: a set holding it keeps every regular file. */
    public static final String ANY_EXTENSION = "*";

    /** The extensions that keep every regular file, whatever its name (documents, archives, ...). */
    public static final Set<String> EVERY_FILE = Set.of(ANY_EXTENSION);

    /**
     * Normalizes the extensions (lower case, no leading dot; a set holding {@code "*"} becomes {@link #EVERY_FILE}).
     *
     * @throws IllegalArgumentException when no extension is named: every file is asked for with {@link #EVERY_FILE},
     *                                  never by an empty set
     */
    public ScanOptions {
        roots = List.copyOf(Objects.requireNonNull(roots, "roots"));
        extensions = Objects.requireNonNull(extensions, "extensions").stream()
                .map(e -> e.trim().toLowerCase(Locale.ROOT).replaceFirst("^\\.", ""))
                .filter(e -> !e.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        if (extensions.isEmpty()) {
            throw new IllegalArgumentException("name at least one extension, or ScanOptions.EVERY_FILE for every file");
        }
        if (extensions.contains(ANY_EXTENSION)) {
            extensions = EVERY_FILE;
        }
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

    /** Options for the given roots, keeping every regular file whatever its name, with the defaults for the rest. */
    public static ScanOptions everyFile(List<ScanRoot> roots) {
        return new ScanOptions(roots, EVERY_FILE, false, false, List.of());
    }

    /** Whether every regular file is kept, whatever its extension. */
    public boolean keepsEveryFile() {
        return extensions.contains(ANY_EXTENSION);
    }

    /** Whether a file name passes the extension filter. */
    public boolean accepts(String fileName) {
        return keepsEveryFile() || extensions.contains(MediaType.extensionOf(fileName));
    }
}
