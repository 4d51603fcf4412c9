#!/usr/bin/env bash
# pHash end to end over a stand-in for the hold-out's mix (issue 17): Clean-Backup's native and Java backends and
# JImageHash's PerceptiveHash(64), same files, same JVM, one thread, per variant and over the whole mix, in wall time
# and in the hashing thread's CPU time. Results go into docs/benchmarks.md ("pHash over the hold-out's mix").
#
# Usage: benchmarks/phash-mix.sh [PHOTOS_DIR] [MIX_DIR]
#   PHOTOS_DIR  the camera JPEGs (default: ../shared/corpus/photos next to the repository)
#   MIX_DIR     where the mix is made (kept, reused when present; default /tmp/phash-mix)
# Environment: WARMUP (passes, default 2), PASSES (timed passes, default 5), JAVA_OPTS (e.g.
#   -Dcleanbackup.phash.libdeflate=false to time the PNGs through the JDK's zlib instead of libdeflate).
# Needs a JDK 25 and the benchmarks module built:
#   flock /tmp/mvn.lock mvn -B -q package -DskipTests -pl benchmarks -am
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
photos="${1:-$here/../shared/corpus/photos}"
mix="${2:-/tmp/phash-mix}"
. "$here/benchmarks/jdk25.sh"
[ -f "$here/benchmarks/target/classpath.txt" ] || { echo "build the benchmarks module first (see the header)" >&2; exit 2; }
[ -d "$photos" ] || { echo "no photo folder: $photos" >&2; exit 2; }

"$java" "$here/benchmarks/MakePhashMix.java" "$photos" "$mix"
echo "== machine: nproc $(nproc); $(lscpu | grep 'Model name' | sed 's/  */ /g'); load:$(uptime | sed 's/.*load average://'); $(date -u '+%Y-%m-%d %H:%M UTC')"
# shellcheck disable=SC2086
"$java" ${JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
  -cp "$here/benchmarks/target/classes:$(cat "$here/benchmarks/target/classpath.txt")" \
  org.cleanbackup.bench.PhashMixBenchmark "$mix" "${WARMUP:-2}" "${PASSES:-5}" 2> >(grep -v -e WARNING -e SLF4J >&2)
echo "== load after:$(uptime | sed 's/.*load average://')"
