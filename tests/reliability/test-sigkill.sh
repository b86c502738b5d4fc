#!/bin/bash
# test-sigkill.sh — crash safety of training: kills `zimaru-cli train` with SIGKILL at
# seeded random moments, some of them while a checkpoint's temporary file exists, and checks after each
# kill that --resume works from the newest checkpoint, the run directory still loads (eval) whatever
# temporary files the kill left, and at most one checkpoint interval of steps was lost. Prints TAP.
set -u

CLI=${ZIMARU_CLI:?ZIMARU_CLI must name zimaru-cli}
KILLS=${ZIMARU_SIGKILL_COUNT:-24}
EVERY=10            # --checkpoint-every: the most steps a kill may lose
RANDOM=8            # bash's generator, seeded so the kill moments repeat from run to run
# Forty characters both default fonts have: a real font pair, but a dataset built in a blink.
CHARS="一二三四五六七八九十人大小上下中山川日月木水火土金口目耳手足心女子田力刀工王石竹米糸貝車門雨"

tmp=$(mktemp -d)
trap 'kill -9 $pid 2>/dev/null; rm -rf "$tmp"' EXIT
pid=
run=$tmp/run
common=(--threads 1 --quiet --cache-dir "$tmp/cache")
n=0
echo "1..$((KILLS * 4 + 1))"
mid_write=0

result () {  # result OK DESCRIPTION [DIAGNOSTIC]
  n=$((n + 1))
  if [ "$1" = 1 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; [ -n "${3:-}" ] && echo "# $3"; fi
}

newest_step () {  # the newest checkpoint on disk, by name, or 0
  local s=0 f b
  for f in "$run"/checkpoints/step-*.zck; do
    [ -e "$f" ] || continue
    case $f in *.ema.zck) continue ;; esac  # the average beside a checkpoint, written before it
    b=${f##*/step-}; b=${b%%.*}
    [ $((10#$b)) -gt $s ] && s=$((10#$b))
  done
  echo $s
}

last_logged_step () {  # the step of the last complete metrics.jsonl line, or 0
  local line
  line=$(grep -a '^{.*}$' "$run/metrics.jsonl" 2>/dev/null | tail -n 1)
  [[ $line =~ \"step\":([0-9]+) ]] && echo "${BASH_REMATCH[1]}" || echo 0
}

# Waits for a new checkpoint temporary file (not one an earlier kill left) to appear, polling as fast
# as bash can, up to ~2 s; prints its name.
wait_for_tmp () {
  local i f
  local old=" $(compgen -G "$run/checkpoints/*.tmp-*" | tr '\n' ' ') "
  for ((i = 0; i < 20000; i++)); do
    for f in $(compgen -G "$run/checkpoints/*.tmp-*"); do
      [[ $old == *" $f "* ]] || { echo "${f##*/}"; return 0; }
    done
    kill -0 "$pid" 2>/dev/null || return 1
  done
  return 1
}

for ((k = 1; k <= KILLS; k++)); do
  if [ $k = 1 ]; then
    "$CLI" train --chars-text "$CHARS" --run "$run" --size 32 --ngf 8 --batch 4 --seed 3 \
      --checkpoint-every $EVERY --log-every 1 --val-every 1000000 --keep 2 --steps 100000000 \
      "${common[@]}" 2>"$tmp/err" &
  else
    "$CLI" train --resume --run "$run" --steps 100000000 "${common[@]}" 2>"$tmp/err" &
  fi
  pid=$!
  # A kill before the run's first checkpoint leaves nothing to resume (train says so); start the
  # clock once there is one.
  if [ $k = 1 ]; then
    for ((i = 0; i < 500; i++)); do
      compgen -G "$run/checkpoints/step-*[0-9].zck" >/dev/null && break
      sleep 0.02
    done
  fi
  # Every third kill lands while a checkpoint is being written; the others after a random delay of
  # 0.05 to 1.2 s (some before the first checkpoint of the session, most after several).
  how="after a random delay"
  if [ $((k % 3)) = 0 ] && sleep 0.3 && name=$(wait_for_tmp); then
    how="while $name existed"
    mid_write=$((mid_write + 1))
  else
    sleep "$(printf '0.%03d' $((50 + RANDOM % 950)))"
    [ $((RANDOM % 4)) = 0 ] && sleep 0.2
  fi
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  pid=
  before=$(newest_step)
  logged=$(last_logged_step)
  left=$( (cd "$run" && compgen -G "*.tmp-*"; compgen -G "checkpoints/*.tmp-*") | tr '\n' ' ')
  echo "# kill $k $how: newest checkpoint step $before, last logged step $logged${left:+; left behind: $left}"

  # 1. --resume continues from the newest checkpoint and finishes a few more steps.
  lines=$(grep -c '' "$run/metrics.jsonl" 2>/dev/null || echo 0)
  target=$((before + 3))
  if "$CLI" train --resume --run "$run" --steps $target --json "${common[@]}" >"$tmp/out" 2>"$tmp/err"; then
    rc=0
  else
    rc=$?
  fi
  ok=0; [ $rc = 0 ] && grep -q "\"step\" : $target," "$tmp/out" && ok=1
  result $ok "kill $k: train --resume exits 0 and reaches step $target" "exit $rc: $(head -c 300 "$tmp/err")"

  # 2. It resumed at the newest checkpoint: the first step it logged is the one after it.
  first=$(tail -n +$((lines + 1)) "$run/metrics.jsonl" | grep -a -m 1 -o '"step":[0-9]*' | cut -d: -f2)
  ok=0; [ "${first:-x}" = $((before + 1)) ] && ok=1
  result $ok "kill $k: resumed at step $before (first new metrics step ${first:-none})"

  # 3. At most one checkpoint interval was lost.
  ok=0; [ $((logged - before)) -le $EVERY ] && ok=1
  result $ok "kill $k: lost $((logged - before)) steps (at most $EVERY)"

  # 4. The run loads (run.json, metrics.jsonl, newest checkpoint) even with a temporary file that a
  # kill left behind: nothing may take one for a checkpoint.
  ok=0
  "$CLI" eval --checkpoint "$run" --chars-text "一二三" --json >"$tmp/eval" 2>"$tmp/err" \
    && grep -q '"l1"' "$tmp/eval" && ok=1
  result $ok "kill $k: eval loads the run" "$(head -c 300 "$tmp/err")"
done

# The kills inside checkpoint writes must really have happened, not all fallen back to a delay.
ok=0; [ $mid_write -ge $((KILLS / 6)) ] && ok=1
result $ok "$mid_write of $KILLS kills landed while a checkpoint was being written (at least $((KILLS / 6)))"
