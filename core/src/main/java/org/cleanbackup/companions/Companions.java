package org.cleanbackup.companions;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.cleanbackup.plan.Action;
import org.cleanbackup.scan.MediaType;

/**
 * Finds the files that belong to a media file and should travel with it: its sidecars and its Live Photo video.
 *
 * <p>A sidecar ({@link #SIDECARS}) belongs to a media file of its folder when it carries the file's whole name
 * ({@code IMG_1.HEIC.xmp}), or its name without extension ({@code IMG_1.xmp}) when no other media file of the folder
 * has that name (a RAW and a JPEG of one name share it: it stays with neither). A Live Photo video belongs to its
 * still as {@link LivePhotos} pairs them: by Apple's content identifier, by name when the video has none. Names are
 * compared ignoring case, as organize does. Only regular files count (links are not followed); a folder that cannot
 * be read has no companions: nothing of it is moved.
 *
 * <p>Folders are listed once and remembered, so an instance is meant for one plan.
 */
public final class Companions {

    /** Files that travel with a media file of the same name: .xmp (Lightroom, darktable), .aae (Apple edits), .thm. */
    public static final Set<String> SIDECARS = Set.of("xmp", "aae", "thm");

    /** What a companion is. */
    public enum Kind {
        /** A {@code .xmp}, {@code .aae} or {@code .thm} file. */
        SIDECAR,
        /** The video half of a Live Photo. */
        LIVE_PHOTO_VIDEO
    }

    /**
     * A companion of a media file.
     *
     * @param path          where it is
     * @param kind          sidecar or Live Photo video
     * @param size          its size when found
     * @param lastModified  its modification time when found (ms)
     * @param suffix        what follows the media file's name in its name ({@code ".xmp"}), or null when its name
     *                      does not follow the media file's (a Live Photo video paired by content identifier)
     * @param afterFullName whether the suffix follows the media file's whole name or its name without extension
     */
    public record Found(Path path, Kind kind, long size, long lastModified, String suffix, boolean afterFullName) {
        public Found {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(kind, "kind");
        }

        /** The file name. */
        public String name() {
            return path.getFileName().toString();
        }

        /** Its sort, for comparing with another file's companions: "xmp", "aae", "thm" or "live photo video". */
        public String sort() {
            return kind == Kind.LIVE_PHOTO_VIDEO ? "live photo video" : MediaType.extensionOf(name());
        }

        /** The tie that makes it follow {@code media}'s action ({@code givenToKept}: a copy for the copy kept). */
        public Action.Companion tie(Path media, boolean givenToKept) {
            return new Action.Companion(media, suffix, afterFullName, givenToKept);
        }

        /** What it is, for a person: "sidecar" or "Live Photo video". */
        public String label() {
            return kind == Kind.SIDECAR ? "sidecar" : "Live Photo video";
        }
    }

    private record Entry(Path path, String name, long size, long lastModified) {
    }

    private final LivePhotos livePhotos;
    private final Map<Path, List<Entry>> folders = new HashMap<>();
    private final Map<Path, Map<Path, Path>> stillOfVideo = new HashMap<>();

    /** Reads Live Photo identifiers from the files' metadata. */
    public Companions() {
        this(new LivePhotos());
    }

    /** Reads Live Photo identifiers with {@code identifiers} (tests). */
    public Companions(Function<Path, Optional<String>> identifiers) {
        this(new LivePhotos(identifiers));
    }

    private Companions(LivePhotos livePhotos) {
        this.livePhotos = livePhotos;
    }

    /** Whether a file name is a sidecar's ({@code .xmp}, {@code .aae}, {@code .thm}, any case). */
    public static boolean isSidecar(String fileName) {
        return SIDECARS.contains(MediaType.extensionOf(fileName));
    }

    /**
     * The companions of a media file, sidecars first, then its Live Photo video; each by name. Never null.
     *
     * @param media a media file's path (absolute, normalized)
     */
    public List<Found> of(Path media) {
        Path folder = media.getParent();
        if (folder == null) {
            return List.of();
        }
        List<Entry> entries = list(folder);
        String name = media.getFileName().toString();
        String stem = LivePhotos.stem(name);
        Map<Path, Path> stills = stillOfVideo.computeIfAbsent(folder, f -> livePhotos.pair(entries.stream()
                .map(Entry::path).filter(p -> {
                    String ext = MediaType.extensionOf(p.getFileName().toString());
                    return LivePhotos.STILLS.contains(ext) || LivePhotos.VIDEOS.contains(ext);
                }).toList(), Function.identity()));
        List<Entry> videos = entries.stream().filter(e -> media.equals(stills.get(e.path()))).toList();
        // Another media file of the same name (not this file's own Live Photo video) shares an IMG_1.xmp.
        boolean stemShared = entries.stream().anyMatch(e -> !e.path().equals(media) && !videos.contains(e)
                && MediaType.ofFileName(e.name()).isPresent() && LivePhotos.stem(e.name()).equalsIgnoreCase(stem));
        List<Found> found = new ArrayList<>();
        for (Entry e : entries) {
            if (!isSidecar(e.name())) {
                continue;
            }
            String sidecarStem = LivePhotos.stem(e.name());
            boolean full = sidecarStem.equalsIgnoreCase(name);
            if (full || (!stemShared && sidecarStem.equalsIgnoreCase(stem))) {
                found.add(new Found(e.path(), Kind.SIDECAR, e.size(), e.lastModified(),
                        e.name().substring(sidecarStem.length()), full));
            }
        }
        for (Entry v : videos) {
            String videoStem = LivePhotos.stem(v.name());
            found.add(new Found(v.path(), Kind.LIVE_PHOTO_VIDEO, v.size(), v.lastModified(),
                    videoStem.equalsIgnoreCase(stem) ? v.name().substring(videoStem.length()) : null, false));
        }
        return List.copyOf(found);
    }

    private List<Entry> list(Path folder) {
        return folders.computeIfAbsent(folder, f -> {
            List<Entry> entries = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(f)) {
                for (Path p : stream) {
                    try {
                        BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class,
                                LinkOption.NOFOLLOW_LINKS);
                        if (attrs.isRegularFile()) {
                            entries.add(new Entry(p, p.getFileName().toString(), attrs.size(),
                                    attrs.lastModifiedTime().toMillis()));
                        }
                    } catch (IOException e) {
                        // vanished or unreadable: not a companion, it stays where it is
                    }
                }
            } catch (IOException e) {
                return List.of(); // nothing found, nothing moved
            }
            entries.sort(Comparator.comparing(e -> e.name().toLowerCase(Locale.ROOT)));
            return entries;
        });
    }
}
