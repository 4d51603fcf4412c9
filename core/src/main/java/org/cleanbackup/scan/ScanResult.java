package org.cleanbackup.scan;

import org.cleanbackup.model.FileId;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.Problem;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a scan found.
 *
 * @param files    the files kept by the filters, each once, in walk order
 * @param problems the entries that could not be read
 * @param notes    things the user should know that are not failures (a root given twice, a nested root)
 * @param leftOut  what the walk saw and the filters did not keep, and why
 */
public record ScanResult(List<MediaFile> files, List<Problem> problems, List<String> notes, LeftOut leftOut) {

    public ScanResult {
        files = List.copyOf(files);
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
        java.util.Objects.requireNonNull(leftOut, "leftOut");
    }

    /** A result with nothing left out. */
    public ScanResult(List<MediaFile> files, List<Problem> problems, List<String> notes) {
        this(files, problems, notes, LeftOut.NONE);
    }

    /** The total size of the files found, in bytes; hard links to one file count once (they are one file). */
    public long totalBytes() {
        // Inode numbers sorted, not a set of ids: a scan of hundreds of thousands of files would otherwise build a
        // large hash set for the few (usually no) inodes that repeat. Only those are then told apart by device.
        long[] inodes = new long[files.size()];
        int count = 0;
        long total = 0;
        for (MediaFile file : files) {
            total += file.size();
            if (file.id() != null) {
                inodes[count++] = file.id().inode();
            }
        }
        Arrays.sort(inodes, 0, count);
        Set<Long> repeated = new HashSet<>();
        for (int i = 1; i < count; i++) {
            if (inodes[i] == inodes[i - 1]) {
                repeated.add(inodes[i]);
            }
        }
        if (repeated.isEmpty()) {
            return total;
        }
        Set<FileId> seen = new HashSet<>();
        for (MediaFile file : files) {
            if (file.id() != null && repeated.contains(file.id().inode()) && !seen.add(file.id())) {
                total -= file.size(); // another path to a file already counted
            }
        }
        return total;
    }
}
