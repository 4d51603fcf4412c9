#!/usr/bin/env bash
# Times `cleanbackup organize` (copy) against exiftool's date-based copy on the same tree of photos, and checks
# that both put every photo in the same Year/Month folder. In the same run, on the same disk: `cp -r` of the tree
# (then `sync`), and the floor of a copy that is forced to disk and compared file by file like organize's
# (copy_file_range, fsync, byte comparison; no journal, no dates), so the copy's throughput can be judged.
#
#   benchmarks/compare-organize.sh [--photos N] [--rounds R] [--work DIR]
#
# With --rounds R every step runs R times, interleaved (cp -r, floor, dry run, organize, exiftool; then again), and
# the fastest run of each is compared: on a machine shared with other work, the fastest run is the one least slowed
# by it, and interleaving gives every tool the same chances. Each round's figures are printed too.
#
# The tree: N distinct JPEGs made from the corpus camera photos (../shared/corpus/photos), each with unique bytes
# appended after its end-of-image marker, so every file has its own content (organize would skip exact copies)
# and keeps its real EXIF date. Writes the figures to stdout as a Markdown section.
set -euo pipefail
cd "$(dirname "$0")/.."

photos=5000
rounds=1
work="$(mktemp -d /tmp/cleanbackup-organize-bench.XXXXXX)"
while [ $# -gt 0 ]; do
  case "$1" in
    --photos) photos="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    *) echo "usage: $0 [--photos N] [--rounds R] [--work DIR]" >&2; exit 2 ;;
  esac
done
corpus="../shared/corpus/photos"
[ -d "$corpus" ] || { echo "needs $corpus (the shared corpus)" >&2; exit 2; }
command -v exiftool >/dev/null || { echo "needs exiftool: apt-get install libimage-exiftool-perl" >&2; exit 2; }

make_tree() {
  python3 - "$corpus" "$work/inbox" "$photos" <<'PY'
import os, sys, glob
corpus, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
sources = sorted(glob.glob(os.path.join(corpus, "*.jpg")) + glob.glob(os.path.join(corpus, "*.JPG")))
data = [open(p, "rb").read() for p in sources]
for i in range(n):
    folder = os.path.join(out, "card%02d" % (i % 20))
    os.makedirs(folder, exist_ok=True)
    # Unique trailing bytes after EOI: a distinct file that every JPEG reader still reads the same.
    with open(os.path.join(folder, "P%06d.jpg" % i), "wb") as f:
        f.write(data[i % len(data)] + b"\0cleanbackup-bench-%08d" % i)
PY
}

# The launcher, as users run it: it builds when needed and picks the JVM profile and AOT cache for organize.
flock "${CLEANBACKUP_MVN_LOCK:-/tmp/cleanbackup-mvn.lock}" ./cleanbackup organize --dry-run --quiet samples "$work/warm" >/dev/null

echo "Building $photos photos in $work/inbox ..." >&2
make_tree
sync

time_it() { # label, command...: prints "seconds peakKB"
  local label="$1"; shift
  /usr/bin/time -f "%e %M" -o "$work/time.$label" "$@" >"$work/out.$label" 2>&1 || { cat "$work/out.$label" >&2; return 1; }
  cat "$work/time.$label"
}

# Warm the page cache for both: one untimed read of the tree.
cat "$work"/inbox/*/* > /dev/null

# What every safe copy pays per file, without a journal or dates: python3 floor.py SRC DST
cat > "$work/floor.py" <<'PY'
import os, sys
src, dst = sys.argv[1], sys.argv[2]
for root, dirs, files in os.walk(src):
    out = os.path.join(dst, os.path.relpath(root, src)); os.makedirs(out, exist_ok=True)
    for name in files:
        fi = os.open(os.path.join(root, name), os.O_RDONLY)
        fo = os.open(os.path.join(out, name), os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
        n, p = os.fstat(fi).st_size, 0
        while p < n:
            p += os.copy_file_range(fi, fo, n - p)
        os.fsync(fo)
        if os.pread(fi, n, 0) != os.pread(fo, n, 0):
            sys.exit("copy differs: " + name)
        os.close(fi); os.close(fo)
PY

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
min() { python3 -c "import sys; print(min(float(x) for x in sys.argv[1:]))" "$@"; }
rows=""
all_cp=(); all_sync=(); all_floor=(); all_dry=(); all_cb=(); all_ex=()
for round in $(seq 1 "$rounds"); do
  rm -rf "$work/lib-cb" "$work/lib-exif" "$work/lib-cp" "$work/lib-floor" "$work"/*.db*; sync
  round_load=$(cut -d' ' -f1 /proc/loadavg)
  cp_r=$(time_it cp cp -r "$work/inbox" "$work/lib-cp")
  cp_sync=$(time_it sync sync)
  rm -rf "$work/lib-cp"; sync
  floor=$(time_it floor python3 "$work/floor.py" "$work/inbox" "$work/lib-floor")
  rm -rf "$work/lib-floor"; sync
  dry=$(time_it dry ./cleanbackup organize --dry-run --quiet --journal "$work/dry.db" --log-file "$work/log" "$work/inbox" "$work/lib-cb")
  cb=$(time_it cleanbackup ./cleanbackup organize --quiet --journal "$work/journal.db" --log-file "$work/log" "$work/inbox" "$work/lib-cb")
  # Photos without DateTimeOriginal go to -o's folder (exiftool exits 1 for them: counted below, not an error here).
  exif=$(time_it exiftool sh -c 'exiftool -q -q -r -o "$1/lib-exif/nodate/" "-Directory<DateTimeOriginal" \
    -d "$1/lib-exif/%Y/%m" "$1/inbox"; exit 0' sh "$work")
  all_cp+=("${cp_r%% *}"); all_sync+=("${cp_sync%% *}"); all_floor+=("${floor%% *}"); all_dry+=("${dry%% *}")
  all_cb+=("${cb%% *}"); all_ex+=("${exif%% *}")
  rows+="| $round ($round_load) | ${cp_r%% *} s (+${cp_sync%% *}) | ${floor%% *} s | ${dry%% *} s | ${cb%% *} s | ${exif%% *} s |"$'\n'
  echo "round $round: cp ${cp_r%% *} floor ${floor%% *} dry ${dry%% *} organize ${cb%% *} exiftool ${exif%% *}" >&2
done

# Same folder for every photo?
(cd "$work/lib-cb" && find . -type f -name '*.jpg' | sort) > "$work/cb.txt"
(cd "$work/lib-exif" && find . -type f -name '*.jpg' | sort) > "$work/exif.txt"
same=$(comm -12 "$work/cb.txt" "$work/exif.txt" | wc -l)
only_cb=$(comm -23 "$work/cb.txt" "$work/exif.txt" | wc -l)
only_exif=$(comm -13 "$work/cb.txt" "$work/exif.txt" | wc -l)

read -r _ cb_kb <<<"$cb"
read -r _ ex_kb <<<"$exif"
cb_s=$(min "${all_cb[@]}"); ex_s=$(min "${all_ex[@]}"); dry_s=$(min "${all_dry[@]}"); cp_s=$(min "${all_cp[@]}")
sync_s=$(min "${all_sync[@]}"); floor_s=$(min "${all_floor[@]}")
mb=$(du -sm "$work/inbox" | cut -f1)
ratio=$(python3 -c "print(f'{$ex_s / $cb_s:.1f}')")
# The copy phase: organize's run less its dry run (start, scan, dates, plan).
copy_s=$(python3 -c "print(f'{max($cb_s - $dry_s, 0.01):.2f}')")
rate() { python3 -c "print(f'{$mb / $1:.0f}')"; }
vs_cp=$(python3 -c "print(f'{$copy_s / $cp_s:.1f}')")
vs_cp_sync=$(python3 -c "print(f'{$copy_s / ($cp_s + $sync_s):.1f}')")
cat <<MD
### organize (copy) vs exiftool, $photos photos

- Command: \`benchmarks/compare-organize.sh --photos $photos --rounds $rounds\`
- Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(free -g | awk '/Mem:/{print $2}') GiB, $(df -T "$work" | awk 'NR==2{print $2}') on $(df "$work" | awk 'NR==2{print $1}'); load before the run: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)
- Tools: $(./cleanbackup --version 2>/dev/null | tail -1); exiftool $(exiftool -ver); $(cp --version | head -1)
- Tree: $photos distinct JPEGs ($(du -sh "$work/inbox" | cut -f1)), warm page cache.

| round (load before) | cp -r (+ sync) | floor | organize --dry-run | organize | exiftool |
| --- | --- | --- | --- | --- | --- |
$rows
The fastest of the $rounds round(s) for each:

| tool | wall time | peak RSS |
| --- | --- | --- |
| cleanbackup organize (copy, journaled, verified) | ${cb_s} s | $((cb_kb / 1024)) MiB |
| exiftool -o DEST/nodate/ '-Directory<DateTimeOriginal' -d DEST/%Y/%m -r | ${ex_s} s | $((ex_kb / 1024)) MiB |
| cleanbackup organize --dry-run (start, scan, dates, plan) | ${dry_s} s | |
| cp -r (then sync: ${sync_s} s) | ${cp_s} s | |
| floor: copy_file_range + fsync + compare per file (Python, no journal) | ${floor_s} s | |

Copy throughput ($mb MB): organize's copy phase (its run less the dry run) ${copy_s} s, $(rate "$copy_s") MB/s; cp -r
$(rate "$cp_s") MB/s (organize's copy phase takes **${vs_cp}x** cp -r's time; ${vs_cp_sync}x cp -r + sync); the
per-file fsync floor $(rate "$floor_s") MB/s.

cleanbackup is **${ratio}x** faster. Same Year/Month folder and name for $same photos; only cleanbackup: $only_cb
(photos without DateTimeOriginal, which cleanbackup dates by the next source); only exiftool: $only_exif (its
nodate/ folder).
MD
rm -rf "$work"
