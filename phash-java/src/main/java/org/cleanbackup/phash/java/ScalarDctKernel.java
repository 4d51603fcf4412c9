package org.cleanbackup.phash.java;

import java.util.Optional;
import org.cleanbackup.phash.DctBasis;
import org.cleanbackup.phash.DctKernel;

/**
 * The {@code scalar} kernel: core's reference kernel, in plain Java. Works on every JVM; the last resort of
 * {@link org.cleanbackup.phash.PerceptualHashers#fastest()}.
 *
 * @since 0.1
 */
public final class ScalarDctKernel implements DctKernel {

    /** Creates the kernel; cheap and never fails. */
    public ScalarDctKernel() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public void dct(float[] block, float[] coefficients) {
        DctBasis.referenceDct(block, coefficients);
    }

    @Override
    public String toString() {
        return "scalar (plain Java)";
    }
}
