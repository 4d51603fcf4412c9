package org.cleanbackup.dates;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target: the file-name date parser, {@link FileNameDates#parse}, on any name (the input as UTF-8). The
 * property: it never throws, answers in bounded time (its pattern must not backtrack catastrophically: at most 10 s
 * an input, and fuzzing flags a slow input long before), and a date it finds is a real one between 1970 and 2099
 * whose year digits stand in the name.
 *
 * <p>{@code mvn verify} runs it in regression mode on the seeds in {@code FileNameDatesFuzzTestInputs/};
 * {@code benchmarks/fuzz.sh file-name-dates 120} fuzzes it (docs/fuzzing.md).
 */
class FileNameDatesFuzzTest {

    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void parse(byte[] input) {
        String name = new String(input, StandardCharsets.UTF_8);
        Optional<LocalDateTime> date = FileNameDates.parse(name);
        date.ifPresent(d -> {
            assertThat(d.getYear()).isBetween(1970, 2099);
            assertThat(name).contains(Integer.toString(d.getYear()));
        });
    }
}
