package org.cleanbackup.sound;

import java.util.List;
import java.util.Objects;
import org.cleanbackup.fingerprint.AudioFacts;
import org.cleanbackup.model.MediaFile;

/**
 * Recordings that sound the same: every member matched the kept one directly (groups never chain).
 *
 * @param keep            the file kept
 * @param keepFacts       what FFmpeg said about it (codec, bit rate, tags)
 * @param keepFingerprint the first four words of its fingerprint in hex, to name the group in a report
 * @param keepReason      why it was kept, for the report
 * @param duplicates      the other files, which may be acted on (never reference files)
 * @param protectedCopies further matching files kept because they are in a reference folder
 * @since 0.4
 */
public record SoundGroup(MediaFile keep, AudioFacts keepFacts, String keepFingerprint, String keepReason, List<Member> duplicates,
                         List<Member> protectedCopies) {

    /**
     * A file of a group.
     *
     * @param file         the file
     * @param bitErrorRate the share of fingerprint bits that differ from the kept file's where they overlap (0-1)
     * @param offsetMillis where its sound starts against the kept file's: positive when it starts later in the song
     *                     (its beginning was cut), in steps of one fingerprint word (about 124 ms)
     */
    public record Member(MediaFile file, double bitErrorRate, long offsetMillis) {
    }

    public SoundGroup {
        Objects.requireNonNull(keep, "keep");
        Objects.requireNonNull(keepFacts, "keepFacts");
        Objects.requireNonNull(keepFingerprint, "keepFingerprint");
        Objects.requireNonNull(keepReason, "keepReason");
        duplicates = List.copyOf(duplicates);
        protectedCopies = List.copyOf(protectedCopies);
        for (Member m : duplicates) {
            if (m.file().reference()) {
                throw new IllegalArgumentException("a reference file can never be a duplicate to act on");
            }
        }
    }

    /** The bytes acting on every duplicate would free. */
    public long reclaimableBytes() {
        return duplicates.stream().mapToLong(m -> m.file().size()).sum();
    }
}
