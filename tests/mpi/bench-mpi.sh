#!/bin/bash
# bench-mpi.sh — data-parallel training against threads on one machine: for each size, a training of
# STEPS steps (default 64 px: 40, 256 px: 8; ngf 32, global batch 16) as 1 process × 2 threads and as
# `mpirun -n 2` × 1 thread, alternating ROUNDS times (default 2), printing seconds per step (from
# metrics.jsonl, the first 3 steps left out) and, for the ranks, the share of the step they spent
# waiting for each other (ZIMARU_MPI_STATS). Run it on a quiet machine; it prints the load it saw.
#
# Usage: tests/mpi/bench-mpi.sh [ZIMARU-CLI] [SIZES...]
set -eu
CLI=${1:-build/app/cli/zimaru-cli}
shift || true
SIZES=${*:-64 256}
ROUNDS=${ROUNDS:-2}
CHARS="一二三四五六七八九十人大小上下中山川日月木水火土金天地玄黃宇宙洪荒日月盈昃辰宿列張"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
common=(--chars-text "$CHARS" --quiet --cache-dir "$tmp/cache" --ngf 32 --batch 16 --val-every 1000000
        --checkpoint-every 1000000 --log-every 1 --val-fraction 0)

per_step () {  # metrics.jsonl -> seconds per step after step 3
  sed -nE 's/.*"step":([0-9]+),.*"seconds":([0-9.e]+),.*/\1 \2/p' "$1" \
    | awk '$1 == 3 { s0 = $2 } $1 > 3 { n = $1 - 3; s = $2 } END { if (n) printf "%.4f", (s - s0) / n }'
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for size in $SIZES; do
  steps=$([ "$size" -ge 256 ] && echo 8 || echo 40)
  for round in $(seq "$ROUNDS"); do
    rm -rf "$tmp/t" "$tmp/m"
    "$CLI" train "${common[@]}" --size "$size" --steps "$steps" --threads 2 --run "$tmp/t"
    ZIMARU_MPI_STATS=1 mpirun --allow-run-as-root --oversubscribe -q -n 2 -x ZIMARU_MPI_STATS \
      "$CLI" train "${common[@]}" --size "$size" --steps "$steps" --run "$tmp/m" 2>"$tmp/stats"
    wait=$(sed -nE 's/.*rank ([0-9]) of 2: .*, ([0-9.]+)% of it waiting.*/rank \1 \2%/p' "$tmp/stats" | tr '\n' ' ')
    echo "size $size round $round: 1 process x 2 threads $(per_step "$tmp/t/metrics.jsonl") s/step;" \
         "2 ranks x 1 thread $(per_step "$tmp/m/metrics.jsonl") s/step, waiting: $wait"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
