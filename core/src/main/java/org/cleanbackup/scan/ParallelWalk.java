package org.cleanbackup.scan;

import org.cleanbackup.internal.Pools;
import org.cleanbackup.model.FileId;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveTask;

/**
 * Walks a folder tree on several threads, one fork-join task per folder, and gives the entries in exactly the order
 * a single-threaded depth-first walk ({@link Files#walkFileTree}) gives them: a folder's entries in the order the
 * file system lists them, each subfolder's entries where the subfolder is listed. The order matters: it breaks
 * ties when choosing which copy to keep.
 *
 * <p>Why not {@code Files.walkFileTree}: listing and reading attributes is most of a scan, and it waits on the
 * kernel file by file; two threads list two folders at once. On Linux a folder is listed with the C library
 * ({@link LibcDirectories}) when it can be, the Java way otherwise; both give the same entries in the same order.
 */
final class ParallelWalk {

    /** What the walk does with what it finds. Called from several threads at once. */
    interface Visitor {
        /** Whether to enter this folder (not the root, which is always entered). */
        boolean enter(Path dir, BasicFileAttributes attrs);

        /**
         * A file, link or other entry that is not a folder; returns what to keep, or null. {@code file} holds no
         * index of its name elements (which reading its name from the path would add to it, 48 bytes a file that
         * a scan keeps to the end), so the visitor may keep it as it is; {@code name} is its last element.
         */
        Object visit(Path file, String name, BasicFileAttributes attrs);

        /** An entry that could not be read. */
        Object failed(Path path, IOException e);
    }

    private final Visitor visitor;
    private final boolean followLinks;
    /** The C library's folder listing, or empty for Java's (other systems, or asked for). */
    private final Optional<LibcDirectories> libc = LibcDirectories.get();
    private final LinkOption[] linkOptions;

    ParallelWalk(Visitor visitor, boolean followLinks) {
        this.visitor = visitor;
        this.followLinks = followLinks;
        this.linkOptions = followLinks ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
    }

    /**
     * Everything {@code visitor} kept under {@code root}, in depth-first order, on {@code pool}, or when it is null on
     * {@code threads} threads of our own (the calling thread alone for one).
     */
    List<Object> walk(Path root, int threads, ForkJoinPool given) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(root, BasicFileAttributes.class, linkOptions);
        } catch (IOException e) {
            return keep(visitor.failed(root, e));
        }
        Folder top = new Folder(root, List.of(), key(attrs));
        List<Object> out = new ArrayList<>();
        if (given == null && threads <= 1) {
            top.compute();
        } else {
            try (Pools.Lease<ForkJoinPool> pool = Pools.forkJoin(given, threads)) {
                pool.executor().invoke(top);
            }
        }
        top.flatten(out);
        return out;
    }

    /**
     * A folder's identity for telling loops: its device and inode, whichever way its attributes were read (a Java
     * file key and a {@link FileId} never compare equal).
     */
    private static Object key(BasicFileAttributes attrs) {
        Object key = attrs.fileKey();
        FileId id = FileId.fromFileKey(key);
        return id != null ? id : key;
    }

    private static List<Object> keep(Object kept) {
        return kept == null ? List.of() : List.of(kept);
    }

    /** One folder: its kept entries and its subfolders' tasks, in listing order. */
    private final class Folder extends RecursiveTask<Folder> {
        private final Path dir;
        /** The file keys of the folders above, to tell a link that leads back up (followed links only). */
        private final List<Object> ancestors;
        private final Object key;
        private final List<Object> entries = new ArrayList<>();

        Folder(Path dir, List<Object> ancestors, Object key) {
            this.dir = dir;
            this.ancestors = ancestors;
            this.key = key;
        }

        @Override
        protected Folder compute() {
            List<Folder> forked = new ArrayList<>();
            Optional<List<LibcDirectories.Entry>> listed = libc.flatMap(l -> l.list(dir, followLinks));
            if (listed.isPresent()) {
                for (LibcDirectories.Entry entry : listed.get()) {
                    visitEntry(entry.path(), entry.name(), entry.attributes(), forked);
                }
            } else {
                try (DirectoryStream<Path> listing = Files.newDirectoryStream(dir)) {
                    for (Path entry : listing) {
                        visitEntry(entry, null, null, forked);
                    }
                } catch (IOException | java.nio.file.DirectoryIteratorException e) {
                    IOException cause = e instanceof IOException io ? io
                            : ((java.nio.file.DirectoryIteratorException) e).getCause();
                    entries.add(visitor.failed(dir, cause));
                }
            }
            for (Folder child : forked) {
                child.join();
            }
            return this;
        }

        /** One entry; its {@code name} and {@code attrs} as already read, or null to take them here. */
        private void visitEntry(Path entry, String name, BasicFileAttributes attrs, List<Folder> forked) {
            if (attrs == null) {
                attrs = readAttributes(entry);
                if (attrs == null) {
                    return;
                }
            }
            if (!attrs.isDirectory()) {
                if (name == null) { // a path from Java's listing: its name read, then a fresh path without the index
                    Path fileName = entry.getFileName();
                    name = fileName.toString();
                    entry = dir.resolve(fileName);
                }
                entries.add(visitor.visit(entry, name, attrs));
                return;
            }
            Object childKey = key(attrs);
            if (followLinks && isLoop(childKey)) {
                entries.add(visitor.failed(entry, new FileSystemLoopException(entry.toString())));
                return;
            }
            if (!visitor.enter(entry, attrs)) {
                return;
            }
            List<Object> chain = followLinks ? append(ancestors, key) : List.of();
            Folder child = new Folder(entry, chain, childKey);
            entries.add(child);
            if (ForkJoinTask.inForkJoinPool()) {
                forked.add(child);
                child.fork();
            } else {
                child.compute();
            }
        }

        /** The entry's attributes, or null when they could not be read (the failure is recorded). */
        private BasicFileAttributes readAttributes(Path entry) {
            try {
                return Files.readAttributes(entry, BasicFileAttributes.class, linkOptions);
            } catch (IOException e) {
                if (followLinks) {
                    // A broken link when following: like walkFileTree, look at the link itself.
                    try {
                        return Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    } catch (IOException again) {
                        entries.add(visitor.failed(entry, again));
                        return null;
                    }
                }
                entries.add(visitor.failed(entry, e));
                return null;
            }
        }

        private boolean isLoop(Object childKey) {
            return childKey != null && (childKey.equals(key) || ancestors.contains(childKey));
        }

        void flatten(List<Object> out) {
            for (Object entry : entries) {
                if (entry instanceof Folder child) {
                    child.flatten(out);
                } else if (entry != null) {
                    out.add(entry);
                }
            }
        }
    }

    private static List<Object> append(List<Object> list, Object item) {
        List<Object> longer = new ArrayList<>(list.size() + 1);
        longer.addAll(list);
        if (item != null) { // a platform without file keys cannot tell loops; walkFileTree cannot either
            longer.add(item);
        }
        return longer;
    }
}
