package org.cleanbackup.fingerprint;

import java.util.Collection;
import java.util.Locale;
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
 * @param tags        how many descriptive tags the file carries (title, artist, album, ...; a cover picture counts
 *                    as one); technical ones (encoder, brands, handler) do not count
 * @param durationMillis the length FFmpeg states, in milliseconds, or -1
 */
public record AudioFacts(String codec, boolean lossless, int bitrate, int tags, long durationMillis) {

    private static final Set<String> LOSSLESS = Set.of("flac", "alac", "wavpack", "ape", "tta", "mlp", "truehd",
            "shorten", "mp4als", "tak", "wmalossless");

    /** Tags that say how the file was made, not what it holds: they do not make one copy's tags fuller. */
    private static final Set<String> TECHNICAL = Set.of("encoder", "major_brand", "minor_version",
            "compatible_brands", "handler_name", "vendor_id", "creation_time", "encoded_by", "encoder_options",
            "language", "duration", "itunsmpb", "itunnorm", "replaygain_track_gain", "replaygain_track_peak",
            "replaygain_album_gain", "replaygain_album_peak", "comment", "tsse", "major brand", "vendor",
            "waveformatextensible_channel_mask", "timecode");

    public AudioFacts {
        Objects.requireNonNull(codec, "codec");
    }

    /**
     * The facts of a file from what a decoder read: the codec's name (FFmpeg's), the bit rate, the length, the names
     * of the tags that carry a value (the file's and its audio stream's, in any case, repeats allowed), and whether a
     * picture is attached.
     */
    public static AudioFacts of(String codec, int bitrate, long durationMillis, Collection<String> tagNames,
            boolean cover) {
        Set<String> descriptive = tagNames.stream().map(t -> t.strip().toLowerCase(Locale.ROOT))
                .filter(t -> !t.isEmpty() && !TECHNICAL.contains(t)).collect(Collectors.toSet());
        String name = codec.toLowerCase(Locale.ROOT);
        return new AudioFacts(name, losslessCodec(name), Math.max(0, bitrate), descriptive.size() + (cover ? 1 : 0),
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
