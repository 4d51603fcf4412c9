#!/usr/bin/env bash
# Perceptual hashing of PNGs on one thread: wall time, CPU time and peak resident memory of
# `cleanbackup hash --phash --threads 1 DIR` over full-size PNGs, for this build and, when BEFORE is given, an older
# one. Results go into docs/benchmarks.md ("PNG decoding").
#
# Usage: benchmarks/png-phash.sh [PHOTOS_DIR] [COUNT]
#   PHOTOS_DIR  JPEGs the PNGs are made from (default: ../shared/corpus/photos next to the repository)
#   COUNT       how many PNGs (default 60)
# Environment:
#   BEFORE  the launcher of an older build to compare with, e.g. a clone of commit e46d1c5 (the last commit whose
#           PNGs went through ImageIO) built with ./cleanbackup --version: BEFORE=/tmp/old/cleanbackup
#   AFTER   the launcher measured as "after" (default: ./cleanbackup of this repository)
#   PNG_DIR keep the PNGs there (made when missing, reused when present); default: a temporary folder removed at
#           the end
#   ROUNDS  timed rounds per build, the fastest is reported (default 3)
#   SIZE    full (default): the PNGs described below; native: each photo converted as it is, at its own size
#
# The PNGs (SIZE=full): each photo in turn scaled (bicubic) and centre-cropped to 3000 x 2000, with a little gaussian noise
# (sigma 2 per channel, about what a camera sensor leaves) so that they compress like photographs rather than like
# smooth enlargements, written as 8-bit RGB by the JDK's PNG writer (adaptive filters). Needs a JDK 25 and GNU time
# (/usr/bin/time).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
photos="${1:-$here/../shared/corpus/photos}"
count="${2:-60}"
rounds="${ROUNDS:-3}"
after="${AFTER:-$here/cleanbackup}"
before="${BEFORE:-}"
size="${SIZE:-full}"
[ -d "$photos" ] || { echo "no photo folder: $photos" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }
. "$here/benchmarks/jdk25.sh"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
pngs="${PNG_DIR:-$work/png}"
mkdir -p "$pngs"

if [ "$(find "$pngs" -maxdepth 1 -name '*.png' | wc -l)" -lt "$count" ]; then
  cat >"$work/MakePngs.java" <<'EOF'
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

public class MakePngs {
    public static void main(String[] args) throws Exception {
        File[] jpegs = new File(args[0]).listFiles((d, n) -> n.toLowerCase().matches(".*\\.jpe?g"));
        Arrays.sort(jpegs);
        int count = Integer.parseInt(args[2]);
        int w = 3000, h = 2000;
        for (int i = 0; i < count; i++) {
            File out = new File(args[1], String.format("photo-%03d.png", i));
            if (out.exists()) {
                continue;
            }
            BufferedImage src = ImageIO.read(jpegs[i % jpegs.length]);
            if (args[3].equals("native")) { // the photo as it is, at its own size
                BufferedImage rgb = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
                rgb.createGraphics().drawImage(src, 0, 0, null);
                ImageIO.write(rgb, "png", out);
                continue;
            }
            double scale = Math.max((double) w / src.getWidth(), (double) h / src.getHeight());
            int sw = (int) Math.ceil(src.getWidth() * scale), sh = (int) Math.ceil(src.getHeight() * scale);
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
            var g = img.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.drawImage(src, (w - sw) / 2, (h - sh) / 2, sw, sh, null);
            g.dispose();
            byte[] px = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
            SplittableRandom r = new SplittableRandom(i);
            for (int p = 0; p < px.length; p++) {
                px[p] = (byte) Math.max(0, Math.min(255, (px[p] & 0xFF) + (int) Math.round(r.nextGaussian() * 2)));
            }
            ImageIO.write(img, "png", out);
        }
    }
}
EOF
  echo "making $count PNGs ($size) in $pngs ..." >&2
  "$java" "$work/MakePngs.java" "$photos" "$pngs" "$count" "$size"
fi

echo "== machine"
echo "nproc: $(nproc); $(lscpu | grep 'Model name' | sed 's/  */ /g'); $(date -u +%Y-%m-%d)"
echo "== input"
echo "$(find "$pngs" -maxdepth 1 -name '*.png' | wc -l) PNGs, $(du -sm "$pngs" | cut -f1) MB, in $pngs"

measure() { # $1: label, $2: launcher
  local best="" i line
  "$2" hash --phash --threads 1 "$pngs" >"$work/$1.out" 2>&1 # warm-up: builds the AOT cache, fills the page cache
  for ((i = 0; i < rounds; i++)); do
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$2" hash --phash --threads 1 "$pngs" >"$work/$1.out" 2>&1
    line="$(awk '{printf "%.2f %.2f %d\n", $1, $2 + $3, $4 / 1024}' "$work/time")"
    echo "  round $((i + 1)): ${line% *} s wall/CPU, ${line##* } MiB peak resident" >&2
    if [ -z "$best" ] || awk -v a="$line" -v b="$best" 'BEGIN{split(a,x," "); split(b,y," "); exit !(x[1] < y[1])}'; then
      best="$line"
    fi
  done
  read -r wall cpu rss <<<"$best"
  echo "$1: best of $rounds: $wall s wall, $cpu s CPU, $rss MiB peak resident ($(grep -c "$(printf '\t')[0-9a-f]\{16\}\$" "$work/$1.out" || true) hashed)"
}

echo "== ${AFTER:-./cleanbackup} hash --phash --threads 1 DIR"
if [ -n "$before" ]; then
  measure before "$before"
fi
measure after "$after"
if [ -n "$before" ]; then
  if diff <(sort "$work/before.out") <(sort "$work/after.out") >/dev/null; then
    echo "the hashes of both builds are identical"
  else
    echo "the hashes differ:"; diff <(sort "$work/before.out") <(sort "$work/after.out") | head -20
  fi
fi
