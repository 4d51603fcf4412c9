package org.cleanbackup.organize;

import com.drew.imaging.FileType;
import com.drew.imaging.FileTypeDetector;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cleanbackup.model.MediaType;

/**
 * Whether a file named as a photo or video holds one. A text file or a song named {@code .jpg} has no date inside:
 * filed by its file time it would land in a wrong month as if it were a photo. Its first bytes say what it is
 * (metadata-extractor's signature table); only extensions whose formats that table knows are checked, so a format it
 * does not know (MKV, MTS, WMV) is never called "not a video".
 */
final class ContentCheck {

    /** Extension to the file types it may hold (TIFF-based RAW files are detected as their own type or TIFF). */
    private static final Map<String, Set<FileType>> EXPECTED = Map.ofEntries(
            Map.entry("jpg", Set.of(FileType.Jpeg)), Map.entry("jpeg", Set.of(FileType.Jpeg)),
            Map.entry("jpe", Set.of(FileType.Jpeg)), Map.entry("png", Set.of(FileType.Png)),
            Map.entry("gif", Set.of(FileType.Gif)), Map.entry("bmp", Set.of(FileType.Bmp)),
            Map.entry("webp", Set.of(FileType.WebP, FileType.Riff)),
            Map.entry("tif", Set.of(FileType.Tiff)), Map.entry("tiff", Set.of(FileType.Tiff)),
            Map.entry("heic", Set.of(FileType.Heif, FileType.QuickTime, FileType.Mp4)),
            Map.entry("heif", Set.of(FileType.Heif, FileType.QuickTime, FileType.Mp4)),
            Map.entry("avif", Set.of(FileType.Heif, FileType.QuickTime, FileType.Mp4)),
            Map.entry("mov", Set.of(FileType.QuickTime, FileType.Mp4, FileType.Heif)),
            Map.entry("mp4", Set.of(FileType.QuickTime, FileType.Mp4, FileType.Heif)),
            Map.entry("m4v", Set.of(FileType.QuickTime, FileType.Mp4)),
            Map.entry("3gp", Set.of(FileType.QuickTime, FileType.Mp4)),
            Map.entry("avi", Set.of(FileType.Avi, FileType.Riff)));

    private ContentCheck() {
    }

    /**
     * Why {@code file} is not what its extension says (one line: "not a photo although named .jpg: its content is
     * MP3 audio"), or empty when it is, or when its kind cannot be checked here.
     */
    static Optional<String> mismatch(Path file) throws IOException {
        String extension = MediaType.extensionOf(file.getFileName().toString());
        Set<FileType> expected = EXPECTED.get(extension);
        if (expected == null) {
            return Optional.empty();
        }
        FileType actual;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 4096)) {
            actual = FileTypeDetector.detectFileType((BufferedInputStream) in);
        }
        if (expected.contains(actual)) {
            return Optional.empty();
        }
        String kind = MediaType.ofFileName(file.getFileName().toString()).orElse(MediaType.IMAGE) == MediaType.VIDEO
                ? "video" : "photo";
        String content = actual == FileType.Unknown ? "its content is not a format this tool knows"
                : "its content is " + actual.getLongName();
        return Optional.of("not a " + kind + " although named ." + extension + ": " + content + "; left out");
    }
}
