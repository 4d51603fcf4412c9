package org.cleanbackup.group;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import org.cleanbackup.hash.ContentHash;
import org.cleanbackup.internal.ByteRanges;
import org.cleanbackup.metadata.AudioPayload;
import org.cleanbackup.metadata.AudioTags;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.MediaType;
import org.cleanbackup.model.Problem;
import org.cleanbackup.model.ProgressListener;

/**
 * The audio half of exact grouping: each audio file's payload (its sound without its tags, {@link AudioPayload}),
 * the groups of files whose payloads have one length, and, once {@link GroupRefiner} has compared those payloads
 * with the same stages as whole files, which copies differ only in tags and which copy to keep (the fuller tags,
 * after a reference copy). A file whose payload cannot be found (another format, or a structure that does not
 * hold: one problem line) is compared whole, with the other files.
 */
final class Payloads {

    /** The suffix of a payload hash's algorithm name: "xxh3-128-audio" is XXH3-128 of the sound alone. */
    static final String ALGORITHM_SUFFIX = "-audio";

    /*
     * Only each file's payload length (and FLAC's MD5) is kept for all files: an Ogg file's payload is one range per
     * page (a thousand for a 5 MB song), so keeping every file's ranges until the end would hold tens of bytes per
     * kilobyte of a large Ogg library. The files of a same-length group, few, are parsed again when it is compared.
     */
    private final Map<MediaFile, Long> lengths; // identity: a record's hashCode hashes its path
    private final Map<MediaFile, String> samplesMd5;
    private final List<MediaFile> whole;
    private final List<MediaFile> inScanOrder = new ArrayList<>();
    private final ConcurrentLinkedQueue<Problem> problems = new ConcurrentLinkedQueue<>();

    private Payloads(Map<MediaFile, Long> lengths, Map<MediaFile, String> samplesMd5, List<MediaFile> whole) {
        this.lengths = lengths;
        this.samplesMd5 = samplesMd5;
        this.whole = whole;
    }

    /** Finds the payload of every audio file of {@code files} (by extension), on {@code pool}. */
    static Payloads find(Collection<MediaFile> files, ForkJoinPool pool, ProgressListener progress) {
        List<MediaFile> audio = new ArrayList<>();
        List<MediaFile> whole = new ArrayList<>();
        for (MediaFile file : files) {
            boolean isAudio = MediaType.ofFileName(file.path().getFileName().toString()).orElse(null)
                    == MediaType.AUDIO;
            (isAudio && file.size() > 0 ? audio : whole).add(file);
        }
        Map<MediaFile, Long> lengths = new IdentityHashMap<>();
        Map<MediaFile, String> md5 = new IdentityHashMap<>();
        Payloads payloads = new Payloads(lengths, md5, whole);
        if (audio.isEmpty()) {
            return payloads;
        }
        progress.phase("Finding the sound in audio files", audio.size(), "files");
        List<ForkJoinTask<Object>> tasks = new ArrayList<>(audio.size());
        for (MediaFile file : audio) {
            tasks.add(pool.submit(() -> {
                try {
                    return payloads.parse(file);
                } finally {
                    progress.advance(1);
                }
            }));
        }
        for (int i = 0; i < audio.size(); i++) {
            MediaFile file = audio.get(i);
            if (tasks.get(i).join() instanceof Sound found) {
                lengths.put(file, found.length());
                payloads.inScanOrder.add(file);
                if (found.samplesMd5() != null) {
                    md5.put(file, found.samplesMd5());
                }
            }
        }
        whole.clear(); // the rest, in scan order (the keep policy "first" goes by it)
        for (MediaFile file : files) {
            if (!lengths.containsKey(file)) {
                whole.add(file);
            }
        }
        progress.phaseDone();
        return payloads;
    }

    /** What the first pass keeps of a file's payload. */
    private record Sound(long length, String samplesMd5) {
    }

    /** The payload's length, or a marker for a file to compare whole. */
    private Object parse(MediaFile file) {
        try {
            AudioPayload.Found found = AudioPayload.of(file.path());
            // No sound found (an empty data chunk, a recorder's placeholder) is no reason to call two files the same.
            return found == null || found.ranges().isWhole(file.size()) || found.ranges().length() == 0
                    ? Boolean.FALSE : new Sound(found.ranges().length(), found.samplesMd5());
        } catch (AudioPayload.Malformed e) {
            problems.add(new Problem(file.path(), "not read as audio (" + e.getMessage().replace('\n', ' ')
                    + "): compared as a whole file"));
            return Boolean.FALSE;
        } catch (IOException | RuntimeException e) {
            return Boolean.FALSE; // unreadable: the whole-file comparison reports it
        }
    }

    List<Problem> problems() {
        return List.copyOf(problems);
    }

    /** The files to compare whole: not audio, or audio without a payload found. */
    List<MediaFile> wholeFiles() {
        return whole;
    }

    /** The groups of two or more audio files whose payloads have one length, largest first, in scan order. */
    List<List<MediaFile>> sameLengthGroups() {
        Map<Long, List<MediaFile>> byLength = new HashMap<>();
        for (MediaFile f : inScanOrder) {
            byLength.computeIfAbsent(lengths.get(f), k -> new ArrayList<>(2)).add(f);
        }
        List<List<MediaFile>> groups = new ArrayList<>();
        for (List<MediaFile> group : byLength.values()) {
            if (group.size() > 1) {
                groups.add(group);
            }
        }
        groups.sort((a, b) -> Long.compare(lengths.get(b.getFirst()), lengths.get(a.getFirst())));
        return groups;
    }

    /** The duplicate groups among audio files whose payloads have one length. */
    List<DuplicateGroup> duplicateGroups(List<MediaFile> sameLength, GroupRefiner refiner,
                                         ExactDuplicateFinder finder, ProgressListener progress) {
        Map<MediaFile, List<MediaFile>> links = new IdentityHashMap<>();
        List<MediaFile> distinct = ExactDuplicateFinder.foldHardLinks(sameLength, links);
        if (distinct.size() < 2) {
            sameLength.forEach(f -> progress.advance(f.size()));
            return List.of();
        }
        java.util.Set<MediaFile> kept = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        kept.addAll(distinct);
        for (MediaFile f : sameLength) {
            if (!kept.contains(f)) {
                progress.advance(f.size()); // never read
            }
        }
        Map<MediaFile, ByteRanges> ranges = new IdentityHashMap<>();
        List<MediaFile> parsed = new ArrayList<>(distinct.size());
        for (MediaFile f : distinct) {
            try {
                AudioPayload.Found found = AudioPayload.of(f.path());
                if (found != null && found.ranges().length() == lengths.get(f)) {
                    ranges.put(f, found.ranges());
                    parsed.add(f);
                    continue;
                }
                problems.add(new Problem(f.path(), "changed while the run went on: left out"));
            } catch (IOException e) {
                problems.add(Problem.of(f.path(), e));
            }
            progress.advance(f.size());
        }
        if (parsed.size() < 2) {
            parsed.forEach(f -> progress.advance(f.size()));
            return List.of();
        }
        List<DuplicateGroup> groups = new ArrayList<>();
        ExactDuplicateFinder.Options options = finder.options();
        for (GroupRefiner.Found found : refiner.refine(parsed, ranges)) {
            for (List<MediaFile> files : bySamplesMd5(found.files())) {
                if (files.size() < 2) {
                    continue;
                }
                ContentHash hash = ContentHash.of(options.hasher().name() + ALGORITHM_SUFFIX, found.hash());
                groups.add(group(files, hash, links, finder, refiner, ranges));
            }
        }
        return groups;
    }

    /**
     * FLAC's cross-check: files whose STREAMINFO holds an MD5 of the decoded samples are split by it (the same frames
     * with another MD5 means a STREAMINFO edited by hand: not taken for the same recording); files without one join
     * the first group.
     */
    private List<List<MediaFile>> bySamplesMd5(List<MediaFile> files) {
        Map<String, List<MediaFile>> bySum = new LinkedHashMap<>();
        List<MediaFile> unknown = new ArrayList<>();
        for (MediaFile f : files) {
            String sum = samplesMd5.get(f);
            if (sum == null) {
                unknown.add(f);
            } else {
                bySum.computeIfAbsent(sum, k -> new ArrayList<>()).add(f);
            }
        }
        if (bySum.size() <= 1) {
            return List.of(files);
        }
        for (List<MediaFile> split : bySum.values()) {
            for (MediaFile f : split) {
                problems.add(new Problem(f.path(), "has the FLAC frames of another file but another MD5 of its "
                        + "samples in STREAMINFO: not taken for the same audio"));
            }
        }
        List<List<MediaFile>> out = new ArrayList<>(bySum.values());
        out.getFirst().addAll(unknown);
        return out;
    }

    /**
     * The group of files with one payload. Files whose bytes outside the payload (their tags) are the same too are
     * plain copies; when some differ, the copy with the fuller tags is kept (after a reference copy) and the others
     * with other bytes are listed as other tags.
     */
    private DuplicateGroup group(List<MediaFile> files, ContentHash hash, Map<MediaFile, List<MediaFile>> links,
                                 ExactDuplicateFinder finder, GroupRefiner refiner, Map<MediaFile, ByteRanges> ranges) {
        KeepPolicy policy = finder.options().keep();
        Map<MediaFile, Object> identity = new IdentityHashMap<>(); // size and hash of the bytes outside the payload
        for (MediaFile f : files) {
            identity.put(f, tagIdentity(f, ranges.get(f), refiner));
        }
        boolean allSame = files.stream().map(identity::get).distinct().count() == 1;
        if (allSame) {
            // Plain copies: the group carries its whole-file hash, as any other group of identical files does (one
            // more read of one file, most likely still in the page cache).
            List<MediaFile> ranked = policy.rank(files);
            ContentHash whole = hash;
            try {
                MediaFile keep = ranked.getFirst();
                whole = ContentHash.of(finder.options().hasher().name(),
                        refiner.hashRanges(keep, ByteRanges.whole(keep.size())));
            } catch (IOException e) {
                // changed or gone since: the sound's hash still names the group, and the executor checks each file
            }
            return finder.toGroup(ranked, policy.reasonFor(ranked.getFirst()), whole, links, List.of());
        }
        Map<MediaFile, Integer> scores = new IdentityHashMap<>();
        for (MediaFile f : files) {
            scores.put(f, tagScore(f));
        }
        List<MediaFile> ranked = policy.rankByTags(files, scores::get);
        MediaFile keep = ranked.getFirst();
        int next = ranked.stream().skip(1).filter(f -> !f.reference() || keep.reference()).mapToInt(scores::get)
                .max().orElse(0);
        List<MediaFile> otherTags = new ArrayList<>();
        for (MediaFile f : ranked) {
            if (f != keep && !identity.get(f).equals(identity.get(keep))) {
                otherTags.add(f);
            }
        }
        return finder.toGroup(ranked, policy.reasonFor(keep, scores.get(keep), next), hash, links, otherTags);
    }

    /** What tells a file's tags apart from another's with the same payload: its size, then a hash of its tag bytes. */
    private static Object tagIdentity(MediaFile f, ByteRanges payload, GroupRefiner refiner) {
        ByteRanges tags = payload.complement(f.size());
        try {
            return List.of(f.size(), java.util.HexFormat.of().formatHex(refiner.hashRanges(f, tags)));
        } catch (IOException e) {
            return List.of(f.size(), Objects.toString(f.path())); // unreadable now: taken for other tags, so no
            // action counts on identical bytes
        }
    }

    private int tagScore(MediaFile f) {
        try {
            return AudioTags.of(f.path()).score();
        } catch (IOException e) {
            return 0;
        }
    }
}
