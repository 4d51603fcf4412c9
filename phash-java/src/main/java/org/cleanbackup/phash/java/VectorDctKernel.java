package org.cleanbackup.phash.java;

import java.util.Optional;
import org.cleanbackup.phash.DctKernel;

/**
 * The {@code vector} kernel: the DCT written with the incubating Vector API ({@code jdk.incubator.vector}). Available only when the JVM was started with
 * {@code --add-modules jdk.incubator.vector}; this class itself never touches the module, so it loads anywhere.
 *
 * @since 0.1
 */
public final class VectorDctKernel implements DctKernel {

    private final String unavailable;

    /** Creates the kernel and checks whether the Vector API can be used; never throws. */
    public VectorDctKernel() {
        String why = null;
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            why = "the Vector API module is not loaded: start Java with --add-modules jdk.incubator.vector";
        } else {
            try {
                if (!VectorKernel.isWidthUsable()) {
                    why = "unsupported vector width (" + VectorKernel.describe() + ")";
                }
            } catch (Throwable t) { // e.g. a JVM whose Vector API differs from the one compiled against
                why = "the Vector API failed to initialise: " + t;
            }
        }
        this.unavailable = why;
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public int priority() {
        return 200;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.ofNullable(unavailable);
    }

    @Override
    public void dct(float[] block, float[] coefficients) {
        if (unavailable != null) {
            throw new IllegalStateException(unavailable);
        }
        VectorKernel.dct(block, coefficients);
    }

    @Override
    public String toString() {
        return unavailable == null ? "vector (Java Vector API, " + VectorKernel.describe() + ")"
                : "vector (unavailable)";
    }
}
