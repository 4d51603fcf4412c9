package org.cleanbackup.dates;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * When a photo or video was taken, and where that answer came from.
 *
 * @param localTime the wall-clock time where it was taken (what the camera showed), used for folders
 * @param offset    that place's offset from UTC when known, else null
 * @param source    which piece of metadata (or the file name, or the file's time) gave it
 * @param note      why the file's embedded metadata could not be used (one line, for reports), or null when it was
 *                  read or the file has none: set when the file's structure failed a safety check
 */
public record CaptureDate(LocalDateTime localTime, ZoneOffset offset, Source source, String note) {

    /**
     * Where a capture date came from, in the order they are tried. The order is a photographer's: the moment the
     * shutter fired first (EXIF DateTimeOriginal, then its digitized twin, then the dates of cameras that keep
     * theirs only in a maker note), then the creation dates editors carry along (IPTC, XMP), then video containers,
     * and only then IFD0's DateTime, which most software rewrites on every edit (a photo taken in 2009 and edited in
     * 2023 must stay in 2009), then the name and the file's time. The README's organize section gives each step's reason.
     */
    public enum Source {
        /** EXIF DateTimeOriginal, with OffsetTimeOriginal and SubSecTimeOriginal when present. */
        EXIF_ORIGINAL("EXIF DateTimeOriginal"),
        /** EXIF CreateDate (DateTimeDigitized). */
        EXIF_DIGITIZED("EXIF CreateDate"),
        /** A date the camera wrote only in its maker note (Reconyx trail cameras) or its own segment (FLIR). */
        MAKER_NOTE("maker note DateTimeOriginal"),
        /** IPTC DateCreated with TimeCreated (the date alone when there is no time). */
        IPTC("IPTC DateCreated"),
        /** XMP photoshop:DateCreated or xmp:CreateDate. */
        XMP("XMP date"),
        /** Apple's com.apple.quicktime.creationdate: local time with offset. */
        QUICKTIME_APPLE("QuickTime creationdate"),
        /** QuickTime/MP4 creation_time, stored in UTC. */
        QUICKTIME_UTC("QuickTime/MP4 creation_time"),
        /** AVI (RIFF) DateTimeOriginal. */
        AVI("AVI date"),
        /** EXIF IFD0 DateTime (ModifyDate): often the time of the last edit, so after every creation date. */
        EXIF_DATETIME("EXIF DateTime"),
        /** A date in the file name, such as IMG_20200131_235959. */
        FILE_NAME("file name"),
        /** The file's modification time: the last resort, flagged in reports. */
        FILE_TIME("file modification time");

        private final String label;

        Source(String label) {
            this.label = label;
        }

        /** A short description for reports. */
        public String label() {
            return label;
        }
    }

    public CaptureDate {
        Objects.requireNonNull(localTime, "localTime");
        Objects.requireNonNull(source, "source");
    }

    /** A date with no note. */
    public CaptureDate(LocalDateTime localTime, ZoneOffset offset, Source source) {
        this(localTime, offset, source, null);
    }

    /** True when only the file's modification time was left: reports flag such files. */
    public boolean fromFileTime() {
        return source == Source.FILE_TIME;
    }
}
