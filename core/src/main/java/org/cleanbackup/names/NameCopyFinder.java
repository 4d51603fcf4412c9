package org.cleanbackup.names;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cleanbackup.hash.ContentHash;
import org.cleanbackup.hash.ContentHashers;
import org.cleanbackup.internal.hash.ContentReader;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.Problem;

/**
 * Finds files with OS copy names ({@link CopyNames}) whose original stands in the same folder, and compares the
 * two files' contents so a caller acts only on real duplicates.
 */
public final class NameCopyFinder {

    /**
     * What the finder found.
     *
     * @param copies   copy names with an original beside them
     * @param problems files that could not be compared
     */
    public record Result(List<NameCopy> copies, List<Problem> problems) {
        public Result {
            copies = List.copyOf(copies);
            problems = List.copyOf(problems);
        }
    }

    /** Looks for copy names among {@code files}. */
    public Result find(List<MediaFile> files) {
        // File names compared case-insensitively: "IMG_1 (1).JPG" is a copy of "IMG_1.jpg" on every OS that
        // made such names (Windows and macOS file systems ignore case).
        Map<Path, Map<String, MediaFile>> byFolder = new HashMap<>();
        for (MediaFile f : files) {
            byFolder.computeIfAbsent(f.path().getParent(), k -> new HashMap<>())
                    .put(f.path().getFileName().toString().toLowerCase(Locale.ROOT), f);
        }
        ContentReader reader = new ContentReader(ContentHashers.defaultHasher());
        List<NameCopy> copies = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (MediaFile f : files) {
            String name = f.path().getFileName().toString();
            Map<String, MediaFile> folder = byFolder.get(f.path().getParent());
            MediaFile original = CopyNames.originalNames(name).stream()
                    .map(n -> folder.get(n.toLowerCase(Locale.ROOT))).filter(o -> o != null && o != f)
                    .findFirst().orElse(null);
            if (original == null) {
                continue; // "Track (1).mp3" with no "Track.mp3" beside it is just a name
            }
            copies.add(compare(reader, f, original, problems));
        }
        return new Result(copies, problems);
    }

    private static NameCopy compare(ContentReader reader, MediaFile copy, MediaFile original, List<Problem> problems) {
        if (copy.size() != original.size()) {
            return new NameCopy(copy, original, NameCopy.Verdict.DIFFERENT, null);
        }
        try {
            ContentHash hash = reader.hashFile(copy.path(), copy.size());
            boolean same = (copy.id() != null && copy.id().equals(original.id()))
                    || hash.equals(reader.hashFile(original.path(), original.size()));
            return new NameCopy(copy, original, same ? NameCopy.Verdict.IDENTICAL : NameCopy.Verdict.DIFFERENT,
                    same ? hash : null);
        } catch (IOException e) {
            problems.add(Problem.of(copy.path(), e));
            return new NameCopy(copy, original, NameCopy.Verdict.UNKNOWN, null);
        }
    }
}
