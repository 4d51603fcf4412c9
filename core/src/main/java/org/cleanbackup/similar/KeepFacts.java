package org.cleanbackup.similar;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
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

    private static final JsonFactory JSON = new JsonFactory();

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

    /** The facts of {@code files}: from {@code cache} (may be null) for an unchanged file, else read and stored. */
    Map<MediaFile, Facts> of(List<MediaFile> files, HashCache cache) {
        Map<MediaFile, Facts> facts = new HashMap<>();
        Map<MediaFile, String> cached = cache == null ? Map.of() : cache.lookupAll(files, VERSION);
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

    /** The cached value: the facts from the file's bytes, and its embedded capture date or null. */
    static String encode(ImageFacts image, LocalDateTime embeddedDate) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartArray();
            g.writeNumber(image.pixels());
            g.writeString(image.camera());
            g.writeBoolean(image.shutterDate());
            g.writeString(image.editor());
            g.writeBoolean(image.resized());
            g.writeBoolean(image.damaged());
            g.writeString(embeddedDate == null ? null : embeddedDate.toString());
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /** The facts of a cached value for {@code f}; null when the value cannot be read (then the file is read). */
    Facts decode(String value, MediaFile f) {
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                return null;
            }
            long pixels = nextLong(p);
            String camera = nextString(p);
            boolean shutterDate = nextBoolean(p);
            String editor = nextString(p);
            boolean resized = nextBoolean(p);
            boolean damaged = nextBoolean(p);
            String date = nextString(p);
            if (p.nextToken() != JsonToken.END_ARRAY) {
                return null;
            }
            ImageFacts image = new ImageFacts(pixels, camera, shutterDate, ImageFacts.cameraFormat(f.path()), editor,
                    resized, damaged);
            return new Facts(image, date == null ? nameOrTime(f) : LocalDateTime.parse(date));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long nextLong(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
            throw new IOException("not a number");
        }
        return p.getLongValue();
    }

    private static String nextString(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw new IOException("not a string");
        }
        return p.getText();
    }

    private static boolean nextBoolean(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
            throw new IOException("not a boolean");
        }
        return t == JsonToken.VALUE_TRUE;
    }
}
