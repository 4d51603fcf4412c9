package org.cleanbackup.plan;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * Picks names that are not taken: {@code name.ext}, then {@code name_1.ext}, {@code name_2.ext}, ... The answer
 * is only a candidate: whoever creates the file must still create it with CREATE_NEW semantics and ask again
 * if someone else took the name in between.
 */
public final class TargetNames {

    private TargetNames() {
    }

    /**
     * The first of {@code wanted}, {@code wanted_1}, ... that exists neither on disk nor in {@code reserved}. The
     * name chosen is added to {@code reserved}.
     */
    public static Path free(Path wanted, Set<Path> reserved) {
        Path candidate = wanted;
        for (int i = 1; reserved.contains(candidate) || Files.exists(candidate, LinkOption.NOFOLLOW_LINKS); i++) {
            candidate = numbered(wanted, i);
        }
        reserved.add(candidate);
        return candidate;
    }

    private static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /** {@code photo.jpg} with n = 2 gives {@code photo_2.jpg}; a name without extension gets {@code _2} appended. */
    public static Path numbered(Path path, int n) {
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot <= 0 ? name : name.substring(0, dot);
        String ext = dot <= 0 ? "" : name.substring(dot);
        String suffix = "_" + n + ext;
        // Most file systems allow 255 bytes a name: shorten the stem, never the number or the extension.
        while (!stem.isEmpty() && utf8Length(stem + suffix) > 255) {
            stem = stem.substring(0, stem.offsetByCodePoints(stem.length(), -1));
        }
        return path.resolveSibling(stem + suffix);
    }
}
