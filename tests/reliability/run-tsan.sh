#!/bin/bash
# run-tsan.sh — the ThreadSanitizer job of .ci/run: builds the engine, data-layer and trainer tests
# with -fsanitize=thread in their own build directory (default build-tsan beside the sources) and runs
# the nn, run and train suites (the trainer's worker thread, its event delivery and pause / resume /
# stop from the main thread). Exits non-zero if a test fails or TSan reports a race.
#
# Usage: tests/reliability/run-tsan.sh [BUILDDIR] [meson test options, e.g. --no-suite slow]
set -eu

src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build-tsan}
[ $# -gt 0 ] && shift

if [ ! -d "$build/meson-private" ]; then
  meson setup "$build" "$src" -Db_sanitize=thread -Dbuildtype=debugoptimized
fi
# Only what those suites run, and the CLI (train-trainer spawns it); the UI is not needed.
targets=$(cd "$build" && meson introspect --tests | python3 -c '
import json, sys, os
root = os.getcwd()
for t in json.load(sys.stdin):
    if set(t["suite"]) & {"zimaru:nn", "zimaru:run", "zimaru:train"}:
        print(os.path.relpath(t["cmd"][0], root))
print("app/cli/zimaru-cli")')
ninja -C "$build" $targets

# No suppressions: a report anywhere fails the job. OpenBLAS's own threads are not instrumented, so
# one thread keeps its work inside the instrumented caller.
export TSAN_OPTIONS="halt_on_error=0 exitcode=66 second_deadlock_stack=1 suppressions=$src/tests/reliability/tsan.supp ${TSAN_OPTIONS:-}"
export OPENBLAS_NUM_THREADS=1
meson test -C "$build" --no-rebuild --suite nn --suite run --suite train --print-errorlogs --timeout-multiplier 10 "$@"
