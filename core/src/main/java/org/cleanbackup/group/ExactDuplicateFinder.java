package org.cleanbackup.group;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import org.cleanbackup.hash.ContentHash;
import org.cleanbackup.hash.ContentHasher;
import org.cleanbackup.hash.ContentHashers;
import org.cleanbackup.internal.Pools;
import org.cleanbackup.internal.hash.ContentReader;
import org.cleanbackup.model.ProgressListener;
import org.cleanbackup.model.FileId;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.Problem;

/**
 * Finds files with identical content.
 *
 * <p>Each stage only looks at the files the previous one could not tell apart, so most files are never read in
 * full: size; then hard links to one inode are folded into one file (same storage, never a duplicate of
 * itself); then a hash of the first 4 KiB; then of the last 4 KiB (for files large enough that this saves a long
 * read); then of the whole file (or of its first {@code maxHashBytes} bytes, when the user asked for that weaker,
 * faster mode). Hashing runs on {@code threads} threads.
 */
public final class ExactDuplicateFinder {

    /**
     * How the finder works.
     *
     * @param hasher       the content hash for the last stage
     * @param maxHashBytes hash only this many leading bytes in the last stage; 0 hashes whole files
     * @param threads      hashing threads, at least 1
     * @param keep         which copy of a group to keep when no reference file decides
     * @param pool         the fork-join pool to hash on, left running afterwards; null to make one of {@code threads}
     * @param audioPayload compare audio files by their sound without their tags ({@code metadata.AudioPayload}): copies
     *                     that differ only in tags are one group, the copy with the fuller tags kept
     */
    public record Options(ContentHasher hasher, long maxHashBytes, int threads, KeepPolicy keep, ForkJoinPool pool,
                          boolean audioPayload) {
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

        /** Options comparing whole files, hashing on {@code pool}. */
        public Options(ContentHasher hasher, long maxHashBytes, int threads, KeepPolicy keep, ForkJoinPool pool) {
            this(hasher, maxHashBytes, threads, keep, pool, false);
        }

        /** Options comparing whole files, hashing on a pool of our own. */
        public Options(ContentHasher hasher, long maxHashBytes, int threads, KeepPolicy keep) {
            this(hasher, maxHashBytes, threads, keep, null, false);
        }

        /** The same options hashing on {@code pool} (null: a pool of our own), which the finder never shuts down. */
        public Options withPool(ForkJoinPool pool) {
            return new Options(hasher, maxHashBytes, threads, keep, pool, audioPayload);
        }

        /** The same options, comparing audio files by their sound without their tags (true) or whole (false). */
        public Options withAudioPayload(boolean audioPayload) {
            return new Options(hasher, maxHashBytes, threads, keep, pool, audioPayload);
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

    Options options() {
        return options;
    }

    /** A finder with the given options. */
    public ExactDuplicateFinder(Options options) {
        this.options = options;
    }

    /**
     * Groups the given files by content.
     *
     * <p>Each same-size group is one task that folds its hard links, runs every stage for its files and builds its
     * duplicate groups, so no thread waits for a stage to end everywhere before the next can start, a file is read
     * again only while it still has a twin, and little is left for the calling thread to do alone.
     */
    public Result find(Collection<MediaFile> files, ProgressListener progress) {
        GroupRefiner refiner = new GroupRefiner(new ContentReader(options.hasher()), options.maxHashBytes(), progress);
        List<DuplicateGroup> groups = new ArrayList<>();
        Payloads payloads = null;
        try (Pools.Lease<ForkJoinPool> lease = Pools.forkJoin(options.pool(), options.threads())) {
            ForkJoinPool pool = lease.executor();
            Collection<MediaFile> whole = files;
            if (options.audioPayload()) {
                payloads = Payloads.find(files, pool, progress);
                whole = payloads.wholeFiles();
            }
            List<List<MediaFile>> sameSize = sameSizeGroups(whole);
            List<List<MediaFile>> samePayload = payloads == null ? List.of() : payloads.sameLengthGroups();
            long candidateBytes = 0;
            for (List<MediaFile> group : sameSize) {
                candidateBytes += group.getFirst().size() * group.size();
            }
            for (List<MediaFile> group : samePayload) {
                candidateBytes += group.stream().mapToLong(MediaFile::size).sum();
            }
            progress.phase("Comparing contents", candidateBytes, "bytes");
            // This thread sleeps once, until the last task ends: joining the tasks one by one had each worker wake
            // it after nearly every task (a system call per task, tens of thousands of them).
            CountDownLatch finished = new CountDownLatch(sameSize.size() + samePayload.size());
            List<ForkJoinTask<List<DuplicateGroup>>> tasks = new ArrayList<>(sameSize.size() + samePayload.size());
            for (List<MediaFile> group : sameSize) {
                tasks.add(pool.submit(() -> {
                    try {
                        return duplicateGroups(group, refiner, progress);
                    } finally {
                        finished.countDown();
                    }
                }));
            }
            Payloads found = payloads;
            for (List<MediaFile> group : samePayload) {
                tasks.add(pool.submit(() -> {
                    try {
                        return found.duplicateGroups(group, refiner, this, progress);
                    } finally {
                        finished.countDown();
                    }
                }));
            }
            awaitUninterruptibly(finished);
            for (ForkJoinTask<List<DuplicateGroup>> task : tasks) {
                groups.addAll(task.join()); // done: returns at once, or throws what the task threw
            }
        }
        progress.phaseDone();
        groups.sort((a, b) -> Long.compare(b.reclaimableBytes(), a.reclaimableBytes()));
        List<Problem> problems = new ArrayList<>(payloads == null ? List.of() : payloads.problems());
        problems.addAll(refiner.problems());
        return new Result(groups, problems, refiner.partial(), refiner.bytesRead());
    }

    /** Waits like {@link ForkJoinTask#join}, which an interrupt does not end either; the interrupt is kept. */
    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The duplicate groups among files of one size. */
    private List<DuplicateGroup> duplicateGroups(List<MediaFile> sameSize, GroupRefiner refiner,
                                                 ProgressListener progress) {
        Map<MediaFile, List<MediaFile>> links = new IdentityHashMap<>(); // a record's hashCode hashes its path
        List<MediaFile> distinct = foldHardLinks(sameSize, links);
        if (distinct.size() < 2) {
            progress.advance(sameSize.getFirst().size() * sameSize.size());
            return List.of();
        }
        progress.advance(sameSize.getFirst().size() * (sameSize.size() - distinct.size())); // never read
        List<GroupRefiner.Found> found = refiner.refine(distinct);
        List<DuplicateGroup> groups = new ArrayList<>(found.size());
        for (GroupRefiner.Found group : found) {
            groups.add(toGroup(group.files(), ContentHash.of(options.hasher().name(), group.hash()), links));
        }
        return groups;
    }

    private DuplicateGroup toGroup(List<MediaFile> files, ContentHash hash, Map<MediaFile, List<MediaFile>> links) {
        List<MediaFile> ranked = options.keep().rank(files);
        return toGroup(ranked, options.keep().reasonFor(ranked.getFirst()), hash, links, List.of());
    }

    /** The group of {@code ranked} files (the one to keep first); {@code otherTags}: those with other bytes. */
    DuplicateGroup toGroup(List<MediaFile> ranked, String keepReason, ContentHash hash,
                           Map<MediaFile, List<MediaFile>> links, List<MediaFile> otherTags) {
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
        return new DuplicateGroup(hash, keep.size(), keep, keepReason, duplicates, protectedCopies, hardLinks,
                otherTags);
    }

    /**
     * Keeps one path per inode. The one kept is a reference path when there is one, so that an inode reachable
     * from a reference folder is protected; the others are remembered as its hard links.
     */
    static List<MediaFile> foldHardLinks(List<MediaFile> sameSize, Map<MediaFile, List<MediaFile>> links) {
        if (distinctInodes(sameSize)) {
            return sameSize; // the common case: no two paths of one file
        }
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

    static boolean distinctInodes(List<MediaFile> files) {
        if (files.size() <= 16) { // most groups: comparing each pair costs less than building a set
            for (int i = 1; i < files.size(); i++) {
                FileId id = files.get(i).id();
                for (int j = 0; id != null && j < i; j++) {
                    if (id.equals(files.get(j).id())) {
                        return false;
                    }
                }
            }
            return true;
        }
        // Larger groups (hundreds of files of one size in a tree of a million small files): the inode numbers,
        // sorted, are checked for a repeat. A set of the ids cost a hash, a node and a resize every few files, and
        // was the largest share of the comparing threads' own time there. One inode number on two devices is no
        // hard link, but saying "not distinct" for it only sends the group to foldHardLinks, which keys by the
        // whole id: a repeat here costs time, never a wrong group.
        long[] inodes = new long[files.size()];
        int n = 0;
        for (MediaFile file : files) {
            FileId id = file.id();
            if (id != null) {
                inodes[n++] = id.inode();
            }
        }
        Arrays.sort(inodes, 0, n);
        for (int i = 1; i < n; i++) {
            if (inodes[i] == inodes[i - 1]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The groups of two or more files of one size, largest size first: big files take longest, and starting them
     * early keeps every thread busy to the end. Sorted (stably, so scan order holds within a size) rather than
     * mapped by size: most sizes are unique, and a map would hold a list for each of them.
     */
    static List<List<MediaFile>> sameSizeGroups(Collection<MediaFile> files) {
        MediaFile[] bySize = sortedBySize(files.toArray(MediaFile[]::new));
        List<List<MediaFile>> groups = new ArrayList<>();
        for (int start = 0, end; start < bySize.length; start = end) {
            end = start + 1;
            while (end < bySize.length && bySize[end].size() == bySize[start].size()) {
                end++;
            }
            if (end - start > 1) {
                groups.add(Arrays.asList(bySize).subList(start, end));
            }
        }
        return groups;
    }

    /**
     * {@code files} sorted by size, largest first, stably. At hundreds of thousands of files a sort with a
     * comparator is a noticeable part of a run; so when each file's size and position fit in one {@code long} (any
     * size below 2^63 / 2^bits-for-the-position: 32 TiB for a million files), those numbers are sorted instead.
     */
    static MediaFile[] sortedBySize(MediaFile[] files) {
        int indexBits = 64 - Long.numberOfLeadingZeros(Math.max(1, files.length - 1));
        long maxSize = 0;
        for (MediaFile file : files) {
            maxSize = Math.max(maxSize, file.size());
        }
        if (maxSize >= (Long.MAX_VALUE >>> indexBits)) {
            MediaFile[] sorted = files.clone();
            Arrays.sort(sorted, (a, b) -> Long.compare(b.size(), a.size()));
            return sorted;
        }
        long[] keys = new long[files.length];
        for (int i = 0; i < files.length; i++) {
            keys[i] = (maxSize - files[i].size()) << indexBits | i; // largest first; ties keep their order
        }
        Arrays.sort(keys);
        MediaFile[] sorted = new MediaFile[files.length];
        long indexMask = (1L << indexBits) - 1;
        for (int i = 0; i < keys.length; i++) {
            sorted[i] = files[(int) (keys[i] & indexMask)];
        }
        return sorted;
    }
}
