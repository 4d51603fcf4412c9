package org.cleanbackup.group;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.cleanbackup.hash.ContentHash;
import org.cleanbackup.model.FileId;
import org.cleanbackup.model.MediaFile;

/**
 * Files with identical content.
 *
 * @param hash       the content hash they share
 * @param size       their size in bytes
 * @param keep       the copy to keep
 * @param keepReason why that copy was chosen, for the report
 * @param duplicates the other copies, which may be acted on; reference files are never among them
 * @param protectedCopies further copies that are kept because they lie in a reference folder
 * @param hardLinks  other paths that are hard links to one of the files above: the same storage, so never
 *                   treated as duplicates
 * @param otherTags  the duplicates and protected copies that have the kept copy's audio but other tags (audio
 *                   compared by its sound alone, {@code hash} then being the sound's): other bytes than the kept
 *                   copy, so never replaced by a hard link to it; empty when every copy has the same bytes
 */
public record DuplicateGroup(ContentHash hash, long size, MediaFile keep, String keepReason,
                             List<MediaFile> duplicates, List<MediaFile> protectedCopies, List<MediaFile> hardLinks,
                             List<MediaFile> otherTags) {

    /** A group of files with identical bytes. */
    public DuplicateGroup(ContentHash hash, long size, MediaFile keep, String keepReason, List<MediaFile> duplicates,
                          List<MediaFile> protectedCopies, List<MediaFile> hardLinks) {
        this(hash, size, keep, keepReason, duplicates, protectedCopies, hardLinks, List.of());
    }

    public DuplicateGroup {
        otherTags = List.copyOf(otherTags);
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(keep, "keep");
        duplicates = List.copyOf(duplicates);
        protectedCopies = List.copyOf(protectedCopies);
        hardLinks = List.copyOf(hardLinks);
        for (MediaFile duplicate : duplicates) {
            if (duplicate.reference()) {
                throw new IllegalArgumentException("a reference file can never be a duplicate to act on");
            }
        }
    }

    /** Whether some copies have the same audio as the kept one but other tags ("same audio, other tags"). */
    public boolean sameAudioOtherTags() {
        return !otherTags.isEmpty();
    }

    /** Whether {@code file}, a duplicate or protected copy, has exactly the kept copy's bytes. */
    public boolean identicalToKept(MediaFile file) {
        return !otherTags.contains(file);
    }

    /**
     * The bytes that removing every duplicate would free: each duplicate's own size (look-alike images, shown in this
     * shape too, differ in size). A duplicate with another path among {@link #hardLinks} frees nothing (that path
     * keeps the data and is left alone), so it does not count. Hard links outside the scanned folders are not known
     * here.
     */
    public long reclaimableBytes() {
        Set<FileId> linked = new HashSet<>();
        for (MediaFile link : hardLinks) {
            if (link.id() != null) {
                linked.add(link.id());
            }
        }
        return duplicates.stream().filter(d -> d.id() == null || !linked.contains(d.id()))
                .mapToLong(MediaFile::size).sum();
    }
}
