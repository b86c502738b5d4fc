#!/bin/sh
# compare-peer.sh — times full pix2pix training steps of Zimaru's engine (bench-step) and of the
# PyTorch peer (../shared/peer/torch_bench.py) side by side, one configuration after the other, and
# prints the table of issue 9 with the ratio (peer seconds / ours). Both use the SkylakeX kernels of
# OpenBLAS and two threads, as ../shared/REFERENCE.md measured the peer (torch threads 2, OpenBLAS 1);
# ours runs its default (one engine thread per core, single-threaded OpenBLAS inside each). Run it
# on an otherwise idle machine: with other jobs on the cores the numbers mean little.
#   tests/bench/compare-peer.sh BUILD/tests/nn/bench-step [STEPS] [PEER_SCRIPT]
set -eu

bench=${1:?usage: compare-peer.sh PATH/TO/bench-step [STEPS] [PEER_SCRIPT]}
steps=${2:-3}
here=$(cd "$(dirname "$0")" && pwd)
peer=${3:-$here/../../../shared/peer/torch_bench.py}
python=/usr/bin/python3

if [ ! -x "$bench" ]; then
  echo "compare-peer.sh: $bench is not an executable; build it with ninja first" >&2
  exit 2
fi
if [ ! -f "$peer" ]; then
  echo "compare-peer.sh: the peer script $peer does not exist; pass its path as the third argument" >&2
  exit 2
fi

export OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-SkylakeX}
printf '%-6s %-4s %-6s %12s %12s %8s\n' size ngf batch 'peer s/step' 'ours s/step' ratio
for cfg in "64 32" "64 64" "128 32" "256 32"; do
  set -- $cfg
  size=$1 ngf=$2
  p=$(OPENBLAS_NUM_THREADS=1 "$python" "$peer" "$size" 16 "$steps" 2 "$ngf" | sed -n 's/.*mean=\([0-9.]*\) s\/step.*/\1/p')
  o=$("$bench" --size "$size" --ngf "$ngf" --batch 16 --steps "$steps" | sed -n 's/.* mean \([0-9.]*\) .*/\1/p')
  r=$(awk -v p="$p" -v o="$o" 'BEGIN { if (o > 0) printf "%.2f", p / o; else print "-" }')
  printf '%-6s %-4s %-6s %12s %12s %8s\n' "$size" "$ngf" 16 "$p" "$o" "${r}x"
done
