#!/bin/sh
# Builds the audio decoding worker cleanbackup-audio-decode into OUTDIR/<os>/<arch>/ for the jar (run by Maven in the
# compile phase). Never fails the build: when the platform, gcc, or FFmpeg's headers are missing it writes the reason
# to OUTDIR/<os>/<arch>/cleanbackup-audio-decode.missing instead; fingerprints then decode through the ffmpeg program.
# Usage: build-audio.sh OUTDIR [skip]
out="$1"
skip="$2"
here="$(dirname "$0")"
os="$(uname -s | tr 'A-Z' 'a-z')"
case "$(uname -m)" in
  x86_64|amd64) arch=amd64 ;;
  aarch64|arm64) arch=aarch64 ;;
  *) arch="$(uname -m)" ;;
esac
dir="$out/$os/$arch"
name=cleanbackup-audio-decode
mkdir -p "$dir"
rm -f "$dir/$name" "$dir/$name.missing"
missing() {
  echo "$1" > "$dir/$name.missing"
  echo "[phash-native] audio worker not built: $1"
  exit 0
}
[ "$skip" = "true" ] && missing "the build was run with -Dcleanbackup.native.skip=true"
[ "$os" = "linux" ] || missing "the audio worker is built on Linux only (this build ran on $os)"
CC="${CC:-gcc}"
command -v "$CC" >/dev/null 2>&1 || missing "gcc was not found when this jar was built"
printf '#include <libavformat/avformat.h>\n#include <libavcodec/avcodec.h>\n#include <libswresample/swresample.h>\n' \
  | "$CC" -E - >/dev/null 2>&1 \
  || missing "FFmpeg's headers were not found when this jar was built (install libavformat-dev libavcodec-dev libswresample-dev, then rebuild)"
"$CC" -O2 -std=c11 -Wall -Wextra -o "$dir/$name" "$here/cleanbackup_audio.c" \
  -lavformat -lavcodec -lswresample -lavutil \
  || missing "compiling the audio worker failed (see the build log)"
echo "[phash-native] built $dir/$name"
