package org.cleanbackup.phash.java;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.cleanbackup.phash.ImageDecodeException;
import org.cleanbackup.phash.LumaBlock;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzz target: the image decoder behind every perceptual hash, {@link ImageLumaDecoder#decode(Path, long)}, with a
 * pixel limit of 65,536 (its dimension checks refuse anything larger from the header), on any bytes in a file whose
 * extension the fuzzer picks (the input's last byte). It covers the structure checks, the DC-only JPEG decoder,
 * ImageIO with the TwelveMonkeys plugins, the RAW preview finder and libheif. The property: a 32 x 32 luma block, or
 * an {@link ImageDecodeException} with a one-line message naming the file; nothing else (the file is readable, so
 * no other {@code IOException} either); no {@code StackOverflowError}, no running out of memory, at most 10 s an
 * input.
 *
 * <p>{@code mvn verify} runs it in regression mode on the seeds in {@code ImageLumaDecoderFuzzTestInputs/} (each a
 * small real image plus one byte choosing its extension); {@code benchmarks/fuzz.sh luma 180} fuzzes it.
 */
class ImageLumaDecoderFuzzTest {

    /** The extensions the fuzzer picks from; a seed's last byte is its index here. */
    static final String[] EXTENSIONS = {"jpg", "png", "gif", "bmp", "webp", "tif", "heic", "nef"};

    private static final long MAX_PIXELS = 1 << 16;
    /** One folder for the whole run: each input is written to the same name in it. */
    @TempDir
    static Path dir;

    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void decode(FuzzedDataProvider data) throws IOException {
        String extension = data.pickValue(EXTENSIONS);
        Path file = Files.write(dir.resolve("input." + extension), data.consumeRemainingAsBytes());
        LumaBlock block;
        try {
            block = ImageLumaDecoder.decode(file, MAX_PIXELS);
        } catch (ImageDecodeException e) {
            assertThat(e.getMessage()).startsWith(file + ": ").doesNotContain("\n", "\r");
            return;
        }
        assertThat(block.luma()).hasSize(32 * 32);
        assertThat(block.orientation()).isNotNull();
    }
}
