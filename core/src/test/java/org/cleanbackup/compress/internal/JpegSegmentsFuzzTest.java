package org.cleanbackup.compress.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cleanbackup.compress.CompressionException;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target: the JPEG segment copier of {@code compress}, {@link JpegSegments}: parse a header, choose the
 * metadata to keep, splice it into an encoded image (the input itself stands in for the encoder's output). The
 * property: {@link CompressionException} is the only failure; every segment lies inside the file (splice copies
 * them by offset and length); a spliced file starts with SOI and parses again; at most 10 s an input.
 *
 * <p>{@code mvn verify} runs it in regression mode on the seeds in {@code JpegSegmentsFuzzTestInputs/};
 * {@code benchmarks/fuzz.sh segments 180} fuzzes it (docs/fuzzing.md).
 */
class JpegSegmentsFuzzTest {

    @FuzzTest
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void parseAndSplice(byte[] input) {
        JpegSegments header;
        try {
            header = JpegSegments.parse(input);
        } catch (CompressionException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
            return;
        }
        for (JpegSegments.Segment s : header.segments()) {
            assertThat(s.offset()).isBetween(2, input.length);
            assertThat(s.length()).isBetween(4, input.length - s.offset());
        }
        assertThat(header.samplingFactors()).hasSameSizeAs(header.componentIds());
        header.isRgb();
        List<JpegSegments.Segment> kept = header.metadataToKeep(input);
        byte[] spliced;
        try {
            spliced = JpegSegments.splice(input, kept, input);
        } catch (CompressionException e) {
            throw new AssertionError("the input parsed once but not as the encoded image", e);
        }
        assertThat(spliced[0] & 0xFF).isEqualTo(0xFF);
        assertThat(spliced[1] & 0xFF).isEqualTo(JpegSegments.SOI);
        try {
            JpegSegments.parse(spliced);
        } catch (CompressionException e) {
            throw new AssertionError("a spliced file does not parse: " + e.getMessage(), e);
        }
    }
}
