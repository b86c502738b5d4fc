#!/bin/sh
# compare-peer.sh — times full pix2pix training steps of Zimaru's engine (bench-step) and of the
# PyTorch peer (../shared/peer/torch_bench.py) side by side, one configuration after the other, and
# prints the table of README.md's "Performance" with the ratio (peer seconds / ours). Both use the
# SkylakeX kernels of OpenBLAS and two threads, the setting of the peer's reference timings (torch
# threads 2, OpenBLAS 1); ours runs its default (one engine thread per core, single-threaded OpenBLAS
# inside each). Run it on an otherwise idle machine: with other jobs on the cores the numbers mean
# little. ROUNDS=N runs the table N times (who runs first alternates between rounds) and adds a table
# of medians. BF16=1 also times our steps with --precision bf16 (on a processor with AVX512_BF16) in
# the same rounds, and adds its columns.
#   [ROUNDS=N] [BF16=1] tests/bench/compare-peer.sh BUILD/tests/nn/bench-step [STEPS] [PEER_SCRIPT]
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

rounds=${ROUNDS:-1}
case $rounds in
  ''|*[!0-9]*|0) echo "compare-peer.sh: ROUNDS must be a positive whole number, not '$rounds'" >&2; exit 2 ;;
esac

export OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-SkylakeX}
peer_time() {
  OPENBLAS_NUM_THREADS=1 "$python" "$peer" "$1" 16 "$steps" 2 "$2" | sed -n 's/.*mean=\([0-9.]*\) s\/step.*/\1/p'
}
ours_time() {
  "$bench" --size "$1" --ngf "$2" --batch 16 --steps "$steps" --precision "${3:-fp32}" \
    | sed -n 's/.* mean \([0-9.]*\) .*/\1/p'
}
bf16=${BF16:-0}
ratio() { awk -v p="$1" -v o="$2" 'BEGIN { if (o > 0) printf "%.2f", p / o; else print "-" }'; }
results=$(mktemp)
trap 'rm -f "$results"' EXIT
printf '%-5s %-6s %-4s %-6s %12s %12s %8s' round size ngf batch 'peer s/step' 'ours s/step' ratio
[ "$bf16" = 1 ] && printf ' %12s %8s' 'bf16 s/step' ratio
printf '\n'
for round in $(seq "$rounds"); do
  for cfg in "64 32" "64 64" "128 32" "256 32"; do
    set -- $cfg
    size=$1 ngf=$2
    # Alternate who runs first, so that a machine drifting during a round favours neither side.
    b=0
    if [ $((round % 2)) -eq 1 ]; then
      p=$(peer_time "$size" "$ngf"); o=$(ours_time "$size" "$ngf")
      [ "$bf16" = 1 ] && b=$(ours_time "$size" "$ngf" bf16)
    else
      [ "$bf16" = 1 ] && b=$(ours_time "$size" "$ngf" bf16)
      o=$(ours_time "$size" "$ngf"); p=$(peer_time "$size" "$ngf")
    fi
    r=$(ratio "$p" "$o"); rb=$(ratio "$p" "$b")
    printf '%-5s %-6s %-4s %-6s %12s %12s %8s' "$round" "$size" "$ngf" 16 "$p" "$o" "${r}x"
    [ "$bf16" = 1 ] && printf ' %12s %8s' "$b" "${rb}x"
    printf '\n'
    echo "$size $ngf $p $o $r $b $rb" >> "$results"
  done
done
if [ "$rounds" -gt 1 ]; then
  echo
  echo "medians of $rounds rounds (ratio: median of the rounds' ratios, each round's in brackets)"
  printf '%-6s %-4s %-6s %12s %12s %8s  %s\n' size ngf batch 'peer s/step' 'ours s/step' ratio rounds
  for cfg in "64 32" "64 64" "128 32" "256 32"; do
    set -- $cfg
    awk -v size="$1" -v ngf="$2" '
      function median(a, n,    i, j, t) {
        for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
      }
      $1 == size && $2 == ngf { n++; p[n] = $3; o[n] = $4; r[n] = $5; b[n] = $6; rb[n] = $7
                                list = list (n > 1 ? ", " : "") $5; listb = listb (n > 1 ? ", " : "") $7 }
      END { printf "%-6s %-4s %-6s %12.4g %12.4g %7.2fx  (%s)", size, ngf, 16, median(p, n), median(o, n), median(r, n), list
            if (bf16 == 1) printf "   bf16 %.4g s %.2fx  (%s)", median(b, n), median(rb, n), listb
            printf "\n" }
    ' bf16="$bf16" "$results"
  done
fi
