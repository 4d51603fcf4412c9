#!/usr/bin/env bash
# Compares `cleanbackup dedupe` (exact duplicates) with jdupes and rmlint on a generated, seeded test tree:
# wall time (warm page cache), peak memory (RSS), and whether all of them find the same duplicate sets.
# Issue 2. Writes its figures as a markdown section to docs/benchmarks-exact.md.
#
# Usage (from anywhere; paths are resolved from this file):
#   benchmarks/compare-exact.sh [--scale N] [--keep-tree DIR] [--runs N] [--seed N] [--out FILE]
#
#   --scale N        tree size: N x ~20,000 files / ~0.8 GB (default 1; 10 makes ~200,000 files / ~8 GB)
#   --keep-tree DIR  build the tree in DIR/tree (manifest in DIR/manifest.json) and keep it; a later run with
#                    the same DIR, scale and seed reuses it instead of generating it again
#   --runs N         timed runs per command (default 10, or 3 from scale 5 on)
#   --seed N         seed of the tree generator (default 20251122)
#   --out FILE       markdown file to write the section to (default docs/benchmarks-exact.md)
#   --max-wait S     before timing each command, wait up to S seconds for the CPUs to be idle (default 30):
#                    on a shared machine, other work inflates the times (the report shows how much ran meanwhile)
#
# Needs python3 and GNU time (/usr/bin/time, for peak RSS). Compares against jdupes and rmlint and times with
# hyperfine when they are installed (it installs nothing; Debian: apt-get install jdupes rmlint hyperfine).
# Exit status: 0 when every tool found the expected sets, 1 when some differ (a summary is printed), 2 on
# usage errors or missing prerequisites.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scale=1
seed=20251122
runs=""
keep_tree=""
out_md="$repo/docs/benchmarks-exact.md"
max_wait=30
# The generator's layout version: bump it when the generator changes, so that a kept tree is rebuilt.
tree_version=1

log() { printf '\n== %s\n' "$*" >&2; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() { printf 'compare-exact: %s\n' "$*" >&2; exit 2; }

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --scale) scale="${2:?--scale needs a number}"; shift 2 ;;
      --keep-tree) keep_tree="${2:?--keep-tree needs a folder}"; shift 2 ;;
      --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
      --seed) seed="${2:?--seed needs a number}"; shift 2 ;;
      --out) out_md="${2:?--out needs a file}"; shift 2 ;;
      --max-wait) max_wait="${2:?--max-wait needs seconds}"; shift 2 ;;
      -h|--help) usage; exit 0 ;;
      *) usage >&2; die "unknown argument '$1'" ;;
    esac
  done
  [[ "$scale" =~ ^[1-9][0-9]*$ ]] || die "--scale takes a positive whole number"
  [[ "$seed" =~ ^[0-9]+$ ]] || die "--seed takes a whole number"
  # Big trees take minutes per command: fewer runs still give a usable mean.
  [ -n "$runs" ] || { [ "$scale" -ge 5 ] && runs=3 || runs=10; }
  [[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "--runs takes a positive whole number"
  [[ "$max_wait" =~ ^[0-9]+$ ]] || die "--max-wait takes a whole number of seconds"
}

# --- prerequisites ----------------------------------------------------------------------------------------------

have_jdupes=0 have_rmlint=0 have_hyperfine=0
check_tools() {
  command -v python3 >/dev/null || die "python3 is needed (it generates the tree and compares the results)"
  # The shell keyword `time` cannot report memory; GNU time's %M is the peak resident set size in KiB.
  [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1 \
    || die "GNU time (/usr/bin/time) is needed for peak memory (Debian: apt-get install time)"
  command -v jdupes >/dev/null && have_jdupes=1
  command -v rmlint >/dev/null && have_rmlint=1
  command -v hyperfine >/dev/null && have_hyperfine=1
  local missing=()
  [ $have_jdupes = 1 ] || missing+=(jdupes)
  [ $have_rmlint = 1 ] || missing+=(rmlint)
  [ $have_hyperfine = 1 ] || missing+=(hyperfine)
  if [ ${#missing[@]} -gt 0 ]; then
    warn "not installed: ${missing[*]} (Debian/Ubuntu: apt-get install ${missing[*]})."
    [ $have_hyperfine = 1 ] || warn "without hyperfine, every command is timed with /usr/bin/time only."
    [ $have_jdupes = 1 ] && [ $have_rmlint = 1 ] || warn "the missing peers are left out of the comparison."
  fi
}

# Same JDK search as the ./cleanbackup launcher, so the timed JVM is the one users get.
java_major() { # the JDK's release file says it without starting a JVM
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$(dirname "$(dirname "$1")")/release" 2>/dev/null | head -n1
}
find_jdk() {
  local candidate major
  for candidate in "${CLEANBACKUP_JAVA_HOME:-}" "${JAVA_HOME:-}" \
      "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" \
      /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major="$(java_major "$candidate/bin/java")"
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then echo "$candidate"; return 0; fi
  done
  return 1
}

# Builds the CLI (and its AOT cache) through the launcher, then times the launcher itself: what a user runs, its
# JDK search (read from the JDK's release file, no JVM start) and staleness check included.
cb_cmd=()
prepare_cleanbackup() {
  log "Building cleanbackup if its sources changed (./cleanbackup --version; dedupe on samples/)"
  # Several people may build in one working tree: Maven runs under a shared lock, as the project's scripts do.
  local lock="${CLEANBACKUP_MVN_LOCK:-/tmp/cleanbackup-mvn.lock}" run=()
  command -v flock >/dev/null && run=(flock "$lock")
  # --version makes the build; a dedupe run makes the AOT cache that dedupe uses (the launcher keeps one per set
  # of JVM flags).
  "${run[@]}" "$repo/cleanbackup" --version >&2 || die "./cleanbackup --version failed"
  "${run[@]}" "$repo/cleanbackup" dedupe --quiet --json - --journal "$work/warm.db" --log-file "$work/warm.log" \
      "$repo/samples" >/dev/null || die "./cleanbackup dedupe on samples/ failed"
  local jdk; jdk="$(find_jdk)" || die "no JDK 25+ found (see ./cleanbackup)"
  java_bin="$jdk/bin/java"
  local jar="$repo/cli/target/cleanbackup.jar"
  [ -f "$jar" ] || die "$jar is missing after the build"
  compgen -G "$repo/cli/target/cleanbackup-*.aot" >/dev/null \
    || warn "no AOT cache in cli/target: start-up will be slower than users see"
  cb_cmd=("$repo/cleanbackup")
}

# --- the test tree ----------------------------------------------------------------------------------------------

# Refuses to start when the tree would not fit, rather than filling the disk halfway through.
check_room() {
  local dir="$1" need_mb=$(( scale * 900 + 500 ))
  local avail_mb; avail_mb=$(( $(df -Pk "$dir" | awk 'NR==2 {print $4}') / 1024 ))
  [ "$avail_mb" -ge "$need_mb" ] || die "$dir has ${avail_mb} MB free; scale $scale needs about ${need_mb} MB"
  # Warm-cache figures need the whole tree in the page cache.
  local mem_mb; mem_mb=$(awk '/MemAvailable/ {print int($2 / 1024)}' /proc/meminfo)
  [ "$mem_mb" -ge $(( scale * 900 )) ] \
    || warn "only ${mem_mb} MB of memory available: the tree will not stay cached, the times include disk reads"
}

# Writes the tree and a manifest of the duplicate sets it holds by construction (the ground truth).
generate_tree() {
  python3 - "$1" "$2" "$scale" "$seed" "$tree_version" <<'PY'
import json, os, random, sys

tree, manifest_path, scale, seed, version = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
R = random.Random(seed)   # everything below draws from this one generator: same seed, same tree
KIB, MIB = 1024, 1024 * 1024

# Top folders per kind of media, with that kind's extensions (some upper case: matching is case-insensitive) and
# file-name pattern. Folder names include spaces and non-ASCII letters, as real libraries do.
KINDS = {
    "photo": (["Photos", "Camera Uploads", "Phone export/DCIM"], ["jpg", "JPG", "jpeg", "png", "heic", "webp"], "IMG_{:06d}"),
    "raw":   (["Photos/RAW", "Backups/2019 laptop/RAW"], ["cr2", "nef", "dng", "arw"], "DSC{:06d}"),
    "music": (["Music", "Music/Björk/Homogénic", "Music/坂本龍一"], ["mp3", "flac", "m4a", "ogg", "MP3"], "Track {:06d}"),
    "video": (["Videos", "Camera Uploads/Video"], ["mp4", "mov", "mkv", "MOV", "avi"], "VID_{:06d}"),
}
# Where copies end up: old backups, downloads, and a hidden folder (rmlint skips hidden paths unless --hidden).
BACKUPS = ["Backups/2019 laptop", "Backups/2021-phone", "Backups/old drive/copy of stuff", "Downloads", ".thumbnails"]
FILES_PER_DIR = 60

def pick_size():
    """Mostly 4 KiB-200 KiB (log-uniform, skewed to small), some tiny files and sizes at the edges of the
    4 KiB first/last-bytes checks, and a few multi-MiB files."""
    x = R.random()
    if x < 0.002:
        return int(MIB * 2 ** R.uniform(0, 3))                                  # 1-8 MiB
    if x < 0.012:
        return R.choice([4095, 4096, 4097, 8191, 8192, 8193, 65536, 131072])     # block edges
    if x < 0.05:
        return R.randint(64, 4 * KIB - 1)                                       # below one block
    if x < 0.76:
        return int(4 * KIB * 2 ** R.uniform(0, 2.585))                          # 4-24 KiB
    return int(24 * KIB * 2 ** R.uniform(0, 3.06))                              # 24-200 KiB

dir_fill = {}
def new_dir(top):
    """The next leaf folder under top with room for one more file (year/NNNN nesting, ~60 files each)."""
    n = dir_fill.get(top, 0)
    dir_fill[top] = n + 1
    leaf = n // FILES_PER_DIR
    sub = f"{2005 + leaf % 19}/{'Album ' if 'Music' in top else ''}{leaf:04d}"
    if leaf % 37 == 5:
        sub += " Café de Flore"
    if leaf % 41 == 7:
        sub = ".hidden " + sub
    d = os.path.join(tree, top, sub)
    os.makedirs(d, exist_ok=True)
    return d

serial = 0
def new_name(kind):
    global serial
    serial += 1
    _, exts, pattern = KINDS[kind]
    name = pattern.format(serial) + "." + R.choice(exts)
    return "." + name if serial % 97 == 0 else name      # some hidden files too

holders = {}          # content id -> every path holding it (copies and hard links)
written = 0
written_bytes = 0

def write(path, data, cid):
    global written, written_bytes
    with open(path, "wb") as f:
        f.write(data)
    t = 1_300_000_000 + R.randint(0, 400_000_000)          # fixed mtimes: "keep the oldest" is reproducible
    os.utime(path, (t, t))
    holders.setdefault(cid, []).append(path)
    written += 1
    written_bytes += len(data)

def copy_path(kind, src):
    """Where a copy of src goes: mostly another (backup) folder, sometimes beside it as 'name (N).ext'."""
    base, ext = os.path.splitext(os.path.basename(src))
    r = R.random()
    if r < 0.15:
        return os.path.join(os.path.dirname(src), f"{base} ({R.randint(1, 9999)}){ext}")
    if r < 0.25:
        ext = ext.upper() if ext != ext.upper() else ext.lower()
    return os.path.join(new_dir(R.choice(BACKUPS + KINDS[kind][0])), f"{base}_{R.randint(0, 99999)}{ext}")

with_copies, unique = [], []
for i in range(16_700 * scale):
    kind = R.choices(["photo", "raw", "music", "video"], weights=[60, 5, 25, 10])[0]
    size = pick_size()
    if size > MIB and kind == "photo":
        kind = "video"
    path = os.path.join(new_dir(R.choice(KINDS[kind][0])), new_name(kind))
    data = R.randbytes(size)
    cid = f"c{i}"
    write(path, data, cid)
    # Real duplicates: ~12% of files (more of the big ones) have 1-5 copies elsewhere.
    ncopies = 0
    r = R.random()
    if r < 0.12 or (size > MIB and r < 0.3):
        ncopies = R.choices([1, 2, 3, 4, 5], weights=[70, 20, 5, 3, 2])[0]
    for _ in range(ncopies):
        write(copy_path(kind, path), data, cid)
    # Same-size non-duplicates: one byte flipped at the start (told apart by the first 4 KiB), at the very end
    # (by the last 4 KiB) or in the middle (only by a full read). Some variants have copies of their own, making
    # two duplicate sets of one size that only a full hash separates.
    if R.random() < 0.03 or (size > MIB and R.random() < 0.3):
        where = R.choice(["first", "middle", "last"])
        variant = bytearray(data)
        variant[{"first": 0, "middle": size // 2, "last": size - 1}[where]] ^= 0xFF
        vpath = copy_path(kind, path)
        write(vpath, variant, f"{cid}-{where}")
        if R.random() < 0.3:
            write(copy_path(kind, vpath), variant, f"{cid}-{where}")
    (with_copies if ncopies else unique).append((path, cid))

# Hard links, as snapshot backups make them: to files that have copies (one set, listed with all its paths) and
# to unique files (no duplicate at all: one inode is one piece of storage).
links = 0
for src, cid in R.sample(with_copies, min(len(with_copies), 150 * scale)) + R.sample(unique, 250 * scale):
    for _ in range(R.choice([1, 1, 1, 2])):
        dst = os.path.join(new_dir("Snapshots/daily"), f"link_{links}_{os.path.basename(src)}")
        os.link(src, dst)
        holders[cid].append(dst)
        links += 1

# Zero-byte files (no tool counts them by default) and symbolic links to files with copies (no tool follows
# them by default; rmlint is told -F).
for i in range(20 * scale):
    open(os.path.join(new_dir(R.choice(["Photos", "Music"])), f"empty_{i}.jpg"), "wb").close()
for i, (src, cid) in enumerate(R.sample(with_copies, min(len(with_copies), 20 * scale))):
    os.symlink(src, os.path.join(new_dir("Shortcuts"), f"symlink_{i}{os.path.splitext(src)[1]}"))

# Expected sets: content held by two or more inodes, with all its paths.
groups = sorted(sorted(p) for p in holders.values() if len({os.stat(x).st_ino for x in p}) > 1)
with open(manifest_path, "w", encoding="utf-8") as f:
    json.dump({"version": version, "scale": scale, "seed": seed, "files": written + links, "hardLinks": links,
               "bytes": written_bytes, "folders": sum(len(d) for _, d, _ in os.walk(tree)),
               "groups": groups}, f, ensure_ascii=False)
print(f"{written + links} files ({links} of them hard links), {written_bytes / 1e6:.0f} MB of data, "
      f"{len(groups)} duplicate sets")
PY
}

# True when $1 is the manifest of a complete tree of this generator version, scale and seed.
manifest_matches() {
  [ -f "$1" ] && python3 - "$1" "$tree_version" "$scale" "$seed" <<'PY'
import json, sys
m = json.load(open(sys.argv[1], encoding="utf-8"))
sys.exit(0 if (str(m.get("version")), m.get("scale"), m.get("seed")) == (sys.argv[2], int(sys.argv[3]), int(sys.argv[4])) else 1)
PY
}

# Sets tree_dir and manifest, generating the tree unless a kept one of the same kind is there.
tree_dir="" manifest="" work=""
prepare_tree() {
  local base
  if [ -n "$keep_tree" ]; then
    mkdir -p "$keep_tree"
    base="$(cd "$keep_tree" && pwd -P)"
    if manifest_matches "$base/manifest.json"; then
      tree_dir="$base/tree" manifest="$base/manifest.json"
      log "Reusing the kept tree $tree_dir"
      return
    fi
    # Never delete a folder this script did not make: it marks its own before writing anything else.
    if [ -n "$(ls -A "$base")" ] && [ ! -f "$base/.compare-exact-tree" ]; then
      die "--keep-tree $keep_tree is not empty and holds no tree of this script: give an empty or new folder"
    fi
    rm -rf "$base/tree" "$base/manifest.json"
    touch "$base/.compare-exact-tree"
  else
    base="$work"
  fi
  tree_dir="$base/tree" manifest="$base/manifest.json"
  check_room "$base"
  log "Generating the test tree (scale $scale, seed $seed) in $tree_dir"
  local t0=$SECONDS
  # The manifest is written last: a tree without one (an interrupted run) is generated again.
  generate_tree "$tree_dir" "$manifest"
  # Flush the writes now: write-back during the timed runs would disturb them.
  sync -f "$tree_dir" 2>/dev/null || sync
  echo "generated in $(( SECONDS - t0 )) s; $(du -sh "$tree_dir" | cut -f1) on disk" >&2
}

# --- timing -----------------------------------------------------------------------------------------------------

# Each timed command is a small script in $work/cmd: hyperfine and /usr/bin/time then run exactly the same thing
# (no quoting trouble with paths), and the report can show it. `exec` keeps /usr/bin/time measuring the tool,
# not a shell.
tools=()
declare -A cmd_file cmd_prepare
add_command() { # name prepare-command-or-empty stdout-file-or-empty command...
  local name="$1" prepare="$2" stdout="$3"; shift 3
  local f="$work/cmd/$name.sh"
  mkdir -p "$work/cmd"
  {
    echo '#!/usr/bin/env bash'
    printf 'exec'; printf ' %q' "$@"
    [ -z "$stdout" ] || printf ' >%q' "$stdout"
    echo
  } >"$f"
  chmod +x "$f"
  tools+=("$name")
  cmd_file[$name]="$f"
  cmd_prepare[$name]="$prepare"
}

define_commands() {
  local o="$work/out"
  mkdir -p "$o"
  # cleanbackup reads the user's settings file (threads, hash algorithm, ...) and writes under their home:
  # empty XDG folders in the work folder keep both out of the figures. `env` execs java, so the timed process
  # is still the JVM.
  local xdg=(env "XDG_CONFIG_HOME=$o/xdg/config" "XDG_DATA_HOME=$o/xdg/data" "XDG_STATE_HOME=$o/xdg/state")
  # JVM baseline: the same JVM, flags and class path doing almost nothing.
  add_command jvm-baseline "" "" "${xdg[@]}" "${cb_cmd[@]}" --version
  # Report mode (the default action); the journal and log go to the work folder too.
  add_command cleanbackup "" "" "${xdg[@]}" "${cb_cmd[@]}" dedupe --quiet --json "$o/cleanbackup.json" \
      --journal "$o/journal.db" --log-file "$o/cleanbackup.log" "$tree_dir"
  if [ $have_jdupes = 1 ]; then
    # -m prints a one-line summary: the fastest way to use jdupes. -j lists the sets (for the comparison).
    # By default jdupes never matches two hard links of one inode with each other (like cleanbackup).
    add_command jdupes-summary "" "" jdupes -r -q -m "$tree_dir"
    add_command jdupes-list "" "$o/jdupes.json" jdupes -r -q -j "$tree_dir"
  fi
  if [ $have_rmlint = 1 ]; then
    # -T df: duplicate files only (no empty files, broken links, ...). -L: one path per inode, like cleanbackup
    # (rmlint's default reports hard links of one inode as duplicates of each other). -F: ignore symbolic links
    # (the default -@ treats each as a small file). --hidden: hidden files count, as they do for the others.
    # rmlint keeps an existing output file by renaming it, so it is removed before each run (untimed).
    add_command rmlint "rm -f $(printf '%q' "$o/rmlint.json")" "" \
      rmlint -T df -L -F --hidden -o "json:$o/rmlint.json" "$tree_dir"
  fi
}

# One untimed warm-up per command: fills the page cache, checks that the command works, and leaves the outputs
# that the set comparison reads.
warm_up() {
  local name rc
  for name in "${tools[@]}"; do
    [ -z "${cmd_prepare[$name]}" ] || bash -c "${cmd_prepare[$name]}"
    rc=0
    "${cmd_file[$name]}" >"$work/out/$name.stdout" 2>"$work/out/$name.stderr" || rc=$?
    if [ $rc != 0 ]; then
      cat "$work/out/$name.stderr" >&2
      die "$name failed (exit $rc) on the warm-up run; command: $(tail -n1 "${cmd_file[$name]}")"
    fi
    # A stale AOT cache (a rebuild since it was made) is ignored by the JVM with error lines (on stdout, where
    # unified logging goes by default): slower start-up.
    if cat "$work/out/$name.stdout" "$work/out/$name.stderr" | grep -qE '\[aot *\]'; then
      warn "$name: the JVM could not use the AOT cache (was the CLI rebuilt meanwhile?): $(cat "$work/out/$name.stdout" "$work/out/$name.stderr" | grep -m1 -E '\[error *\]\[aot *\]|\[aot *\]')"
    fi
  done
}

# Percentage of CPU time spent idle over the next second, all cores together (from /proc/stat).
idle_percent() {
  local a b
  a=($(head -n1 /proc/stat)); sleep 1; b=($(head -n1 /proc/stat))
  local total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$(( total + b[i] - a[i] )); done
  echo $(( total > 0 ? 100 * (b[4] + b[5] - a[4] - a[5]) / total : 100 ))
}

# Waits until the CPUs have been >= 90% idle for 2 seconds in a row, at most $max_wait seconds (0: not at all).
# How much other work still ran while a command was timed is measured separately (see time_command).
wait_for_quiet() {
  [ "$max_wait" -gt 0 ] || return 0
  local waited=0 quiet=0 idle
  while [ "$waited" -lt "$max_wait" ]; do
    idle=$(idle_percent); waited=$(( waited + 1 ))
    if [ "$idle" -ge 90 ]; then quiet=$(( quiet + 1 )); [ "$quiet" -ge 2 ] && return 0; else quiet=0; fi
  done
  warn "the machine is busy (CPU ${idle}% idle) after waiting ${waited} s: timing anyway"
}

# Wall time: hyperfine (mean, sigma, min, median over $runs runs) or, without it, /usr/bin/time the same number of
# times. Peak RSS: /usr/bin/time, median of up to 3 runs. Results go to $work/results/NAME.
time_command() {
  local name="$1" f="${cmd_file[$1]}" prep="${cmd_prepare[$1]}" res="$work/results/$1"
  mkdir -p "$res"
  local rss_runs=$(( runs < 3 ? runs : 3 ))
  wait_for_quiet
  # The machine's CPU counters around the timed runs: minus the command's own CPU time, they show how much
  # other work ran meanwhile (the report prints it next to each figure).
  head -n1 /proc/stat >"$res/cpu-before.txt"; date +%s.%N >"$res/window.txt"
  if [ $have_hyperfine = 1 ]; then
    local args=(--runs "$runs" --warmup 0 --style basic -N --export-json "$res/hyperfine.json" -n "$name")
    [ -z "$prep" ] || args+=(--prepare "$prep")
    # -N: no intermediate shell (less noise); the command is split like a shell would, hence %q.
    hyperfine "${args[@]}" "$(printf '%q' "$f")" >&2
  else
    rss_runs=$runs
  fi
  local i
  for (( i = 0; i < rss_runs; i++ )); do
    [ -z "$prep" ] || bash -c "$prep"
    /usr/bin/time -f '%e %M %U %S' -a -o "$res/time.txt" "$f" >/dev/null 2>>"$res/stderr.txt"
  done
  head -n1 /proc/stat >"$res/cpu-after.txt"; date +%s.%N >>"$res/window.txt"
}

# --- results ----------------------------------------------------------------------------------------------------

# Compares every tool's sets with the manifest. Inputs: NAME=FORMAT:FILE. Prints a summary, exits 1 on a difference.
compare_sets() {
  python3 - "$tree_dir" "$manifest" "$@" <<'PY'
import json, os, stat, sys

tree = os.path.realpath(sys.argv[1])
manifest = json.load(open(sys.argv[2], encoding="utf-8"))

# A duplicate set is compared as a set of inodes: a tool may list every hard link of a file, one of them, or (jdupes)
# some of them, and all mean the same storage. A set of one inode (hard links only) is no duplicate at all.
inode_of, paths_of = {}, {}
for d, _, names in os.walk(tree):
    for n in names:
        p = os.path.join(d, n)
        st = os.lstat(p)
        if stat.S_ISREG(st.st_mode):
            inode_of[p] = (st.st_dev, st.st_ino)
            paths_of.setdefault(inode_of[p], []).append(p)

def normalize(path_sets):
    """Path sets -> set of frozensets of inodes; sets sharing an inode are merged (a tool may split one)."""
    parent, unknown = {}, []
    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for s in path_sets:
        keys = []
        for p in s:
            k = inode_of.get(os.path.normpath(p))
            (keys.append(k) if k else unknown.append(p))
        for k in keys:
            parent[find(k)] = find(keys[0])
    merged = {}
    for k in list(parent):
        merged.setdefault(find(k), set()).add(k)
    return {frozenset(g) for g in merged.values() if len(g) > 1}, unknown

def load(fmt, file):
    data = json.load(open(file, encoding="utf-8", errors="surrogateescape"))
    if fmt == "cleanbackup":   # a group's files: keep + duplicates + protected; hard links of those in hardLinks
        return [[g["keep"], *g["duplicates"], *g["protected"], *g.get("hardLinks", [])] for g in data["groups"]]
    if fmt == "jdupes":
        return [[f["filePath"] for f in s["fileList"]] for s in data.get("matchSets", [])]
    if fmt == "rmlint":        # header, one object per finding, footer; the files of a set share a checksum
        sets = {}
        for e in data:
            if e.get("type") == "duplicate_file":
                sets.setdefault(e["checksum"], []).append(e["path"])
        return list(sets.values())
    raise SystemExit(f"unknown format {fmt}")

def show(g):
    return "{" + ", ".join(sorted(os.path.relpath(p, tree) for k in g for p in paths_of[k])) + "}"

def cleanbackup_checks(file):
    """What inode sets cannot show: every hard link listed exactly once, and a summary that adds up."""
    data = json.load(open(file, encoding="utf-8"))
    issues = []
    expected_paths = {frozenset(g) for g in manifest["groups"]}
    listed = [[g["keep"], *g["duplicates"], *g["protected"], *g["hardLinks"]] for g in data["groups"]]
    twice = sum(len(l) != len(set(l)) for l in listed)
    if twice:
        issues.append(f"{twice} groups list a path twice")
    if {frozenset(l) for l in listed} != expected_paths:
        issues.append("the paths listed (keep, duplicates, protected, hardLinks) differ from the tree's")
    s = data["summary"]
    # Removing a duplicate path frees nothing while another hard link to its inode stays: such a duplicate must
    # not count as reclaimable.
    def freeable(g):
        linked = {inode_of[h] for h in g["hardLinks"]}
        return sum(1 for d in g["duplicates"] if inode_of[d] not in linked)
    sums = {"groups": len(data["groups"]),
            "duplicates": sum(len(g["duplicates"]) for g in data["groups"]),
            "bytesReclaimable": sum(g["size"] * freeable(g) for g in data["groups"]),
            "filesScanned": manifest["files"]}
    for key, value in sums.items():
        if s.get(key) != value:
            issues.append(f"summary.{key} is {s.get(key)}, expected {value}")
    if s.get("bytesScanned") != manifest["bytes"]:
        issues.append(f"note: summary.bytesScanned is {s.get('bytesScanned')} while the tree holds "
                      f"{manifest['bytes']} bytes of file data (hard links counted again?)")
    return issues

expected, _ = normalize(manifest["groups"])
ok = True
print(f"expected (built into the tree): {len(expected)} duplicate sets")
for arg in sys.argv[3:]:
    name, spec = arg.split("=", 1)
    fmt, file = spec.split(":", 1)
    found, unknown = normalize(load(fmt, file))
    missing, extra = expected - found, found - expected
    same = not (missing or extra or unknown)
    print(f"{name}: {len(found)} sets: {'same sets' if same else 'DIFFERENT'}")
    if not same:
        ok = False
        for label, sets in (("expected sets not found", missing), ("sets found that were not expected", extra)):
            if sets:
                print(f"  {len(sets)} {label}, e.g.:")
                for g in sorted(sets, key=show)[:5]:
                    print("    " + show(g))
        if unknown:
            print(f"  {len(unknown)} listed paths are no regular file of the tree, e.g. {unknown[:3]}")
    if fmt == "cleanbackup":
        for issue in cleanbackup_checks(file):
            print("  cleanbackup: " + issue)
            ok = ok and issue.startswith("note:")
sys.exit(0 if ok else 1)
PY
}

# Writes (or replaces) this scale's section of the markdown file from the collected figures.
write_markdown() { # sets-result-text sets-ok(0/1)
  local info="$work/machine.txt"
  {
    echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "nproc=$(nproc)"
    echo "cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -n1)"
    echo "mem=$(free -h | awk '/^Mem:/ {print $2 " total, " $7 " available"}')"
    echo "kernel=$(uname -sr)"
    echo "fs=$(stat -f -c %T "$tree_dir") ($(df -P "$tree_dir" | awk 'NR==2 {print $1}'))"
    echo "jdk=$("$java_bin" -version 2>&1 | sed -n 2p)"
    echo "cleanbackup=$("${cb_cmd[@]}" --version 2>/dev/null | head -n1)"
    [ $have_jdupes = 0 ] || echo "jdupes=$(jdupes -v | head -n1)"
    [ $have_rmlint = 0 ] || echo "rmlint=rmlint $(rmlint --version 2>&1 | head -n1 | sed 's/\x1b\[[0-9;]*m//g; s/^version //; s/ compiled:.*(rev / (rev /')"
    [ $have_hyperfine = 0 ] || echo "hyperfine=$(hyperfine --version)"
    echo "load=$load_before -> $(cut -d' ' -f1-3 /proc/loadavg)"
    # Which code was measured: the commit (and whether core/cli had uncommitted changes) and the jar's build time.
    local commit
    if commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null)"; then
      git -C "$repo" diff --quiet HEAD -- core cli 2>/dev/null || commit+=" + uncommitted changes in core/cli"
    else
      commit="no git checkout"
    fi
    echo "git=$commit; jar built $(date -u -r "$repo/cli/target/cleanbackup.jar" '+%Y-%m-%d %H:%M UTC')"
  } >"$info"
  python3 - "$out_md" "$scale" "$runs" "$manifest" "$work" "$info" "$repo" "$1" "$2" "${tools[@]}" <<'PY'
import json, os, re, statistics, sys

out_md, scale, runs, manifest_file, work, info_file, repo, sets_text, sets_ok = sys.argv[1:10]
tools = sys.argv[10:]
manifest = json.load(open(manifest_file, encoding="utf-8"))
info = dict(line.rstrip("\n").split("=", 1) for line in open(info_file, encoding="utf-8") if "=" in line)

def figures(name):
    res = os.path.join(work, "results", name)
    f = {}
    hf = os.path.join(res, "hyperfine.json")
    if os.path.exists(hf):
        r = json.load(open(hf))["results"][0]
        f.update(mean=r["mean"], sd=r["stddev"] or 0.0, min=r["min"], median=r["median"], n=len(r["times"]))
    rows = [l.split() for l in open(os.path.join(res, "time.txt")) if re.match(r"^[0-9.]+ [0-9]+ [0-9.]+ [0-9.]+$", l.strip())]
    walls, rss = [float(r[0]) for r in rows], [int(r[1]) for r in rows]
    own_cpu = sum(float(r[2]) + float(r[3]) for r in rows)
    if "mean" not in f:
        f.update(mean=statistics.mean(walls), sd=statistics.pstdev(walls), min=min(walls),
                 median=statistics.median(walls), n=len(walls))
    else:
        own_cpu += (r.get("user", 0) + r.get("system", 0)) * f["n"]
    f["rss"] = statistics.median(rss) / 1024      # MiB
    # Other load: CPU time the whole machine spent busy during the timed runs, minus the command's own, as a share
    # of all the CPU time there was. Near 0% means the figures are clean.
    before, after = ([int(x) for x in open(os.path.join(res, n)).read().split()[1:9]] for n in ("cpu-before.txt", "cpu-after.txt"))
    busy = sum(a - b for i, (a, b) in enumerate(zip(after, before)) if i not in (3, 4)) / os.sysconf("SC_CLK_TCK")
    t0, t1 = (float(x) for x in open(os.path.join(res, "window.txt")).read().split())
    f["other"] = max(0.0, busy - own_cpu) / ((t1 - t0) * os.cpu_count()) * 100
    f["cmd"] = open(os.path.join(work, "cmd", name + ".sh")).read().splitlines()[-1]

    return f

fig = {t: figures(t) for t in tools}
# The commands name temporary paths: show them relative to placeholders a reader can follow.
tree_dir = os.path.join(os.path.dirname(manifest_file), "tree")
def shorten(cmd):
    return cmd.removeprefix("exec ").replace(tree_dir, "$TREE").replace(os.path.join(work, "out"), "$OUT").replace(repo + "/", "").replace(repo, ".")

labels = {"jvm-baseline": "JVM baseline (`cleanbackup --version`)", "cleanbackup": "**cleanbackup dedupe**",
          "jdupes-summary": "jdupes -m (summary only)", "jdupes-list": "jdupes -j (lists the sets)",
          "rmlint": "rmlint (JSON report)"}
lines = []
lines.append(f"<!-- compare-exact scale={scale} begin -->")
lines.append(f"## Exact duplicates: cleanbackup vs jdupes and rmlint, scale {scale}")
lines.append("")
lines.append(f"Made by `benchmarks/compare-exact.sh --scale {scale}` on {info['date']} (code: {info['git']}).")
lines.append(f"Tree: {manifest['files']:,} files ({manifest['hardLinks']:,} of them hard links) in "
             f"{manifest['folders']:,} folders, {manifest['bytes'] / 1e6:,.0f} MB of data, "
             f"{len(manifest['groups']):,} duplicate sets; seed {manifest['seed']}. Random content with media "
             "extensions; copies in other folders, same-size files differing only in the first, middle or last "
             "byte, hard links, empty files, symbolic links, hidden files, non-ASCII names.")
lines.append("")
lines.append("Machine: " + "; ".join(f"{k} {info[k]}" for k in ("nproc", "cpu", "mem", "kernel", "fs") if k in info)
             + f"; load average {info['load']} (before -> after).")
lines.append("Versions: " + "; ".join(info[k] for k in ("jdk", "cleanbackup", "jdupes", "rmlint", "hyperfine") if k in info) + ".")
lines.append("")
lines.append(f"Warm page cache: one untimed run of each command first, then {runs} timed runs "
             f"({'hyperfine' if 'hyperfine' in info else '/usr/bin/time'}); peak RSS is the median of "
             "`/usr/bin/time -f %M` over up to 3 runs. \"Other load\" is the CPU time other processes used while a "
             "command was timed, as a share of all CPUs: above a few percent, the times are inflated.")
lines.append("")
lines.append("| Command | Wall time, mean ± σ | min | median | Peak RSS | Other load while timed |")
lines.append("|---|---:|---:|---:|---:|---:|")
for t in tools:
    f = fig[t]
    lines.append(f"| {labels.get(t, t)} | {f['mean']:.3f} s ± {f['sd']:.3f} | {f['min']:.3f} s | "
                 f"{f['median']:.3f} s | {f['rss']:.0f} MiB | {f['other']:.0f}% |")
lines.append("")
peers = [t for t in tools if t in ("jdupes-summary", "jdupes-list", "rmlint")]
cb = fig["cleanbackup"]
if peers:
    fastest = min(peers, key=lambda t: fig[t]["mean"])
    ratio = cb["mean"] / fig[fastest]["mean"]
    base = fig["jvm-baseline"]["rss"]
    lines.append("Targets (issue 2):")
    lines.append(f"- time: cleanbackup {cb['mean']:.3f} s vs the fastest peer ({fastest}) {fig[fastest]['mean']:.3f} s: "
                 f"{ratio:.2f}x, {'**met**' if ratio <= 1.0 else '**missed**'} (target: at or below it). "
                 f"Of cleanbackup's time, {fig['jvm-baseline']['mean']:.3f} s is the JVM's own start-up "
                 "(`--version`).")
    # "Within 2x of theirs plus the JVM's own baseline", against each peer.
    for t in peers:
        if t == "jdupes-list":
            continue
        limit = 2 * fig[t]["rss"] + base
        lines.append(f"- memory vs {t}: cleanbackup {cb['rss']:.0f} MiB vs 2 x {fig[t]['rss']:.0f} MiB + the JVM "
                     f"baseline {base:.0f} MiB = {limit:.0f} MiB: {'**met**' if cb['rss'] <= limit else '**missed**'}.")
    lines.append("")
lines.append(f"Duplicate sets (compared as sets of inodes, so a hard link listed or not counts the same): "
             f"{'**all tools found the expected sets**' if sets_ok == '0' else '**THE SETS DIFFER**'}.")
lines.append("")
lines.append("```")
lines.extend(sets_text.rstrip("\n").splitlines())
lines.append("```")
lines.append("")
lines.append("Commands ($TREE is the tree, $OUT a scratch folder):")
lines.append("")
lines.append("```sh")
for t in tools:
    lines.append(shorten(fig[t]["cmd"]))
lines.append("```")
lines.append("")
lines.append("Notes: jdupes is single-threaded and does not match two hard links of one inode (it may still list a "
             "hard link beside a real copy); rmlint runs with `-L` (one path per inode), `-F` (no symbolic links), "
             "`--hidden` and `-T df`; cleanbackup folds hard links into one file and lists the others under "
             "`hardLinks`. No tool counts empty files or follows symbolic links here.")
lines.append(f"<!-- compare-exact scale={scale} end -->")
section = "\n".join(lines) + "\n"

old = open(out_md, encoding="utf-8").read() if os.path.exists(out_md) else ""
pattern = re.compile(rf"<!-- compare-exact scale={scale} begin -->.*?<!-- compare-exact scale={scale} end -->\n?", re.S)
if pattern.search(old):
    new = pattern.sub(lambda m: section, old)
else:
    header = "" if old.strip() else ("# Benchmarks: exact duplicates\n\nWritten by `benchmarks/compare-exact.sh`; "
                                     "each scale has its own section, replaced by the next run of that scale.\n\n")
    new = header + old + ("\n" if old and not old.endswith("\n\n") else "") + section
os.makedirs(os.path.dirname(os.path.abspath(out_md)), exist_ok=True)
open(out_md, "w", encoding="utf-8").write(new)
print(section)
PY
}

# --- main -------------------------------------------------------------------------------------------------------

cleanup() {
  # The tree is removed unless --keep-tree named a place for it; the work folder always goes.
  [ -z "$work" ] || rm -rf "$work"
}

main() {
  parse_args "$@"
  check_tools
  work="$(mktemp -d "${TMPDIR:-/tmp}/compare-exact.XXXXXX")"
  trap cleanup EXIT
  prepare_cleanbackup
  trap 'exit 130' INT TERM
  prepare_tree
  define_commands
  load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
  log "Warm-up (untimed) of: ${tools[*]}"
  warm_up
  local name
  for name in "${tools[@]}"; do
    log "Timing $name: $(tail -n1 "${cmd_file[$name]}")"
    time_command "$name"
  done
  log "Comparing the duplicate sets"
  local specs=("cleanbackup=cleanbackup:$work/out/cleanbackup.json") sets_rc=0 sets_text
  [ $have_jdupes = 0 ] || specs+=("jdupes=jdupes:$work/out/jdupes.json")
  [ $have_rmlint = 0 ] || specs+=("rmlint=rmlint:$work/out/rmlint.json")
  sets_text="$(compare_sets "${specs[@]}")" || sets_rc=$?
  printf '%s\n' "$sets_text"
  log "Writing $out_md"
  write_markdown "$sets_text" "$sets_rc"
  if [ "$sets_rc" != 0 ]; then
    printf '\n!!! The tools found DIFFERENT duplicate sets (details above). !!!\n' >&2
    exit 1
  fi
}

main "$@"
