package org.cleanbackup.phash.java;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.cleanbackup.phash.ImageDecodeException;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target: the hand-written DC-only JPEG decoder, {@link JpegDcDecoder#decode}, on any bytes, with a pixel limit
 * of 4 megapixels. The property: it decodes, declines ({@link JpegDcDecoder.Fallback}: ImageIO then decodes the
 * file) or refuses ({@link ImageDecodeException}: truncated, too large), nothing else. A decline the decoder did not
 * choose, an exception of its own parser caught by its safety net ("unexpected java.lang..."), counts as a failure too: it is
 * a bounds check the parser missed. A decoded plane has ceil(W/8) x ceil(H/8) pixels of an image within the limit.
 * No {@code StackOverflowError}, no running out of memory, at most 10 s an input.
 *
 * <p>{@code mvn verify} runs it in regression mode on the seeds in {@code JpegDcDecoderFuzzTestInputs/} (small
 * baseline, progressive, gray, restart-interval and EXIF JPEGs); {@code benchmarks/fuzz.sh jpeg-dc 180} fuzzes it.
 */
class JpegDcDecoderFuzzTest {

    private static final long MAX_PIXELS = 4L << 20;
    private static final Path FILE = Path.of("fuzz-input.jpg");

    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void decode(byte[] input) {
        JpegDcDecoder.Plane plane;
        try {
            plane = JpegDcDecoder.decode(FILE, input, input.length, MAX_PIXELS);
        } catch (JpegDcDecoder.Fallback e) {
            // the safety net says "unexpected " and the exception ("unexpected java.lang.ArrayIndex..."); the parser's
            // own declines are words ("unexpected marker 46", "no SOI marker")
            assertThat(e.getMessage()).as("a decline the parser did not choose")
                    .doesNotMatch("unexpected [a-z][\\w$]*(\\.[\\w$]+)+(:.*)?");
            return;
        } catch (ImageDecodeException e) {
            assertThat(e.getMessage()).startsWith(FILE + ": ").doesNotContain("\n");
            return;
        }
        assertThat((long) plane.imageWidth() * plane.imageHeight()).isPositive().isLessThanOrEqualTo(MAX_PIXELS);
        assertThat(plane.width()).isEqualTo((plane.imageWidth() + 7) / 8);
        assertThat(plane.height()).isEqualTo((plane.imageHeight() + 7) / 8);
        assertThat(plane.pixels()).hasSize(plane.width() * plane.height());
        assertThat(plane.exifOrientation()).isBetween(0, 8);
    }
}
