package org.cleanbackup.phash.java;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.cleanbackup.phash.LumaBlock;
import org.cleanbackup.phash.PerceptualHasher;

/**
 * The {@code scalar} backend: plain-Java kernel and the {@link ImageLumaDecoder}. Works on every JVM; the last
 * resort of {@link org.cleanbackup.phash.PerceptualHashers#fastest()}.
 *
 * @since 0.1
 */
public final class ScalarPerceptualHasher implements PerceptualHasher {

    /** Creates the backend; cheap and never fails. */
    public ScalarPerceptualHasher() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public LumaBlock decode(Path file) throws IOException {
        return ImageLumaDecoder.decode(file);
    }

    @Override
    public void dct(float[] block, float[] coefficients) {
        ScalarKernel.dct(block, coefficients);
    }

    @Override
    public String toString() {
        return "scalar pHash (plain Java)";
    }
}
