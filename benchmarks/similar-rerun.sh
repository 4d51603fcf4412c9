#!/usr/bin/env bash
# How much faster a second `dedupe --mode similar` is over the same, unchanged tree: a first run with an empty hash
# cache, then a second run that finds every hash and every fact the keep rule and the report need in the cache.
# Prints both wall times (JVM start included, as a user sees them) and their ratio; the target (issue 17) is 20x.
#
#   benchmarks/similar-rerun.sh [--photos N] [--work DIR] [--threads N] [--runs N] [TREE]
#
# TREE: a folder of images to run on (the hold-out, say); it is only read. Without it, a tree of N photos (default
# 8000) is made in --work from the corpus camera JPEGs (../shared/corpus/photos): per photo a half-size copy, a
# 3/4-size recompressed one, a quality-20 one and a third-size PNG (ffmpeg, no EXIF), then copies of the originals
# with unique bytes after the end-of-image marker (distinct files, same pixels and EXIF) until N files, in 20 folders.
# --runs N repeats the pair (each first run with a new, empty cache) and prints every pair.
set -euo pipefail
cd "$(dirname "$0")/.."

photos=8000; threads=2; runs=1; tree=""
work="$(mktemp -d /tmp/cleanbackup-similar-rerun.XXXXXX)"
while [ $# -gt 0 ]; do
  case "$1" in
    --photos) photos="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    -*) echo "usage: $0 [--photos N] [--work DIR] [--threads N] [--runs N] [TREE]" >&2; exit 2 ;;
    *) tree="$1"; shift ;;
  esac
done
mkdir -p "$work"

make_tree() {
  local corpus="../shared/corpus/photos" out="$1" i=0 f name d
  [ -d "$corpus" ] || { echo "needs $corpus (the shared corpus), or a TREE to run on" >&2; exit 2; }
  command -v ffmpeg >/dev/null || { echo "needs ffmpeg to make the tree" >&2; exit 2; }
  for f in "$corpus"/*.jpg "$corpus"/*.JPG; do
    [ -f "$f" ] || continue
    name="$(basename "${f%.*}" | tr ' ' '_')"
    d="$out/v$((i % 10))"; mkdir -p "$d"; i=$((i + 1))
    ffmpeg -v quiet -y -i "$f" -vf scale=iw/2:-2 -q:v 3 "$d/${name}_half.jpg" -vf scale=iw*3/4:-2 -q:v 8 \
        "$d/${name}_q.jpg" -q:v 20 "$d/${name}_q20.jpg" -vf scale=iw/3:-2 "$d/${name}_small.png" || true
  done
  python3 - "$corpus" "$out" "$photos" <<'PY'
import glob, os, sys
corpus, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
sources = sorted(glob.glob(os.path.join(corpus, "*.jpg")) + glob.glob(os.path.join(corpus, "*.JPG")))
data = [open(p, "rb").read() for p in sources]
have = sum(len(fs) for _, _, fs in os.walk(out))
for i in range(n - have):
    folder = os.path.join(out, "card%02d" % (i % 20))
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "P%06d.jpg" % i), "wb") as f:
        f.write(data[i % len(data)] + b"\0cleanbackup-bench-%08d" % i)
PY
}

if [ -z "$tree" ]; then
  tree="$work/photos"
  if [ ! -d "$tree" ]; then
    echo "Making $photos photos in $tree ..." >&2
    make_tree "$tree"
  fi
fi
files=$(find "$tree" -type f | wc -l)

# The launcher, as users run it: it builds when needed and picks the JVM profile and AOT cache for similar dedupe.
flock /tmp/mvn.lock ./cleanbackup dedupe --dry-run --mode similar --quiet --journal "$work/journal.db" \
    --cache "$work/warm.db" --log-file "$work/log" samples >/dev/null 2>"$work/err.warm"
cat "$tree"/* "$tree"/*/* >/dev/null 2>&1 || true # page cache warm for both runs: the disk is not what is measured

run() { # cache label: prints the wall time in seconds; the output goes to $work/out.label
  /usr/bin/time -f "%e" -o "$work/time.$2" ./cleanbackup dedupe --dry-run --mode similar --threads "$threads" \
      --cache "$1" --journal "$work/journal.db" --log-file "$work/log" "$tree" >"$work/out.$2" 2>"$work/err.$2" \
      || { cat "$work/err.$2" >&2; exit 1; }
  cat "$work/time.$2"
}

echo "similar dedupe, first run (empty cache) and second run (same tree, every file cached): $files files in $tree"
echo "threads $threads; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$runs"); do
  cache="$work/cache-$r.db"; rm -f "$cache" "$cache-wal" "$cache-shm"
  first=$(run "$cache" "first-$r")
  second=$(run "$cache" "second-$r")
  grep -h "Images hashed" "$work/out.first-$r" "$work/out.second-$r" | sed 's/^/  /'
  if ! diff <(grep -v "Images hashed" "$work/out.first-$r") <(grep -v "Images hashed" "$work/out.second-$r") >/dev/null; then
    echo "  the second run's plan differs from the first's (see $work/out.first-$r and out.second-$r)" >&2
    exit 1
  fi
  awk -v a="$first" -v b="$second" 'BEGIN { printf "run %s: first %.2f s, second %.2f s, ratio %.1fx\n", "'"$r"'", a, b, a / b }'
done
echo "work folder (tree, caches, outputs): $work"
