# Sourced by build.sh and build-audio.sh: the part every native artifact's build shares. Expects out, skip, name
# (the file to build) and what (how the log calls it); sets os, arch, dir (OUTDIR/<os>/<arch>) and CC, removes the
# artifact of an earlier build, and gives missing(), which records why the artifact was not built and ends the
# script without failing the build.
os="$(uname -s | tr 'A-Z' 'a-z')"
case "$(uname -m)" in
  x86_64|amd64) arch=amd64 ;;
  aarch64|arm64) arch=aarch64 ;;
  *) arch="$(uname -m)" ;;
esac
dir="$out/$os/$arch"
mkdir -p "$dir"
rm -f "$dir/$name" "$dir/$name.missing"
missing() {
  echo "$1" > "$dir/$name.missing"
  echo "[phash-native] $what not built: $1"
  exit 0
}
[ "$skip" = "true" ] && missing "the build was run with -Dcleanbackup.native.skip=true"
[ "$os" = "linux" ] || missing "the $what is built on Linux only (this build ran on $os)"
CC="${CC:-gcc}"
