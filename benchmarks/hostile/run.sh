#!/usr/bin/env bash
# Issue 13's acceptance run: a hostile set beside good photos through every command.
#
#   benchmarks/hostile/run.sh [CORPUS] [WORKDIR]      (defaults: ../shared/corpus, a new temp folder)
#
# Makes the set (make-set.py: damaged and fuzzed corpus files, truncated and bit-flipped copies of every corpus
# file, decompression bombs in every format, boxes nested 10,000 deep, sample counts of 2^31, EXIF IFD loops,
# Extended XMP claiming gigabytes, zero- and one-byte files, a FIFO and a /dev/zero link named .mp4), then runs
# each command with --threads 2 and checks, per command: exit code 0 or 1, no stack trace, no hang (a time
# limit), no file named in two problem lines, peak resident memory under 512 MiB, and afterwards the sources
# byte-identical. organize --copy must also have filed every good photo. Prints one line per command and a
# closing "N passed, N failed" line; exits 1 if any check failed.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
corpus="${1:-$root/../shared/corpus}"
work="${2:-$(mktemp -d)}"
set_dir="$work/set"
limit_kib=$((512 * 1024))
time_limit=900

python3 "$here/make-set.py" "$corpus" "$set_dir" || exit 2
"$root/cleanbackup" --version >/dev/null 2>&1 || { echo "cleanbackup does not start" >&2; exit 2; }

fingerprint() { # every regular file's checksum (the FIFO and the links are left out: reading them would hang)
  (cd "$set_dir" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
}
fingerprint > "$work/before.sha"

passed=0; failed=0
check() { # name, then the command's arguments
  local name="$1"; shift
  local out="$work/$name"; mkdir -p "$out"
  local rc
  /usr/bin/time -f "%M %e" -o "$out/time" timeout "$time_limit" "$root/cleanbackup" "$@" \
      --journal "$work/journal.db" --log-file "$out/log" >"$out/stdout" 2>"$out/stderr" </dev/null
  rc=$?
  local rss secs; read -r rss secs < <(tail -n1 "$out/time")
  local why=()
  [ "$rc" = 0 ] || [ "$rc" = 1 ] || why+=("exit $rc")
  grep -qE '^\s+at [a-z]|Exception in thread|^Caused by|OutOfMemoryError|StackOverflowError' "$out/stderr" \
      && why+=("stack trace or error on stderr")
  local twice
  twice="$(grep '^problem: ' "$out/stderr" | sed 's/^problem: \(.*\): .*/\1/' | sort | uniq -d | head -n3 | tr '\n' ' ')"
  [ -z "$twice" ] || why+=("named twice: $twice")
  [ "${rss:-0}" -lt "$limit_kib" ] || why+=("peak $((rss / 1024)) MiB")
  if [ "$name" = organize-copy ]; then
    local missing=0 f
    for f in "$set_dir"/good/*; do
      find "$work/dest" -type f -size "$(stat -c %s "$f")c" -exec cmp -s "$f" {} \; -print -quit | grep -q . \
          || missing=$((missing + 1))
    done
    [ "$missing" = 0 ] || why+=("$missing good photos not filed")
  fi
  local problems; problems="$(grep -c '^problem: ' "$out/stderr")"
  if [ ${#why[@]} = 0 ]; then
    passed=$((passed + 1))
    printf 'ok    %-16s exit %d, %4d problems, %4d MiB peak, %6.1f s\n' "$name" "$rc" "$problems" $((rss / 1024)) "$secs"
  else
    failed=$((failed + 1))
    printf 'FAIL  %-16s exit %d, %4d problems, %4d MiB peak, %6.1f s: %s\n' "$name" "$rc" "$problems" \
        $((rss / 1024)) "$secs" "$(IFS=';'; echo "${why[*]}")"
  fi
}

check hash-phash        hash --phash --threads 2 --cache "$work/cache.db" "$set_dir"
check hash-content      hash --content --threads 2 "$set_dir"
check dedupe-exact      dedupe --threads 2 "$set_dir"
check dedupe-links      dedupe --threads 2 --follow-links "$set_dir"
check dedupe-similar    dedupe --mode similar --threads 2 --cache "$work/cache.db" "$set_dir"
check dedupe-names      dedupe --mode names "$set_dir"
check organize-dry      organize --dry-run --threads 2 "$set_dir" "$work/dest"
check organize-copy     organize --copy --skip-similar --threads 2 --cache "$work/cache.db" "$set_dir" "$work/dest"
check compress          compress --threads 2 --cache "$work/cache.db" "$set_dir" "$work/compressed"
check backends-bench    backends --benchmark "$set_dir"

fingerprint > "$work/after.sha"
if cmp -s "$work/before.sha" "$work/after.sha"; then
  passed=$((passed + 1)); echo "ok    sources          byte-identical after every command"
else
  failed=$((failed + 1)); echo "FAIL  sources          changed: $(diff "$work/before.sha" "$work/after.sha" | head -n3)"
fi
echo "files in the set: $(find "$set_dir" | wc -l); outputs in $work"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
