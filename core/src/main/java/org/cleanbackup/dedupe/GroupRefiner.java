package org.cleanbackup.dedupe;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinTask;
import org.cleanbackup.internal.ContentReader;
import org.cleanbackup.report.ProgressListener;
import org.cleanbackup.scan.MediaFile;
import org.cleanbackup.scan.Problem;

/**
 * Splits one group of same-size files into groups of identical files, stage by stage: first 4 KiB, last 4 KiB,
 * whole file. A file that ends up alone at any stage is settled and never read again. Thread-safe: many groups are
 * refined at once.
 */
final class GroupRefiner {

    /** How many bytes the prefix and suffix stages read. */
    static final int EDGE = 4096;

    /**
     * Files up to this size skip the suffix stage: reading them whole costs little more than a second small read,
     * and the whole-file hash is needed anyway if the suffix matches.
     */
    static final long SUFFIX_FROM = 64 * 1024;

    /** A file this large is hashed in its own task, so the files of one group are read on several threads. */
    private static final long OWN_TASK_FROM = 1 << 20;

    /** Files with identical content, and that content's hash. */
    record Found(List<MediaFile> files, byte[] hash) {
    }

    private final ContentReader reader;
    private final long maxHashBytes;
    private final ProgressListener progress;
    private final ConcurrentLinkedQueue<Problem> problems = new ConcurrentLinkedQueue<>();
    private volatile boolean partial;

    GroupRefiner(ContentReader reader, long maxHashBytes, ProgressListener progress) {
        this.reader = reader;
        this.maxHashBytes = maxHashBytes;
        this.progress = progress;
    }

    List<Problem> problems() {
        return List.copyOf(problems);
    }

    /** True when some group was compared on its first {@code maxHashBytes} bytes only. */
    boolean partial() {
        return partial;
    }

    long bytesRead() {
        return reader.bytesRead();
    }

    /** The groups of identical files among {@code sameSize} (at least two files each, all of one size). */
    List<Found> refine(List<MediaFile> sameSize) {
        long size = sameSize.getFirst().size();
        long hashed = maxHashBytes > 0 ? Math.min(maxHashBytes, size) : size;
        if (hashed < size) {
            partial = true;
        }
        long prefix = Math.min(EDGE, hashed);
        List<Found> groups = split(sameSize, 0, prefix);
        if (prefix < hashed) { // else the first bytes were all there is to compare: that hash is the final one
            if (hashed == size && size >= SUFFIX_FROM) {
                groups = splitEach(groups, size - EDGE, EDGE);
            }
            groups = splitEach(groups, 0, hashed);
        }
        for (Found group : groups) {
            progress.advance(size * group.files().size());
        }
        return groups;
    }

    /** A hash as a map key (byte arrays compare by identity). */
    private record Key(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    private List<Found> splitEach(List<Found> groups, long offset, long length) {
        List<Found> out = new ArrayList<>();
        for (Found group : groups) {
            out.addAll(split(group.files(), offset, length));
        }
        return out;
    }

    /**
     * Splits {@code files} by the hash of {@code length} bytes at {@code offset}. Files left alone, and files that
     * could not be read (reported), are settled: counted as done and dropped.
     */
    private List<Found> split(List<MediaFile> files, long offset, long length) {
        Key[] keys = keys(files, offset, length);
        Map<Key, List<MediaFile>> byKey = new LinkedHashMap<>(); // in scan order
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                byKey.computeIfAbsent(keys[i], k -> new ArrayList<>(2)).add(files.get(i));
            } else {
                progress.advance(files.get(i).size());
            }
        }
        List<Found> groups = new ArrayList<>(byKey.size());
        for (Map.Entry<Key, List<MediaFile>> entry : byKey.entrySet()) {
            List<MediaFile> twins = entry.getValue();
            if (twins.size() > 1) {
                groups.add(new Found(twins, entry.getKey().bytes()));
            } else {
                progress.advance(twins.getFirst().size());
            }
        }
        return groups;
    }

    /**
     * Hashes {@code length} bytes at {@code offset} of each file; null for a file that could not be read. Large
     * reads run in fork-join tasks of their own, so that the files of one group are read on several threads;
     * small ones in this thread, where a task would cost more than the read.
     */
    private Key[] keys(List<MediaFile> files, long offset, long length) {
        Key[] keys = new Key[files.size()];
        if (length >= OWN_TASK_FROM && ForkJoinTask.inForkJoinPool()) {
            List<ForkJoinTask<Key>> tasks = new ArrayList<>(files.size());
            for (MediaFile file : files) {
                tasks.add(ForkJoinTask.adapt(() -> key(file, offset, length)).fork());
            }
            for (int i = 0; i < keys.length; i++) {
                keys[i] = tasks.get(i).join();
            }
        } else {
            for (int i = 0; i < keys.length; i++) {
                keys[i] = key(files.get(i), offset, length);
            }
        }
        return keys;
    }

    private Key key(MediaFile file, long offset, long length) {
        try {
            return new Key(reader.hashBytes(file.path(), file.size(), offset, length));
        } catch (IOException e) {
            problems.add(Problem.of(file.path(), e));
            return null;
        }
    }
}
