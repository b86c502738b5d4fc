#!/usr/bin/env bash
# run-fuzzers.sh — builds the libFuzzer targets of tests/fuzz/meson.build in their own build directory
# (clang, ASan + UBSan; default build-fuzz, or $FUZZ_BUILD_DIR) and runs each of them for DURATION
# seconds (default 60). Exits non-zero if a target cannot be built or any fuzzer finds a crash, a leak,
# a timeout or runs out of memory; the input that triggered it is kept in BUILD/fuzz-artifacts/.
#
# Usage: tests/fuzz/run-fuzzers.sh [DURATION] [NAME...]   (NAME: e.g. ckpt for fuzz-ckpt; default all)
# The corpus of fuzz-NAME grows in BUILD/fuzz-corpus/NAME across runs; it starts from the output of
# the seed-NAME program (if the build defines one) and from tests/fuzz/corpus/NAME/ (if it exists);
# tests/fuzz/NAME.dict (if it exists) is its dictionary and tests/fuzz/NAME.options holds extra
# libFuzzer flags for it, one a line ('#' starts a comment line). Inputs of crashes found and fixed,
# tests/fuzz/regress/NAME-*, are replayed first: a regression fails the run before any fuzzing.
# The fuzzers' scratch files go to a private directory under /dev/shm (tmpfs) when it is writable.
set -euo pipefail

duration=${1:-60}
shift || true
if ! [[ $duration =~ ^[0-9]+$ ]] || [ "$duration" -lt 1 ]; then
  echo "run-fuzzers.sh: DURATION must be a whole number of seconds, not '$duration'" >&2
  exit 2
fi

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
build=${FUZZ_BUILD_DIR:-build-fuzz}
# Leaks inside Fontconfig's one-time start-up are not ours (tests/fuzz/lsan.supp names them).
export LSAN_OPTIONS="suppressions=$root/tests/fuzz/lsan.supp ${LSAN_OPTIONS:-}"

if ! command -v clang >/dev/null; then
  echo "run-fuzzers.sh: clang is needed (apt install clang)" >&2
  exit 1
fi
if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" -Dfuzzers=true -Dbuildtype=debugoptimized >"$build.setup.log" 2>&1 || {
    cat "$build.setup.log" >&2
    exit 1
  }
  rm -f "$build.setup.log"
else
  meson configure "$build" -Dfuzzers=true >/dev/null
  # Regenerate now if any meson.build changed, so that the introspection below sees new targets.
  ninja -C "$build" build.ninja >/dev/null
fi

# Every executable the build defines under tests/fuzz, as "name<TAB>path" lines.
list_targets() {
  meson introspect "$build" --targets | /usr/bin/python3 -c '
import json, sys
for t in json.load(sys.stdin):
    if t["type"] == "executable" and t["defined_in"].endswith("tests/fuzz/meson.build"):
        print(t["name"] + "\t" + t["filename"][0])
'
}
targets=$(list_targets)
fuzzers=$(printf '%s\n' "$targets" | awk -F'\t' '$1 ~ /^fuzz-/ { print $1 }')
if [ -z "$fuzzers" ]; then
  echo "run-fuzzers.sh: tests/fuzz/meson.build defines no fuzz-* target" >&2
  exit 1
fi
if [ $# -gt 0 ]; then
  wanted=""
  for name in "$@"; do
    printf '%s\n' "$fuzzers" | grep -qx "fuzz-$name" || {
      echo "run-fuzzers.sh: no fuzzer fuzz-$name in tests/fuzz/meson.build" >&2
      exit 2
    }
    wanted="$wanted fuzz-$name"
  done
  fuzzers=$wanted
fi

path_of() { printf '%s\n' "$targets" | awk -F'\t' -v n="$1" '$1 == n { print $2 }'; }

# Build only what this script runs (the rest of the project is configured but not compiled here).
build_paths=()
for fuzzer in $fuzzers; do
  build_paths+=("$(path_of "$fuzzer")")
  seeder=$(path_of "seed-${fuzzer#fuzz-}")
  [ -n "$seeder" ] && build_paths+=("$seeder")
done
rel_paths=()
for p in "${build_paths[@]}"; do rel_paths+=("$(realpath --relative-to="$build" "$p")"); done
ninja -C "$build" "${rel_paths[@]}"

# A private scratch directory, on tmpfs when possible (the fuzzers write their inputs to files, and
# some writers fsync), removed at exit even when a fuzzer crashed and could not clean up.
scratch_parent=/dev/shm
[ -d "$scratch_parent" ] && [ -w "$scratch_parent" ] || scratch_parent=${TMPDIR:-/tmp}
scratch=$(mktemp -d "$scratch_parent/zimaru-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export TMPDIR=$scratch

failed=()
for fuzzer in $fuzzers; do
  name=${fuzzer#fuzz-}
  corpus="$build/fuzz-corpus/$name"
  artifacts="$build/fuzz-artifacts"
  mkdir -p "$corpus" "$artifacts"
  seeder=$(path_of "seed-$name")
  [ -n "$seeder" ] && "$seeder" "$corpus"
  dirs=("$corpus")
  [ -d "tests/fuzz/corpus/$name" ] && dirs+=("tests/fuzz/corpus/$name")

  options=()
  [ -f "tests/fuzz/$name.dict" ] && options+=("-dict=tests/fuzz/$name.dict")
  if [ -f "tests/fuzz/$name.options" ]; then
    while read -r option; do
      [ -n "$option" ] && [ "${option#\#}" = "$option" ] && options+=("$option")
    done <"tests/fuzz/$name.options"
  fi
  log="$build/fuzz-$name.log"

  regressions=(tests/fuzz/regress/"$name"-*)
  if [ -e "${regressions[0]}" ]; then
    echo "== $fuzzer: ${#regressions[@]} regression input(s)"
    if ! "$(path_of "$fuzzer")" -timeout=10 -rss_limit_mb=2048 "${regressions[@]}" >"$log" 2>&1; then
      echo "  FAILED on a regression input (a known crash not fixed yet, or back); see $log" >&2
      grep -E 'ERROR|SUMMARY|runtime error|fuzz check|well-formed|Running:' "$log" | tail -n 10 >&2 || true
      failed+=("$fuzzer")
      continue
    fi
  fi

  echo "== $fuzzer for ${duration}s"
  if "$(path_of "$fuzzer")" -max_total_time="$duration" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$artifacts/$name-" "${options[@]}" "${dirs[@]}" >"$log" 2>&1; then
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$log" \
      | sed 's/^stat::/  /' || true
  else
    echo "  FAILED: see $log and $artifacts/" >&2
    grep -E 'ERROR|SUMMARY|runtime error|fuzz check|well-formed|Test unit written' "$log" | head -n 10 >&2 || true
    failed+=("$fuzzer")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "run-fuzzers.sh: failures in: ${failed[*]}" >&2
  exit 1
fi
echo "run-fuzzers.sh: all fuzzers ran ${duration}s without a finding"
