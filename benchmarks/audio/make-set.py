#!/usr/bin/env python3
"""Makes a music library and an inbox of other encodings of its songs, for similar-audio dedupe (issue 19).

  benchmarks/audio/make-set.py OUT [--songs 40] [--inbox-only 12] [--with-copies 30] [--seconds 180]
                               [--speech 8] [--seed 19] [--jobs 2]

OUT/library holds SONGS distinct songs as FLAC (44.1 kHz stereo, tagged). OUT/inbox holds, for the first
WITH_COPIES of them: a 192 kbit/s MP3 and a re-tagged copy of the same MP3 frames, MP3 at 128 and 320 kbit/s, AAC
(128 kbit/s) in M4A, Vorbis (quality 4, about 128 kbit/s nominal), Opus (128 kbit/s), a 192 kbit/s MP3 with 0.7 s
cut from the start, one 6 dB quieter; and INBOX_ONLY further songs found nowhere else (as MP3 or FLAC).
OUT/manifest.tsv lists every file (path relative to OUT, song id, variant), the ground truth of
AudioPrecisionRecall.

A song is made by ffmpeg's aevalsrc from a seeded random generator: a melody of random notes (random tempo, key,
register, timbre of three harmonics, note envelope), a bass line changing every four notes, a pad changing every
eight, noise percussion on a random pattern. SPEECH songs, spread over the set, are espeak-ng reading random
pseudo-words over a quiet melody of their own (skipped with a note when espeak-ng is missing). Different seeds are different songs.
Needs ffmpeg (libmp3lame, libopus, libvorbis); deterministic for a seed and an ffmpeg version.
"""
import argparse
import concurrent.futures
import os
import random
import shutil
import subprocess
import sys
import tempfile


def ffmpeg(*args):
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", *args], check=True)


def song_expression(rng):
    """An aevalsrc expression (mono) for one song."""
    note = rng.uniform(0.16, 0.34)            # seconds per melody note
    base = 110 * 2 ** (rng.randrange(12) / 12)
    a1, a2, s1 = rng.uniform(10, 99), rng.uniform(10, 99), rng.uniform(0, 1000)
    b1, s2 = rng.uniform(10, 99), rng.uniform(0, 1000)
    c1, s3 = rng.uniform(10, 99), rng.uniform(0, 1000)
    span = rng.choice([12, 15, 19, 24])       # melody range in semitones
    h2, h3 = rng.uniform(0.1, 0.6), rng.uniform(0.0, 0.4)
    decay = rng.uniform(2, 9)
    drum_every = rng.choice([1, 2, 2, 4])
    drum = rng.uniform(0.05, 0.2)

    def rnd(k, a, s, m):
        # a pseudo-random integer 0..m-1 for step k: a hash of k through sin, as shaders do
        return f"floor(mod(abs(sin(({k})*{a:.4f}+{s:.4f}))*43758.5453,{m}))"

    step = f"floor(t/{note:.5f})"
    f_mel = f"{base * 2:.4f}*pow(2,{rnd(step, a1, s1, span)}/12)"
    env = f"exp(-{decay:.3f}*mod(t,{note:.5f}))"
    melody = (f"({env})*(sin(2*PI*t*{f_mel})+{h2:.3f}*sin(4*PI*t*{f_mel})"
              f"+{h3:.3f}*sin(6*PI*t*{f_mel}))")
    bass_step = f"floor(t/{4 * note:.5f})"
    f_bass = f"{base / 2:.4f}*pow(2,{rnd(bass_step, b1, s2, 12)}/12)"
    bass = f"0.5*sin(2*PI*t*{f_bass})"
    pad_step = f"floor(t/{8 * note:.5f})"
    f_pad = f"{base:.4f}*pow(2,{rnd(pad_step, c1, s3, 12)}/12)"
    pad = f"0.25*(sin(2*PI*t*{f_pad})+sin(2*PI*t*{f_pad}*1.4983))"
    hit = f"lt(mod({step},{drum_every}),1)*exp(-40*mod(t,{note:.5f}))*{drum:.3f}*(2*random(0)-1)*4"
    return f"0.22*({melody}+{bass}+{pad}+{hit})"


SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]


def speech_text(rng, words):
    return " ".join("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))) +
                    ("." if rng.random() < 0.12 else "") for _ in range(words))


def make_song(i, seed, seconds, speech, tmp, out):
    rng = random.Random(f"{seed}-{i}")
    expr = song_expression(rng)
    title, artist, album = f"Song {i:03d}", f"Artist {rng.randrange(20):02d}", f"Album {rng.randrange(10)}"
    src = os.path.join(tmp, f"song{i:03d}.wav")
    if speech:
        voice = os.path.join(tmp, f"voice{i:03d}.wav")
        subprocess.run(["espeak-ng", "-s", str(rng.randint(140, 190)), "-p", str(rng.randint(30, 70)),
                        "-v", rng.choice(["en", "en-us", "de", "fr", "es"]), "-w", voice,
                        speech_text(rng, seconds * 3)], check=True, stdout=subprocess.DEVNULL)
        ffmpeg("-f", "lavfi", "-i", f"aevalsrc='{expr}':s=22050:d={seconds}", "-i", voice,
               "-filter_complex", f"[0:a]volume=0.3[m];[1:a]aresample=22050,apad[v];"
                                  f"[m][v]amix=inputs=2:duration=first:normalize=0[a]",
               "-map", "[a]", "-t", str(seconds), src)
    else:
        ffmpeg("-f", "lavfi", "-i", f"aevalsrc='{expr}':s=22050:d={seconds}", src)
    tags = ["-metadata", f"title={title}", "-metadata", f"artist={artist}", "-metadata", f"album={album}",
            "-metadata", f"track={i + 1}", "-metadata", "date=2024"]
    flac = os.path.join(out, f"{i:03d}.flac")
    ffmpeg("-i", src, "-ar", "44100", "-ac", "2", "-sample_fmt", "s16", *tags, flac)
    return src, flac, tags


def make_copies(i, src_flac, tags, inbox):
    made = []

    def out(name):
        path = os.path.join(inbox, f"{i:03d}-{name}")
        made.append((path, name.rsplit(".", 1)[0]))
        return path
    few = tags[:4]  # title and artist only: a ripper that kept less
    few = ["-map_metadata", "-1", *few]
    ffmpeg("-i", src_flac, "-b:a", "192k", *few, out("mp3-192.mp3"))
    ffmpeg("-i", os.path.join(inbox, f"{i:03d}-mp3-192.mp3"), "-c", "copy", "-map_metadata", "-1",
           "-metadata", f"title=Track {i + 1}", "-metadata", "genre=Electronic", "-metadata", "comment=retagged",
           out("retagged.mp3"))
    ffmpeg("-i", src_flac, "-b:a", "128k", *few, out("mp3-128.mp3"))
    ffmpeg("-i", src_flac, "-b:a", "320k", *tags, out("mp3-320.mp3"))
    ffmpeg("-i", src_flac, "-c:a", "aac", "-b:a", "128k", *few, out("aac-128.m4a"))
    ffmpeg("-i", src_flac, "-c:a", "libvorbis", "-q:a", "4", *few, out("vorbis-q4.ogg"))
    ffmpeg("-i", src_flac, "-c:a", "libopus", "-b:a", "128k", *few, out("opus-128.opus"))
    ffmpeg("-ss", "0.7", "-i", src_flac, "-b:a", "192k", *few, out("cut-0.7s.mp3"))
    ffmpeg("-i", src_flac, "-af", "volume=-6dB", "-b:a", "192k", *few, out("quieter-6dB.mp3"))
    return made


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out")
    p.add_argument("--songs", type=int, default=40)
    p.add_argument("--inbox-only", type=int, default=12)
    p.add_argument("--with-copies", type=int, default=30)
    p.add_argument("--seconds", type=int, default=180)
    p.add_argument("--speech", type=int, default=8, help="how many of all songs are speech over music")
    p.add_argument("--seed", type=int, default=19)
    p.add_argument("--jobs", type=int, default=2)
    a = p.parse_args()
    speech_ok = shutil.which("espeak-ng") is not None
    if a.speech and not speech_ok:
        print("note: espeak-ng is not installed: no speech songs", file=sys.stderr)
    library, inbox = os.path.join(a.out, "library"), os.path.join(a.out, "inbox")
    os.makedirs(library, exist_ok=True)
    os.makedirs(inbox, exist_ok=True)
    total = a.songs + a.inbox_only
    manifest = []
    with tempfile.TemporaryDirectory() as tmp, concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        def one(i):
            # speech songs spread over the library, its copies and the inbox-only songs
            speech = speech_ok and a.speech > 0 and i % max(1, total // a.speech) == total // a.speech - 1
            rows = []
            if i < a.songs:
                src, flac, tags = make_song(i, a.seed, a.seconds, speech, tmp, library)
                rows.append((flac, "flac"))
                if i < a.with_copies:
                    rows += make_copies(i, flac, tags, inbox)
            else:
                # songs only in the inbox, as a ripper would leave them: FLAC or MP3
                src, flac, tags = make_song(i, a.seed, a.seconds, speech, tmp, inbox)
                if i % 2:
                    mp3 = os.path.join(inbox, f"{i:03d}-only.mp3")
                    ffmpeg("-i", flac, "-b:a", "192k", *tags, mp3)
                    os.remove(flac)
                    flac = mp3
                rows.append((flac, "only"))
            os.remove(src)
            return [(os.path.relpath(path, a.out), i, variant) for path, variant in rows]
        for rows in pool.map(one, range(total)):
            manifest += rows
    with open(os.path.join(a.out, "manifest.tsv"), "w") as f:
        f.write("path\tsong\tvariant\n")
        for path, song, variant in manifest:
            f.write(f"{path}\t{song}\t{variant}\n")
    print(f"{len(manifest)} files of {total} songs in {a.out}")


if __name__ == "__main__":
    main()
