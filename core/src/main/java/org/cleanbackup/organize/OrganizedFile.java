package org.cleanbackup.organize;

import java.nio.file.Path;
import org.cleanbackup.dates.CaptureDate;
import org.cleanbackup.model.MediaFile;

/**
 * What organize decided for one source file.
 *
 * @param file    the source file
 * @param date    its capture date (for sidecars and Live Photo videos: their companion's), or null when skipped
 *                before dates were read
 * @param target  the wanted path in the destination, or null when skipped
 * @param skipped why it is not imported, or null when it is
 * @param detail  for skips, the file that made it redundant; else null
 */
public record OrganizedFile(MediaFile file, CaptureDate date, Path target, SkipReason skipped, Path detail) {

    /** True when the file goes to the unknown/ folder: no usable date. */
    public boolean unknownDate() {
        return skipped == null && date == null;
    }
}
