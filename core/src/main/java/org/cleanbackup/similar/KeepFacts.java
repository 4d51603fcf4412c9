package org.cleanbackup.similar;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cleanbackup.cache.HashCache;
import org.cleanbackup.dates.CaptureDate;
import org.cleanbackup.dates.CaptureDates;
import org.cleanbackup.model.MediaFile;

/**
 * What the keep rule and the report need of one image ({@link ImageFacts} and its capture date), read once and
 * then kept in the {@link HashCache} beside its perceptual hash: same key (device and inode, trusted only while size
 * and modification time are unchanged), under {@link #VERSION}. A second run over an unchanged tree then opens no
 * image to rank it.
 *
 * <p>Only what comes from the file's bytes is cached. What comes from its name or its times is worked out again on
 * every run, because a renamed file keeps its inode: whether its extension is a camera format, and, for an image
 * whose metadata holds no date, the date in its name or its modification time.
 */
final class KeepFacts {

    /**
     * The version of what is cached; part of the key, so entries of another definition are misses. Bump it when
     * {@link ImageFacts#of} or the capture date's reading changes what it finds.
     */
    static final String VERSION = "keep-facts-v1";

    /** What the ranking needs of one image: its facts and its capture date ({@link LocalDateTime#MAX} if unknown). */
    record Facts(ImageFacts image, LocalDateTime taken) {
    }

    /** Reads an image's facts and capture date from the file (a test counts or replaces the reads). */
    interface Reader {
        /** The facts of the image's header and metadata. */
        ImageFacts image(Path file);

        /** Its capture date, as {@link CaptureDates#read(Path)} gives it. */
        CaptureDate date(Path file) throws IOException;
    }

    /** The reader of the files themselves. */
    static Reader files(CaptureDates dates) {
        return new Reader() {
            @Override
            public ImageFacts image(Path file) {
                return ImageFacts.of(file);
            }

            @Override
            public CaptureDate date(Path file) throws IOException {
                return dates.read(file);
            }
        };
    }

    private final Reader reader;
    private final CaptureDates dates;

    KeepFacts(Reader reader, CaptureDates dates) {
        this.reader = reader;
        this.dates = dates;
    }

    /**
     * The facts of {@code files}: from {@code cached} (the values found under {@link #VERSION}, looked up with the
     * hashes) for an unchanged file, else read, and stored in {@code cache} (may be null).
     */
    Map<MediaFile, Facts> of(List<MediaFile> files, Map<MediaFile, String> cached, HashCache cache) {
        Map<MediaFile, Facts> facts = new HashMap<>();
        for (MediaFile f : files) {
            String value = cached.get(f);
            Facts known = value == null ? null : decode(value, f);
            if (known == null) {
                known = read(f, cache);
            }
            facts.put(f, known);
        }
        if (cache != null) {
            cache.flush();
        }
        return facts;
    }

    private Facts read(MediaFile f, HashCache cache) {
        ImageFacts image = reader.image(f.path());
        CaptureDate date;
        try {
            date = reader.date(f.path());
        } catch (IOException e) {
            return new Facts(image, LocalDateTime.MAX); // unreadable now: not remembered
        }
        boolean embedded = date.source() != CaptureDate.Source.FILE_NAME
                && date.source() != CaptureDate.Source.FILE_TIME;
        LocalDateTime taken = embedded ? date.localTime() : nameOrTime(f);
        if (cache != null) {
            cache.store(f, VERSION, encode(image, embedded ? date.localTime() : null));
        }
        return new Facts(image, taken);
    }

    /**
     * The date of an image whose metadata has none, from its name or the modification time the scan saw (so a
     * first run and a cached one give the same date, to the millisecond).
     */
    private LocalDateTime nameOrTime(MediaFile f) {
        return dates.fromNameOrTime(f.path(), Instant.ofEpochMilli(f.lastModified()), null).localTime();
    }

    /**
     * The cached value: the facts from the file's bytes, and its embedded capture date or null. Seven fields
     * separated by tabs; text fields escaped (backslash, tab, line breaks), a missing one empty (the facts never
     * hold an empty text: {@link ImageFacts#of} makes it null). Read back faster than JSON, which counts on a second
     * run over many thousand files.
     */
    static String encode(ImageFacts image, LocalDateTime embeddedDate) {
        return String.join("\t", Long.toString(image.pixels()), escape(image.camera()), flag(image.shutterDate()),
                escape(image.editor()), flag(image.resized()), flag(image.damaged()),
                embeddedDate == null ? "" : embeddedDate.toString());
    }

    /** The facts of a cached value for {@code f}; null when the value cannot be read (then the file is read). */
    Facts decode(String value, MediaFile f) {
        String[] v = value.split("\t", -1);
        if (v.length != 7) {
            return null;
        }
        try {
            ImageFacts image = new ImageFacts(Long.parseLong(v[0]), unescape(v[1]), flag(v[2]),
                    ImageFacts.cameraFormat(f.path()), unescape(v[3]), flag(v[4]), flag(v[5]));
            return new Facts(image, v[6].isEmpty() ? nameOrTime(f) : LocalDateTime.parse(v[6]));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String flag(boolean b) {
        return b ? "1" : "0";
    }

    private static boolean flag(String s) {
        return switch (s) {
            case "1" -> true;
            case "0" -> false;
            default -> throw new IllegalArgumentException("not a flag: " + s);
        };
    }

    private static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String unescape(String s) {
        if (s.isEmpty()) {
            return null;
        }
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i == s.length()) {
                throw new IllegalArgumentException("a lone backslash at the end");
            }
            out.append(switch (s.charAt(i)) {
                case 't' -> '\t';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case '\\' -> '\\';
                default -> throw new IllegalArgumentException("unknown escape \\" + s.charAt(i));
            });
        }
        return out.toString();
    }
}
