package org.cleanbackup.phash;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * The perceptual hash, defined once: a chain of {@link LumaDecoder}s turns an image file into a 32x32 luma block,
 * a {@link DctKernel} computes its 64 DCT coefficients, and this class applies the EXIF orientation in the DCT
 * domain, takes the median and packs the bits (see {@code docs/phash.md}). A backend ({@code native},
 * {@code vector}, {@code scalar}) is a kernel with the decoders that serve it; {@link PerceptualHashers} builds the
 * ones that pass their self-test.
 *
 * <pre>{@code
 * PerceptualHasher hasher = PerceptualHashers.fastest();
 * PerceptualHash hash = hasher.hash(Path.of("IMG_1234.jpg"));
 * }</pre>
 *
 * <p>Thread-safe; no method returns null.
 *
 * @since 0.1
 */
public final class PerceptualHasher {

    private final DctKernel kernel;
    private final List<LumaDecoder> decoders;

    private PerceptualHasher(DctKernel kernel, List<LumaDecoder> decoders) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.decoders = List.copyOf(decoders);
    }

    /**
     * A hasher of {@code kernel} with {@code decoders}, asked in the order given. No self-test is run: use
     * {@link PerceptualHashers} for checked backends.
     */
    public static PerceptualHasher of(DctKernel kernel, List<? extends LumaDecoder> decoders) {
        return new PerceptualHasher(kernel, List.copyOf(decoders));
    }

    /** The backend's name, the kernel's: {@code "native"}, {@code "vector"} or {@code "scalar"}. */
    public String name() {
        return kernel.name();
    }

    /** The kernel. */
    public DctKernel kernel() {
        return kernel;
    }

    /** The decoders, in the order they are asked. */
    public List<LumaDecoder> decoders() {
        return decoders;
    }

    /**
     * Decodes an image file to its 32x32 luma block (steps 1 and 2 of the hash) with the first decoder that takes
     * it. Images with more than {@link PerceptualHashers#maxPixels()} pixels are refused before their pixels are
     * allocated.
     *
     * @throws ImageDecodeException when no decoder takes the file, or the one that does finds it damaged or too large
     * @throws IOException          when the file cannot be read
     */
    public LumaBlock decode(Path file) throws IOException {
        long maxPixels = PerceptualHashers.maxPixels();
        for (LumaDecoder d : decoders) {
            var block = d.decode(file, maxPixels);
            if (block.isPresent()) {
                return block.get();
            }
        }
        throw new ImageDecodeException(file, decoders.isEmpty()
                ? "no image decoder on the class path (add cleanbackup-phash-java)"
                : "no image decoder here reads it (asked: " + String.join(", ", decoders.stream().map(LumaDecoder::name)
                .toList()) + "; add cleanbackup-phash-java for PNG, GIF, BMP, TIFF, WebP, HEIC and RAW)");
    }

    /** The kernel (step 3): the 64 DCT coefficients of a 32x32 block; see {@link DctKernel#dct}. */
    public void dct(float[] block, float[] coefficients) {
        checkBlock(block);
        kernel.dct(block, coefficients);
    }

    /** The hash of a 32x32 luma block (steps 3 and 4), as stored, no orientation applied. */
    public PerceptualHash hashBlock(float[] block) {
        return HashBits.fromCoefficients(coefficients(block));
    }

    /**
     * The hash of an image file, its EXIF orientation applied.
     *
     * @throws ImageDecodeException when the file is not an image a decoder can read, is damaged or too large
     * @throws IOException          when the file cannot be read
     */
    public PerceptualHash hash(Path file) throws IOException {
        LumaBlock block = decode(file);
        return HashBits.fromCoefficients(block.orientation().applyToCoefficients(coefficients(block.luma())));
    }

    /**
     * The hashes of an image file under all eight orientations (step 5), computed from one decode and one DCT.
     *
     * @throws ImageDecodeException when the file is not an image a decoder can read, is damaged or too large
     * @throws IOException          when the file cannot be read
     */
    public OrientationHashes hashOrientations(Path file) throws IOException {
        LumaBlock block = decode(file);
        return HashBits.orientations(block.orientation().applyToCoefficients(coefficients(block.luma())));
    }

    /** The hashes of a 32x32 luma block under all eight orientations. */
    public OrientationHashes hashBlockOrientations(float[] block) {
        return HashBits.orientations(coefficients(block));
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
    public List<HashResult> hashAll(List<Path> files, int threads, Consumer<? super HashResult> progress)
            throws InterruptedException {
        return BatchHashing.run(this, files, threads, null, progress);
    }

    /**
     * {@link #hashAll(List, int, Consumer)} on the caller's {@code executor}, which is left running afterwards.
     *
     * @since 0.3
     */
    public List<HashResult> hashAll(List<Path> files, ExecutorService executor, Consumer<? super HashResult> progress)
            throws InterruptedException {
        return BatchHashing.run(this, files, 1, Objects.requireNonNull(executor, "executor"), progress);
    }

    /** {@link #hashAll(List, int, Consumer)} with one thread per available processor and no progress callback. */
    public List<HashResult> hashAll(List<Path> files) throws InterruptedException {
        return hashAll(files, Runtime.getRuntime().availableProcessors(), r -> { });
    }

    private float[] coefficients(float[] block) {
        float[] c = new float[64];
        dct(block, c);
        return c;
    }

    private static void checkBlock(float[] block) {
        if (block.length != LumaBlock.LENGTH) {
            throw new IllegalArgumentException("a luma block has " + LumaBlock.LENGTH + " values, got " + block.length);
        }
    }

    @Override
    public String toString() {
        return kernel.name() + " pHash (kernel " + kernel + "; decoders "
                + String.join(", ", decoders.stream().map(LumaDecoder::name).toList()) + ")";
    }
}
