package org.cleanbackup.phash;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Service-provider interface for a perceptual-hash backend: a decoder that turns an image file into a 32x32 luma
 * block, and a kernel that computes the 64 DCT coefficients of such a block. The rest of the hash (EXIF
 * orientation, median, bit packing, the eight orientation variants, batch hashing) is shared code in the default
 * methods, so every backend defines the hash the same way (see {@code docs/phash.md}).
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/org.cleanbackup.phash.PerceptualHasher}) and chosen through {@link PerceptualHashers},
 * which runs a known-answer self-test before using one. The built-in backends are {@code native} (C with
 * libjpeg-turbo, through the Foreign Function and Memory API), {@code vector} (Java Vector API) and
 * {@code scalar} (plain Java).
 *
 * <p>Contract: an implementation is thread-safe; its public no-argument constructor never throws (it records why
 * it cannot work and reports it from {@link #unavailableReason()}); no method returns null. The
 * {@link #dct(float[], float[])} kernels of all backends give bit-identical coefficients for the same input.
 *
 * @since 0.1
 */
public interface PerceptualHasher {

    /** The short name users type, lower case: {@code "native"}, {@code "vector"} or {@code "scalar"}. */
    String name();

    /**
     * Why this backend cannot run here (one line, saying what to install or which JVM flag to add), or empty when
     * it can. When not empty, the other methods may throw {@link IllegalStateException}.
     */
    Optional<String> unavailableReason();

    /**
     * Decodes an image file to its 32x32 luma block (step 1 and 2 of the hash): the whole image, as stored,
     * area-averaged to 32x32, with the EXIF orientation to apply. Images with more than
     * {@link PerceptualHashers#maxPixels()} pixels are refused before their pixels are allocated.
     *
     * @throws ImageDecodeException when the file is not an image this backend can read, is damaged or too large
     * @throws IOException          when the file cannot be read
     */
    LumaBlock decode(Path file) throws IOException;

    /**
     * The kernel (step 3): the 64 DCT coefficients {@code D = C8 * X * C8^T} of a 32x32 block, computed exactly as
     * {@link DctBasis} prescribes.
     *
     * @param block        1024 luma values, row-major; not modified
     * @param coefficients receives 64 values, element {@code (u-1)*8 + (v-1)}
     */
    void dct(float[] block, float[] coefficients);

    /** The hash of a 32x32 luma block (steps 3 and 4), as stored, no orientation applied. */
    default PerceptualHash hashBlock(float[] block) {
        checkBlock(block);
        float[] c = new float[64];
        dct(block, c);
        return HashBits.fromCoefficients(c);
    }

    /**
     * The hash of an image file, its EXIF orientation applied.
     *
     * @throws ImageDecodeException when the file is not an image this backend can read, is damaged or too large
     * @throws IOException          when the file cannot be read
     */
    default PerceptualHash hash(Path file) throws IOException {
        LumaBlock block = decode(file);
        float[] c = new float[64];
        dct(block.luma(), c);
        return HashBits.fromCoefficients(block.orientation().applyToCoefficients(c));
    }

    /**
     * The hashes of an image file under all eight orientations (step 5), computed from one decode and one DCT.
     *
     * @throws ImageDecodeException when the file is not an image this backend can read, is damaged or too large
     * @throws IOException          when the file cannot be read
     */
    default OrientationHashes hashOrientations(Path file) throws IOException {
        LumaBlock block = decode(file);
        float[] c = new float[64];
        dct(block.luma(), c);
        return HashBits.orientations(block.orientation().applyToCoefficients(c));
    }

    /** The hashes of a 32x32 luma block under all eight orientations. */
    default OrientationHashes hashBlockOrientations(float[] block) {
        checkBlock(block);
        float[] c = new float[64];
        dct(block, c);
        return HashBits.orientations(c);
    }

    /**
     * Hashes many files on {@code threads} threads. A file that fails becomes a {@link HashResult.Failed} and the
     * others go on; only an interrupt stops the batch early.
     *
     * @param files    the files, in any order; duplicates are hashed twice
     * @param threads  how many threads to use, at least 1
     * @param progress called once per file as soon as its result is known, from the worker threads (so it must be
     *                 thread-safe); an exception it throws is logged and ignored
     * @return one result per file, in the order of {@code files}
     * @throws InterruptedException when the calling thread is interrupted while waiting
     */
    default List<HashResult> hashAll(List<Path> files, int threads, Consumer<? super HashResult> progress)
            throws InterruptedException {
        return BatchHashing.run(this, files, threads, null, progress);
    }

    /**
     * {@link #hashAll(List, int, Consumer)} on the caller's {@code executor}, which is left running afterwards.
     *
     * @since 0.3
     */
    default List<HashResult> hashAll(List<Path> files, java.util.concurrent.ExecutorService executor,
                                     Consumer<? super HashResult> progress) throws InterruptedException {
        return BatchHashing.run(this, files, 1, java.util.Objects.requireNonNull(executor, "executor"), progress);
    }

    /** {@link #hashAll(List, int, Consumer)} with one thread per available processor and no progress callback. */
    default List<HashResult> hashAll(List<Path> files) throws InterruptedException {
        return hashAll(files, Runtime.getRuntime().availableProcessors(), r -> { });
    }

    private static void checkBlock(float[] block) {
        if (block.length != LumaBlock.LENGTH) {
            throw new IllegalArgumentException("a luma block has " + LumaBlock.LENGTH + " values, got " + block.length);
        }
    }
}
