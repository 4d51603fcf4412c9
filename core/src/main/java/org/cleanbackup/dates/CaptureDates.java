package org.cleanbackup.dates;

import com.adobe.internal.xmp.XMPException;
import com.adobe.internal.xmp.XMPMeta;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.avi.AviDirectory;
import com.drew.metadata.exif.ExifDirectoryBase;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.exif.makernotes.ReconyxHyperFire2MakernoteDirectory;
import com.drew.metadata.exif.makernotes.ReconyxHyperFireMakernoteDirectory;
import com.drew.metadata.exif.makernotes.ReconyxUltraFireMakernoteDirectory;
import com.drew.metadata.iptc.IptcDirectory;
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
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
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

    /** RIFF IDIT forms: EXIF style, and C's asctime in any case ("MON SEP 10 20:52:00 2012" from Canon). */
    private static final List<DateTimeFormatter> AVI_FORMS = List.of(EXIF,
            new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern("EEE MMM d HH:mm:ss yyyy")
                    .toFormatter(Locale.ENGLISH));

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
            // metadata-extractor has no FLIR reader: its date comes from the FLIR segments, which FLIR cameras alone
            // write (so only their files are read a second time)
            Optional<CaptureDate> flir = isFlir(read.value())
                    ? FlirDate.read(file).filter(d -> plausible(d.localTime())) : Optional.empty();
            Optional<CaptureDate> embedded = fromMetadata(read.value(), zoneHint, flir);
            if (embedded.isPresent()) {
                return embedded.get();
            }
        }
        String note = metadata instanceof EmbeddedMetadata.Result.Refused refused
                ? "metadata not read: " + refused.reason() : null;
        return fromNameOrTime(file, Files.getLastModifiedTime(file).toInstant(), note);
    }

    /**
     * The date of a file whose embedded metadata gave none: a date in its name, else its modification time
     * {@code modified}. Reads nothing from the disk, so a caller that remembers that a file's metadata holds no date
     * (the hash cache) gets the rest of {@link #read(Path)}'s answer without opening the file.
     *
     * @param note why the embedded metadata could not be used, or null
     * @since 0.3
     */
    public CaptureDate fromNameOrTime(Path file, Instant modified, String note) {
        Optional<LocalDateTime> named = FileNameDates.parse(file.getFileName().toString()).filter(this::plausible);
        if (named.isPresent()) {
            return new CaptureDate(named.get(), null, CaptureDate.Source.FILE_NAME, note);
        }
        return new CaptureDate(LocalDateTime.ofInstant(modified, zone), zone.getRules().getOffset(modified),
                CaptureDate.Source.FILE_TIME, note);
    }

    /** The first usable date in the order of {@link CaptureDate.Source}; {@code flir} is a FLIR segment's date. */
    Optional<CaptureDate> fromMetadata(Metadata metadata, ZoneOffset zoneHint, Optional<CaptureDate> flir) {
        return first(metadata, ExifSubIFDDirectory.class, exif -> exif(exif, ExifDirectoryBase.TAG_DATETIME_ORIGINAL,
                        ExifDirectoryBase.TAG_TIME_ZONE_ORIGINAL, ExifDirectoryBase.TAG_SUBSECOND_TIME_ORIGINAL,
                        CaptureDate.Source.EXIF_ORIGINAL))
                .or(() -> first(metadata, ExifSubIFDDirectory.class, exif -> exif(exif,
                        ExifDirectoryBase.TAG_DATETIME_DIGITIZED, ExifDirectoryBase.TAG_TIME_ZONE_DIGITIZED,
                        ExifDirectoryBase.TAG_SUBSECOND_TIME_DIGITIZED, CaptureDate.Source.EXIF_DIGITIZED)))
                .or(() -> flir.or(() -> reconyx(metadata)))
                .or(() -> first(metadata, IptcDirectory.class, iptc -> iptc(iptc.getString(IptcDirectory.TAG_DATE_CREATED),
                        iptc.getString(IptcDirectory.TAG_TIME_CREATED))))
                .or(() -> first(metadata, XmpDirectory.class, xmp -> xmp(xmp.getXMPMeta())))
                .or(() -> first(metadata, QuickTimeMetadataDirectory.class, qt -> iso(
                        qt.getString(QuickTimeMetadataDirectory.TAG_CREATION_DATE), CaptureDate.Source.QUICKTIME_APPLE)))
                .or(() -> first(metadata, QuickTimeDirectory.class,
                        qt -> utc(qt.getDate(QuickTimeDirectory.TAG_CREATION_TIME), zoneHint)))
                .or(() -> first(metadata, Mp4Directory.class,
                        mp4 -> utc(mp4.getDate(Mp4Directory.TAG_CREATION_TIME), zoneHint)))
                .or(() -> first(metadata, AviDirectory.class,
                        avi -> avi(avi.getString(AviDirectory.TAG_DATETIME_ORIGINAL))))
                .or(() -> first(metadata, ExifIFD0Directory.class, ifd0 -> exif(ifd0, ExifDirectoryBase.TAG_DATETIME,
                        ExifDirectoryBase.TAG_TIME_ZONE, ExifDirectoryBase.TAG_SUBSECOND_TIME,
                        CaptureDate.Source.EXIF_DATETIME)));
    }

    /** The first date {@code date} finds in the directories of {@code type}, tried in the file's order. */
    private static <T extends Directory> Optional<CaptureDate> first(Metadata metadata, Class<T> type,
                                                                     Function<T, Optional<CaptureDate>> date) {
        for (T directory : metadata.getDirectoriesOfType(type)) {
            Optional<CaptureDate> d = date.apply(directory);
            if (d.isPresent()) {
                return d;
            }
        }
        return Optional.empty();
    }

    /** Only FLIR cameras write the FLIR segments: look for them only in a FLIR's file (IFD0 Make). */
    private static boolean isFlir(Metadata metadata) {
        ExifIFD0Directory ifd0 = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
        String make = ifd0 == null ? null : ifd0.getString(ExifIFD0Directory.TAG_MAKE);
        return make != null && make.toUpperCase(Locale.ROOT).contains("FLIR");
    }

    /** "2016: 3: 5  9: 4: 2": metadata-extractor formats Reconyx maker-note dates with space padding. */
    private static final java.util.regex.Pattern PADDED = java.util.regex.Pattern.compile(
            "\\s*(\\d{4}):\\s*(\\d{1,2}):\\s*(\\d{1,2})\\s+(\\d{1,2}):\\s*(\\d{1,2}):\\s*(\\d{1,2})\\s*");

    /** Reconyx trail cameras keep the capture time in their maker note only. */
    private Optional<CaptureDate> reconyx(Metadata metadata) {
        List<Directory> notes = new java.util.ArrayList<>();
        notes.addAll(metadata.getDirectoriesOfType(ReconyxHyperFireMakernoteDirectory.class));
        notes.addAll(metadata.getDirectoriesOfType(ReconyxHyperFire2MakernoteDirectory.class));
        notes.addAll(metadata.getDirectoriesOfType(ReconyxUltraFireMakernoteDirectory.class));
        for (Directory note : notes) {
            int tag = note instanceof ReconyxHyperFireMakernoteDirectory
                    ? ReconyxHyperFireMakernoteDirectory.TAG_DATE_TIME_ORIGINAL
                    : note instanceof ReconyxHyperFire2MakernoteDirectory
                    ? ReconyxHyperFire2MakernoteDirectory.TAG_DATE_TIME_ORIGINAL
                    : ReconyxUltraFireMakernoteDirectory.TAG_DATE_TIME_ORIGINAL;
            String text = note.getString(tag);
            java.util.regex.Matcher m = text == null ? null : PADDED.matcher(text);
            if (m != null && m.matches()) {
                try {
                    LocalDateTime local = LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                            Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                            Integer.parseInt(m.group(6)));
                    if (plausible(local)) {
                        return Optional.of(new CaptureDate(local, null, CaptureDate.Source.MAKER_NOTE));
                    }
                } catch (java.time.DateTimeException e) {
                    // not a real date: next source
                }
            }
        }
        return Optional.empty();
    }

    /**
     * IPTC's raw strings: DateCreated {@code CCYYMMDD}, TimeCreated {@code HHMMSS±HHMM} (the time may be absent:
     * the date alone still files the photo, at midnight). metadata-extractor's getDateCreated() needs both.
     */
    private Optional<CaptureDate> iptc(String date, String time) {
        if (date == null || !date.strip().matches("\\d{8}")) {
            return Optional.empty();
        }
        String d = date.strip();
        try {
            LocalDateTime local = java.time.LocalDate.of(Integer.parseInt(d.substring(0, 4)),
                    Integer.parseInt(d.substring(4, 6)), Integer.parseInt(d.substring(6, 8))).atStartOfDay();
            ZoneOffset offset = null;
            String t = time == null ? "" : time.strip();
            if (t.matches("\\d{6}([+-]\\d{4})?")) {
                local = local.withHour(Integer.parseInt(t.substring(0, 2))).withMinute(Integer.parseInt(t.substring(2, 4)))
                        .withSecond(Integer.parseInt(t.substring(4, 6)));
                if (t.length() == 11) {
                    offset = ZoneOffset.of(t.substring(6, 9) + ":" + t.substring(9, 11));
                }
            }
            return plausible(local) ? Optional.of(new CaptureDate(local, offset, CaptureDate.Source.IPTC))
                    : Optional.empty();
        } catch (java.time.DateTimeException e) {
            return Optional.empty();
        }
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
        for (DateTimeFormatter f : AVI_FORMS) {
            try {
                // NULs and the newline cameras pad with go; spaces collapse ("Mon Sep  9")
                LocalDateTime local = LocalDateTime.parse(text.replace('\0', ' ').strip().replaceAll("\\s+", " "), f);
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
