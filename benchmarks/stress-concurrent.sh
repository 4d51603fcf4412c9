#!/usr/bin/env bash
# Never the last copy, under load: runs ConcurrentRunsIT for 20 rounds (the build runs 5). Each round starts two
# or three real `cleanbackup` processes at once, after random delays, on one tree of 200 duplicate pairs, chosen at
# random from: delete keeping the oldest, delete keeping the newest, move keeping the newest to one --to, move keeping
# the oldest to another --to, organize --move. After each round: a copy of every distinct content is still outside
# any trash, and `undo` of every session, newest first, gives the tree back byte for byte.
#
#   benchmarks/stress-concurrent.sh [--rounds N] [--seed N]
#
# The seed drives the tree, the choice of commands and the delays (default: a new one each time, printed). Prints
# the test's summary line: rounds passed, time, and each round's commands with their exit codes.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=20
seed="$(( $(date +%s) % 100000 ))"
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    *) echo "usage: $0 [--rounds N] [--seed N]" >&2; exit 2 ;;
  esac
done

echo "stress-concurrent: $rounds rounds, seed $seed"
start=$(date +%s)
# An *IT class: failsafe runs it in `verify` (after `package`); no unit test runs on the way.
mvn -B -q -o -pl cli -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=ConcurrentRunsIT -Dfailsafe.failIfNoSpecifiedTests=false \
    -Dcleanbackup.stress.rounds="$rounds" -Dcleanbackup.stress.seed="$seed" 2>&1 \
  | grep -E "concurrent runs:|FAIL|ERROR|round [0-9]+" || true
status=${PIPESTATUS[0]}
echo "stress-concurrent: exit $status after $(( $(date +%s) - start )) s (including the build)"
exit "$status"
