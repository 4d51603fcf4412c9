package org.cleanbackup.model;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The kinds of media a scan can select, each a fixed, documented set of file-name extensions (compared
 * case-insensitively).
 */
public enum MediaType {
    /** Music and other sound: mp3, flac, m4a, aac, ogg, opus, wav, wma, aiff, aif, alac, ape, wv, mka. */
    AUDIO(Set.of("mp3", "flac", "m4a", "aac", "ogg", "oga", "opus", "wav", "wma", "aiff", "aif", "alac", "ape", "wv", "mka")),
    /** Still images, including camera RAW and Apple HEIC. */
    IMAGE(Set.of("jpg", "jpeg", "jpe", "png", "gif", "bmp", "webp", "tif", "tiff", "heic", "heif", "avif",
            "raf", "nef", "cr2", "cr3", "arw", "dng", "orf", "rw2", "pef", "srw")),
    /** Video: mp4, mov, m4v, avi, mkv, 3gp, mts, m2ts, wmv, webm, mpg, mpeg. */
    VIDEO(Set.of("mp4", "mov", "m4v", "avi", "mkv", "3gp", "3g2", "mts", "m2ts", "wmv", "webm", "mpg", "mpeg"));

    private final Set<String> extensions;

    MediaType(Set<String> extensions) {
        this.extensions = extensions;
    }

    /** The lower-case extensions, without dots, that belong to this type. */
    public Set<String> extensions() {
        return extensions;
    }

    /** The extensions of all the given types. */
    public static Set<String> extensionsOf(Set<MediaType> types) {
        var all = new java.util.HashSet<String>();
        for (MediaType type : types) {
            all.addAll(type.extensions);
        }
        return Set.copyOf(all);
    }

    /** The type whose extension set holds this file name's extension, if any. */
    public static java.util.Optional<MediaType> ofFileName(String fileName) {
        String ext = extensionOf(fileName);
        for (MediaType type : values()) {
            if (type.extensions.contains(ext)) {
                return java.util.Optional.of(type);
            }
        }
        return java.util.Optional.empty();
    }

    /** Parses a user's name for a type ("audio", "Image", ...). */
    public static MediaType parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown media type '" + name + "' (expected audio, image or video)");
        }
    }

    /** All types. */
    public static Set<MediaType> all() {
        return EnumSet.allOf(MediaType.class);
    }

    /** The lower-case extension of a file name without the dot, or "" when it has none. */
    public static String extensionOf(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot <= 0 || dot == fileName.length() - 1 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
