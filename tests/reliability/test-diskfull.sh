#!/bin/bash
# test-diskfull.sh — a full disk during training and export. A file-size limit (ulimit -f,
# with SIGXFSZ ignored so write() fails with EFBIG) stands in for a full disk anywhere; when this runs
# as root and may mount a small tmpfs, a real ENOSPC is tested too (skipped otherwise). Each failure
# must exit 1 with one `zimaru-cli: error:` line naming the file, and leave the previous checkpoint or
# output directory as it was, with no temporary file behind. Prints TAP.
set -u

CLI=${ZIMARU_CLI:?ZIMARU_CLI must name zimaru-cli}
CHARS="一二三四五六七八九十人大小上下中山川日月木水火土金口目耳手足心女子田力刀工王石竹米糸貝車門雨"
tmp=$(mktemp -d)
mnt=
cleanup () {
  [ -n "$mnt" ] && umount "$mnt" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
common=(--threads 1 --quiet --cache-dir "$tmp/cache")
model=(--size 32 --ngf 8 --batch 4 --seed 5 --checkpoint-every 10 --val-every 1000000)
n=0
echo "1..15"

result () {  # result OK DESCRIPTION [DIAGNOSTIC]
  n=$((n + 1))
  if [ "$1" = 1 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; [ -n "${3:-}" ] && echo "# $3"; fi
}

# check_error RC ERRFILE PATTERN DESCRIPTION: exit 1 and exactly one error line naming PATTERN.
check_error () {
  local ok=0
  [ "$1" = 1 ] && [ "$(grep -c '' "$2")" = 1 ] && grep -q "^zimaru-cli: error: .*$3" "$2" && ok=1
  result $ok "$4" "exit $1: $(head -c 400 "$2")"
}

no_temp_left () {  # no_temp_left DIR...: nothing named *.tmp-* below the directories
  [ -z "$(find "$@" -name '*.tmp-*' 2>/dev/null)" ]
}

# Runs the CLI with a file-size limit of $1 KiB.
limited () {
  local kib=$1
  shift
  ( ulimit -f "$kib"; trap '' XFSZ; exec "$CLI" "$@" )
}

# ---- a checkpoint write hits the limit ----
run=$tmp/run
"$CLI" train --chars-text "$CHARS" --run "$run" "${model[@]}" --steps 10 "${common[@]}" >/dev/null 2>"$tmp/err"
prev=$run/checkpoints/step-00000010.zck
cp "$prev" "$tmp/prev.zck" 2>/dev/null
# 2 MiB: run.json, metrics and the 1 MiB average fit, the 3.6 MiB checkpoint does not.
limited 2048 train --resume --run "$run" --steps 20 "${common[@]}" >/dev/null 2>"$tmp/err"
check_error $? "$tmp/err" "step-00000020\.zck" "a checkpoint that does not fit fails with one error line naming it"
ok=0; cmp -s "$prev" "$tmp/prev.zck" && [ ! -e "$run/checkpoints/step-00000020.zck" ] \
  && [ ! -e "$run/checkpoints/step-00000020.ema.zck" ] && ok=1
result $ok "the previous checkpoint is intact and no torn checkpoint (nor its average) is left" \
  "$(ls "$run/checkpoints")"
ok=0; no_temp_left "$run" && ok=1
result $ok "no temporary file is left in the run directory" "$(find "$run" -name '*.tmp-*')"
ok=0
"$CLI" train --resume --run "$run" --steps 20 --json "${common[@]}" >"$tmp/out" 2>"$tmp/err" \
  && grep -q '"step" : 20,' "$tmp/out" && ok=1
result $ok "with room again, --resume continues from the previous checkpoint" "$(head -c 300 "$tmp/err")"

# ---- an export hits the limit ----
# The first file over the limit is one of the UFO's (a .glif or a .plist): the error must name it.
export_args=(export --render-font "Zen Maru Gothic" --chars-text "一二三" --format png,svg,ufo --quiet)
limited 1 "${export_args[@]}" --out "$tmp/out-new" >/dev/null 2>"$tmp/err"
check_error $? "$tmp/err" "\.ufo/[^ ]*\.\(plist\|glif\)" "an export that does not fit fails with one error line naming the file"
ok=0; [ ! -e "$tmp/out-new" ] && no_temp_left "$tmp" && ok=1
result $ok "the failed export leaves no output directory and no temporary one" "$(ls "$tmp")"
"$CLI" "${export_args[@]}" --out "$tmp/out-old" >/dev/null 2>"$tmp/err"
before=$(cd "$tmp/out-old" 2>/dev/null && find . -type f | sort | xargs md5sum)
limited 1 "${export_args[@]}" --out "$tmp/out-old" --force >/dev/null 2>"$tmp/err"
check_error $? "$tmp/err" "\.ufo/[^ ]*\.\(plist\|glif\)" "replacing an export (--force) that does not fit fails with one error line"
after=$(cd "$tmp/out-old" 2>/dev/null && find . -type f | sort | xargs md5sum)
ok=0; [ -n "$before" ] && [ "$before" = "$after" ] && no_temp_left "$tmp" && ok=1
result $ok "the export it would have replaced is intact, with no temporary directory left" "$(ls "$tmp")"

# ---- a real ENOSPC on a small tmpfs, when we may mount one ----
mkdir -p "$tmp/mnt"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=6m tmpfs "$tmp/mnt" 2>/dev/null; then
  mnt=$tmp/mnt
  # 6 MiB hold the step-0 checkpoint and its average (4.7 MiB) but not the step-10 pair besides.
  run=$mnt/run
  "$CLI" train --chars-text "$CHARS" --run "$run" "${model[@]}" --keep 5 --steps 10 "${common[@]}" \
    >/dev/null 2>"$tmp/err"
  check_error $? "$tmp/err" "step-00000010.*No space left" "ENOSPC during a checkpoint fails with one error line naming it"
  ok=0
  "$CLI" eval --checkpoint "$run/checkpoints/step-00000000.zck" --chars-text "一二" --json >/dev/null 2>"$tmp/err2" \
    && [ ! -e "$run/checkpoints/step-00000010.zck" ] && no_temp_left "$run" && ok=1
  result $ok "the previous checkpoint loads and no partial file is left" "$(head -c 300 "$tmp/err2") $(ls "$run/checkpoints")"
  rm -rf "${mnt:?}"/*
  # A 64 KiB file system: the export's files do not all fit.
  umount "$mnt" && mount -t tmpfs -o size=64k tmpfs "$mnt"
  head -c 40000 /dev/zero >"$mnt/filler"
  "$CLI" "${export_args[@]}" --out "$mnt/out" >/dev/null 2>"$tmp/err"
  check_error $? "$tmp/err" "No space left" "ENOSPC during an export fails with one error line"
  ok=0; [ ! -e "$mnt/out" ] && no_temp_left "$mnt" && ok=1
  result $ok "the failed export leaves nothing behind on the full file system" "$(ls "$mnt")"
  ok=0; [ -n "$(ls "$mnt")" ] && umount "$mnt" && mnt= && ok=1
  result $ok "the file system unmounts (no file of ours held open)"
  # With room, the same export works: the failure was the disk, not the input.
  ok=0
  "$CLI" "${export_args[@]}" --out "$tmp/out-room" >/dev/null 2>"$tmp/err" && [ -d "$tmp/out-room" ] && ok=1
  result $ok "with room, the same export succeeds" "$(head -c 300 "$tmp/err")"
  ok=0; [ -f "$tmp/out-room/manifest.json" ] && ok=1
  result $ok "the export has its manifest"
else
  for ((i = 0; i < 7; i++)); do
    n=$((n + 1)); echo "ok $n # SKIP cannot mount a tmpfs here (needs root)"
  done
fi
