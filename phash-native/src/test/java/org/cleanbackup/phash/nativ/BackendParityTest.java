package org.cleanbackup.phash.nativ;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.cleanbackup.phash.DctBasis;
import org.cleanbackup.phash.PerceptualHashers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The C kernel gives core's reference kernel's coefficients (what the {@code scalar} backend runs, and what phash-java's
 * {@code JavaKernelParityTest} holds the Vector API kernel to), bit for bit, on random blocks and on real images'
 * blocks.
 */
class BackendParityTest {

    private final NativeDctKernel kernel = new NativeDctKernel();

    @BeforeEach
    void needsTheLibrary() {
        NativeTestSupport.assumeNativeLibrary();
        assertThat(kernel.unavailableReason()).isEmpty();
    }

    private void assertSameBits(float[] block, String what) {
        float[] want = new float[64];
        float[] got = new float[64];
        DctBasis.referenceDct(block, want);
        kernel.dct(block, got);
        for (int k = 0; k < 64; k++) {
            if (Float.floatToRawIntBits(want[k]) != Float.floatToRawIntBits(got[k])) {
                throw new AssertionError("native differs from the reference on " + what + " at coefficient " + k
                        + ": " + got[k] + " vs " + want[k]);
            }
        }
    }

    @Test
    void tenThousandRandomBlocks() {
        SplittableRandom r = new SplittableRandom(2024);
        float[] x = new float[1024];
        for (int n = 0; n < 10_000; n++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = n % 3 == 0 ? r.nextInt(256) : (float) (r.nextDouble() * 255);
            }
            assertSameBits(x, "random block " + n);
        }
    }

    @Test
    void realImageBlocks() throws IOException {
        NativeLumaDecoder decoder = new NativeLumaDecoder();
        int n = 0;
        for (Path p : NativeTestSupport.photos()) {
            var block = decoder.decode(p, PerceptualHashers.DEFAULT_MAX_PIXELS);
            if (block.isPresent()) { // a CMYK JPEG is declined: the Java decoder takes it
                assertSameBits(block.get().luma(), p.toString());
                n++;
            }
        }
        assertThat(n).isGreaterThanOrEqualTo(3);
    }

    @Test
    void passesTheSelfTestAndIsTheNativeBackendsKernel() {
        var nat = PerceptualHashers.get("native");
        assertThat(nat.kernel()).isInstanceOf(NativeDctKernel.class);
        assertThat(nat.decoders()).extracting(d -> d.name()).containsExactly("libjpeg-turbo", "java");
        assertThat(PerceptualHashers.get("scalar").decoders()).extracting(d -> d.name()).containsExactly("java");
    }
}
