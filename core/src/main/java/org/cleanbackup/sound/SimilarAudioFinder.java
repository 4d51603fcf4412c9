package org.cleanbackup.sound;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.cleanbackup.cache.HashCache;
import org.cleanbackup.fingerprint.AudioDecodeException;
import org.cleanbackup.fingerprint.AudioFacts;
import org.cleanbackup.fingerprint.AudioFingerprint;
import org.cleanbackup.fingerprint.AudioFingerprinter;
import org.cleanbackup.fingerprint.FingerprintEntries;
import org.cleanbackup.group.KeepPolicy;
import org.cleanbackup.internal.Pools;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.Problem;
import org.cleanbackup.model.ProgressListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds recordings of the same sound in other encodings: FLAC in a library and MP3, AAC, Vorbis or Opus copies, a
 * copy with its start cut, a quieter one. Each file's acoustic fingerprint ({@link AudioFingerprinter}; from the
 * cache when the file is unchanged), candidate pairs from an inverted index on fingerprint sub-values, then the
 * aligned bit-error rate over the overlap; non-chaining groups around the copy to keep. Undecodable files are
 * reported and never grouped.
 *
 * @since 0.4
 */
public final class SimilarAudioFinder {

    private static final Logger LOG = LoggerFactory.getLogger(SimilarAudioFinder.class);

    /**
     * The largest bit-error rate that counts as the same recording by default, measured on
     * {@code benchmarks/audio} (docs/audio.md): transcodes at 128 kbit/s and more, cuts of up to a second and volume
     * changes stay below 0.12; different songs are above 0.3.
     */
    public static final double DEFAULT_MAX_BIT_ERROR_RATE = 0.20;

    /** How far the starts of two copies may lie apart: 15 s (121 words). */
    static final int MAX_OFFSET_WORDS = 121;
    /** Positions compared at least: 10 s of sound (80 words). */
    static final int MIN_COMPARED_WORDS = 80;
    /** And at least this share of the shorter fingerprint. */
    static final double MIN_SHARE = 0.6;

    /**
     * How alike two songs sound: the lowest share of differing bits between their fingerprints over the part where
     * they overlap, at any offset within 15 s, judged as the finder judges a pair (at least 10 s and 60 % of the
     * shorter compared; positions where both repeat a word left out). All offsets are tried, without the index: for
     * checks and measurements ({@code AudioPrecisionRecall}), not for many files. Copies score near 0, different
     * songs about 0.4; 1 when too little overlaps to judge.
     */
    public static double bitErrorRate(AudioFingerprint a, AudioFingerprint b) {
        return FingerprintIndex.bestBitErrorRate(a.words(), b.words(), MAX_OFFSET_WORDS, MIN_COMPARED_WORDS, MIN_SHARE);
    }

    /**
     * How to search.
     *
     * @param fingerprinter   the fingerprinter
     * @param maxBitErrorRate the largest share of differing fingerprint bits (0-0.5) that still counts as the same
     * @param threads         fingerprinting and comparing threads
     * @param cache           the hash cache, or null for none
     * @param keep            a file policy (oldest, newest, ...), or null for the audio rule (lossless, bit rate,
     *                        tags)
     * @param executor        the executor to work on, left running; null to make a pool of {@code threads}
     */
    public record Options(AudioFingerprinter fingerprinter, double maxBitErrorRate, int threads, HashCache cache,
                          KeepPolicy keep, ExecutorService executor) {
        public Options {
            Objects.requireNonNull(fingerprinter, "fingerprinter");
            if (!(maxBitErrorRate >= 0 && maxBitErrorRate <= 0.5)) {
                throw new IllegalArgumentException("the bit-error rate is 0 to 0.5, was " + maxBitErrorRate);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1");
            }
        }
    }

    /**
     * What was found.
     *
     * @param groups          the groups, largest reclaimable size first
     * @param problems        files that could not be decoded
     * @param fingerprinted   files fingerprinted in this run
     * @param fromCache       files whose fingerprint came from the cache
     * @param tooShort        files with less than 10 s of sound: too little to tell songs apart, so never grouped
     * @param fingerprintTime how long getting the fingerprints took
     */
    public record Result(List<SoundGroup> groups, List<Problem> problems, int fingerprinted, int fromCache,
                         int tooShort, Duration fingerprintTime) {
        public Result {
            groups = List.copyOf(groups);
            problems = List.copyOf(problems);
        }
    }

    private final Options options;

    /** A finder with these options. */
    public SimilarAudioFinder(Options options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Fingerprints the files (or takes them from the cache) and groups them. */
    public Result find(List<MediaFile> files, ProgressListener progress) {
        long started = System.nanoTime();
        Fingerprints prints = fingerprints(files, progress);
        Duration time = Duration.ofNanos(System.nanoTime() - started);
        progress.phase("Comparing sounds", -1, "files");
        List<SoundGroup> groups = group(prints.files, prints.fingerprints);
        progress.phaseDone();
        int tooShort = (int) prints.fingerprints.stream().filter(f -> f.length() < MIN_COMPARED_WORDS).count();
        if (tooShort > 0) {
            LOG.info("{} of {} audio files hold less than 10 s of sound: too little to tell songs apart, never grouped",
                    tooShort, prints.fingerprints.size());
        }
        return new Result(groups, prints.problems, prints.fingerprinted, prints.fromCache, tooShort, time);
    }

    /** The fingerprints of the files that have one, in the files' order. */
    private record Fingerprints(List<MediaFile> files, List<AudioFingerprint> fingerprints, List<Problem> problems,
                                int fingerprinted, int fromCache) {
    }

    private Fingerprints fingerprints(List<MediaFile> files, ProgressListener progress) {
        String algorithm = options.fingerprinter().algorithm();
        HashCache cache = options.cache();
        Map<MediaFile, AudioFingerprint> found = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Problem> problems = new ConcurrentLinkedQueue<>();
        List<MediaFile> toDo = files;
        int fromCache = 0;
        if (cache != null) {
            Map<MediaFile, String> cached = cache.lookupAll(files, algorithm);
            List<MediaFile> missing = new ArrayList<>();
            for (MediaFile f : files) {
                String value = cached.get(f);
                Optional<String> failed = value == null ? Optional.empty() : FingerprintEntries.failureReason(value);
                Optional<AudioFingerprint> fp = value == null || failed.isPresent() ? Optional.empty()
                        : FingerprintEntries.decode(value);
                if (failed.isPresent()) {
                    problems.add(new Problem(f.path(), failed.get())); // unchanged, still undecodable
                } else if (fp.isPresent()) {
                    found.put(f, fp.get());
                    fromCache++;
                } else {
                    missing.add(f);
                }
            }
            toDo = missing;
        }
        AtomicInteger done = new AtomicInteger();
        if (!toDo.isEmpty()) {
            LOG.info("fingerprinting {} audio files with {}", toDo.size(), options.fingerprinter());
        }
        progress.phase("Fingerprinting audio", toDo.size(), "files");
        try (Pools.Lease<ExecutorService> pool = Pools.fixed(options.executor(), options.threads(),
                "cleanbackup-fingerprint")) {
            List<Future<?>> futures = new ArrayList<>();
            // a batch per task: the ffmpeg program decodes a batch in one process (AudioFingerprinter.fingerprintAll)
            int per = Math.max(1, Math.min(AudioFingerprinter.BATCH, toDo.size() / options.threads()));
            for (int from = 0; from < toDo.size(); from += per) {
                List<MediaFile> batch = toDo.subList(from, Math.min(toDo.size(), from + per));
                futures.add(pool.executor().submit(() -> {
                    List<AudioFingerprinter.Outcome> outcomes;
                    try {
                        outcomes = options.fingerprinter().fingerprintAll(batch.stream().map(MediaFile::path).toList());
                    } catch (RuntimeException e) {
                        batch.forEach(f -> problems.add(Problem.unexpected(f.path(), "fingerprinting the sound", e)));
                        progress.advance(batch.size());
                        return;
                    }
                    for (int i = 0; i < batch.size(); i++) {
                        MediaFile f = batch.get(i);
                        AudioFingerprinter.Outcome outcome = outcomes.get(i);
                        if (outcome.fingerprint().isPresent()) {
                            AudioFingerprint fp = outcome.fingerprint().get();
                            found.put(f, fp);
                            done.incrementAndGet();
                            if (cache != null) {
                                cache.store(f, algorithm, FingerprintEntries.encode(fp));
                            }
                        } else if (outcome.failure().orElseThrow() instanceof AudioDecodeException e) {
                            Problem problem = new Problem(f.path(), e.getMessage());
                            problems.add(problem);
                            if (cache != null) {
                                cache.store(f, algorithm, FingerprintEntries.failure(problem.message()));
                            }
                        } else {
                            // ffmpeg did not start, or the read failed: not remembered, tried again next time
                            problems.add(Problem.of(f.path(), outcome.failure().get()));
                        }
                        progress.advance(1);
                    }
                }));
            }
            Pools.awaitAll(futures, "fingerprinting audio");
        } finally {
            if (cache != null) {
                cache.flush();
            }
        }
        progress.phaseDone();
        List<MediaFile> kept = files.stream().filter(found::containsKey).toList();
        return new Fingerprints(kept, kept.stream().map(found::get).toList(), new ArrayList<>(problems), done.get(),
                fromCache);
    }

    private List<SoundGroup> group(List<MediaFile> files, List<AudioFingerprint> prints) {
        int[][] words = new int[files.size()][];
        for (int i = 0; i < words.length; i++) {
            words[i] = prints.get(i).words();
        }
        List<FingerprintIndex.Match> matches = FingerprintIndex.matches(words, options.maxBitErrorRate(),
                MAX_OFFSET_WORDS, MIN_COMPARED_WORDS, MIN_SHARE, options.threads(), options.executor());
        // neighbours, keeping only pairs whose stated lengths agree (a 30 s preview is not the song)
        Map<Integer, Map<Integer, FingerprintIndex.Match>> edges = new HashMap<>();
        for (FingerprintIndex.Match m : matches) {
            if (!similarLength(prints.get(m.a()).facts(), prints.get(m.b()).facts())) {
                continue;
            }
            edges.computeIfAbsent(m.a(), x -> new HashMap<>()).put(m.b(), m);
            edges.computeIfAbsent(m.b(), x -> new HashMap<>()).put(m.a(), m);
        }
        List<Integer> candidates = new ArrayList<>(edges.keySet());
        Map<MediaFile, Integer> position = new HashMap<>();
        if (options.keep() != null) {
            List<MediaFile> ranked = options.keep().rankFiles(candidates.stream().map(files::get).toList());
            for (int p = 0; p < ranked.size(); p++) {
                position.put(ranked.get(p), p);
            }
        }
        List<RankKey> keys = new ArrayList<>();
        for (int i : candidates) {
            MediaFile f = files.get(i);
            AudioFacts facts = prints.get(i).facts();
            boolean rule = options.keep() == null;
            keys.add(new RankKey(i, !f.reference(), position.getOrDefault(f, 0), rule && !facts.lossless(),
                    rule && !facts.lossless() ? -facts.bitrate() : 0, rule ? -facts.tags() : 0,
                    rule ? -facts.durationMillis() : 0, KeepPolicy.hasCopyName(f), f.path().toString()));
        }
        keys.sort(RankKey.ORDER);
        boolean[] taken = new boolean[files.size()];
        List<SoundGroup> groups = new ArrayList<>();
        for (RankKey key : keys) {
            int keeper = key.index();
            if (taken[keeper]) {
                continue;
            }
            List<SoundGroup.Member> duplicates = new ArrayList<>();
            List<SoundGroup.Member> protectedCopies = new ArrayList<>();
            // members in rank order, so the report lists the better copies first
            for (RankKey other : keys) {
                int j = other.index();
                FingerprintIndex.Match m = edges.get(keeper).get(j);
                if (j == keeper || taken[j] || m == null) {
                    continue;
                }
                taken[j] = true;
                long shift = keeper == m.a() ? m.offset() : -m.offset();
                SoundGroup.Member member = new SoundGroup.Member(files.get(j), m.bitErrorRate(),
                        shift * AudioFingerprint.MICROS_PER_WORD / 1000);
                (member.file().reference() ? protectedCopies : duplicates).add(member);
            }
            if (duplicates.isEmpty() && protectedCopies.isEmpty()) {
                continue;
            }
            taken[keeper] = true;
            AudioFacts facts = prints.get(keeper).facts();
            groups.add(new SoundGroup(files.get(keeper), facts, head(words[keeper]), keepReason(files.get(keeper), facts),
                    duplicates, protectedCopies));
        }
        groups.sort(Comparator.comparingLong(SoundGroup::reclaimableBytes).reversed());
        return groups;
    }

    /** The first four words in hex (fewer when the fingerprint is shorter). */
    private static String head(int[] words) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(4, words.length); i++) {
            hex.append(java.util.HexFormat.of().toHexDigits(words[i]));
        }
        return hex.toString();
    }

    /**
     * Whether two files' stated lengths allow them to be one recording: within 3 s or 5 % (a cut start, an encoder's
     * padding), or unknown.
     */
    static boolean similarLength(AudioFacts a, AudioFacts b) {
        if (a.durationMillis() < 0 || b.durationMillis() < 0) {
            return true;
        }
        long longer = Math.max(a.durationMillis(), b.durationMillis());
        return Math.abs(a.durationMillis() - b.durationMillis()) <= Math.max(3000, longer / 20);
    }

    /**
     * Where a file stands among copies of one recording, most wanted first: in a reference folder; then (under a file
     * policy) its place in the policy's order, or (the audio rule) lossless before lossy, the higher bit rate (among
     * lossy ones), more tags, the longer file; then a name that is not an OS copy name, then the path.
     */
    private record RankKey(int index, boolean notReference, int position, boolean lossy, int negativeBitrate,
                           int negativeTags, long negativeDuration, boolean copyName, String path) {
        static final Comparator<RankKey> ORDER = Comparator.comparing(RankKey::notReference)
                .thenComparingInt(RankKey::position)
                .thenComparing(RankKey::lossy)
                .thenComparingInt(RankKey::negativeBitrate)
                .thenComparingInt(RankKey::negativeTags)
                .thenComparingLong(RankKey::negativeDuration)
                .thenComparing(RankKey::copyName)
                .thenComparing(RankKey::path);
    }

    private String keepReason(MediaFile keep, AudioFacts facts) {
        if (keep.reference()) {
            return "in reference folder " + keep.root();
        }
        if (options.keep() != null) {
            return options.keep().userName();
        }
        long seconds = Math.max(0, facts.durationMillis() / 1000);
        return String.format(Locale.ROOT, "best copy: %s, %d:%02d", facts.describe(), seconds / 60, seconds % 60);
    }
}
