package org.cleanbackup.phash.nativ;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.cleanbackup.phash.LumaBlock;
import org.cleanbackup.phash.PerceptualHasher;
import org.cleanbackup.phash.PerceptualHashers;
import org.cleanbackup.phash.java.ImageLumaDecoder;
import org.cleanbackup.phash.java.ScalarPerceptualHasher;
import org.cleanbackup.phash.java.VectorPerceptualHasher;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The three kernels give the same coefficients, bit for bit, on random blocks and on real images' blocks. */
class BackendParityTest {

    private static final PerceptualHasher REFERENCE = new ScalarPerceptualHasher();

    static Stream<PerceptualHasher> backends() {
        return Stream.of(new ScalarPerceptualHasher(), new VectorPerceptualHasher(), new NativePerceptualHasher());
    }

    private static void assumeUsable(PerceptualHasher h) {
        if (h instanceof NativePerceptualHasher) {
            NativeTestSupport.assumeNativeLibrary();
        }
        assertThat(h.unavailableReason()).as(h.name()).isEmpty();
    }

    private static void assertSameBits(PerceptualHasher h, float[] block, String what) {
        float[] want = new float[64];
        float[] got = new float[64];
        REFERENCE.dct(block, want);
        h.dct(block, got);
        for (int k = 0; k < 64; k++) {
            if (Float.floatToRawIntBits(want[k]) != Float.floatToRawIntBits(got[k])) {
                throw new AssertionError(h.name() + " differs from scalar on " + what + " at coefficient " + k
                        + ": " + got[k] + " vs " + want[k]);
            }
        }
        assertThat(h.hashBlock(block)).isEqualTo(REFERENCE.hashBlock(block));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void tenThousandRandomBlocks(PerceptualHasher h) {
        assumeUsable(h);
        SplittableRandom r = new SplittableRandom(2024);
        float[] x = new float[1024];
        for (int n = 0; n < 10_000; n++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = n % 3 == 0 ? r.nextInt(256) : (float) (r.nextDouble() * 255);
            }
            assertSameBits(h, x, "random block " + n);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void realImageBlocks(PerceptualHasher h) throws IOException {
        assumeUsable(h);
        int n = 0;
        for (Path p : NativeTestSupport.photos()) {
            LumaBlock b = ImageLumaDecoder.decode(p);
            assertSameBits(h, b.luma(), p.toString());
            n++;
        }
        assertThat(n).isGreaterThanOrEqualTo(4);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void passesTheSelfTest(PerceptualHasher h) {
        assumeUsable(h);
        assertThat(PerceptualHashers.get(h.name()).getClass()).isEqualTo(h.getClass());
    }
}
