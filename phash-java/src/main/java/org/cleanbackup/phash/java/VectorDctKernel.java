package org.cleanbackup.phash.java;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.cleanbackup.phash.LumaBlock;
import org.cleanbackup.phash.PerceptualHasher;

/**
 * The {@code vector} backend: the DCT kernel written with the incubating Vector API ({@code jdk.incubator.vector}),
 * and the {@link ImageLumaDecoder}. Available only when the JVM was started with
 * {@code --add-modules jdk.incubator.vector}; this class itself never touches the module, so it loads anywhere.
 *
 * @since 0.1
 */
public final class VectorPerceptualHasher implements PerceptualHasher {

    private final String unavailable;

    /** Creates the backend and checks whether the Vector API can be used; never throws. */
    public VectorPerceptualHasher() {
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
    public Optional<String> unavailableReason() {
        return Optional.ofNullable(unavailable);
    }

    @Override
    public LumaBlock decode(Path file) throws IOException {
        return ImageLumaDecoder.decode(file);
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
        return unavailable == null ? "vector pHash (Java Vector API, " + VectorKernel.describe() + ")"
                : "vector pHash (unavailable)";
    }
}
