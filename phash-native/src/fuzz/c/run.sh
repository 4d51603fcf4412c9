#!/usr/bin/env bash
# Builds the libFuzzer harness of the native library (fuzz_jpeg.c + ../../main/c/cleanbackup_phash.c) with clang,
# AddressSanitizer and UndefinedBehaviorSanitizer, and fuzzes cb_phash_decode_jpeg, cb_jpeg_recompress and
# cb_thumb_jpeg for SECONDS on one core. Seeds: seeds/ (small JPEGs, see make-seeds.jsh) plus every crasher kept in
# crashers/; the corpus the run grows stays in phash-native/target/fuzz/corpus (not committed). A crash, leak or
# sanitizer report is written to crashers/ (commit it once the bug is fixed: the next run starts from it) and the
# script exits non-zero.
#
# Usage: phash-native/src/fuzz/c/run.sh [SECONDS]          (default 60)
#        phash-native/src/fuzz/c/run.sh --replay FILE...   (runs the given inputs once, e.g. a crasher)
# Needs clang and its runtime libraries (Debian: apt-get install clang libclang-rt-dev) and libjpeg62-turbo-dev.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
module="$(cd "$here/../../.." && pwd)"
out="$module/target/fuzz"
mkdir -p "$out/corpus" "$here/crashers"

CC="${CC:-clang}"
command -v "$CC" >/dev/null || { echo "fuzz: $CC not found (apt-get install clang libclang-rt-dev)" >&2; exit 2; }
"$CC" -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer \
    -o "$out/fuzz_jpeg" "$here/fuzz_jpeg.c" "$module/src/main/c/cleanbackup_phash.c" -ljpeg

if [ "${1:-}" = "--replay" ]; then
    shift
    exec "$out/fuzz_jpeg" "$@"
fi
seconds="${1:-60}"
# One process on one core (no -jobs/-fork: the machine is shared). -rss_limit_mb and -malloc_limit_mb: libjpeg may
# take up to 1 GiB by design (max_memory_to_use); more than that is a finding.
exec "$out/fuzz_jpeg" -max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb=2048 -malloc_limit_mb=1200 \
    -timeout=10 -max_len=4096 -artifact_prefix="$here/crashers/" \
    "$out/corpus" "$here/seeds" "$here/crashers"
