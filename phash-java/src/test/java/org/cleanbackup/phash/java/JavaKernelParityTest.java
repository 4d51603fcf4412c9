package org.cleanbackup.phash.java;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.cleanbackup.phash.DctBasis;
import org.junit.jupiter.api.Test;

/** Step 3: the Vector API kernel gives the reference (scalar) kernel's coefficients bit for bit. */
class JavaKernelParityTest {

    @Test
    void vectorEqualsScalarOnTenThousandRandomBlocks() {
        assertThat(new VectorDctKernel().unavailableReason())
                .as("surefire starts the JVM with --add-modules jdk.incubator.vector").isEmpty();
        SplittableRandom r = new SplittableRandom(42);
        float[] x = new float[1024];
        float[] a = new float[64];
        float[] b = new float[64];
        for (int n = 0; n < 10_000; n++) {
            for (int i = 0; i < x.length; i++) {
                // mix of full-range noise and smooth gradients with fractional values, like real blocks
                x[i] = n % 2 == 0 ? r.nextInt(256) : (float) (r.nextDouble() * 255);
            }
            DctBasis.referenceDct(x, a);
            VectorKernel.dct(x, b);
            for (int k = 0; k < 64; k++) {
                if (Float.floatToRawIntBits(a[k]) != Float.floatToRawIntBits(b[k])) {
                    throw new AssertionError("block " + n + " coefficient " + k + ": scalar " + a[k] + " vector " + b[k]);
                }
            }
        }
    }
}
