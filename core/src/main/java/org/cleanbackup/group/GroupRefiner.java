package org.cleanbackup.group;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinTask;
import org.cleanbackup.internal.ByteRanges;
import org.cleanbackup.internal.hash.ContentReader;
import org.cleanbackup.model.ProgressListener;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.Problem;

/**
 * Splits one group of same-size files into groups of identical files, stage by stage: the first 4 KiB; for large
 * files the last 4 KiB; then the whole file. A file left alone at any stage is settled and never read again: most
 * candidates differ in their first bytes, so they cost one small read. Thread-safe: many groups are refined at once.
 */
final class GroupRefiner {

    /** How many bytes the prefix and suffix stages read. */
    static final int EDGE = 4096;

    /**
     * Files from this size on get the suffix stage: for them one more open and small read is cheap next to a whole
     * read that the suffix may save (copies cut short, or tagged differently at the end). For smaller files it
     * would mostly cost an open for nothing, as same first bytes usually mean a true copy.
     */
    static final long SUFFIX_FROM = 1 << 20;

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
        return refine(sameSize, null);
    }

    /**
     * The groups of files with identical payloads among {@code samePayload}: the same stages over the bytes of each
     * file's {@code payloads} ranges (an audio file's sound without its tags), all of one length; with
     * {@code payloads} null, over whole files.
     */
    List<Found> refine(List<MediaFile> samePayload, Map<MediaFile, ByteRanges> payloads) {
        if (payloads == null) {
            long size = samePayload.getFirst().size();
            long hashed = maxHashBytes > 0 ? Math.min(maxHashBytes, size) : size;
            return refine(samePayload, size, hashed,
                    f -> reader.hashBytes(f.path(), f.size(), 0, hashed),
                    (f, offset) -> reader.quickKey(f.path(), f.size(), offset, EDGE));
        }
        long size = payloads.get(samePayload.getFirst()).length();
        long hashed = maxHashBytes > 0 ? Math.min(maxHashBytes, size) : size;
        return refine(samePayload, size, hashed,
                f -> reader.hashBytes(f.path(), f.size(), payloads.get(f).slice(0, hashed)),
                (f, offset) -> reader.quickKey(f.path(), f.size(), payloads.get(f).slice(offset, EDGE)));
    }

    /** The hash of the bytes of {@code ranges} of {@code file} (an audio file's tags), counted as read. */
    byte[] hashRanges(MediaFile file, ByteRanges ranges) throws IOException {
        return reader.hashBytes(file.path(), file.size(), ranges);
    }

    /** A quick key of {@value #EDGE} bytes from an offset of what is compared. */
    private interface Edge {
        long key(MediaFile file, long offset) throws IOException;
    }

    private List<Found> refine(List<MediaFile> files, long size, long hashed, Stage whole, Edge edge) {
        if (hashed < size) {
            partial = true;
        }
        if (hashed <= EDGE) { // the first bytes are all there is to compare: that hash is the final one
            return settled(split(files, whole, hashed));
        }
        // The first and last bytes only sort files apart, so a quick 64-bit key does, whatever --algorithm says.
        List<Found> groups = split(files, f -> key64(edge.key(f, 0)), EDGE);
        // With --max-hash-bytes only the leading bytes count, so the last ones must not split a group.
        if (hashed == size && size >= SUFFIX_FROM) {
            groups = splitEach(groups, f -> key64(edge.key(f, size - EDGE)), EDGE);
        }
        return settled(splitEach(groups, whole, hashed));
    }

    private static byte[] key64(long key) {
        byte[] bytes = new byte[8];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (key >>> (56 - 8 * i));
        }
        return bytes;
    }

    /** Counts the files of the final groups as done (progress counts files' sizes). */
    private List<Found> settled(List<Found> groups) {
        for (Found group : groups) {
            for (MediaFile file : group.files()) {
                progress.advance(file.size());
            }
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
