package org.cleanbackup.thumbnail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;
import org.cleanbackup.internal.DecodeMemory;
import org.cleanbackup.phash.PerceptualHashers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Small JPEG pictures of image files, for a page that shows them side by side (the review).
 *
 * <p>A thumbnail has the file's EXIF orientation applied to its pixels (and no orientation tag left), and its
 * longer side at most the {@code maxSide} asked for (never enlarged). Camera JPEGs are decoded by libjpeg-turbo at
 * 1/8, 1/4 or 1/2 scale in the DCT domain and encoded in C when phash-native is on the class path; HEIC through
 * libheif when phash-java is and the system has it; everything else ImageIO reads, subsampled as it is read. The
 * decoders are {@link ThumbnailDecoder}s, asked by priority; {@link #toString()} lists the ones in use.
 *
 * <p>Bad input never throws: a file that is missing, unreadable, damaged, truncated, not an image, or whose header
 * claims more than {@link PerceptualHashers#maxPixels()} pixels gives an empty result (logged at debug level). Memory
 * is bounded from the header before pixels are allocated, as for the perceptual hash.
 *
 * <p>With a cache folder, each thumbnail is kept there, keyed by the file's device and inode, size, modification
 * time and the size asked for, so a second call, in this process or a later one, reads it back byte for byte; a
 * changed file is decoded again. Instances are immutable and thread-safe.
 *
 * <pre>{@code
 * Thumbnails thumbnails = Thumbnails.create(cacheFolder);
 * Optional<byte[]> jpeg = thumbnails.jpeg(Path.of("IMG_1234.jpg"), 320);
 * }</pre>
 *
 * @since 0.1
 */
public final class Thumbnails {

    /** The smallest {@code maxSide} accepted. */
    public static final int MIN_SIDE = 16;

    /** The largest {@code maxSide} accepted: a thumbnail this size already holds 16 megapixels. */
    public static final int MAX_SIDE = 4096;

    /** System property naming the one decoder to put before the built-in {@code imageio}, e.g. {@code imageio}. */
    public static final String DECODER_PROPERTY = "cleanbackup.thumbnail.decoder";

    private static final Logger LOG = LoggerFactory.getLogger(Thumbnails.class);

    private final List<ThumbnailDecoder> decoders;
    private final ThumbnailCache cache;
    private final long maxPixels;

    private Thumbnails(List<ThumbnailDecoder> decoders, ThumbnailCache cache) {
        this.decoders = List.copyOf(decoders);
        this.cache = cache;
        this.maxPixels = PerceptualHashers.maxPixels();
    }

    /**
     * Thumbnails made by the best decoders available here (or, when {@value #DECODER_PROPERTY} is set, that one and
     * then the built-in one), kept in {@code cacheFolderOrNull} when it is not null (created when first written).
     *
     * @throws IllegalArgumentException when {@value #DECODER_PROPERTY} names no decoder found (the message lists them)
     */
    public static Thumbnails create(Path cacheFolderOrNull) {
        String forced = System.getProperty(DECODER_PROPERTY, "").strip();
        Thumbnails all = new Thumbnails(Registry.AVAILABLE, cacheFolderOrNull == null ? null
                : new ThumbnailCache(cacheFolderOrNull));
        return forced.isEmpty() ? all : all.using(forced);
    }

    /**
     * The same thumbnails (and cache) with only the decoder {@code name} (case-insensitive) ahead of the built-in
     * {@code imageio} one: for comparing backends, and for a user who wants the pure-Java path.
     *
     * @throws IllegalArgumentException when no decoder has that name (the message lists the names there are)
     * @throws IllegalStateException    when that decoder cannot run here (the message says why)
     */
    public Thumbnails using(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        for (ThumbnailDecoder d : Registry.ALL) {
            if (d.name().equals(wanted)) {
                Optional<String> why = d.unavailableReason();
                if (why.isPresent()) {
                    throw new IllegalStateException("thumbnail decoder " + d.name() + " unavailable: " + why.get());
                }
                return new Thumbnails(d == Registry.BUILT_IN ? List.of(d) : List.of(d, Registry.BUILT_IN), cache);
            }
        }
        throw new IllegalArgumentException("no thumbnail decoder named '" + name + "'; there are: "
                + Registry.ALL.stream().map(ThumbnailDecoder::name).toList());
    }

    /**
     * A JPEG thumbnail of {@code file}: orientation applied, the longer side at most {@code maxSide}.
     *
     * @param maxSide from {@value #MIN_SIDE} to {@value #MAX_SIDE} pixels
     * @return the JPEG's bytes (a new array each call), or empty when the file cannot be decoded
     * @throws IllegalArgumentException when {@code maxSide} is out of range (a caller's mistake, not bad input)
     */
    public Optional<byte[]> jpeg(Path file, int maxSide) {
        if (maxSide < MIN_SIDE || maxSide > MAX_SIDE) {
            throw new IllegalArgumentException("maxSide " + maxSide + " is not within " + MIN_SIDE + ".." + MAX_SIDE);
        }
        Optional<ThumbnailCache.Key> key = Optional.empty();
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                return Optional.empty();
            }
            if (cache != null) {
                key = ThumbnailCache.key(attributes, maxSide);
                Optional<byte[]> hit = key.flatMap(cache::get);
                if (hit.isPresent()) {
                    return hit;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("no thumbnail for {}: {}", file, e.toString());
            return Optional.empty();
        }
        Optional<byte[]> made = decode(file, maxSide);
        if (made.isPresent() && key.isPresent()) {
            cache.put(key.get(), made.get());
        }
        return made;
    }

    private Optional<byte[]> decode(Path file, int maxSide) {
        for (ThumbnailDecoder decoder : decoders) {
            try {
                Optional<ThumbnailDecoder.Decoded> decoded = decoder.decode(file, maxSide, maxPixels);
                if (decoded.isEmpty()) {
                    continue; // not a format it takes: the next one by priority
                }
                byte[] jpeg = switch (decoded.get()) {
                    case ThumbnailDecoder.Jpeg j -> j.bytes();
                    case ThumbnailDecoder.Pixels p -> JpegFinish.finish(p, maxSide);
                };
                DecodeMemory.checkpoint();
                return Optional.of(jpeg);
            } catch (IOException | RuntimeException e) {
                // Damaged, truncated, too large, or a decoder library's own exception on hostile input: no
                // thumbnail. Not passed to the next decoder: a file one decoder found damaged is damaged.
                LOG.debug("no thumbnail for {} ({}): {}", file, decoder.name(), e.toString());
                return Optional.empty();
            }
        }
        LOG.debug("no thumbnail for {}: no decoder takes it", file);
        return Optional.empty();
    }

    /** E.g. {@code "thumbnails [libjpeg-turbo, libheif, imageio], cache /home/me/.cache/cleanbackup/thumbnails-v1"}. */
    @Override
    public String toString() {
        return "thumbnails " + decoders.stream().map(ThumbnailDecoder::name).toList()
                + (cache == null ? ", no cache" : ", cache " + cache);
    }

    /** The decoders found, loaded once per class loader. */
    static final class Registry {
        static final ThumbnailDecoder BUILT_IN = new ImageIoDecoder();
        static final List<ThumbnailDecoder> ALL = load();
        static final List<ThumbnailDecoder> AVAILABLE = ALL.stream()
                .filter(d -> {
                    Optional<String> why = d.unavailableReason();
                    why.ifPresent(w -> LOG.debug("thumbnail decoder {} not used: {}", d.name(), w));
                    return why.isEmpty();
                }).toList();

        private static List<ThumbnailDecoder> load() {
            List<ThumbnailDecoder> found = new ArrayList<>();
            for (var provider : ServiceLoader.load(ThumbnailDecoder.class, Thumbnails.class.getClassLoader()).stream()
                    .toList()) {
                try {
                    found.add(provider.get());
                } catch (java.util.ServiceConfigurationError e) {
                    LOG.warn("thumbnail decoder {} could not be loaded: {}", provider.type().getName(), e.getMessage());
                }
            }
            found.add(BUILT_IN);
            found.sort(Comparator.comparingInt(ThumbnailDecoder::priority).reversed());
            return List.copyOf(found);
        }
    }
}
