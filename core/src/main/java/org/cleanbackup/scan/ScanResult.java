package org.cleanbackup.scan;

import java.util.List;

/**
 * What a scan found.
 *
 * @param files    the files kept by the filters, each once, in walk order
 * @param problems the entries that could not be read
 * @param notes    things the user should know that are not failures (a root given twice, a nested root)
 */
public record ScanResult(List<MediaFile> files, List<Problem> problems, List<String> notes) {

    public ScanResult {
        files = List.copyOf(files);
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
    }

    /** The total size of the files found, in bytes; hard links to one file count once (they are one file). */
    public long totalBytes() {
        long total = 0;
        java.util.Set<FileId> seen = new java.util.HashSet<>();
        for (MediaFile file : files) {
            if (file.id() == null || seen.add(file.id())) {
                total += file.size();
            }
        }
        return total;
    }
}
