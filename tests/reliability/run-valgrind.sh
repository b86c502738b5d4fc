#!/bin/bash
# run-valgrind.sh — the memcheck job of .ci/run: runs the engine, glyph, data-layer and trainer test
# programs under the 'valgrind' test setup (tests/reliability/meson.build: definite leaks and memory
# errors fail) in an existing build directory. Only what fits in about two minutes on two cores runs
# by default; ZIMARU_VALGRIND_ALL=1 adds nn-pix2pix (~9 min under memcheck).
#
# Left out, with the reason:
#   nn-blas      re-executes itself to check OpenBLAS's core choice; memcheck's emulated CPU has no
#                AVX-512, so the parent under valgrind and the child outside it pick different cores
#                (a false failure, not a memory error).
#   nn-pix2pix   gradient checks and a learning test: ~9 minutes under memcheck.
#   train-trainer slow suite (trains end to end and spawns the CLI; far too slow under memcheck).
#   glyph-cli    a shell script: memcheck would only check bash.
#
# Usage: tests/reliability/run-valgrind.sh [BUILDDIR]
set -eu

src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build}
tests=(nn-layers nn-layers-conv nn-layers-norm nn-train nn-ckpt glyph-glyph glyph-dataset run-metrics
       run-run train-trainer-config train-trainer-parts)
[ "${ZIMARU_VALGRIND_ALL:-0}" = 1 ] && tests+=(nn-pix2pix)

ninja -C "$build"
meson test -C "$build" --setup valgrind --no-rebuild --print-errorlogs --num-processes 2 "${tests[@]}"
