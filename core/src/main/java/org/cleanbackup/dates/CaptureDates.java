package org.cleanbackup.dates;

import com.adobe.internal.xmp.XMPException;
import com.adobe.internal.xmp.XMPMeta;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.avi.AviDirectory;
import com.drew.metadata.exif.ExifDirectoryBase;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.mov.QuickTimeDirectory;
import com.drew.metadata.mov.metadata.QuickTimeMetadataDirectory;
import com.drew.metadata.mp4.Mp4Directory;
import com.drew.metadata.xmp.XmpDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;
import org.cleanbackup.metadata.EmbeddedMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads when a photo or video was taken, trying the sources of {@link CaptureDate.Source} in order. A junk value
 * (blank, {@code 0000:00:00 00:00:00}, before 1970, or in the future) is skipped and the next source tried;
 * damaged metadata never throws: it is logged and the next source tried, down to the file's modification time.
 * Metadata is read through {@link EmbeddedMetadata}, whose structure check refuses hostile files before a parser
 * allocates from them; such a date carries a {@linkplain CaptureDate#note() note} saying why.
 *
 * <p>Video containers store creation_time in UTC: it is shown in the zone the file itself names (Apple's
 * creationdate offset) when it has one, else in the given zone (the system's by default), because a folder
 * named after the month should match the calendar the person saw.
 */
public final class CaptureDates {

    private static final Logger LOG = LoggerFactory.getLogger(CaptureDates.class);

    private static final DateTimeFormatter EXIF = DateTimeFormatter.ofPattern("yyyy:MM:dd HH:mm:ss", Locale.ROOT);
    private static final LocalDateTime EPOCH = LocalDateTime.of(1970, 1, 1, 0, 0);

    /** ISO 8601 as XMP and Apple write it: date, optional time, optional fraction, optional offset (+hh:mm or +hhmm). */
    private static final DateTimeFormatter ISO = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart().appendLiteral('T').appendPattern("HH:mm").optionalStart().appendPattern(":ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd().optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalEnd()
            .parseDefaulting(ChronoField.HOUR_OF_DAY, 0).parseDefaulting(ChronoField.MINUTE_OF_HOUR, 0)
            .toFormatter(Locale.ROOT);

    private final ZoneId zone;
    private final Clock clock;

    /** Reads with the system's zone and clock. */
    public CaptureDates() {
        this(ZoneId.systemDefault(), Clock.systemUTC());
    }

    /**
     * Reads with the given zone (for UTC container times and file times) and clock (what "in the future" means).
     */
    public CaptureDates(ZoneId zone, Clock clock) {
        this.zone = zone;
        this.clock = clock;
    }

    /**
     * The capture date of a file. Never fails for bad metadata; fails only when the file cannot even be looked at.
     *
     * @throws IOException when the file's modification time cannot be read either
     */
    public CaptureDate read(Path file) throws IOException {
        return read(file, null);
    }

    /**
     * The capture date of a file; a UTC container time is shown at {@code zoneHint} when given (the offset of the
     * Live Photo's still image, say), else in this reader's zone.
     *
     * @throws IOException when the file's modification time cannot be read either
     */
    public CaptureDate read(Path file, ZoneOffset zoneHint) throws IOException {
        // A file that cannot be opened is a real failure; damaged metadata is not: the name and time remain.
        EmbeddedMetadata.Result metadata = EmbeddedMetadata.read(file);
        if (metadata instanceof EmbeddedMetadata.Result.Read read) {
            Optional<CaptureDate> embedded = fromMetadata(read.value(), zoneHint);
            if (embedded.isPresent()) {
                return embedded.get();
            }
        }
        String note = metadata instanceof EmbeddedMetadata.Result.Refused refused
                ? "metadata not read: " + refused.reason() : null;
        Optional<LocalDateTime> named = FileNameDates.parse(file.getFileName().toString()).filter(this::plausible);
        if (named.isPresent()) {
            return new CaptureDate(named.get(), null, CaptureDate.Source.FILE_NAME, note);
        }
        Instant modified = Files.getLastModifiedTime(file).toInstant();
        return new CaptureDate(LocalDateTime.ofInstant(modified, zone), zone.getRules().getOffset(modified),
                CaptureDate.Source.FILE_TIME, note);
    }

    Optional<CaptureDate> fromMetadata(Metadata metadata, ZoneOffset zoneHint) {
        for (ExifSubIFDDirectory exif : metadata.getDirectoriesOfType(ExifSubIFDDirectory.class)) {
            Optional<CaptureDate> d = exif(exif, ExifDirectoryBase.TAG_DATETIME_ORIGINAL,
                    ExifDirectoryBase.TAG_TIME_ZONE_ORIGINAL, ExifDirectoryBase.TAG_SUBSECOND_TIME_ORIGINAL,
                    CaptureDate.Source.EXIF_ORIGINAL);
            if (d.isPresent()) {
                return d;
            }
        }
        for (ExifSubIFDDirectory exif : metadata.getDirectoriesOfType(ExifSubIFDDirectory.class)) {
            Optional<CaptureDate> d = exif(exif, ExifDirectoryBase.TAG_DATETIME_DIGITIZED,
                    ExifDirectoryBase.TAG_TIME_ZONE_DIGITIZED, ExifDirectoryBase.TAG_SUBSECOND_TIME_DIGITIZED,
                    CaptureDate.Source.EXIF_DIGITIZED);
            if (d.isPresent()) {
                return d;
            }
        }
        for (ExifIFD0Directory ifd0 : metadata.getDirectoriesOfType(ExifIFD0Directory.class)) {
            Optional<CaptureDate> d = exif(ifd0, ExifDirectoryBase.TAG_DATETIME, ExifDirectoryBase.TAG_TIME_ZONE,
                    ExifDirectoryBase.TAG_SUBSECOND_TIME, CaptureDate.Source.EXIF_DATETIME);
            if (d.isPresent()) {
                return d;
            }
        }
        for (XmpDirectory xmp : metadata.getDirectoriesOfType(XmpDirectory.class)) {
            Optional<CaptureDate> d = xmp(xmp.getXMPMeta());
            if (d.isPresent()) {
                return d;
            }
        }
        for (QuickTimeMetadataDirectory qt : metadata.getDirectoriesOfType(QuickTimeMetadataDirectory.class)) {
            Optional<CaptureDate> d = iso(qt.getString(QuickTimeMetadataDirectory.TAG_CREATION_DATE),
                    CaptureDate.Source.QUICKTIME_APPLE);
            if (d.isPresent()) {
                return d;
            }
        }
        for (Directory dir : metadata.getDirectoriesOfType(QuickTimeDirectory.class)) {
            Optional<CaptureDate> d = utc(dir.getDate(QuickTimeDirectory.TAG_CREATION_TIME), zoneHint);
            if (d.isPresent()) {
                return d;
            }
        }
        for (Directory dir : metadata.getDirectoriesOfType(Mp4Directory.class)) {
            Optional<CaptureDate> d = utc(dir.getDate(Mp4Directory.TAG_CREATION_TIME), zoneHint);
            if (d.isPresent()) {
                return d;
            }
        }
        for (AviDirectory avi : metadata.getDirectoriesOfType(AviDirectory.class)) {
            Optional<CaptureDate> d = avi(avi.getString(AviDirectory.TAG_DATETIME_ORIGINAL));
            if (d.isPresent()) {
                return d;
            }
        }
        return Optional.empty();
    }

    private Optional<CaptureDate> exif(Directory dir, int dateTag, int offsetTag, int subSecTag,
                                       CaptureDate.Source source) {
        String text = dir.getString(dateTag);
        if (text == null) {
            return Optional.empty();
        }
        LocalDateTime local;
        try {
            // Some cameras pad with spaces or NULs, or end with a stray character; keep the 19 that matter.
            String trimmed = text.trim().replace('\0', ' ').trim();
            local = LocalDateTime.parse(trimmed.length() > 19 ? trimmed.substring(0, 19) : trimmed, EXIF);
        } catch (DateTimeParseException e) {
            return Optional.empty(); // blank, 0000:00:00 00:00:00, or garbage: next source
        }
        if (!plausible(local)) {
            return Optional.empty();
        }
        String subSec = dir.getString(subSecTag);
        if (subSec != null && subSec.trim().matches("\\d{1,9}")) {
            String digits = subSec.trim();
            local = local.withNano(Integer.parseInt((digits + "000000000").substring(0, 9)));
        }
        ZoneOffset offset = null;
        String offsetText = dir.getString(offsetTag);
        if (offsetText != null) {
            try {
                offset = ZoneOffset.of(offsetText.trim());
            } catch (java.time.DateTimeException e) {
                offset = null; // "   :  " and other placeholders
            }
        }
        return Optional.of(new CaptureDate(local, offset, source));
    }

    private Optional<CaptureDate> xmp(XMPMeta meta) {
        if (meta == null) {
            return Optional.empty();
        }
        for (String[] property : new String[][] {{"http://ns.adobe.com/photoshop/1.0/", "DateCreated"},
                {"http://ns.adobe.com/xap/1.0/", "CreateDate"}}) {
            try {
                String value = meta.getPropertyString(property[0], property[1]);
                Optional<CaptureDate> d = iso(value, CaptureDate.Source.XMP);
                if (d.isPresent()) {
                    return d;
                }
            } catch (XMPException e) {
                LOG.debug("unreadable XMP date: {}", e.getMessage());
            }
        }
        return Optional.empty();
    }

    private Optional<CaptureDate> iso(String text, CaptureDate.Source source) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            var parsed = ISO.parseBest(text.trim(), OffsetDateTime::from, LocalDateTime::from);
            CaptureDate date = parsed instanceof OffsetDateTime odt
                    ? new CaptureDate(odt.toLocalDateTime(), odt.getOffset(), source)
                    : new CaptureDate((LocalDateTime) parsed, null, source);
            return plausible(date.localTime()) ? Optional.of(date) : Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private Optional<CaptureDate> utc(Date date, ZoneOffset knownOffset) {
        if (date == null) {
            return Optional.empty();
        }
        Instant instant = date.toInstant();
        ZoneOffset offset = knownOffset != null ? knownOffset : zone.getRules().getOffset(instant);
        LocalDateTime local = LocalDateTime.ofInstant(instant, offset);
        // 1904-01-01 (QuickTime's zero) and 1970-01-01 (a zero written as Unix time) are "no date".
        return plausible(local) && instant.getEpochSecond() > 86_400
                ? Optional.of(new CaptureDate(local, offset, CaptureDate.Source.QUICKTIME_UTC)) : Optional.empty();
    }

    private Optional<CaptureDate> avi(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        // RIFF IDIT is free text; most cameras write "Mon Jan 01 10:00:00 2020" or EXIF style.
        for (DateTimeFormatter f : new DateTimeFormatter[] {EXIF,
                DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ENGLISH),
                DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss yyyy", Locale.ENGLISH)}) {
            try {
                LocalDateTime local = LocalDateTime.parse(text.trim().replaceAll("\\s+", " "), f);
                if (plausible(local)) {
                    return Optional.of(new CaptureDate(local, null, CaptureDate.Source.AVI));
                }
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a date can be used for a folder: false only for a file time that is itself junk (before 1970 or in
     * the future), since every embedded date was already checked.
     */
    public boolean usable(CaptureDate date) {
        return plausible(date.localTime());
    }

    /** Not before 1970 and not more than a day in the future (time zones). */
    boolean plausible(LocalDateTime local) {
        return !local.isBefore(EPOCH) && !local.isAfter(LocalDateTime.now(clock).plusDays(1));
    }
}
