package org.cleanbackup.similar;

import java.util.List;
import java.util.Objects;
import org.cleanbackup.phash.PerceptualHash;
import org.cleanbackup.model.MediaFile;

/**
 * Images that look the same: every member is within the threshold of the kept image (groups never chain).
 *
 * @param keep            the image kept
 * @param keepHash        its perceptual hash
 * @param keepReason      why it was kept, for the report
 * @param duplicates      the other images, which may be acted on (never reference files)
 * @param protectedCopies further similar images kept because they are in a reference folder
 */
public record SimilarGroup(MediaFile keep, PerceptualHash keepHash, String keepReason, List<Member> duplicates,
                           List<Member> protectedCopies) {

    /**
     * An image of a group.
     *
     * @param file     the image
     * @param distance its Hamming distance from the kept image (0..64)
     */
    public record Member(MediaFile file, int distance) {
    }

    public SimilarGroup {
        Objects.requireNonNull(keep, "keep");
        duplicates = List.copyOf(duplicates);
        protectedCopies = List.copyOf(protectedCopies);
    }

    /** The bytes acting on every duplicate would free. */
    public long reclaimableBytes() {
        return duplicates.stream().mapToLong(m -> m.file().size()).sum();
    }
}
