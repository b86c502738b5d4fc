#!/bin/bash
# test-bad-numbers.sh — every numeric option of every zimaru-cli command (found in its --help by the
# metavariables N, X, M and SIGMA, so that a new option is covered without being listed here) given
# nan, inf, -inf, 1e400, -0 and an empty string. Each must fail with exit 2 and one `zimaru-cli:
# error:` line naming the value or the option, except -0 where zero is a documented value: that one must
# be accepted, which the command shows by failing later, with exit 1, on the missing font or checkpoint
# that each command is given so that no real work starts.
set -u

CLI=${ZIMARU_CLI:?ZIMARU_CLI must name zimaru-cli}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0

# Arguments that pass the option checks and then fail (exit 1) without doing any work.
declare -A base=(
  [render]="--font /nonexistent/font.ttf --chars-text 一 --out $tmp/render-out --quiet"
  [train]="--run $tmp/train-run --chars-text 一 --source /nonexistent/font.ttf --steps 1 --threads 1 --quiet"
  [export]="--checkpoint /nonexistent/x.zck --chars-text 一 --out $tmp/export-out --quiet"
  [lr-find]="--source /nonexistent/font.ttf --chars-text 一 --threads 1 --quiet"
  [bench]=""
)
# Options for which zero is a documented value (0 = all cores, no limit, off, follows --lr, ...).
declare -A zero_ok=(
  [render]=" --threads "
  [train]=" --dropout --lr-d --beta1 --beta2 --momentum --weight-decay --lr-step-every --lr-gamma --lr-floor
            --lr-patience --warmup-steps --l1-weight --const-weight --tv-weight --ssim-weight --clip-norm --ema
            --ndf --val-fraction --steps --minutes --threads "
  [export]=" --png-size --threads --smooth "
  [lr-find]=" --l1-weight --threads "
  [bench]=" --threads "
)

check () {
  local cmd=$1 opt=$2 value=$3 want=$4 rc ok=0
  # shellcheck disable=SC2086
  timeout 60 "$CLI" "$cmd" ${base[$cmd]} "$opt" "$value" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [ "$want" = 2 ]; then
    [ $rc = 2 ] && [ "$(grep -c '' "$tmp/err")" = 1 ] && grep -q "^zimaru-cli: error: " "$tmp/err" \
      && grep -qiF -e "$opt" -e "${value:-“”}" -e "${value#-}" "$tmp/err" && ok=1
  else
    [ $rc = "$want" ] && ok=1
  fi
  n=$((n + 1))
  if [ $ok = 1 ]; then
    echo "ok $n - $cmd $opt '$value' (exit $rc)"
  else
    echo "not ok $n - $cmd $opt '$value' (exit $rc, wanted $want)"
    failed=1
  fi
  sed 's/^/# /' "$tmp/err" | head -n 2
}

for cmd in render train export lr-find bench; do
  opts=$("$CLI" "$cmd" --help | sed -nE 's/^ +(--[a-z0-9-]+)=(N|X|M|SIGMA) .*/\1/p')
  [ -n "$opts" ] || { echo "Bail out! no numeric options found in 'zimaru-cli $cmd --help'"; exit 1; }
  for opt in $opts; do
    for value in nan inf -inf 1e400 ""; do
      check "$cmd" "$opt" "$value" 2
    done
    if [[ " $(echo ${zero_ok[$cmd]}) " == *" $opt "* ]]; then
      # bench has no late failure to stop it: an accepted -0 would run the benchmark.
      [ "$cmd" != bench ] && check "$cmd" "$opt" -0 1
    else
      check "$cmd" "$opt" -0 2
    fi
  done
done
echo "1..$n"
exit $failed
