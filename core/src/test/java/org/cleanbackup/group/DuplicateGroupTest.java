package org.cleanbackup.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.cleanbackup.hash.ContentHash;
import org.cleanbackup.model.FileId;
import org.cleanbackup.model.MediaFile;
import org.junit.jupiter.api.Test;

class DuplicateGroupTest {

    private static MediaFile file(String name, long size, long inode) {
        return new MediaFile(Path.of("/photos", name), Path.of("/photos"), false, size, 0, new FileId(1, inode));
    }

    /** Look-alike images share this shape but not a size: each duplicate frees its own bytes, not the kept one's. */
    @Test
    void reclaimableBytesAreTheDuplicatesOwnSizes() {
        MediaFile keep = file("big.jpg", 5_000_000, 1);
        DuplicateGroup group = new DuplicateGroup(new ContentHash("phash", "00"), keep.size(), keep, "best",
                List.of(file("small.jpg", 300_000, 2), file("thumb.jpg", 20_000, 3)), List.of(), List.of());

        assertThat(group.reclaimableBytes()).isEqualTo(320_000);
    }

    @Test
    void aDuplicateHardLinkedElsewhereInTheGroupFreesNothing() {
        MediaFile keep = file("a.jpg", 1000, 1);
        MediaFile dup = file("b.jpg", 1000, 2);
        MediaFile linkOfDup = file("c.jpg", 1000, 2);
        DuplicateGroup group = new DuplicateGroup(new ContentHash("xxh3", "00"), 1000, keep, "oldest",
                List.of(dup, file("d.jpg", 1000, 4)), List.of(), List.of(linkOfDup));

        assertThat(group.reclaimableBytes()).isEqualTo(1000);
    }
}
