package org.cleanbackup.execute;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Picks names that are not taken: {@code name.ext}, then {@code name_1.ext}, {@code name_2.ext}, ... The answer
 * is only a candidate: whoever creates the file must still create it with CREATE_NEW semantics and ask again
 * if someone else took the name in between.
 */
final class TargetNames {

    private TargetNames() {
    }

    /**
     * The first of {@code wanted}, {@code wanted_1}, ... that exists neither on disk nor in {@code reserved}. The
     * name chosen is added to {@code reserved}.
     */
    static Path free(Path wanted, Set<Path> reserved) {
        return free(wanted, reserved, List.of());
    }

    /**
     * The first of {@code wanted}, {@code wanted_1}, ... that is free and whose companions' names (each of
     * {@code companions} applied to it: {@code x_1.jpg} gives {@code x_1.xmp}) are free too, so a file and its
     * sidecars keep one name. The name and its companions' names are added to {@code reserved}.
     */
    static Path free(Path wanted, Set<Path> reserved, List<UnaryOperator<Path>> companions) {
        Path candidate = wanted;
        for (int i = 1; !allFree(candidate, reserved, companions); i++) {
            candidate = numbered(wanted, i);
        }
        reserved.add(candidate);
        for (UnaryOperator<Path> c : companions) {
            reserved.add(c.apply(candidate));
        }
        return candidate;
    }

    private static boolean allFree(Path candidate, Set<Path> reserved, List<UnaryOperator<Path>> companions) {
        if (taken(candidate, reserved)) {
            return false;
        }
        for (UnaryOperator<Path> c : companions) {
            if (taken(c.apply(candidate), reserved)) {
                return false;
            }
        }
        return true;
    }

    private static boolean taken(Path path, Set<Path> reserved) {
        return reserved.contains(path) || Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    }

    private static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /**
     * {@code photo.jpg} with n = 2 gives {@code photo_2.jpg}; a name without extension gets {@code _2} appended. The
     * name stays within 255 bytes of UTF-8: the stem is shortened, by whole characters.
     */
    static Path numbered(Path path, int n) {
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot <= 0 ? name : name.substring(0, dot);
        String ext = dot <= 0 ? "" : name.substring(dot);
        // An "extension" that leaves no room for one character of the stem beside the number is no extension
        // ("Dr. Who and the ..."): the whole name gives way, or the name would be lost or too long to create.
        if (!ext.isEmpty() && utf8Length(stem.substring(0, stem.offsetByCodePoints(0, 1)) + "_" + n + ext) > 255) {
            stem = name;
            ext = "";
        }
        String suffix = "_" + n + ext;
        // Most file systems allow 255 bytes a name: shorten the stem, never the number or the extension.
        while (!stem.isEmpty() && utf8Length(stem + suffix) > 255) {
            stem = stem.substring(0, stem.offsetByCodePoints(stem.length(), -1));
        }
        return path.resolveSibling(stem + suffix);
    }
}
