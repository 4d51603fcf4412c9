package org.cleanbackup.names;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognizes the names operating systems and sync tools give to copies, and derives the original's name.
 *
 * <table>
 *   <caption>Recognized copy names (case-insensitive)</caption>
 *   <tr><th>made by</th><th>copy of {@code name.jpg}</th></tr>
 *   <tr><td>browsers, Windows, macOS downloads</td><td>{@code name (1).jpg}, {@code name(2).jpg}</td></tr>
 *   <tr><td>Windows Explorer</td><td>{@code name - Copy.jpg}, {@code name - Copy (2).jpg}</td></tr>
 *   <tr><td>Windows XP</td><td>{@code Copy of name.jpg}, {@code Copy (2) of name.jpg}</td></tr>
 *   <tr><td>macOS Finder</td><td>{@code name copy.jpg}, {@code name copy 2.jpg}</td></tr>
 *   <tr><td>GNOME Files</td><td>{@code name (copy).jpg}, {@code name (another copy).jpg}, {@code name (3rd copy).jpg}</td></tr>
 *   <tr><td>KDE Dolphin</td><td>{@code name (Copy).jpg}, {@code name (Copy 2).jpg}</td></tr>
 *   <tr><td>Dropbox, Nextcloud, ownCloud</td><td>{@code name (conflicted copy 2024-01-02).jpg},
 *       {@code name (Ann's conflicted copy 2024-01-02).jpg}, {@code name (conflicted copy 2024-01-02 101010).jpg}</td></tr>
 *   <tr><td>Syncthing</td><td>{@code name.sync-conflict-20240102-101010-ABCDEFG.jpg}</td></tr>
 *   <tr><td>Windows/Explorer in German, French, Spanish, Italian, Dutch</td><td>{@code name - Kopie.jpg},
 *       {@code name - Copie.jpg}, {@code name - copia.jpg}, {@code name - kopie.jpg}</td></tr>
 * </table>
 *
 * <p>A name that merely contains a number in brackets or the word "copy" elsewhere ({@code Track (1) -
 * Intro.mp3}, {@code 2 Copy Machines.jpg}) is not a copy name: the marker must stand where these tools put it.
 * Whether a copy's original really exists is for the caller to check.
 */
public final class CopyNames {

    /** Patterns on the name without its extension; group "base" is the original's name without extension. */
    private static final List<Pattern> STEM_PATTERNS = List.of(
            Pattern.compile("(?<base>.+?) - (?:copy|kopie|copie|copia)(?: \\(\\d{1,3}\\))?", Pattern.CASE_INSENSITIVE),
            Pattern.compile("(?<base>.+?) ?\\(\\d{1,3}\\)"),
            Pattern.compile("copy (?:\\(\\d{1,3}\\) )?of (?<base>.+)", Pattern.CASE_INSENSITIVE),
            Pattern.compile("(?<base>.+?) copy(?: \\d{1,3})?", Pattern.CASE_INSENSITIVE),
            Pattern.compile("(?<base>.+?) \\((?:copy(?: \\d{1,3})?|another copy|\\d{1,3}(?:st|nd|rd|th) copy)\\)",
                    Pattern.CASE_INSENSITIVE),
            Pattern.compile("(?<base>.+?) \\((?:[^()]*'s )?conflicted copy[^()]*\\)", Pattern.CASE_INSENSITIVE),
            Pattern.compile("(?<base>.+?)\\.sync-conflict-\\d{8}-\\d{6}(?:-[A-Z0-9]{7})?"));

    private CopyNames() {
    }

    /**
     * The name the original would have if {@code fileName} is a copy name: {@code "IMG_1 (1).jpg"} gives
     * {@code "IMG_1.jpg"}. Empty when the name is no copy name.
     */
    public static Optional<String> originalName(String fileName) {
        return originalNames(fileName).stream().findFirst();
    }

    /**
     * Every name the original could have, most specific reading first: {@code "x - Copy (2).jpg"} gives
     * {@code "x.jpg"}, then {@code "x - Copy.jpg"} (a "(2)" download of a file that was itself a copy).
     */
    static List<String> originalNames(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String stem = dot > 0 ? fileName.substring(0, dot) : fileName;
        String ext = dot > 0 ? fileName.substring(dot) : "";
        List<String> names = new java.util.ArrayList<>();
        for (Pattern pattern : STEM_PATTERNS) {
            Matcher m = pattern.matcher(stem);
            if (m.matches()) {
                String base = m.group("base").strip();
                if (!base.isEmpty() && !names.contains(base + ext)) {
                    names.add(base + ext);
                }
            }
        }
        return names;
    }
}
