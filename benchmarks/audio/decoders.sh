#!/usr/bin/env bash
# Fingerprinting speed of the two audio decoders (issue 19): the libavcodec worker (phash-native) against the ffmpeg
# program, on the same set in the same run, in interleaved rounds (each round runs every decoder and thread count,
# so a busy moment of a shared machine falls on all of them). Each line is AudioPrecisionRecall's speed line: files
# per second of wall time and per CPU-second (this JVM and its decoder processes, live and finished).
# Results go into docs/benchmarks.md ("Similar audio").
#
# Usage: benchmarks/audio/decoders.sh SET_DIR [ROUNDS]
#   SET_DIR  a set made by benchmarks/audio/make-set.py (library/, inbox/, manifest.tsv)
#   ROUNDS   interleaved rounds (default 3)
# Environment: THREADS (default "1 2"), SECONDS_WINDOW (default 20).
# Needs a JDK 25 and the benchmarks module built:
#   flock /tmp/mvn.lock mvn -B -q package -DskipTests -pl benchmarks -am
set -euo pipefail

here="$(cd "$(dirname "$0")/../.." && pwd)"
set_dir="${1:?usage: decoders.sh SET_DIR [ROUNDS]}"
rounds="${2:-3}"
. "$here/benchmarks/jdk25.sh"
[ -f "$here/benchmarks/target/classpath.txt" ] || { echo "build the benchmarks module first (see the header)" >&2; exit 2; }
[ -f "$set_dir/manifest.tsv" ] || { echo "not a set made by make-set.py: $set_dir" >&2; exit 2; }

cp="$here/benchmarks/target/classes:$(cat "$here/benchmarks/target/classpath.txt")"
echo "== machine: nproc $(nproc); $(lscpu | grep 'Model name' | sed 's/  */ /g'); load:$(uptime | sed 's/.*load average://'); $(date -u '+%Y-%m-%d %H:%M UTC')"
for round in $(seq "$rounds"); do
  for threads in ${THREADS:-1 2}; do
    for decoder in libavcodec ffmpeg; do
      line="$("$java" -Dcleanbackup.audio.decoder="$decoder" --enable-native-access=ALL-UNNAMED -cp "$cp" \
        org.cleanbackup.bench.audio.AudioPrecisionRecall "$set_dir" --threads "$threads" \
        --seconds "${SECONDS_WINDOW:-20}" 2>/dev/null | grep '^Fingerprinted' || echo 'failed')"
      echo "round $round, $decoder, $threads thread(s): $line"
    done
  done
done
echo "== load after:$(uptime | sed 's/.*load average://')"
