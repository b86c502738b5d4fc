#!/bin/sh
# bench-startup.sh — times the desktop app from exec to its first painted frame (the goal: under 1 s
# with the default fonts and a warm dataset cache). Starts one Xvfb and one D-Bus session, runs the
# app ROUNDS times with ZIMARU_QUIT_AFTER_FIRST_FRAME=1 (it quits after its first frame) and prints
# every time and the median. Settings go to a throw-away memory backend, so the app opens on the
# default font pair as on a first start.
#   tests/bench/bench-startup.sh BUILD/app/ui/zimaru [ROUNDS]
set -eu

app=${1:?usage: bench-startup.sh PATH/TO/zimaru [ROUNDS]}
rounds=${2:-5}
if [ ! -x "$app" ]; then
  echo "bench-startup.sh: $app is not an executable; build it with ninja first" >&2
  exit 2
fi
build=$(cd "$(dirname "$app")/../.." && pwd)
export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$build/data" ZIMARU_QUIT_AFTER_FIRST_FRAME=1

exec xvfb-run -a -s "-screen 0 1600x1000x24" dbus-run-session -- /bin/sh -c '
  app=$1 rounds=$2
  "$app" >/dev/null 2>&1 || true   # warm the page cache, the font cache and the dataset cache
  times=""
  i=0
  while [ $i -lt "$rounds" ]; do
    t0=$(date +%s%N)
    "$app" >/dev/null 2>&1
    t1=$(date +%s%N)
    times="$times $(( (t1 - t0) / 1000000 ))"
    i=$((i + 1))
  done
  printf "%s\n" $times | sort -n | awk "{ t[NR] = \$1; printf \"start to first frame: %.3f s\\n\", \$1 / 1000 }
    END { printf \"median of %d: %.3f s\\n\", NR, (NR % 2) ? t[(NR + 1) / 2] / 1000 : (t[NR / 2] + t[NR / 2 + 1]) / 2000 }"
' sh "$app" "$rounds"
