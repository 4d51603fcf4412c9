package org.cleanbackup.dates;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzz target: the capture-date reader, {@link CaptureDates#read}: the structure pre-scan, metadata-extractor and
 * the date sources after it, on any bytes in a file named {@code .jpg}, {@code .mp4}, {@code .heic} or {@code .png}
 * (the fuzzer's choice: the input's last byte). The property: a date always comes back (damaged metadata falls
 * through to the file time) and nothing is thrown for a readable file; a date taken from the metadata is plausible
 * (1970 to a day after the clock); no {@code StackOverflowError}, no running out of memory, at most 10 s an input.
 *
 * <p>{@code mvn verify} runs it in regression mode on the seeds in {@code CaptureDatesFuzzTestInputs/} (each a
 * small real file plus one byte choosing its extension); {@code benchmarks/fuzz.sh dates 180} fuzzes it.
 */
class CaptureDatesFuzzTest {

    /** The extensions the fuzzer picks from; a seed's last byte is its index here. */
    static final String[] EXTENSIONS = {"jpg", "mp4", "heic", "png"};

    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    private static final CaptureDates DATES = new CaptureDates(ZoneOffset.UTC, Clock.fixed(NOW, ZoneOffset.UTC));
    /** One folder for the whole run: each input is written to the same name in it. */
    @TempDir
    static Path dir;

    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void captureDate(FuzzedDataProvider data) throws IOException {
        String extension = data.pickValue(EXTENSIONS);
        // a name without a date in it, and a fixed file time: a date that is neither came from the metadata
        Path file = Files.write(dir.resolve("input." + extension), data.consumeRemainingAsBytes());
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));

        CaptureDate date = DATES.read(file);

        assertThat(date).isNotNull();
        assertThat(date.source()).isNotEqualTo(CaptureDate.Source.FILE_NAME);
        if (date.source() != CaptureDate.Source.FILE_TIME) {
            assertThat(date.localTime()).isAfterOrEqualTo(LocalDateTime.of(1970, 1, 1, 0, 0))
                    .isBeforeOrEqualTo(LocalDateTime.ofInstant(NOW, ZoneOffset.UTC).plusDays(1));
        }
        if (date.note() != null) {
            assertThat(date.note()).doesNotContain("\n", "\r");
        }
    }
}
