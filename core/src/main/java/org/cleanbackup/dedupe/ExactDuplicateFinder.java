package org.cleanbackup.dedupe;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cleanbackup.hash.ContentHash;
import org.cleanbackup.hash.ContentHasher;
import org.cleanbackup.hash.ContentHashers;
import org.cleanbackup.internal.ContentReader;
import org.cleanbackup.report.ProgressListener;
import org.cleanbackup.scan.FileId;
import org.cleanbackup.scan.MediaFile;
import org.cleanbackup.scan.Problem;

/**
 * Finds files with identical content.
 *
 * <p>Each stage only looks at the files the previous one could not tell apart, so most files are never read in
 * full: size; then hard links to one inode are folded into one file (same storage, never a duplicate of
 * itself); then a hash of the first 4 KiB; then of the last 4 KiB; then of the whole file (or of its first
 * {@code maxHashBytes} bytes, when the user asked for that weaker, faster mode). Hashing runs on
 * {@code threads} threads.
 */
public final class ExactDuplicateFinder {

    /** How many bytes the prefix and suffix stages read. */
    static final int EDGE = 4096;

    /**
     * How the finder works.
     *
     * @param hasher       the content hash for the last stage
     * @param maxHashBytes hash only this many leading bytes in the last stage; 0 hashes whole files
     * @param threads      hashing threads, at least 1
     * @param keep         which copy of a group to keep when no reference file decides
     */
    public record Options(ContentHasher hasher, long maxHashBytes, int threads, KeepPolicy keep) {
        public Options {
            Objects.requireNonNull(hasher, "hasher");
            Objects.requireNonNull(keep, "keep");
            if (maxHashBytes < 0) {
                throw new IllegalArgumentException("maxHashBytes must be 0 (whole file) or positive");
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1");
            }
        }

        /** XXH3-128 over whole files, one thread per core, keeping the oldest copy. */
        public static Options defaults() {
            return new Options(ContentHashers.defaultHasher(), 0, Runtime.getRuntime().availableProcessors(),
                    KeepPolicy.OLDEST);
        }
    }

    /**
     * What the finder found.
     *
     * @param groups       the groups of identical files, largest reclaimable size first
     * @param problems     files that could not be read; they are in no group
     * @param partialHash  true when only the first bytes of files were compared ({@code maxHashBytes})
     * @param bytesHashed  how many bytes were read to decide
     */
    public record Result(List<DuplicateGroup> groups, List<Problem> problems, boolean partialHash, long bytesHashed) {
        public Result {
            groups = List.copyOf(groups);
            problems = List.copyOf(problems);
        }
    }

    private final Options options;

    /** A finder with the given options. */
    public ExactDuplicateFinder(Options options) {
        this.options = options;
    }

    /** Groups the given files by content. */
    public Result find(Collection<MediaFile> files, ProgressListener progress) {
        ContentReader reader = new ContentReader(options.hasher());
        Map<MediaFile, List<MediaFile>> links = new HashMap<>();
        List<List<MediaFile>> candidates = new ArrayList<>();
        for (List<MediaFile> sameSize : groupBy(files, MediaFile::size)) {
            List<MediaFile> distinct = foldHardLinks(sameSize, links);
            if (distinct.size() > 1) {
                candidates.add(distinct);
            }
        }
        ConcurrentLinkedQueue<Problem> problems = new ConcurrentLinkedQueue<>();
        boolean partial = false;
        try (ExecutorService pool = Executors.newFixedThreadPool(options.threads(), r -> {
            Thread t = new Thread(r, "cleanbackup-hash");
            t.setDaemon(true);
            return t;
        })) {
            candidates = refine(candidates, "Comparing first bytes", pool, problems, progress,
                    f -> reader.hashRange(f.path(), f.size(), 0, Math.min(EDGE, f.size())), f -> true);
            candidates = refine(candidates, "Comparing last bytes", pool, problems, progress,
                    f -> reader.hashRange(f.path(), f.size(), f.size() - EDGE, EDGE), f -> f.size() > EDGE);
            Map<MediaFile, ContentHash> full = new java.util.concurrent.ConcurrentHashMap<>();
            long limit = options.maxHashBytes();
            candidates = refine(candidates, "Hashing", pool, problems, progress, f -> {
                ContentHash hash = reader.hashRange(f.path(), f.size(), 0, limit > 0 ? Math.min(limit, f.size()) : f.size());
                full.put(f, hash);
                return hash;
            }, f -> true);
            partial = limit > 0 && candidates.stream().flatMap(List::stream).anyMatch(f -> f.size() > limit);
            List<DuplicateGroup> groups = new ArrayList<>();
            for (List<MediaFile> group : candidates) {
                groups.add(toGroup(group, full.get(group.getFirst()), links));
            }
            groups.sort((a, b) -> Long.compare(b.reclaimableBytes(), a.reclaimableBytes()));
            return new Result(groups, List.copyOf(problems), partial, reader.bytesRead());
        }
    }

    private DuplicateGroup toGroup(List<MediaFile> files, ContentHash hash, Map<MediaFile, List<MediaFile>> links) {
        List<MediaFile> ranked = options.keep().rank(files);
        MediaFile keep = ranked.getFirst();
        List<MediaFile> duplicates = new ArrayList<>();
        List<MediaFile> protectedCopies = new ArrayList<>();
        List<MediaFile> hardLinks = new ArrayList<>();
        for (MediaFile file : ranked) {
            hardLinks.addAll(links.getOrDefault(file, List.of()));
            if (file == keep) {
                continue;
            }
            (file.reference() ? protectedCopies : duplicates).add(file);
        }
        return new DuplicateGroup(hash, keep.size(), keep, options.keep().reasonFor(keep), duplicates,
                protectedCopies, hardLinks);
    }

    /**
     * Keeps one path per inode. The one kept is a reference path when there is one, so that an inode reachable
     * from a reference folder is protected; the others are remembered as its hard links.
     */
    private static List<MediaFile> foldHardLinks(List<MediaFile> sameSize, Map<MediaFile, List<MediaFile>> links) {
        Map<FileId, List<MediaFile>> byInode = new LinkedHashMap<>();
        List<MediaFile> distinct = new ArrayList<>();
        for (MediaFile file : sameSize) {
            if (file.id() == null) {
                distinct.add(file);
            } else {
                byInode.computeIfAbsent(file.id(), k -> new ArrayList<>()).add(file);
            }
        }
        for (List<MediaFile> paths : byInode.values()) {
            MediaFile representative = paths.stream().filter(MediaFile::reference).findFirst().orElse(paths.getFirst());
            distinct.add(representative);
            if (paths.size() > 1) {
                links.put(representative, paths.stream().filter(p -> p != representative).toList());
            }
        }
        return distinct;
    }

    private interface Stage {
        ContentHash hash(MediaFile file) throws IOException;
    }

    /** Splits each candidate group by one more hash, dropping files that end up alone. */
    private static List<List<MediaFile>> refine(List<List<MediaFile>> groups, String phase, ExecutorService pool,
                                         ConcurrentLinkedQueue<Problem> problems, ProgressListener progress,
                                         Stage stage,
                                         java.util.function.Predicate<MediaFile> needed) {
        List<MediaFile> work = new ArrayList<>();
        for (List<MediaFile> group : groups) {
            for (MediaFile f : group) {
                if (needed.test(f)) {
                    work.add(f);
                }
            }
        }
        progress.phase(phase, work.size(), "files");
        Map<MediaFile, Future<ContentHash>> futures = new HashMap<>();
        for (MediaFile file : work) {
            futures.put(file, pool.submit(() -> {
                try {
                    return stage.hash(file);
                } catch (IOException e) {
                    problems.add(Problem.of(file.path(), e));
                    return null;
                } finally {
                    progress.advance(1);
                }
            }));
        }
        List<List<MediaFile>> refined = new ArrayList<>();
        for (List<MediaFile> group : groups) {
            Map<String, List<MediaFile>> byHash = new LinkedHashMap<>();
            for (MediaFile file : group) {
                Future<ContentHash> future = futures.get(file);
                String key;
                if (future == null) {
                    key = ""; // this stage has nothing to add for this file (e.g. no suffix beyond the prefix)
                } else {
                    ContentHash hash = await(future);
                    if (hash == null) {
                        continue; // unreadable: reported, left out of every group
                    }
                    key = hash.hex();
                }
                byHash.computeIfAbsent(key, k -> new ArrayList<>()).add(file);
            }
            for (List<MediaFile> split : byHash.values()) {
                if (split.size() > 1) {
                    refined.add(split);
                }
            }
        }
        progress.phaseDone();
        return refined;
    }

    private static ContentHash await(Future<ContentHash> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hashing", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("hashing failed unexpectedly", e.getCause());
        }
    }

    private static <K> Collection<List<MediaFile>> groupBy(Collection<MediaFile> files,
                                                           java.util.function.Function<MediaFile, K> key) {
        Map<K, List<MediaFile>> map = new LinkedHashMap<>();
        for (MediaFile file : files) {
            map.computeIfAbsent(key.apply(file), k -> new ArrayList<>()).add(file);
        }
        return map.values();
    }
}
