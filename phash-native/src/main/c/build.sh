#!/bin/sh
# Builds libcleanbackup_phash.so into OUTDIR/<os>/<arch>/ for the jar (run by Maven in the compile phase).
# Never fails the build: when the platform, gcc, or libjpeg's headers are missing it writes the reason to
# OUTDIR/<os>/<arch>/libcleanbackup_phash.missing instead, and the native backend reports it at run time.
# Usage: build.sh OUTDIR [skip]
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
mkdir -p "$dir"
rm -f "$dir/libcleanbackup_phash.so" "$dir/libcleanbackup_phash.missing"
missing() {
  echo "$1" > "$dir/libcleanbackup_phash.missing"
  echo "[phash-native] native library not built: $1"
  exit 0
}
[ "$skip" = "true" ] && missing "the build was run with -Dcleanbackup.native.skip=true"
[ "$os" = "linux" ] || missing "the native library is built on Linux only (this build ran on $os)"
CC="${CC:-gcc}"
command -v "$CC" >/dev/null 2>&1 || missing "gcc was not found when this jar was built (install gcc and libjpeg62-turbo-dev, then rebuild)"
echo '#include <stdio.h>
#include <jpeglib.h>' | "$CC" -E - >/dev/null 2>&1 \
  || missing "libjpeg headers (jpeglib.h) were not found when this jar was built (install libjpeg62-turbo-dev or libjpeg-turbo8-dev, then rebuild)"
# -ffp-contract=off and no fast-math: a*b+c stays a multiply and an add, as in Java, so the kernel's bits match.
"$CC" -O2 -fPIC -shared -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -ffp-contract=off -fno-fast-math \
  -o "$dir/libcleanbackup_phash.so" "$here/cleanbackup_phash.c" -ljpeg \
  || missing "compiling the native library failed (see the build log)"
echo "[phash-native] built $dir/libcleanbackup_phash.so"
