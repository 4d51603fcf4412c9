package org.cleanbackup.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzz target: the structure checks ({@link BoxCheck}, {@link JpegCheck}, {@link TiffCheck}, {@link PngChunkCheck},
 * {@link RiffCheck}) through {@link EmbeddedMetadata#checkStructure}, on any bytes. The property: it answers (safe,
 * or refused with a one-line reason) and throws nothing for a file it can read, as its javadoc promises; no
 * {@code StackOverflowError}, no running out of memory, at most 10 s an input.
 *
 * <p>{@code mvn verify} runs it in regression mode on the seeds in {@code StructureChecksFuzzTestInputs/} (small
 * JPEG, MP4, MOV, HEIF, PNG, TIFF, AVI, WAV and WebP files, old crashers of metadata parsers, and every finding);
 * {@code benchmarks/fuzz.sh structure 180} fuzzes it (docs/fuzzing.md).
 */
class StructureChecksFuzzTest {

    /** One folder for the whole run: each input is written to the same name in it. */
    @TempDir
    static Path dir;

    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void checkStructure(byte[] input) throws IOException {
        Path file = Files.write(dir.resolve("input.bin"), input);
        Optional<String> refusal = EmbeddedMetadata.checkStructure(file);
        refusal.ifPresent(reason -> assertThat(reason).isNotBlank().doesNotContain("\n", "\r"));
    }
}
