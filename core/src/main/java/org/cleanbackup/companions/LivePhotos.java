package org.cleanbackup.companions;

import com.drew.metadata.Metadata;
import com.drew.metadata.exif.makernotes.AppleMakernoteDirectory;
import com.drew.metadata.mov.metadata.QuickTimeMetadataDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.cleanbackup.metadata.EmbeddedMetadata;
import org.cleanbackup.model.MediaType;

/**
 * Pairs each Live Photo video with its still. Apple gives both halves one content identifier
 * ({@code com.apple.quicktime.content.identifier} in the MOV, MakerNote ContentIdentifier in the HEIC or JPEG), which
 * survives renaming: a video is paired with the still of its folder that has its identifier, whatever their names. A
 * video without one (not from an iPhone, or stripped) falls back to the name: the still of the same name in the same
 * folder. A same-name still whose identifier differs belongs to another video: not paired.
 *
 * <p>Only videos are read up front (few); a folder's stills are read only for a video whose identifier the
 * same-name still does not carry.
 *
 * <p>Organize files a video beside its still; dedupe moves it with a duplicate still ({@link Companions}).
 */
public final class LivePhotos {

    /** Extensions (lower case) of Live Photo stills. */
    static final Set<String> STILLS = Set.of("heic", "heif", "jpg", "jpeg");
    /** Extensions (lower case) of Live Photo videos. */
    public static final Set<String> VIDEOS = Set.of("mov", "mp4");

    private final Function<Path, Optional<String>> identifiers;
    private final Map<Path, Optional<String>> read = new HashMap<>();

    /** Reads identifiers from the files' metadata. */
    public LivePhotos() {
        this(LivePhotos::identifierOf);
    }

    /** Reads identifiers with {@code identifiers} (tests). */
    LivePhotos(Function<Path, Optional<String>> identifiers) {
        this.identifiers = identifiers;
    }

    /**
     * Live Photo videos mapped to their still.
     *
     * @param files the files, stills and videos among others
     * @param path  the path of a file
     * @param <F>   what a file is (a scanned {@code MediaFile}, a path)
     * @return each paired video mapped to its still; never null
     */
    public <F> Map<F, F> pair(List<F> files, Function<F, Path> path) {
        Map<Path, List<F>> stillsByFolder = new HashMap<>();
        Map<String, F> stillsByName = new HashMap<>();
        for (F f : files) {
            String name = path.apply(f).getFileName().toString();
            if (STILLS.contains(MediaType.extensionOf(name))) {
                stillsByFolder.computeIfAbsent(path.apply(f).getParent(), k -> new ArrayList<>()).add(f);
                stillsByName.put(key(path.apply(f).getParent(), stem(name)), f);
            }
        }
        Map<F, F> pairs = new HashMap<>();
        for (F video : files) {
            Path videoPath = path.apply(video);
            String name = videoPath.getFileName().toString();
            if (!VIDEOS.contains(MediaType.extensionOf(name))) {
                continue;
            }
            F sameName = stillsByName.get(key(videoPath.getParent(), stem(name)));
            Optional<String> id = identifier(videoPath);
            if (id.isEmpty()) {
                if (sameName != null) {
                    pairs.put(video, sameName);
                }
                continue;
            }
            if (sameName != null) {
                Optional<String> stillId = identifier(path.apply(sameName));
                if (stillId.isEmpty() || stillId.equals(id)) {
                    pairs.put(video, sameName);
                    continue;
                }
            }
            for (F still : stillsByFolder.getOrDefault(videoPath.getParent(), List.of())) {
                if (still != sameName && identifier(path.apply(still)).equals(id)) {
                    pairs.put(video, still);
                    break;
                }
            }
        }
        return pairs;
    }

    private Optional<String> identifier(Path file) {
        return read.computeIfAbsent(file, identifiers);
    }

    /** The content identifier in a file's metadata (upper case), if any; a file that cannot be read has none. */
    static Optional<String> identifierOf(Path file) {
        try {
            Optional<Metadata> metadata = EmbeddedMetadata.read(file).metadata();
            if (metadata.isEmpty()) {
                return Optional.empty();
            }
            for (QuickTimeMetadataDirectory d : metadata.get().getDirectoriesOfType(QuickTimeMetadataDirectory.class)) {
                String id = d.getString(QuickTimeMetadataDirectory.TAG_CONTENT_IDENTIFIER);
                if (id != null && !id.isBlank()) {
                    return Optional.of(id.strip().toUpperCase(Locale.ROOT));
                }
            }
            for (AppleMakernoteDirectory d : metadata.get().getDirectoriesOfType(AppleMakernoteDirectory.class)) {
                String id = d.getString(AppleMakernoteDirectory.TAG_CONTENT_IDENTIFIER);
                if (id != null && !id.isBlank()) {
                    return Optional.of(id.strip().toUpperCase(Locale.ROOT));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The name without its last extension: {@code IMG_1} for {@code IMG_1.HEIC}, {@code IMG_1.HEIC} for {@code IMG_1.HEIC.xmp}. */
    public static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** A key for a name in a folder that ignores the name's case. */
    public static String key(Path folder, String name) {
        return folder + "/" + name.toLowerCase(Locale.ROOT);
    }
}
