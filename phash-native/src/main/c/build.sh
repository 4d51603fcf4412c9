#!/bin/sh
# Builds libcleanbackup_phash.so into OUTDIR/<os>/<arch>/ for the jar (run by Maven in the compile phase).
# Never fails the build: when the platform, gcc, or libjpeg's headers are missing it writes the reason to
# OUTDIR/<os>/<arch>/libcleanbackup_phash.so.missing instead, and the native backend reports it at run time.
# Usage: build.sh OUTDIR [skip]
out="$1"
skip="$2"
here="$(dirname "$0")"
name=libcleanbackup_phash.so
what="native library"
. "$here/artifact.sh"
command -v "$CC" >/dev/null 2>&1 || missing "gcc was not found when this jar was built (install gcc and libjpeg62-turbo-dev, then rebuild)"
echo '#include <stdio.h>
#include <jpeglib.h>' | "$CC" -E - >/dev/null 2>&1 \
  || missing "libjpeg headers (jpeglib.h) were not found when this jar was built (install libjpeg62-turbo-dev or libjpeg-turbo8-dev, then rebuild)"
# -ffp-contract=off and no fast-math: a*b+c stays a multiply and an add, as in Java, so the kernel's bits match.
"$CC" -O2 -fPIC -shared -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -ffp-contract=off -fno-fast-math \
  -o "$dir/$name" "$here/cleanbackup_phash.c" -ljpeg \
  || missing "compiling the native library failed (see the build log)"
echo "[phash-native] built $dir/$name"
