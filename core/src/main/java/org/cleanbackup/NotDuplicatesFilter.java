package org.cleanbackup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cleanbackup.cache.HashCache;
import org.cleanbackup.cache.NotDuplicates;
import org.cleanbackup.group.DuplicateGroup;
import org.cleanbackup.hash.ContentHash;
import org.cleanbackup.hash.ContentHasher;
import org.cleanbackup.internal.hash.ContentReader;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.Problem;
import org.cleanbackup.similar.SimilarGroup;

/**
 * Takes out of what a dedupe found the pairs the user marked "not duplicates" in a review ({@link NotDuplicates}).
 *
 * <p>Exact groups share one content hash: a group whose hash was marked against itself is left out whole. A look-alike
 * group is a kept image and members each within the threshold of it (groups never chain), so a member whose pair with
 * the kept image was marked leaves the group, and a group with nothing left to act on or protect is left out. Only
 * the files of look-alike groups are content-hashed here (the similar search reads pixels, not bytes), and only when
 * some pair is remembered at all, so a run with an empty memory reads nothing more.
 */
final class NotDuplicatesFilter {

    private NotDuplicatesFilter() {
    }

    /** {@code found} without the remembered pairs; unchanged when {@code cacheFile} does not exist. */
    static DedupePlan.Found apply(DedupePlan.Found found, Path cacheFile, ContentHasher hasher) {
        if (!Files.exists(cacheFile) || (found.groups().isEmpty() && found.similarGroups().isEmpty())) {
            return found; // nothing was ever marked (the cache is created by the first mark or the first similar run)
        }
        NotDuplicates.Pairs pairs;
        try (NotDuplicates memory = NotDuplicates.open(cacheFile)) {
            pairs = memory.pairs();
        } catch (HashCache.CacheException e) {
            // a damaged cache must not stop the run: the pairs are offered again, and the problem says why
            List<Problem> problems = new ArrayList<>(found.problems());
            problems.add(new Problem(cacheFile, "cannot read the pairs marked not duplicates, so they are shown: "
                    + e.getMessage()));
            return new DedupePlan.Found(found.groups(), found.similarGroups(), found.nameCopies(), problems,
                    found.partialHash(), found.imageHashing());
        }
        if (pairs.isEmpty()) {
            return found;
        }
        if (found.similarGroups().isEmpty()) {
            List<DuplicateGroup> kept = found.groups().stream().filter(g -> !pairs.contains(g.hash(), g.hash())).toList();
            return new DedupePlan.Found(kept, List.of(), found.nameCopies(), found.problems(), found.partialHash(),
                    found.imageHashing());
        }
        ContentReader reader = new ContentReader(hasher);
        List<Problem> problems = new ArrayList<>(found.problems());
        List<SimilarGroup> kept = new ArrayList<>();
        for (SimilarGroup g : found.similarGroups()) {
            ContentHash keep = hash(reader, g.keep(), problems);
            if (keep == null) {
                kept.add(g); // unreadable now: the plan's own checks will meet it again
                continue;
            }
            List<SimilarGroup.Member> duplicates = without(g.duplicates(), keep, pairs, reader, problems);
            List<SimilarGroup.Member> protectedCopies = without(g.protectedCopies(), keep, pairs, reader, problems);
            if (!duplicates.isEmpty()) {
                kept.add(new SimilarGroup(g.keep(), g.keepHash(), g.keepReason(), duplicates, protectedCopies));
            }
        }
        List<DuplicateGroup> groups = kept.stream().map(CleanBackup::asGroup).toList();
        return new DedupePlan.Found(groups, kept, found.nameCopies(), problems, found.partialHash(),
                found.imageHashing());
    }

    private static List<SimilarGroup.Member> without(List<SimilarGroup.Member> members, ContentHash keep,
                                                     NotDuplicates.Pairs pairs, ContentReader reader,
                                                     List<Problem> problems) {
        List<SimilarGroup.Member> left = new ArrayList<>();
        for (SimilarGroup.Member m : members) {
            ContentHash h = hash(reader, m.file(), problems);
            if (h == null || !pairs.contains(keep, h)) {
                left.add(m);
            }
        }
        return left;
    }

    private static ContentHash hash(ContentReader reader, MediaFile f, List<Problem> problems) {
        try {
            return reader.hashFile(f.path(), f.size());
        } catch (IOException e) {
            problems.add(new Problem(f.path(), "cannot read it to check the pairs marked not duplicates: "
                    + e.getMessage()));
            return null;
        }
    }

    /** The content hashes of {@code files}, keyed by path (for remembering a review's decision). */
    static Map<Path, ContentHash> hashes(List<MediaFile> files, ContentHasher hasher) throws IOException {
        ContentReader reader = new ContentReader(hasher);
        Map<Path, ContentHash> hashes = new HashMap<>();
        for (MediaFile f : files) {
            hashes.put(f.path(), reader.hashFile(f.path(), f.size()));
        }
        return hashes;
    }
}
