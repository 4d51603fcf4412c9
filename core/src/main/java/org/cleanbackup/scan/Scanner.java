package org.cleanbackup.scan;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * The first stage of every command: walks the roots and yields the {@link MediaFile}s that pass the filters.
 *
 * <p>A root that is missing, unreadable, given twice or nested in another never stops the scan: a missing or
 * unreadable one is a {@link Problem}, a repeated or nested one a note. A file reachable from two roots is listed
 * once, under the innermost root, so a reference folder inside a source folder stays protected.
 */
public final class Scanner {

    private final ScanOptions options;

    /** A scanner for the given options. */
    public Scanner(ScanOptions options) {
        this.options = options;
    }

    /** Walks every root. */
    public ScanResult scan() {
        return scan(count -> { });
    }

    /**
     * Walks every root, telling {@code progress} how many files were kept so far every few hundred files.
     */
    public ScanResult scan(LongConsumer progress) {
        List<Problem> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<Path, ScanRoot> roots = resolveRoots(problems, notes);
        Set<Path> excluded = new HashSet<>();
        for (Path path : options.excluded()) {
            excluded.add(realOrAbsolute(path));
        }
        List<MediaFile> files = new ArrayList<>();
        for (Map.Entry<Path, ScanRoot> root : roots.entrySet()) {
            walk(root.getKey(), root.getValue().reference(), roots.keySet(), excluded, files, problems, progress);
        }
        progress.accept(files.size());
        return new ScanResult(files, problems, notes);
    }

    private Map<Path, ScanRoot> resolveRoots(List<Problem> problems, List<String> notes) {
        Map<Path, ScanRoot> roots = new LinkedHashMap<>();
        for (ScanRoot root : options.roots()) {
            Path real;
            try {
                real = root.path().toRealPath();
            } catch (NoSuchFileException e) {
                problems.add(new Problem(root.path(), "folder does not exist"));
                continue;
            } catch (IOException e) {
                problems.add(Problem.of(root.path(), e));
                continue;
            }
            if (!Files.isDirectory(real)) {
                problems.add(new Problem(root.path(), "is not a folder"));
                continue;
            }
            ScanRoot previous = roots.get(real);
            if (previous != null) {
                notes.add(root.path() + " was given twice; scanned once");
                // A folder named both as reference and as source stays protected.
                if (root.reference() && !previous.reference()) {
                    roots.put(real, new ScanRoot(real, true));
                }
                continue;
            }
            roots.put(real, new ScanRoot(real, root.reference()));
        }
        for (Path a : roots.keySet()) {
            for (Path b : roots.keySet()) {
                if (!a.equals(b) && a.startsWith(b)) {
                    notes.add(a + " is inside " + b + "; its files are counted once, under " + a);
                }
            }
        }
        return roots;
    }

    private void walk(Path root, boolean reference, Set<Path> allRoots, Set<Path> excluded, List<MediaFile> files,
                      List<Problem> problems, LongConsumer progress) {
        Set<FileVisitOption> visitOptions = options.followLinks()
                ? EnumSet.of(FileVisitOption.FOLLOW_LINKS) : EnumSet.noneOf(FileVisitOption.class);
        try {
            Files.walkFileTree(root, visitOptions, Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(root) && (allRoots.contains(dir) || excluded.contains(dir)
                            || dir.getFileName().toString().equals(ScanOptions.TRASH_FOLDER))) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (!attrs.isRegularFile()) {
                        return FileVisitResult.CONTINUE; // symbolic links when not followed, devices, sockets
                    }
                    String name = file.getFileName().toString();
                    if (!options.accepts(name)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (name.indexOf('\uFFFD') >= 0) {
                        // Java decodes names with the locale's charset; a name that is not valid UTF-8 cannot be
                        // turned back into the same bytes, so acting on it could touch the wrong file.
                        problems.add(new Problem(file, "file name is not valid UTF-8; skipped (rename it to include it)"));
                        return FileVisitResult.CONTINUE;
                    }
                    if (attrs.size() == 0 && !options.includeEmpty()) {
                        return FileVisitResult.CONTINUE;
                    }
                    files.add(new MediaFile(file, root, reference, attrs.size(),
                            attrs.lastModifiedTime().toMillis(), FileId.fromFileKey(attrs.fileKey())));
                    if ((files.size() & 255) == 0) {
                        progress.accept(files.size());
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE; // vanished between listing and stat: nothing to report on
                    }
                    problems.add(Problem.of(file, e));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                    if (e != null) {
                        problems.add(Problem.of(dir, e));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            problems.add(Problem.of(root, e));
        }
    }

    private static Path realOrAbsolute(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }
}
