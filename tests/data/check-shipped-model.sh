#!/usr/bin/env bash
# Checks the model that ships with Zimaru (data/models/): it is within 25 MB, its SHA-256 is the one
# documented in zimaru-maru-64.json, it loads as the default model, and its validation figures per
# style, measured again by zimaru-cli eval, match the documented ones within 0.005 SSIM and L1.
# Usage: check-shipped-model.sh SOURCE_ROOT (ZIMARU_CLI names the command line). Prints TAP.
set -u
top=$1
dir=$top/data/models
n=0; failed=0
ok() { n=$((n+1)); echo "ok $n - $1"; }
not_ok() { n=$((n+1)); failed=1; echo "not ok $n - $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/# /'; }

model=$dir/zimaru-maru-64.zck
doc=$dir/zimaru-maru-64.json
if [ -f "$model" ] && [ -f "$doc" ]; then ok "the model and its documentation are there"; else
  not_ok "the model and its documentation are there" "missing $model or $doc"; echo "1..$n"; exit 1; fi
bytes=$(stat -c %s "$model")
if [ "$bytes" -le 25000000 ]; then ok "the model is within 25 MB ($bytes bytes)"; else not_ok "the model is within 25 MB" "$bytes bytes"; fi
want=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sha256"])' "$doc")
got=$(sha256sum "$model" | cut -d' ' -f1)
if [ "$want" = "$got" ]; then ok "SHA-256 as documented"; else not_ok "SHA-256 as documented" "documented $want, file $got"; fi

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
if ZIMARU_MODEL_DIR=$dir "$ZIMARU_CLI" eval --checkpoint default --style all --chars "$dir/zimaru-maru-64-val.txt" \
     --json --quiet --cache-dir "$tmp" > "$tmp/eval.json" 2> "$tmp/err"; then
  ok "zimaru-cli eval --checkpoint default runs"
else
  not_ok "zimaru-cli eval --checkpoint default runs" "$(cat "$tmp/err")"; echo "1..$n"; exit 1
fi
out=$(python3 - "$doc" "$tmp/eval.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))["styles"]
got = json.load(open(sys.argv[2]))["styles"]
bad = []
for name, d in doc.items():
    g = got.get(name)
    if g is None:
        bad.append(f"{name}: not in the model")
        continue
    for key in ("ssim", "l1"):
        if abs(g["model"][key] - d[key]) > 0.005:
            bad.append(f"{name}: {key} {g['model'][key]:.4f}, documented {d[key]:.4f}")
    if g["n"] != d["n"]:
        bad.append(f"{name}: {g['n']} glyphs, documented {d['n']}")
if set(got) != set(doc):
    bad.append(f"styles {sorted(got)} against documented {sorted(doc)}")
print("\n".join(bad))
PY
)
if [ -z "$out" ]; then ok "validation figures per style as documented (within 0.005)"; else not_ok "validation figures per style as documented (within 0.005)" "$out"; fi
# A damaged copy is refused with one line naming it.
head -c 100000 "$model" > "$tmp/zimaru-maru-64.zck"
if ZIMARU_MODEL_DIR=$tmp "$ZIMARU_CLI" eval --checkpoint default --chars-text 永 --quiet > /dev/null 2> "$tmp/err2"; then
  not_ok "a truncated model is refused"
elif grep -q "zimaru-maru-64.zck" "$tmp/err2" && [ "$(wc -l < "$tmp/err2")" -eq 1 ]; then
  ok "a truncated model is refused with one line naming it"
else
  not_ok "a truncated model is refused with one line naming it" "$(cat "$tmp/err2")"
fi
# Not installed: one line saying where it looked.
mkdir -p "$tmp/empty"
ZIMARU_MODEL_DIR=$tmp/empty "$ZIMARU_CLI" eval --checkpoint default --chars-text 永 --quiet > /dev/null 2> "$tmp/err3"
code=$?
if [ "$code" -eq 1 ] && grep -q "is not installed (looked in $tmp/empty)" "$tmp/err3"; then
  ok "a missing model is one line saying where Zimaru looked (exit 1)"
else
  not_ok "a missing model is one line saying where Zimaru looked (exit 1)" "exit $code: $(cat "$tmp/err3")"
fi
echo "1..$n"
exit $failed
