#!/usr/bin/env bash
# Does `dedupe --mode similar --keep best` keep the camera original? Builds look-alike groups from the corpus
# camera JPEGs (each original beside a PNG export, a brightened edit, an upscale, a downscale and a high-quality
# recompression, some with the original's EXIF copied onto them by exiftool, as editors do) and counts the groups
# whose kept file is the original.
# Usage: benchmarks/keep-best/measure.sh [--photos N] [--keep best|largest] [--same-times] [--launcher PATH]
#   --same-times: every copy gets its original's modification time, as in a backup that reset them all; then only
#                 the files' content tells the original apart.
# Needs ffmpeg and exiftool, and ../shared/corpus/photos.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
photos=40; keep=best; launcher="$here/cleanbackup"; same_times=false
while [ $# -gt 0 ]; do
  case "$1" in
    --photos) photos="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    --launcher) launcher="$2"; shift 2 ;;
    --same-times) same_times=true; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
corpus="$here/../shared/corpus/photos"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir -p "$work/set/photos" "$work/set/edits" "$work/set/exports" "$work/set/resized"
n=0
for f in "$corpus"/*.jpg; do
  [ "$n" -lt "$photos" ] || break
  name="$(basename "$f" .jpg)"
  # only photos with camera metadata: the rule is about keeping those
  exiftool -s3 -DateTimeOriginal "$f" | grep -q '[0-9]' || continue
  w="$(exiftool -s3 -ImageWidth "$f")"; [ "${w:-0}" -ge 320 ] || continue
  n=$((n + 1))
  cp "$f" "$work/set/photos/$name.jpg"
  ff() { ffmpeg -v error -y -i "$f" "$@"; }
  ff "$work/set/exports/$name.png"                                           # export: no EXIF, lossless, big
  ff -vf eq=brightness=0.04 -q:v 1 "$work/set/edits/$name bright.jpg"        # an edit, high quality
  ff -vf scale=iw*5/4:-2 -q:v 1 "$work/set/resized/$name up.jpg"             # an upscale
  ff -vf scale=iw/2:-2 -q:v 2 "$work/set/resized/$name down.jpg"             # a downscale
  ff -q:v 1 "$work/set/edits/$name recompressed.jpg"                        # larger file, same pixels
  # editors copy the original's metadata: the edit says who made it, the upscale keeps the camera's pixel size
  exiftool -q -q -overwrite_original -TagsFromFile "$f" -all:all -Software="Adobe Photoshop 24.0" \
      "$work/set/edits/$name bright.jpg" || true
  exiftool -q -q -overwrite_original -TagsFromFile "$f" -all:all "$work/set/resized/$name up.jpg" || true
  if $same_times; then
    for v in "$work/set/exports/$name.png" "$work/set/edits/$name bright.jpg" "$work/set/resized/$name up.jpg" \
        "$work/set/resized/$name down.jpg" "$work/set/edits/$name recompressed.jpg"; do
      touch -r "$work/set/photos/$name.jpg" "$v"
    done
  else
    touch -d '-1 hour' "$work/set/photos/$name.jpg" # the original came first; its copies were made from it
  fi
done
"$launcher" dedupe --mode similar --keep "$keep" --json "$work/out.json" --journal "$work/j.db" \
    --cache "$work/c.db" --log-file "$work/log" "$work/set" >/dev/null 2>"$work/err" || true
python3 - "$work/out.json" "$work/set" "$n" <<'PY'
import json, sys, os
report = json.load(open(sys.argv[1])); root = sys.argv[2]; n = int(sys.argv[3])
groups = report.get("groups", [])
with_original = 0; kept_original = 0; wrong = []; without = 0
for g in groups:
    keep = g["keep"]
    members = [keep] + g.get("duplicates", []) + g.get("protected", [])
    if not any(os.path.relpath(m, root).startswith("photos/") for m in members):
        without += 1  # variants that group among themselves (rotated twice by an EXIF copy, say)
        continue
    with_original += 1
    if os.path.relpath(keep, root).startswith("photos/"):
        kept_original += 1
    else:
        wrong.append(os.path.relpath(keep, root) + "  (" + g.get("keepReason", "") + ")")
print(f"originals: {n}; look-alike groups: {len(groups)}, {with_original} with the original in them;"
      f" original kept in {kept_original} of {with_original}; {without} groups of variants only")
for w in wrong:
    print("  kept instead of the original:", w)
PY
