package org.cleanbackup.fingerprint;

import java.util.Arrays;
import java.util.Objects;

/**
 * The acoustic fingerprint of the start of one audio file: Chromaprint's raw fingerprint, one 32-bit word per
 * {@value #MICROS_PER_WORD} microseconds of sound, with the file's {@link AudioFacts}.
 *
 * @param words the raw fingerprint (copied; empty when the sound was too short for one word)
 * @param facts what FFmpeg said about the file
 */
public record AudioFingerprint(int[] words, AudioFacts facts) {

    /** How long one word covers, in microseconds: 1365 samples at 11025 Hz (Chromaprint's default). */
    public static final int MICROS_PER_WORD = 123_810;

    public AudioFingerprint {
        words = words.clone();
        Objects.requireNonNull(facts, "facts");
    }

    /** The raw words (a copy). */
    @Override
    public int[] words() {
        return words.clone();
    }

    /** How many words. */
    public int length() {
        return words.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AudioFingerprint other && Arrays.equals(words, other.words) && facts.equals(other.facts);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(words) + facts.hashCode();
    }

    @Override
    public String toString() {
        return "AudioFingerprint[" + words.length + " words, " + facts + "]";
    }
}
