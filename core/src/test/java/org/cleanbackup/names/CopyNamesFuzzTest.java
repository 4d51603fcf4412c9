package org.cleanbackup.names;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target: the copy-name parser, {@link CopyNames#originalNames}, on any name (the input as UTF-8). The property:
 * it never throws, answers in bounded time (no catastrophic backtracking: at most 10 s an input), and every original
 * name it derives is shorter than the copy's, non-blank, ends with the copy's extension and is listed once.
 *
 * <p>{@code mvn verify} runs it in regression mode on the seeds in {@code CopyNamesFuzzTestInputs/};
 * {@code benchmarks/fuzz.sh copy-names 120} fuzzes it (docs/fuzzing.md).
 */
class CopyNamesFuzzTest {

    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void originalNames(byte[] input) {
        String name = new String(input, StandardCharsets.UTF_8);
        List<String> originals = CopyNames.originalNames(name);
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 ? name.substring(dot) : "";
        assertThat(originals).doesNotHaveDuplicates();
        for (String original : originals) {
            assertThat(original.length()).isLessThan(name.length());
            assertThat(original).endsWith(extension);
            assertThat(original.substring(0, original.length() - extension.length())).isNotBlank();
        }
        assertThat(CopyNames.originalName(name)).isEqualTo(originals.stream().findFirst());
    }
}
