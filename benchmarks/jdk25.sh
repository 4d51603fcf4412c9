# Sourced by the benchmark scripts: sets java to a JDK 25 or newer (JAVA_HOME first, then /usr/lib/jvm/*), or ends
# the script with exit code 2 saying what is missing.
java=""
for j in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  if [ -x "$j/bin/java" ] && "$j/bin/java" -version 2>&1 | grep -Eq 'version "(2[5-9]|[3-9][0-9])'; then java="$j/bin/java"; break; fi
done
[ -n "$java" ] || { echo "needs a JDK 25 or newer (set JAVA_HOME)" >&2; exit 2; }
