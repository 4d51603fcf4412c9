package org.cleanbackup.fingerprint;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the keep rule of similar audio reads from a file, as FFmpeg reports it while decoding it for the fingerprint
 * (so it costs no second reading).
 *
 * @param codec       the decoder's name ({@code mp3}, {@code flac}, {@code aac}, ...), or {@code ""} if unknown
 * @param lossless    whether the codec is lossless (FLAC, ALAC, WavPack, PCM, ...)
 * @param bitrate     the audio stream's bit rate in kbit/s, or the whole file's when the stream states none; 0 if
 *                    unknown
 * @param tags        how many of the standard fields (title, artist, album, album artist, track, disc, date, genre,
 *                    composer, comment) hold a value, plus one for a cover picture: as exact mode counts them
 * @param durationMillis the length FFmpeg states, in milliseconds, or -1
 */
public record AudioFacts(String codec, boolean lossless, int bitrate, int tags, long durationMillis) {

    private static final Set<String> LOSSLESS = Set.of("flac", "alac", "wavpack", "ape", "tta", "mlp", "truehd",
            "shorten", "mp4als", "tak", "wmalossless");

    /**
     * FFmpeg's names for the standard fields that {@code org.cleanbackup.metadata.AudioTags} counts in exact mode
     * (title, artist, album, album artist, track, disc, date, genre, composer, comment), with the spellings some
     * containers keep: both modes count fullness the same way. Encoder, brands and the like do not count.
     */
    private static final Map<String, String> STANDARD = Map.ofEntries(Map.entry("title", "title"),
            Map.entry("artist", "artist"), Map.entry("album", "album"), Map.entry("album_artist", "album_artist"),
            Map.entry("albumartist", "album_artist"), Map.entry("album artist", "album_artist"),
            Map.entry("track", "track"), Map.entry("tracknumber", "track"), Map.entry("disc", "disc"),
            Map.entry("discnumber", "disc"), Map.entry("date", "date"), Map.entry("year", "date"),
            Map.entry("genre", "genre"), Map.entry("composer", "composer"), Map.entry("comment", "comment"),
            Map.entry("description", "comment"));

    public AudioFacts {
        Objects.requireNonNull(codec, "codec");
    }

    /**
     * The facts of a file from what a decoder read: the codec's name (FFmpeg's), the bit rate, the length, the names
     * of the tags that carry a value (the file's and its audio stream's, in any case, repeats allowed), and whether a
     * picture is attached. {@link #tags()} counts the standard fields among the names, and the picture.
     */
    public static AudioFacts of(String codec, int bitrate, long durationMillis, Collection<String> tagNames,
            boolean cover) {
        Set<String> fields = tagNames.stream().map(t -> STANDARD.get(t.strip().toLowerCase(Locale.ROOT)))
                .filter(Objects::nonNull).collect(Collectors.toSet());
        String name = codec.toLowerCase(Locale.ROOT);
        return new AudioFacts(name, losslessCodec(name), Math.max(0, bitrate), fields.size() + (cover ? 1 : 0),
                durationMillis < 0 ? -1 : durationMillis);
    }

    /** Whether a decoder of this name decodes a lossless format ({@code pcm_*} included). */
    static boolean losslessCodec(String codec) {
        String c = codec.toLowerCase(Locale.ROOT);
        return LOSSLESS.contains(c) || c.startsWith("pcm_");
    }

    /** A few words for the report: {@code "flac, lossless, 4 tags"} or {@code "mp3, 320 kbit/s, 2 tags"}. */
    public String describe() {
        return (codec.isEmpty() ? "audio" : codec) + (lossless ? ", lossless" : bitrate > 0 ? ", " + bitrate + " kbit/s" : "")
                + ", " + tags + (tags == 1 ? " tag" : " tags");
    }
}
