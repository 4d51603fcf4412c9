package org.cleanbackup.scan;

import org.cleanbackup.model.FileId;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.MediaType;
import org.cleanbackup.model.Problem;
import org.cleanbackup.internal.TemporaryFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The first stage of every command: walks the roots and yields the {@link MediaFile}s that pass the filters.
 *
 * <p>A root that is missing, unreadable, given twice or nested in another never stops the scan: a missing or
 * unreadable one is a {@link Problem}, a repeated or nested one a note. A file reachable from two roots is listed
 * once, under the innermost root, so a reference folder inside a source folder stays protected.
 */
public final class Scanner {

    /**
     * Folders listed at once. Listing and reading attributes wait on the kernel, so a few threads help even on few
     * cores; more mostly contend for the same directory locks.
     */
    private static final int WALK_THREADS = Math.min(4, Runtime.getRuntime().availableProcessors());

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
     * Walks every root, telling {@code progress} how many files were kept so far every few hundred files (from the
     * walking threads: it must be thread-safe).
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
        Counts leftOut = new Counts();
        for (Map.Entry<Path, ScanRoot> root : roots.entrySet()) {
            walk(root.getKey(), root.getValue().reference(), roots.keySet(), excluded, files, problems, leftOut,
                    progress);
        }
        progress.accept(files.size());
        return new ScanResult(files, problems, notes, leftOut.result());
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

    /** What the filters left out, counted from the walking threads. */
    private static final class Counts {
        final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.LongAdder> byExtension =
                new java.util.concurrent.ConcurrentHashMap<>();
        final java.util.concurrent.atomic.LongAdder empty = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder notRegular = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder unreadable = new java.util.concurrent.atomic.LongAdder();

        void otherType(String name) {
            byExtension.computeIfAbsent(MediaType.extensionOf(name), k -> new java.util.concurrent.atomic.LongAdder())
                    .increment();
        }

        LeftOut result() {
            Map<String, Long> counts = new java.util.HashMap<>();
            byExtension.forEach((ext, n) -> counts.put(ext, n.sum()));
            return new LeftOut(counts, empty.sum(), notRegular.sum(), unreadable.sum(), 0);
        }
    }

    private void walk(Path root, boolean reference, Set<Path> allRoots, Set<Path> excluded, List<MediaFile> files,
                      List<Problem> problems, Counts counts, LongConsumer progress) {
        // What a reference folder (a library, organize's destination) holds besides media is not "left out".
        Counts leftOut = reference ? new Counts() : counts;
        AtomicLong keptCount = new AtomicLong(files.size());
        ParallelWalk.Visitor visitor = new ParallelWalk.Visitor() {
            @Override
            public boolean enter(Path dir, BasicFileAttributes attrs) {
                return !(allRoots.contains(dir) || excluded.contains(dir)
                        || dir.getFileName().toString().equals(ScanOptions.TRASH_FOLDER));
            }

            @Override
            public Object visit(Path file, String name, BasicFileAttributes attrs) {
                if (!attrs.isRegularFile()) {
                    leftOut.notRegular.increment(); // symbolic links when not followed, FIFOs, devices, sockets
                    return null;
                }
                if (TemporaryFiles.isTemporaryName(name)) {
                    return null; // a copy in progress (ours, or one a killed run left): never a file of the user's
                }
                if (!options.accepts(name)) {
                    leftOut.otherType(name);
                    return null;
                }
                if (name.indexOf('\uFFFD') >= 0) {
                    // Java decodes names with the locale's charset; a name that is not valid UTF-8 cannot be
                    // turned back into the same bytes, so acting on it could touch the wrong file.
                    leftOut.unreadable.increment();
                    return new Problem(file, "file name is not valid UTF-8; skipped (rename it to include it)");
                }
                if (attrs.size() == 0 && !options.includeEmpty()) {
                    leftOut.empty.increment();
                    return null;
                }
                if ((keptCount.incrementAndGet() & 255) == 0) {
                    progress.accept(keptCount.get());
                }
                return new MediaFile(file, root, reference, attrs.size(), attrs.lastModifiedTime().toMillis(),
                        FileId.fromFileKey(attrs.fileKey()));
            }

            @Override
            public Object failed(Path path, IOException e) {
                // Vanished between listing and stat: nothing to report on.
                if (e instanceof NoSuchFileException) {
                    return null;
                }
                leftOut.unreadable.increment();
                return Problem.of(path, e);
            }
        };
        for (Object found : new ParallelWalk(visitor, options.followLinks()).walk(root, WALK_THREADS, options.pool())) {
            if (found instanceof MediaFile file) {
                files.add(file);
            } else {
                problems.add((Problem) found);
            }
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
