#!/bin/bash
# test-run-lock.sh — one writer per run directory, through zimaru-cli: while a trainer holds RUN/.lock
# (stopped with SIGSTOP, so that it writes nothing while we look), a second `train --resume` fails
# with exit 1 and one line naming the writer, and leaves metrics.jsonl, run.json and the checkpoints
# byte for byte as they were; readers (generate) work meanwhile; the lock file names the writer;
# and once the holder is killed with SIGKILL the next writer gets the lock at once.
set -u

CLI=${ZIMARU_CLI:?ZIMARU_CLI must name zimaru-cli}
CHARS="一二三四五六七八九十人大小上下中山川日月木水火土金"
tmp=$(mktemp -d)
holder=
trap '[ -n "$holder" ] && kill -9 "$holder" 2>/dev/null; rm -rf "$tmp"' EXIT
common=(--threads 1 --quiet --cache-dir "$tmp/cache")
n=0
failed=0
echo "1..8"

check () {
  n=$((n + 1))
  if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

snapshot () {
  (cd "$run" && md5sum run.json metrics.jsonl checkpoints/*)
}

run=$tmp/R
"$CLI" train --chars-text "$CHARS" --run "$run" --size 32 --ngf 8 --batch 4 --val-every 1000000 \
  --checkpoint-every 5 --steps 5 "${common[@]}" >/dev/null 2>&1
check $? "a tiny run to work on"

# The holder: a resumed run long enough to outlast the test, stopped once it has logged a step.
"$CLI" train --resume --run "$run" --steps 1000000 "${common[@]}" >/dev/null 2>&1 &
holder=$!
lines=$(wc -l <"$run/metrics.jsonl")
for _ in $(seq 600); do
  [ "$(wc -l <"$run/metrics.jsonl")" -gt "$lines" ] && grep -q "\"pid\":$holder" "$run/.lock" 2>/dev/null && break
  sleep 0.1
done
kill -STOP "$holder"
sleep 0.2
before=$(snapshot)

# The lock file names the writer.
started=$(sed -nE 's/.*"started":([0-9]+).*/\1/p' "$run/.lock")
now=$(date +%s)
grep -q "\"pid\":$holder," "$run/.lock" && grep -q "\"host\":\"$(hostname)\"" "$run/.lock" \
  && grep -q '"program":"zimaru-cli"' "$run/.lock" && [ -n "$started" ] && [ $((now - started)) -lt 120 ]
check $? "the lock file names the writer: $(cat "$run/.lock")"

"$CLI" train --resume --run "$run" --steps 30 "${common[@]}" >"$tmp/out" 2>"$tmp/err"
rc=$?
sed 's/^/# /' "$tmp/err"
since=$(date -d "@$started" +%H:%M)
[ $rc = 1 ] && [ "$(grep -c '' "$tmp/err")" = 1 ] \
  && grep -qF "zimaru-cli: error: The run $run is being trained by zimaru-cli (pid $holder on $(hostname), since $since); stop it first, or open the run read-only in the window." "$tmp/err"
check $? "a second trainer fails with exit 1 and one line naming the writer (exit $rc)"
[ "$(snapshot)" = "$before" ]
check $? "the second trainer wrote nothing (metrics.jsonl, run.json and checkpoints unchanged)"

"$CLI" generate --checkpoint "$run" --chars-text "一二" --out "$tmp/gen" --quiet >/dev/null 2>"$tmp/err2"
rc2=$?
[ $rc2 = 0 ] && [ -f "$tmp/gen/uni4E00.png" ]
check $? "a reader (generate) needs no lock (exit $rc2)"

{ kill -9 "$holder"; wait "$holder"; } 2>/dev/null
holder=
t0=$(date +%s%N)
"$CLI" train --resume --run "$run" --steps 1 "${common[@]}" >/dev/null 2>"$tmp/err3"
rc3=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ $rc3 = 0 ]
check $? "after SIGKILL of the holder the next writer gets the lock at once (exit $rc3, ${ms} ms)"
[ ! -s "$run/.lock" ]
check $? "a finished writer leaves the lock file empty"
"$CLI" train --resume --run "$run" --steps 1 "${common[@]}" >/dev/null 2>&1
check $? "and the next one after it trains too"
exit $failed
