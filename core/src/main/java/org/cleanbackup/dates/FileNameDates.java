package org.cleanbackup.dates;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dates that cameras, phones and apps write into file names: {@code IMG_20200131_235959.jpg},
 * {@code PXL_20200131_235959123.jpg}, {@code VID-20200131-WA0001.mp4} (WhatsApp: date only),
 * {@code 2020-01-31 23.59.59.jpg} (Dropbox), {@code Screenshot_2020-01-31-23-59-59.png},
 * {@code Screenshot 2020-01-31 at 23.59.59.png} (macOS), {@code 20200131_235959.jpg} (Samsung).
 */
final class FileNameDates {

    // A year 1970-2099, a month and a day, separated by nothing or one of -_. ; then optionally a time
    // (hours, minutes, seconds) after a separator. Digits right before or after would make it part of a longer
    // number (a serial number is not a date).
    private static final Pattern DATE = Pattern.compile(
            "(?<!\\d)(?<y>19[7-9]\\d|20\\d\\d)(?<s>[-_.]?)(?<mo>0[1-9]|1[0-2])\\k<s>(?<d>0[1-9]|[12]\\d|3[01])"
                    + "(?:(?:[ _T-]|[ _]at[ _])(?<h>[01]\\d|2[0-3])[-_.:]?(?<mi>[0-5]\\d)[-_.:]?(?<se>[0-5]\\d))?(?!\\d{1,2}(?!\\d))");

    private FileNameDates() {
    }

    /** The date in the file name, if there is one that is a real calendar date. */
    static Optional<LocalDateTime> parse(String fileName) {
        Matcher m = DATE.matcher(fileName);
        while (m.find()) {
            try {
                int hour = m.group("h") == null ? 0 : Integer.parseInt(m.group("h"));
                int minute = m.group("mi") == null ? 0 : Integer.parseInt(m.group("mi"));
                int second = m.group("se") == null ? 0 : Integer.parseInt(m.group("se"));
                return Optional.of(LocalDateTime.of(Integer.parseInt(m.group("y")), Integer.parseInt(m.group("mo")),
                        Integer.parseInt(m.group("d")), hour, minute, second));
            } catch (DateTimeException e) {
                // 2021-02-30 and the like: look further along the name
            }
        }
        return Optional.empty();
    }
}
