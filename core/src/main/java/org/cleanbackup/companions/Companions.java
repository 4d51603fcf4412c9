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
import org.cleanbackup.model.MediaType;

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


        /** What it is, for a person: "sidecar" or "Live Photo video". */
        public String label() {
            return kind == Kind.SIDECAR ? "sidecar" : "Live Photo video";
        }
    }

    private record Entry(Path path, String name, long size, long lastModified) {
    }

    /** A folder's regular files, indexed by name without extension (lower case), and its Live Photo pairs. */
    private static final class Folder {
        final Map<String, List<Entry>> sidecarsByStem = new HashMap<>();
        final Map<String, List<Entry>> mediaByStem = new HashMap<>();
        final Map<Path, List<Entry>> videosOfStill = new HashMap<>();

        Folder(List<Entry> entries, LivePhotos livePhotos) {
            Map<Path, Entry> byPath = new HashMap<>();
            List<Path> livePhotoHalves = new ArrayList<>();
            for (Entry e : entries) {
                String stem = LivePhotos.stem(e.name()).toLowerCase(Locale.ROOT);
                if (isSidecar(e.name())) {
                    sidecarsByStem.computeIfAbsent(stem, k -> new ArrayList<>()).add(e);
                } else if (MediaType.ofFileName(e.name()).isPresent()) {
                    mediaByStem.computeIfAbsent(stem, k -> new ArrayList<>()).add(e);
                    String ext = MediaType.extensionOf(e.name());
                    if (LivePhotos.STILLS.contains(ext) || LivePhotos.VIDEOS.contains(ext)) {
                        livePhotoHalves.add(e.path());
                        byPath.put(e.path(), e);
                    }
                }
            }
            boolean anyVideo = livePhotoHalves.stream().anyMatch(p -> LivePhotos.VIDEOS.contains(
                    MediaType.extensionOf(p.getFileName().toString())));
            if (anyVideo) {
                livePhotos.pair(livePhotoHalves, Function.identity()).forEach((video, still) ->
                        videosOfStill.computeIfAbsent(still, k -> new ArrayList<>()).add(byPath.get(video)));
            }
        }
    }

    private final LivePhotos livePhotos;
    private final Map<Path, Folder> folders = new HashMap<>();

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
    static boolean isSidecar(String fileName) {
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
        Folder index = folders.computeIfAbsent(folder, f -> new Folder(list(f), livePhotos));
        String name = media.getFileName().toString();
        String stem = LivePhotos.stem(name);
        List<Entry> videos = index.videosOfStill.getOrDefault(media, List.of());
        // Another media file of the same name (not this file's own Live Photo video) shares an IMG_1.xmp.
        boolean stemShared = index.mediaByStem.getOrDefault(stem.toLowerCase(Locale.ROOT), List.of()).stream()
                .anyMatch(e -> !e.path().equals(media) && !videos.contains(e));
        List<Found> found = new ArrayList<>();
        List<Entry> sidecars = new ArrayList<>(index.sidecarsByStem.getOrDefault(name.toLowerCase(Locale.ROOT),
                List.of()));
        if (!stemShared) {
            sidecars.addAll(index.sidecarsByStem.getOrDefault(stem.toLowerCase(Locale.ROOT), List.of()));
        }
        sidecars.sort(Comparator.comparing(e -> e.name().toLowerCase(Locale.ROOT)));
        for (Entry e : sidecars) {
            String sidecarStem = LivePhotos.stem(e.name());
            found.add(new Found(e.path(), Kind.SIDECAR, e.size(), e.lastModified(),
                    e.name().substring(sidecarStem.length()), sidecarStem.equalsIgnoreCase(name)));
        }
        for (Entry v : videos) {
            String videoStem = LivePhotos.stem(v.name());
            found.add(new Found(v.path(), Kind.LIVE_PHOTO_VIDEO, v.size(), v.lastModified(),
                    videoStem.equalsIgnoreCase(stem) ? v.name().substring(videoStem.length()) : null, false));
        }
        return List.copyOf(found);
    }

    private static List<Entry> list(Path folder) {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
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
    }
}
