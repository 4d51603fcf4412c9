#!/bin/sh
# Builds the audio decoding worker cleanbackup-audio-decode into OUTDIR/<os>/<arch>/ for the jar (run by Maven in the
# compile phase). Never fails the build: when the platform, gcc, or FFmpeg's headers are missing it writes the reason
# to OUTDIR/<os>/<arch>/cleanbackup-audio-decode.missing instead; fingerprints then decode through the ffmpeg program.
# Usage: build-audio.sh OUTDIR [skip]
out="$1"
skip="$2"
here="$(dirname "$0")"
name=cleanbackup-audio-decode
what="audio worker"
. "$here/artifact.sh"
command -v "$CC" >/dev/null 2>&1 || missing "gcc was not found when this jar was built"
printf '#include <libavformat/avformat.h>\n#include <libavcodec/avcodec.h>\n#include <libswresample/swresample.h>\n' \
  | "$CC" -E - >/dev/null 2>&1 \
  || missing "FFmpeg's headers were not found when this jar was built (install libavformat-dev libavcodec-dev libswresample-dev, then rebuild)"
"$CC" -O2 -std=c11 -Wall -Wextra -o "$dir/$name" "$here/cleanbackup_audio.c" \
  -lavformat -lavcodec -lswresample -lavutil \
  || missing "compiling the audio worker failed (see the build log)"
echo "[phash-native] built $dir/$name"
