#!/usr/bin/env bash
# Precision check of exact audio dedupe by the sound without its tags (issue 19, point 1): generates the issue's
# scenario, a library of 40 FLAC songs (with an MP3 of 20 of them) and an inbox holding re-tagged copies (ffmpeg
# `-c copy` with other tags, and ID3v1 + APEv2 + Lyrics3 appended by hand), re-tagged pairs of M4A, Ogg Vorbis, Opus,
# WAV and AIFF, transcodes (MP3 128/192/320 kbit/s), a copy with 0.7 s cut from the start, one 6 dB quieter, and 12
# songs that exist only in the inbox (with a library song's tags). Then runs
#   cleanbackup dedupe --types audio --reference DIR/library DIR/inbox --json ...
# and checks the groups against what the generator knows: every re-tagged pair must be found (recall) and no group
# may join different audio (precision: a transcode, a cut, a quieter copy or another song is never the same payload).
# Runs it again with --audio-payload off for comparison, and prints the wall time of each run.
#
# Usage: benchmarks/audio/retag-check.sh [--seconds 30] [--seed N] DIR
#   DIR is created (or reused when DIR/manifest.txt is there) and left for inspection: rm -rf DIR afterwards.
# Needs ffmpeg and python3. Exit code 0 when recall and precision are both 1.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
seconds=30 seed=19 dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="${2:?}"; shift 2 ;;
    --seed) seed="${2:?}"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "retag-check: unknown option $1" >&2; exit 2 ;;
    *) dir="$1"; shift ;;
  esac
done
[ -n "$dir" ] || { echo "usage: $0 [--seconds 30] [--seed N] DIR" >&2; exit 2; }
for tool in ffmpeg python3; do
  command -v "$tool" >/dev/null || { echo "retag-check: $tool is needed" >&2; exit 2; }
done
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
lib="$dir/library" inbox="$dir/inbox" manifest="$dir/manifest.txt"

ff() { ffmpeg -nostdin -v error -y "$@"; }

# A song: a melody of notes from a seeded scale, two voices, $seconds long (different seeds: different songs).
melody() { # seed out [tags...]
  local s="$1" out="$2"; shift 2
  local expr
  expr="$(python3 - "$s" <<'PY'
import random, sys
r = random.Random(int(sys.argv[1]))
notes = [r.choice([220, 247, 262, 294, 330, 349, 392, 440, 494, 523, 587, 659]) for _ in range(16)]
step = r.choice([0.25, 0.3, 0.4, 0.5])
# the note index changes every `step` seconds: a nested if() chain keyed on floor(t/step) mod 16
chain = "0"
for i, f in reversed(list(enumerate(notes))):
    chain = f"if(eq(mod(floor(t/{step}),16),{i}),{f},{chain})"
expr = f"0.4*sin(2*PI*t*({chain}))+0.2*sin(3*PI*t*({chain}))"
print(expr.replace(",", "\\,"))  # commas escaped inside a filter's option
PY
)"
  ff -f lavfi -i "aevalsrc=${expr}:s=44100:d=${seconds}" -ac 2 "$@" "$out"
}

if [ ! -f "$manifest" ]; then
  rm -rf "$lib" "$inbox"
  mkdir -p "$lib/mp3" "$inbox"/{retagged,hand,formats,transcodes,edits,new}
  : > "$manifest.tmp"
  note() { echo "$1 $2" >> "$manifest.tmp"; } # payload key, file (relative to DIR)
  for i in $(seq -w 1 40); do
    melody "$((seed * 1000 + 10#$i))" "$lib/song$i.flac" -metadata "title=Song $i" -metadata "artist=Band" \
      -metadata "album=Library" -metadata "track=$i" -metadata "genre=Pop"
    note "song$i.flac" "library/song$i.flac"
    if [ "$((10#$i))" -le 20 ]; then
      ff -i "$lib/song$i.flac" -c:a libmp3lame -b:a 192k "$lib/mp3/song$i.mp3"
      note "song$i.mp3" "library/mp3/song$i.mp3"
    fi
  done
  for i in $(seq -w 1 30); do # re-tagged copies of 30 library FLACs
    ff -i "$lib/song$i.flac" -c copy -map_metadata -1 -metadata "title=song $i (inbox)" "$inbox/retagged/song$i.flac"
    note "song$i.flac" "inbox/retagged/song$i.flac"
  done
  for i in $(seq -w 1 10); do # re-tagged MP3s: by ffmpeg ...
    ff -i "$lib/mp3/song$i.mp3" -c copy -map_metadata -1 -metadata "title=Track $i" -metadata "album=Best of" \
      "$inbox/retagged/song$i.mp3"
    note "song$i.mp3" "inbox/retagged/song$i.mp3"
  done
  for i in $(seq -w 11 20); do # ... and by hand: ID3v1 + APEv2 + Lyrics3 appended, as old taggers did
    python3 - "$lib/mp3/song$i.mp3" "$inbox/hand/song$i.mp3" "$i" <<'PY'
import struct, sys
src, dst, n = sys.argv[1], sys.argv[2], sys.argv[3]
data = open(src, "rb").read()
lyr = "LYR00009la la la." ; body = "LYRICSBEGIN" + "IND00002" + "10" + lyr
lyrics = (body + "%06d" % len(body) + "LYRICS200").encode("latin-1")
items = b"".join(struct.pack("<II", len(v), 0) + k + b"\0" + v for k, v in
                 [(b"Title", ("Song " + n).encode()), (b"Comment", b"tagged by hand")])
size = len(items) + 32
ape = lambda flags: b"APETAGEX" + struct.pack("<IIII", 2000, size, 2, flags) + bytes(8)
id3v1 = b"TAG" + ("Song " + n).encode().ljust(30, b"\0") + b"Band".ljust(30, b"\0") + bytes(30 + 4 + 30) + b"\xff"
open(dst, "wb").write(data + lyrics + ape(0xA0000000) + items + ape(0x80000000) + id3v1)
PY
    note "song$i.mp3" "inbox/hand/song$i.mp3"
  done
  # other containers: a transcode of songs 21-30 in each, and a re-tagged copy of it beside it
  for i in $(seq -w 21 30); do
    for f in "m4a:-c:a aac -b:a 128k" "ogg:-c:a libvorbis -q:a 4" "opus:-c:a libopus -b:a 96k" "wav:-c:a pcm_s16le" \
             "aiff:-c:a pcm_s16be"; do
      ext="${f%%:*}" opts="${f#*:}"
      # shellcheck disable=SC2086
      ff -i "$lib/song$i.flac" $opts -metadata "title=Song $i" "$inbox/formats/song$i.$ext"
      ff -i "$inbox/formats/song$i.$ext" -c copy -map_metadata -1 -metadata "title=Song $i (copy)" \
        -metadata "artist=Someone" "$inbox/formats/song$i-copy.$ext"
      note "song$i.$ext" "inbox/formats/song$i.$ext"
      note "song$i.$ext" "inbox/formats/song$i-copy.$ext"
    done
  done
  for i in $(seq -w 31 40); do # transcodes at three bitrates, a cut start, a quieter copy: other payloads
    for b in 128 192 320; do
      ff -i "$lib/song$i.flac" -c:a libmp3lame -b:a "${b}k" -metadata "title=Song $i" "$inbox/transcodes/song$i-$b.mp3"
      note "song$i-$b.mp3" "inbox/transcodes/song$i-$b.mp3"
    done
    ff -ss 0.7 -i "$lib/song$i.flac" -metadata "title=Song $i" "$inbox/edits/song$i-cut.flac"
    note "song$i-cut.flac" "inbox/edits/song$i-cut.flac"
    ff -i "$lib/song$i.flac" -af volume=-6dB -metadata "title=Song $i" "$inbox/edits/song$i-quiet.flac"
    note "song$i-quiet.flac" "inbox/edits/song$i-quiet.flac"
  done
  for i in $(seq -w 1 12); do # songs only in the inbox, tagged like library songs
    melody "$((seed * 1000 + 500 + 10#$i))" "$inbox/new/new$i.flac" -metadata "title=Song $i" -metadata "artist=Band" \
      -metadata "album=Library" -metadata "track=$i" -metadata "genre=Pop"
    note "new$i.flac" "inbox/new/new$i.flac"
  done
  mv "$manifest.tmp" "$manifest"
fi

cd "$repo"
./cleanbackup --version >/dev/null # builds the tool if its sources changed, before anything is timed
run() { # label, extra options...
  local label="$1"; shift
  local start end
  start=$(date +%s.%N)
  ./cleanbackup dedupe --types audio "$@" --reference "$lib" --json "$dir/$label.json" --quiet "$inbox" \
    --journal "$dir/journal.db" --cache "$dir/cache.db" --log-file "$dir/log.txt" >/dev/null
  end=$(date +%s.%N)
  python3 -c "print('$label: %.2f s' % ($end - $start))"
}
run payload
run whole --audio-payload off

python3 - "$dir" "$manifest" <<'PY'
import itertools, json, os, sys
root, manifest = sys.argv[1], sys.argv[2]
key = {}
for line in open(manifest):
    k, rel = line.split()
    key[os.path.join(root, rel)] = k
truth = set()
by_key = {}
for path, k in key.items():
    by_key.setdefault(k, []).append(path)
for paths in by_key.values():
    truth |= {frozenset(p) for p in itertools.combinations(sorted(paths), 2)}
files = len(key)
for label in ("payload", "whole"):
    report = json.load(open(os.path.join(root, label + ".json")))
    found = set()
    other_tags = 0
    for g in report["groups"]:
        members = [g["keep"]] + g["duplicates"] + g["protected"]
        found |= {frozenset(p) for p in itertools.combinations(sorted(members), 2)}
        other_tags += len(g.get("otherTags", []))
    hits = len(found & truth)
    false = sorted(tuple(sorted(p)) for p in found - truth)
    recall = hits / len(truth) if truth else 1.0
    precision = hits / len(found) if found else 1.0
    print(f"{label}: {files} files, {len(truth)} true pairs, {len(found)} pairs found, {hits} right, "
          f"{len(false)} false; recall {recall:.3f}, precision {precision:.3f}; "
          f"{len(report['groups'])} groups, {other_tags} copies with other tags; problems {len(report['problems'])}")
    for p in false[:10]:
        print("  false pair:", *p)
    if label == "payload":
        ok = hits == len(truth) and not false
print("OK: every re-tagged pair found, no false pair" if ok else "FAILED")
sys.exit(0 if ok else 1)
PY
