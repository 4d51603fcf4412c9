#!/usr/bin/env bash
# Fuzzes one target for a while: the Jazzer @FuzzTest targets in fuzzing mode (JAZZER_FUZZ=1), or the native
# library's libFuzzer harness. A crash is saved into the target's seed folder, so `mvn verify` replays it from then
# on: src/test/resources/<package>/<TestClass>Inputs/<method>/crash-<sha1> (Jazzer), or
# phash-native/src/fuzz/c/crashers/ (libFuzzer). Fix the bug, then commit the crasher with the fix.
# The corpus a run grows is kept in <module>/.cifuzz-corpus/ (Jazzer) or phash-native/target/fuzz/ (not committed).
#
# Usage: benchmarks/fuzz.sh TARGET SECONDS        (see docs/fuzzing.md)
#        benchmarks/fuzz.sh --list
set -euo pipefail
cd "$(dirname "$0")/.."

targets() {
    cat <<'LIST'
structure        core        org.cleanbackup.metadata.StructureChecksFuzzTest         EmbeddedMetadata.checkStructure: BoxCheck, JpegCheck, TiffCheck, PngChunkCheck, RiffCheck
dates            core        org.cleanbackup.dates.CaptureDatesFuzzTest               CaptureDates.read: structure pre-scan, metadata-extractor, date sources
segments         core        org.cleanbackup.compress.internal.JpegSegmentsFuzzTest   JpegSegments: the JPEG segment copier of compress
file-name-dates  core        org.cleanbackup.dates.FileNameDatesFuzzTest              FileNameDates.parse
copy-names       core        org.cleanbackup.names.CopyNamesFuzzTest                  CopyNames.originalNames
jpeg-dc          phash-java  org.cleanbackup.phash.java.JpegDcDecoderFuzzTest         JpegDcDecoder.decode: the DC-only JPEG decoder
luma             phash-java  org.cleanbackup.phash.java.ImageLumaDecoderFuzzTest      ImageLumaDecoder.decode: every image format, small pixel limit
native           phash-native (libFuzzer, clang)                                      cb_phash_decode_jpeg and cb_jpeg_recompress in C
LIST
}

if [ "${1:-}" = "--list" ]; then
    targets
    exit 0
fi
if [ $# -ne 2 ]; then
    echo "usage: benchmarks/fuzz.sh TARGET SECONDS   (targets: benchmarks/fuzz.sh --list)" >&2
    exit 2
fi
target="$1"
seconds="$2"
case "$seconds" in ''|*[!0-9]*) echo "fuzz.sh: SECONDS must be a whole number, got '$seconds'" >&2; exit 2 ;; esac

if [ "$target" = native ]; then
    exec phash-native/src/fuzz/c/run.sh "$seconds"
fi
line="$(targets | awk -v t="$target" '$1 == t')"
if [ -z "$line" ]; then
    echo "fuzz.sh: unknown target '$target'" >&2
    targets >&2
    exit 2
fi
module="$(echo "$line" | awk '{print $2}')"
class="$(echo "$line" | awk '{print $3}')"

export LC_ALL=C.UTF-8
# JAZZER_FUZZ: fuzzing mode for the one fuzz test selected. jazzer.max_duration overrides @FuzzTest's maxDuration.
# JUnit's own @Timeout handling is switched off in this mode: the fuzz targets' @Timeout is the time allowed for one
# input, which Jazzer passes to libFuzzer (-timeout), not for the whole run.
JAZZER_FUZZ=1 exec mvn -B ${MVN_OFFLINE:+-o} -pl "$module" -am test \
    -Dtest="$class" -Dsurefire.failIfNoSpecifiedTests=false \
    -Djazzer.max_duration="${seconds}s" -Djunit.jupiter.execution.timeout.mode=disabled
