#!/usr/bin/env bash
# Fuzzes one target for a while: a Jazzer @FuzzTest method (run by Jazzer's own driver, see below), or the native
# library's libFuzzer harness. A crash is saved into the target's seed folder, so `mvn verify` replays it from then
# on: src/test/resources/<package>/<TestClass>Inputs/<method>/crash-<sha1> (Jazzer), or
# phash-native/src/fuzz/c/crashers/ (libFuzzer). Fix the bug, then commit the crasher with the fix.
# The corpus a run grows is kept in <module>/target/fuzz/corpus/ (not committed).
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
java_home="${CLEANBACKUP_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[ -x "$java_home/bin/javac" ] || { echo "fuzz.sh: no JDK 25 at $java_home (set CLEANBACKUP_JAVA_HOME)" >&2; exit 2; }

# Why not `JAZZER_FUZZ=1 mvn test`: Jazzer 0.24.0 takes the run's length only from @FuzzTest(maxDuration), and its
# ASM reads class files up to Java 23 (major 67): classes compiled for 25 run uninstrumented, so the fuzzer gets no
# coverage and mutates blind. So this compiles the module (and core) to Java 23 class files in target/fuzz/ (the
# build's own target/classes stay as they are) and runs Jazzer's own driver on the @FuzzTest method, which takes
# libFuzzer's flags. Maven only lists the class path.
mvn -B -q ${MVN_OFFLINE:+-o} -pl "core,$module" dependency:build-classpath \
    -Dmdep.outputFile=target/fuzz/classpath.txt -Dmdep.includeScope=test >/dev/null
# without Logback (test scope in core) SLF4J logs nothing: a DEBUG line per input would slow the fuzzer down
deps="$(tr ':' '\n' < "$module/target/fuzz/classpath.txt" | grep -v '/org/cleanbackup/\|/ch/qos/logback/' | paste -sd:)"
classes=""
for m in $( [ "$module" = core ] && echo core || echo "core $module" ); do
    out="$m/target/fuzz/classes"
    rm -rf "$out" && mkdir -p "$out"
    find "$m/src/main/java" "$m/src/test/java" -name '*.java' > "$m/target/fuzz/sources.txt"
    # -source/-target rather than --release: --release 23 has no jdk.incubator.vector to compile phash-java against
    "$java_home/bin/javac" -nowarn -Xlint:none -source 23 -target 23 --add-modules jdk.incubator.vector \
        -cp "$deps${classes:+:$classes}" -d "$out" @"$m/target/fuzz/sources.txt" 2>&1 \
        | grep -v '^warning: \[options\]\|^Note: \|^[0-9]* warning' || true
    [ -d "$m/src/main/resources" ] && cp -r "$m/src/main/resources/." "$out/"
    classes="$out${classes:+:$classes}"
done

package_path="$(echo "${class%.*}" | tr . /)"
method="$(grep -A2 '@FuzzTest' "$module/src/test/java/${class//.//}.java" | grep -o 'void [a-zA-Z]*' | head -1 | cut -c6-)"
seeds="$module/src/test/resources/$package_path/${class##*.}Inputs/$method"
corpus="$module/target/fuzz/corpus/${class##*.}"
mkdir -p "$seeds" "$corpus"
echo "fuzz.sh: $class#$method for $seconds s; seeds and crashes: $seeds"
# One core; -timeout as the targets' @Timeout; an input taking more than 2 GiB of resident memory is a finding.
status=0
"$java_home/bin/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -Xmx1g \
    -XX:+EnableDynamicAgentLoading -Djava.awt.headless=true \
    -cp "$classes:$deps" com.code_intelligence.jazzer.Jazzer \
    --target_class="$class" --target_method="$method" \
    --instrumentation_includes='org.cleanbackup.**:com.drew.**:com.adobe.internal.xmp.**:com.twelvemonkeys.**' \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 -print_final_stats=1 \
    -artifact_prefix="$seeds/" "$corpus" "$seeds" || status=$?
# Jazzer's driver may write a finding into the working folder instead: move it beside the seeds.
for f in crash-* timeout-* oom-* slow-unit-* leak-* Crash_*.java; do
    [ -e "$f" ] && mv -v "$f" "$seeds/"
done
[ "$status" = 0 ] || echo "fuzz.sh: finding(s) in $seeds (exit $status): replay with mvn test -pl $module -Dtest=${class##*.}" >&2
exit "$status"
