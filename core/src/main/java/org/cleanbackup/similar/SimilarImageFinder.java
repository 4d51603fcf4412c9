package org.cleanbackup.similar;

import java.io.IOException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.cleanbackup.cache.HashCache;
import org.cleanbackup.cache.PerceptualEntries;
import org.cleanbackup.dates.CaptureDates;
import org.cleanbackup.group.KeepPolicy;
import org.cleanbackup.internal.Pools;
import org.cleanbackup.phash.PerceptualHash;
import org.cleanbackup.phash.PerceptualHasher;
import org.cleanbackup.model.ProgressListener;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.Problem;

/**
 * Finds groups of images that look the same: perceptual hashes (from the cache when the file is unchanged), all
 * pairs within the threshold through a multi-index {@link HammingIndex}, then non-chaining groups around the best
 * copy. Damaged images are reported and never grouped.
 */
public final class SimilarImageFinder {


    /**
     * How to search.
     *
     * @param hasher       the perceptual-hash backend
     * @param threshold    the largest Hamming distance (bits of 64) that counts as similar
     * @param orientations also match flipped and rotated copies
     * @param threads      hashing and searching threads
     * @param cache        the hash cache, or null for none
     * @param keep         a file policy (oldest, newest, ...), or null to rank the images by {@code ranking}
     * @param ranking      how images are ranked when {@code keep} is null
     * @param executor     the executor to hash and compare on, left running afterwards; null to make pools of our
     *                     own of {@code threads} threads
     */
    public record Options(PerceptualHasher hasher, int threshold, boolean orientations, int threads, HashCache cache,
                          KeepPolicy keep, Ranking ranking, ExecutorService executor) {
        public Options {
            Objects.requireNonNull(hasher, "hasher");
            Objects.requireNonNull(ranking, "ranking");
            if (threshold < 0 || threshold > 32) {
                throw new IllegalArgumentException("the threshold is a number of bits from 0 to 32, was " + threshold);
            }
        }

        /** Options working on pools of our own. */
        public Options(PerceptualHasher hasher, int threshold, boolean orientations, int threads, HashCache cache,
                       KeepPolicy keep, Ranking ranking) {
            this(hasher, threshold, orientations, threads, cache, keep, ranking, null);
        }

        /** The same options working on {@code executor}, which the finder never shuts down. */
        public Options withExecutor(ExecutorService executor) {
            return new Options(hasher, threshold, orientations, threads, cache, keep, ranking,
                    Objects.requireNonNull(executor, "executor"));
        }

        /** Options that rank images {@link Ranking#BEST best} when {@code keep} is null. */
        public Options(PerceptualHasher hasher, int threshold, boolean orientations, int threads, HashCache cache,
                       KeepPolicy keep) {
            this(hasher, threshold, orientations, threads, cache, keep, Ranking.BEST);
        }
    }

    /**
     * Which look-alike to keep when neither a reference folder nor a file policy decides.
     *
     * @since 0.2
     */
    public enum Ranking {
        /**
         * The camera's own file, as a photographer would choose: first the copy with camera metadata (Make or Model
         * and DateTimeOriginal), then the camera's format (JPEG, HEIC, RAW over a PNG, TIFF or WebP export), then
         * no editing program in its Software tag, then pixels as the camera wrote them in EXIF (an upscale or a
         * resized copy is not "more pixels"), then the older file (among copies equal on all those marks, the
         * one the others were made from); only among copies equal on all of that, the most pixels, the larger
         * file and the oldest capture date.
         */
        BEST,
        /** The most pixels, then the larger file, then the oldest capture date, whatever the copy's origin. */
        LARGEST
    }

    /**
     * What was found.
     *
     * @param groups    the groups, largest reclaimable size first
     * @param problems  images that could not be hashed
     * @param hashed    images hashed in this run
     * @param fromCache images whose hash came from the cache (a remembered decode failure is a problem, not a hit)
     * @param hashingTime how long getting the hashes took (cache look-ups and hashing)
     */
    public record Result(List<SimilarGroup> groups, List<Problem> problems, int hashed, int fromCache,
                         java.time.Duration hashingTime) {
        public Result {
            groups = List.copyOf(groups);
            problems = List.copyOf(problems);
        }
    }

    private final Options options;
    private final KeepFacts keepFacts;

    /** A finder with these options. */
    public SimilarImageFinder(Options options) {
        this(options, null);
    }

    /** A finder that reads images' facts and dates through {@code reader} (null: the files, as a user's run). */
    SimilarImageFinder(Options options, KeepFacts.Reader reader) {
        this.options = options;
        CaptureDates dates = new CaptureDates();
        this.keepFacts = new KeepFacts(reader == null ? KeepFacts.files(dates) : reader, dates);
    }

    /** Hashes the images and groups them. */
    public Result find(List<MediaFile> images, ProgressListener progress) {
        long started = System.nanoTime();
        String algorithm = PerceptualEntries.algorithm(options.hasher().name(), options.orientations());
        Map<MediaFile, long[]> hashes = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Problem> problems = new ConcurrentLinkedQueue<>();
        int fromCache = 0;
        Map<MediaFile, String> cachedFacts = Map.of();
        List<MediaFile> toHash = images;
        if (options.cache() != null) {
            // the hashes, and beside them what ranking the images needs (unless a file policy ranks them)
            Map<String, Map<MediaFile, String>> found = options.cache().lookupAll(images,
                    options.keep() == null ? List.of(algorithm, KeepFacts.VERSION) : List.of(algorithm));
            Map<MediaFile, String> cached = found.get(algorithm);
            cachedFacts = found.getOrDefault(KeepFacts.VERSION, Map.of());
            cached.forEach((f, v) -> {
                Optional<String> failed = PerceptualEntries.failureReason(v);
                if (failed.isPresent()) {
                    problems.add(new Problem(f.path(), failed.get())); // unchanged, still damaged
                } else {
                    hashes.put(f, PerceptualEntries.decode(v));
                }
            });
            fromCache = hashes.size();
            toHash = images.stream().filter(f -> !cached.containsKey(f)).toList();
        }
        AtomicInteger hashed = new AtomicInteger();
        progress.phase("Hashing images", toHash.size(), "files");
        try (Pools.Lease<ExecutorService> pool = Pools.fixed(options.executor(), options.threads(), "cleanbackup-phash")) {
            List<Future<?>> futures = new ArrayList<>();
            for (MediaFile f : toHash) {
                futures.add(pool.executor().submit(() -> {
                    try {
                        long[] codes = PerceptualEntries.hash(options.hasher(), f.path(), options.orientations());
                        hashes.put(f, codes);
                        hashed.incrementAndGet();
                        if (options.cache() != null) {
                            options.cache().store(f, algorithm, PerceptualEntries.encode(codes));
                        }
                    } catch (org.cleanbackup.phash.ImageDecodeException e) {
                        // Damaged or unsupported: never grouped. Remembered too, so an unchanged damaged file is
                        // not decoded again on the next run.
                        Problem problem = Problem.of(f.path(), e);
                        problems.add(problem);
                        if (options.cache() != null) {
                            options.cache().store(f, algorithm, PerceptualEntries.failure(problem.message()));
                        }
                    } catch (IOException e) {
                        problems.add(Problem.of(f.path(), e)); // unreadable now; may work next time
                    } catch (RuntimeException | StackOverflowError e) {
                        problems.add(Problem.unexpected(f.path(), "hashing the image", e));
                    } finally {
                        progress.advance(1);
                    }
                }));
            }
            Pools.awaitAll(futures, "hashing images");
        } finally {
            if (options.cache() != null) {
                options.cache().flush();
            }
        }
        progress.phaseDone();
        java.time.Duration hashingTime = java.time.Duration.ofNanos(System.nanoTime() - started);

        List<MediaFile> hashedFiles = images.stream().filter(hashes::containsKey).toList();
        long[] codes = new long[hashedFiles.size()];
        long[][] variants = options.orientations() ? new long[hashedFiles.size()][] : null;
        for (int i = 0; i < codes.length; i++) {
            long[] h = hashes.get(hashedFiles.get(i));
            codes[i] = h[0];
            if (variants != null) {
                variants[i] = java.util.Arrays.copyOfRange(h, 1, h.length);
            }
        }
        progress.phase("Comparing images", -1, "files");
        SimilarityGraph graph = SimilarityGraph.build(codes, variants, options.threshold(), options.threads(), options.executor());
        List<SimilarGroup> groups = group(hashedFiles, codes, variants, graph, cachedFacts);
        progress.phaseDone();
        return new Result(groups, new ArrayList<>(problems), hashed.get(), fromCache, hashingTime);
    }

    private List<SimilarGroup> group(List<MediaFile> files, long[] codes, long[][] variants, SimilarityGraph graph,
                                     Map<MediaFile, String> cachedFacts) {
        // Rank only the images that have a neighbour: reading facts and dates costs a little per file (nothing
        // on a second run: they are cached). A file policy needs neither.
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            if (graph.degree(i) > 0) {
                candidates.add(i);
            }
        }
        Map<Integer, KeepFacts.Facts> facts = new HashMap<>();
        if (options.keep() == null) {
            Map<MediaFile, KeepFacts.Facts> read = keepFacts.of(candidates.stream().map(files::get).toList(),
                    cachedFacts, options.cache());
            for (int i : candidates) {
                facts.put(i, read.get(files.get(i)));
            }
        }
        Map<MediaFile, Integer> position = new HashMap<>();
        if (options.keep() != null) {
            List<MediaFile> ranked = options.keep().rankFiles(candidates.stream().map(files::get).toList());
            for (int p = 0; p < ranked.size(); p++) {
                position.put(ranked.get(p), p);
            }
        }
        // Each image's place in the order is worked out once, then compared field by field: a cached run sorts
        // thousands of images, and looking facts up (or matching copy-name patterns) per comparison was most of it.
        List<RankKey> keys = new ArrayList<>(candidates.size());
        for (int i : candidates) {
            MediaFile f = files.get(i);
            KeepFacts.Facts known = facts.get(i);
            int marks = 0;
            long made = 0;
            if (known != null && options.ranking() == Ranking.BEST) {
                // Each mark of the camera's own file outranks any number of pixels: an export, an edit or an
                // upscale must never win over the original because it is bigger. A copy whose metadata lost bytes
                // is not the file the camera wrote, whatever it claims.
                ImageFacts image = known.image();
                marks = (hasCameraMetadata(image) ? 0 : 16) | (image.cameraFormat() ? 0 : 8)
                        | (image.editor() != null ? 4 : 0) | (image.damaged() ? 2 : 0) | (image.resized() ? 1 : 0);
                // Copies equal on every mark were made one from another (by a tool that copies EXIF as it is, or
                // strips it from all): the source is the older file. In 2 s steps, the granularity of FAT cards,
                // so a copy that kept the time ties and pixels decide.
                made = f.lastModified() / 2000;
            }
            keys.add(new RankKey(i, !f.reference(), marks, made,
                    known == null ? 0 : -known.image().pixels(), known == null ? 0 : -f.size(),
                    known == null ? LocalDateTime.MIN : known.taken(), position.getOrDefault(f, 0),
                    KeepPolicy.hasCopyName(f), f.path().toString()));
        }
        keys.sort(RankKey.ORDER);
        int[] sorted = keys.stream().mapToInt(RankKey::index).toArray();

        List<SimilarGroup> groups = new ArrayList<>();
        for (int[] members : graph.groups(sorted)) {
            int keeper = members[0];
            List<SimilarGroup.Member> duplicates = new ArrayList<>();
            List<SimilarGroup.Member> protectedCopies = new ArrayList<>();
            for (int k = 1; k < members.length; k++) {
                int d = SimilarityGraph.pairDistance(codes, variants, keeper, members[k]);
                SimilarGroup.Member m = new SimilarGroup.Member(files.get(members[k]), d);
                (m.file().reference() ? protectedCopies : duplicates).add(m);
            }
            groups.add(new SimilarGroup(files.get(keeper), new PerceptualHash(codes[keeper]),
                    keepReason(files.get(keeper), facts.get(keeper)), duplicates, protectedCopies));
        }
        groups.sort(Comparator.comparingLong(SimilarGroup::reclaimableBytes).reversed());
        return groups;
    }

    /**
     * Where an image stands among look-alikes, most wanted first: in a reference folder; then (ranking images) the
     * camera's marks (missing ones as bits, the most important highest) and the file's age in 2 s steps (best
     * ranking only), more pixels, the larger file, the older capture date; or (under a file policy) its place in
     * the policy's order; then a name that is not an OS copy name, then the path.
     */
    private record RankKey(int index, boolean notReference, int missingMarks, long made, long negativePixels,
                           long negativeSize, LocalDateTime taken, int position, boolean copyName, String path) {
        static final Comparator<RankKey> ORDER = Comparator.comparing(RankKey::notReference)
                .thenComparingInt(RankKey::missingMarks)
                .thenComparingLong(RankKey::made)
                .thenComparingLong(RankKey::negativePixels)
                .thenComparingLong(RankKey::negativeSize)
                .thenComparing(RankKey::taken)
                .thenComparingInt(RankKey::position)
                .thenComparing(RankKey::copyName)
                .thenComparing(RankKey::path);
    }

    private static boolean hasCameraMetadata(ImageFacts image) {
        return image.camera() != null && image.shutterDate();
    }

    private String keepReason(MediaFile keep, KeepFacts.Facts facts) {
        if (keep.reference()) {
            return "in reference folder " + keep.root();
        }
        if (options.keep() != null) {
            return options.keep().userName();
        }
        String taken = facts.taken() != LocalDateTime.MAX ? ", taken " + facts.taken().toLocalDate() : "";
        if (options.ranking() == Ranking.LARGEST) {
            long pixels = facts.image().pixels();
            return "largest copy: " + (pixels > 0 ? pixels / 1000 / 1000.0 + " MP, " : "") + keep.size() + " bytes"
                    + taken;
        }
        return "best copy: " + facts.image().describe() + ", " + keep.size() + " bytes" + taken;
    }
}
