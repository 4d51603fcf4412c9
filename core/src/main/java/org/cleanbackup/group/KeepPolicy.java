package org.cleanbackup.group;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.cleanbackup.model.MediaFile;

/**
 * Which copy of a group of identical files to keep when no reference folder decides it. Files in a reference
 * folder always come first, whatever the policy.
 */
public enum KeepPolicy {
    /** The file with the oldest modification time (the most likely original). The default. */
    OLDEST(Comparator.comparingLong(MediaFile::lastModified), true, "oldest modification time"),
    /** The file with the newest modification time. */
    NEWEST(Comparator.comparingLong(MediaFile::lastModified).reversed(), true, "newest modification time"),
    /** The file with the shortest path (fewest characters), for instance not the one nested in "old/backup (2)". */
    SHORTEST_PATH(Comparator.comparingInt(f -> f.path().toString().length()), true, "shortest path"),
    /** The first file found: roots in the order given, then walk order. */
    FIRST((a, b) -> 0, false, "found first");

    private final String reason;
    /** The whole order {@link #rank} sorts by, built once: a dedupe run ranks tens of thousands of groups. */
    private final Comparator<MediaFile> ranking;

    /** {@code tieByPath}: the last tie-break is path order (same choice on every run), else walk order. */
    KeepPolicy(Comparator<MediaFile> order, boolean tieByPath, String reason) {
        this.reason = reason;
        Comparator<MediaFile> ranking = Comparator.comparing((MediaFile f) -> !f.reference()).thenComparing(order)
                .thenComparing(KeepPolicy::hasCopyName);
        this.ranking = tieByPath ? ranking.thenComparing(f -> f.path().toString()) : ranking;
    }

    /** Parses a user's name for the policy: "oldest", "shortest-path", ... */
    public static KeepPolicy parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown keep policy '" + name
                    + "' (expected oldest, newest, shortest-path or first)");
        }
    }

    /** The user-facing name, for example "shortest-path". */
    public String userName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Sorts the files so the one to keep comes first: reference files first, then this policy, then a plain name
     * before an OS copy name ({@code x.jpg} before {@code x (1).jpg}), then path order so that the choice is the
     * same on every run.
     */
    List<MediaFile> rank(List<MediaFile> files) {
        List<MediaFile> ranked = new ArrayList<>(files);
        ranked.sort(ranking);
        return ranked;
    }

    /** Whether the file's name is an OS copy name; such a file is the worse choice to keep, all else equal. */
    public static boolean hasCopyName(MediaFile f) {
        return org.cleanbackup.names.CopyNames.originalName(f.path().getFileName().toString()).isPresent();
    }

    /**
     * The files in this policy's order (reference files first, ties by path), for other finders that keep one
     * copy of a group, such as similar images.
     */
    public List<MediaFile> rankFiles(List<MediaFile> files) {
        return rank(files);
    }

    /**
     * Sorts copies of one recording whose tags differ so that the one to keep comes first: reference files first,
     * then the fuller tags ({@code tagScore}, higher first: the copy a person took the trouble to tag), then this
     * policy as in {@link #rank}.
     */
    List<MediaFile> rankByTags(List<MediaFile> files, java.util.function.ToIntFunction<MediaFile> tagScore) {
        List<MediaFile> ranked = new ArrayList<>(files);
        ranked.sort(Comparator.comparing((MediaFile f) -> !f.reference())
                .thenComparing(Comparator.comparingInt(tagScore).reversed()).thenComparing(ranking));
        return ranked;
    }

    /**
     * Why the first file of a group ranked by {@link #rankByTags} was kept: the reference folder, its fuller tags
     * ({@code score} against the next copy's), or this policy.
     */
    String reasonFor(MediaFile kept, int score, int nextScore) {
        if (kept.reference() || score <= nextScore) {
            return reasonFor(kept);
        }
        return "fuller tags (" + score + " fields, the next copy " + nextScore + ")";
    }

    /** Why the first file of a ranked group was kept. */
    String reasonFor(MediaFile kept) {
        return kept.reference() ? "in reference folder " + kept.root() : reason;
    }
}
