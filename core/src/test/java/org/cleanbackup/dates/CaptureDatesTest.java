package org.cleanbackup.dates;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CaptureDatesTest {

    @TempDir
    Path dir;

    private final CaptureDates dates = new CaptureDates(ZoneId.of("Europe/Berlin"),
            Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC));

    private Path photo(String name) throws IOException {
        Path file = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/dates/pentax-2004.jpg")) {
            Files.copy(in, file);
        }
        return file;
    }

    /** Replaces every occurrence of an ASCII string in the file with another of the same length. */
    private static void patch(Path file, String from, String to) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        byte[] a = from.getBytes(StandardCharsets.US_ASCII);
        byte[] b = to.getBytes(StandardCharsets.US_ASCII);
        int count = 0;
        outer:
        for (int i = 0; i + a.length <= bytes.length; i++) {
            for (int k = 0; k < a.length; k++) {
                if (bytes[i + k] != a[k]) {
                    continue outer;
                }
            }
            System.arraycopy(b, 0, bytes, i, b.length);
            count++;
        }
        assertThat(count).as("occurrences of %s", from).isPositive();
        Files.write(file, bytes);
    }

    @Test
    void exifDateTimeOriginalComesFirst() throws IOException {
        CaptureDate date = dates.read(photo("IMG_20991231_000000.jpg")); // the name's date must not win
        assertThat(date.source()).isEqualTo(CaptureDate.Source.EXIF_ORIGINAL);
        assertThat(date.localTime()).isEqualTo(LocalDateTime.of(2004, 9, 4, 19, 52, 6));
    }

    @Test
    void junkDatesFallThroughToTheNextSource() throws IOException {
        Path file = photo("IMG_20200131_235959.jpg");
        String original = dates.read(file).localTime().toString().replace('T', ' ').replace('-', ':');
        patch(file, original, "0000:00:00 00:00:00"); // every EXIF date of this camera holds the same value
        CaptureDate date = dates.read(file);
        assertThat(date.source()).isEqualTo(CaptureDate.Source.FILE_NAME);
        assertThat(date.localTime()).isEqualTo(LocalDateTime.of(2020, 1, 31, 23, 59, 59));
    }

    @Test
    void aDateInTheFutureIsJunkToo() throws IOException {
        Path file = photo("holiday.jpg");
        String original = dates.read(file).localTime().toString().replace('T', ' ').replace('-', ':');
        patch(file, original, "2031:01:01 10:00:00");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2025-03-04T10:00:00Z")));
        CaptureDate date = dates.read(file);
        assertThat(date.fromFileTime()).isTrue();
        assertThat(date.localTime()).isEqualTo(LocalDateTime.of(2025, 3, 4, 11, 0)); // Berlin, winter time
    }

    @Test
    void damagedOrForeignFilesFallBackWithoutThrowing() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.jpg"), "not a jpeg at all");
        assertThat(dates.read(text).source()).isEqualTo(CaptureDate.Source.FILE_TIME);
        Path truncated = photo("cut.jpg");
        byte[] bytes = Files.readAllBytes(truncated);
        Files.write(truncated, java.util.Arrays.copyOf(bytes, 300));
        assertThat(dates.read(truncated)).isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "IMG_20200131_235959.jpg|2020-01-31T23:59:59",
            "PXL_20200131_235959123.jpg|2020-01-31T23:59:59",
            "VID-20200131-WA0001.mp4|2020-01-31T00:00",
            "IMG-20200131-WA0001.jpg|2020-01-31T00:00",
            "2020-01-31 23.59.59.jpg|2020-01-31T23:59:59",
            "Screenshot_2020-01-31-23-59-59.png|2020-01-31T23:59:59",
            "Screenshot 2020-01-31 at 23.59.59.png|2020-01-31T23:59:59",
            "20200131_235959.jpg|2020-01-31T23:59:59",
            "VID_20190724_112540.mp4|2019-07-24T11:25:40",
    })
    void datesInFileNames(String name, String expected) {
        assertThat(FileNameDates.parse(name)).contains(LocalDateTime.parse(expected));
    }

    @ParameterizedTest(name = "{0} has no date")
    @ValueSource(strings = {"IMG_1234.jpg", "DSC00042.JPG", "photo-20201340.jpg", "2021-02-30 10.00.00.jpg",
            "123456789012345.jpg", "scan_1899-05-01.jpg"})
    void namesWithoutAValidDate(String name) {
        assertThat(FileNameDates.parse(name)).isEmpty();
    }
}
