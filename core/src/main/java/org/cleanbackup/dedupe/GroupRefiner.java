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
 * Splits one group of same-size files into groups of identical files. A small file is hashed whole at once (one
 * open, one read). A larger one is first told apart by its first and last 4 KiB, read in one go, and hashed whole
 * only while it still has a twin. Each stage opens a file once: on a warm cache, opening costs more than reading a
 * few kilobytes. Thread-safe: many groups are refined at once.
 */
final class GroupRefiner {

    /** How many bytes the edge stage reads at each end of a file. */
    static final int EDGE = 4096;

    /**
     * Files up to this size are hashed whole straight away: one read of at most 64 KiB costs about what the edge
     * stage's two small reads cost, and the whole-file hash is needed anyway when the edges match.
     */
    static final long WHOLE_AT_ONCE = 64 * 1024;

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
        Stage whole = f -> reader.hashBytes(f.path(), f.size(), 0, hashed);
        List<Found> groups;
        if (hashed <= WHOLE_AT_ONCE) {
            groups = split(sameSize, whole, hashed);
        } else {
            // With --max-hash-bytes only the leading bytes count, so the last ones must not split a group.
            Stage edges = hashed == size ? f -> reader.hashEdges(f.path(), f.size(), EDGE)
                    : f -> reader.hashBytes(f.path(), f.size(), 0, EDGE);
            groups = splitEach(split(sameSize, edges, 2 * EDGE), whole, hashed);
        }
        for (Found group : groups) {
            progress.advance(size * group.files().size());
        }
        return groups;
    }

    /** One way of hashing a file. */
    private interface Stage {
        byte[] hash(MediaFile file) throws IOException;
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

    private List<Found> splitEach(List<Found> groups, Stage stage, long bytesPerFile) {
        List<Found> out = new ArrayList<>();
        for (Found group : groups) {
            out.addAll(split(group.files(), stage, bytesPerFile));
        }
        return out;
    }

    /**
     * Splits {@code files} by their hash in {@code stage}, which reads {@code bytesPerFile} of each. Files left
     * alone, and files that could not be read (reported), are settled: counted as done and dropped.
     */
    private List<Found> split(List<MediaFile> files, Stage stage, long bytesPerFile) {
        Key[] keys = keys(files, stage, bytesPerFile);
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
     * Each file's hash in {@code stage}; null for a file that could not be read. Reads of 1 MiB and more run in
     * fork-join tasks of their own, so that the files of one group are read on several threads; smaller ones in
     * this thread, where a task would cost more than the read.
     */
    private Key[] keys(List<MediaFile> files, Stage stage, long bytesPerFile) {
        Key[] keys = new Key[files.size()];
        if (bytesPerFile >= OWN_TASK_FROM && ForkJoinTask.inForkJoinPool()) {
            List<ForkJoinTask<Key>> tasks = new ArrayList<>(files.size());
            for (MediaFile file : files) {
                tasks.add(ForkJoinTask.adapt(() -> key(file, stage)).fork());
            }
            for (int i = 0; i < keys.length; i++) {
                keys[i] = tasks.get(i).join();
            }
        } else {
            for (int i = 0; i < keys.length; i++) {
                keys[i] = key(files.get(i), stage);
            }
        }
        return keys;
    }

    private Key key(MediaFile file, Stage stage) {
        try {
            return new Key(stage.hash(file));
        } catch (IOException e) {
            problems.add(Problem.of(file.path(), e));
            return null;
        }
    }
}
