package org.cleanbackup.organize;

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
import org.cleanbackup.scan.MediaFile;
import org.cleanbackup.scan.MediaType;

/**
 * Pairs each Live Photo video with its still. Apple gives both halves one content identifier
 * ({@code com.apple.quicktime.content.identifier} in the MOV, MakerNote ContentIdentifier in the HEIC or JPEG), which
 * survives renaming: a video is paired with the still of its folder that has its identifier, whatever their names. A
 * video without one (not from an iPhone, or stripped) falls back to the name: the still of the same name in the same
 * folder. A same-name still whose identifier differs belongs to another video: not paired.
 *
 * <p>Only videos are read up front (few); a folder's stills are read only for a video whose identifier the
 * same-name still does not carry.
 */
final class LivePhotos {

    static final Set<String> STILLS = Set.of("heic", "heif", "jpg", "jpeg");
    static final Set<String> VIDEOS = Set.of("mov", "mp4");

    private final Function<Path, Optional<String>> identifiers;
    private final Map<Path, Optional<String>> read = new HashMap<>();

    /** Reads identifiers from the files' metadata. */
    LivePhotos() {
        this(LivePhotos::identifierOf);
    }

    /** Reads identifiers with {@code identifiers} (tests). */
    LivePhotos(Function<Path, Optional<String>> identifiers) {
        this.identifiers = identifiers;
    }

    /** Live Photo videos mapped to their still. */
    Map<MediaFile, MediaFile> pair(List<MediaFile> files) {
        Map<Path, List<MediaFile>> stillsByFolder = new HashMap<>();
        Map<String, MediaFile> stillsByName = new HashMap<>();
        for (MediaFile f : files) {
            String name = f.path().getFileName().toString();
            if (STILLS.contains(MediaType.extensionOf(name))) {
                stillsByFolder.computeIfAbsent(f.path().getParent(), k -> new ArrayList<>()).add(f);
                stillsByName.put(key(f.path().getParent(), stem(name)), f);
            }
        }
        Map<MediaFile, MediaFile> pairs = new HashMap<>();
        for (MediaFile video : files) {
            String name = video.path().getFileName().toString();
            if (!VIDEOS.contains(MediaType.extensionOf(name))) {
                continue;
            }
            MediaFile sameName = stillsByName.get(key(video.path().getParent(), stem(name)));
            Optional<String> id = identifier(video.path());
            if (id.isEmpty()) {
                if (sameName != null) {
                    pairs.put(video, sameName);
                }
                continue;
            }
            if (sameName != null) {
                Optional<String> stillId = identifier(sameName.path());
                if (stillId.isEmpty() || stillId.equals(id)) {
                    pairs.put(video, sameName);
                    continue;
                }
            }
            for (MediaFile still : stillsByFolder.getOrDefault(video.path().getParent(), List.of())) {
                if (still != sameName && identifier(still.path()).equals(id)) {
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

    /** The content identifier in a file's metadata, if any; a file that cannot be read has none. */
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

    static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    static String key(Path folder, String name) {
        return folder + "/" + name.toLowerCase(Locale.ROOT);
    }
}
