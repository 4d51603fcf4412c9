package org.cleanbackup.phash;

import java.util.Optional;

/**
 * Service-provider interface for the kernel of the perceptual hash (step 3 in {@code docs/phash.md}): the 64 DCT
 * coefficients of a 32x32 luma block. Everything around it (decoding, orientation, median, bits) is defined once in
 * {@link PerceptualHasher}; a kernel only has to be fast and give exactly the bits of
 * {@link DctBasis#referenceDct(float[], float[])}.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/org.cleanbackup.phash.DctKernel}); {@link PerceptualHashers} orders them by
 * {@link #priority()}, runs a known-answer self-test on each before using it, and names the backend after the
 * kernel: {@code native} (C, phash-native), {@code vector} (Java Vector API) and {@code scalar} (plain Java, both in
 * phash-java).
 *
 * <p>Contract: thread-safe; the public no-argument constructor never throws (it records why the kernel cannot work
 * and reports it from {@link #unavailableReason()}); no method returns null.
 *
 * @since 0.1
 */
public interface DctKernel {

    /** The short name users type, lower case, e.g. {@code "native"}, {@code "vector"}, {@code "scalar"}. */
    String name();

    /**
     * Higher runs first: {@link PerceptualHashers#fastest()} takes the usable kernel of highest priority. The
     * built-in ones are {@code native} 300, {@code vector} 200, {@code scalar} 100.
     */
    int priority();

    /**
     * Why this kernel cannot run here (one line, saying what to install or which JVM flag to add), or empty when
     * it can. When not empty, {@link #dct} may throw {@link IllegalStateException}.
     */
    Optional<String> unavailableReason();

    /**
     * The 64 DCT coefficients {@code D = C8 * X * C8^T} of a 32x32 block, computed exactly as {@link DctBasis}
     * prescribes.
     *
     * @param block        1024 luma values, row-major; not modified
     * @param coefficients receives 64 values, element {@code (u-1)*8 + (v-1)}
     */
    void dct(float[] block, float[] coefficients);
}
