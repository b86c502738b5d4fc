#!/usr/bin/env bash
# test-cli-glyph.sh — zimaru-cli info, charset and render as README.md documents them: outputs, exit
# codes (0 / 1 failed work / 2 usage) and the one-line "zimaru-cli: error:" for every bad input tried
# here.
# Prints TAP. Usage: test-cli-glyph.sh PYTHON (with fontTools), $ZIMARU_CLI set by meson.
set -u
py=$1
cli=${ZIMARU_CLI:?ZIMARU_CLI must name zimaru-cli}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/zimaru-cli-glyph-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () {
  n=$((n + 1)); failed=1; echo "not ok $n - $1"
  [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/# /'
  return 0
}
check () { if eval "$2"; then ok "$1"; else not_ok "$1" "${3:-}"; fi; }

# run ARGS...: runs the CLI, leaving its exit code in $rc, stdout in $tmp/out, stderr in $tmp/err.
run () { "$cli" "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }

# expect_error NAME CODE NEEDLE ARGS...: exit CODE, exactly one stderr line starting
# "zimaru-cli: error:" that contains NEEDLE, nothing on stdout.
expect_error () {
  local name=$1 code=$2 needle=$3
  shift 3
  run "$@"
  local lines
  lines=$(wc -l <"$tmp/err")
  if [ "$rc" -eq "$code" ] && [ "$lines" -eq 1 ] && grep -q '^zimaru-cli: error: ' "$tmp/err" &&
     grep -qF -- "$needle" "$tmp/err" && [ ! -s "$tmp/out" ]; then
    ok "$name"
  else
    not_ok "$name" "exit $rc (want $code), stderr: $(cat "$tmp/err")"
  fi
}

# ---- info ----------------------------------------------------------------------------------------
run info "Zen Maru Gothic"
check "info by pattern succeeds" '[ $rc -eq 0 ]' "$(cat "$tmp/err")"
check "info reports the family" 'grep -q "^Family: *Zen Maru Gothic$" "$tmp/out"'
check "info reports 7864 glyphs" 'grep -q "^Glyphs: *7864$" "$tmp/out"'
check "info reports the em box from BASE" 'grep -q "^Em box: *y -120…880" "$tmp/out"'
check "info reports coverage of CJK Unified Ideographs" \
  'grep -q "CJK Unified Ideographs  *U+4E00–9FFF  *6682 / 20992" "$tmp/out"' "$(grep CJK "$tmp/out")"

run info "Zen Maru Gothic" --json
check "info --json succeeds" '[ $rc -eq 0 ]'
json_check=$("$py" - "$tmp/out" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
cov = {b["block"]: b["covered"] for b in d["coverage"]}
ok = (d["family"] == "Zen Maru Gothic" and d["glyph_count"] == 7864 and d["metrics"]["units_per_em"] == 1000
      and d["em_box"]["bottom"] == -120 and d["em_box"]["top"] == 880 and cov["CJK Unified Ideographs"] == 6682
      and len(d["faces"]) == 1)
print("yes" if ok else d)
EOF
)
check "info --json has the glyph count, em box and coverage" '[ "$json_check" = yes ]' "$json_check"

noto=$(fc-match -f '%{file}' "Noto Sans CJK TC")
run info "$noto#3"
check "info PATH#N opens that face of a collection" \
  '[ $rc -eq 0 ] && grep -q "^Family: *Noto Sans CJK TC$" "$tmp/out" && grep -q "^Faces in file: *10$" "$tmp/out"'
zen=$(fc-match -f '%{file}' "Zen Maru Gothic")
run info "$zen"
check "info PATH opens a file" '[ $rc -eq 0 ] && grep -q "^Glyphs: *7864$" "$tmp/out"'

# ---- bad fonts: exit 1 and a line naming the file --------------------------------------------------
mkdir "$tmp/fonts"
expect_error "info: missing file" 1 "$tmp/fonts/missing.ttf" info "$tmp/fonts/missing.ttf"
expect_error "info: a directory" 1 "$tmp/fonts" info "$tmp/fonts"
: >"$tmp/fonts/empty.ttf"
expect_error "info: an empty file" 1 "$tmp/fonts/empty.ttf" info "$tmp/fonts/empty.ttf"
head -c 300000 "$zen" >"$tmp/fonts/truncated.ttf"
expect_error "info: a truncated font" 1 "$tmp/fonts/truncated.ttf" info "$tmp/fonts/truncated.ttf"
expect_error "info: face index out of range" 1 "#5" info "$zen#5"
expect_error "info: face index out of range in a collection" 1 "#10" info "$noto#10"
expect_error "info: a pattern that matches no family" 1 "Zimaru Nonexistent Sans" info "Zimaru Nonexistent Sans"
expect_error "info: no FONT is a usage error" 2 "FONT" info
expect_error "info: an unknown flag is a usage error" 2 "--frobnicate" info --frobnicate "Zen Maru Gothic"

# ---- charset ---------------------------------------------------------------------------------------
run charset --set shared --block cjk
check "charset shared cjk succeeds" '[ $rc -eq 0 ]' "$(cat "$tmp/err")"
check "charset shared cjk prints 6682 ideographs" '[ "$(wc -l <"$tmp/out")" -eq 6682 ]' "$(wc -l <"$tmp/out")"
cp "$tmp/out" "$tmp/shared.txt"
order_check=$("$py" - "$tmp/shared.txt" <<'EOF'
import sys
cps = [ord(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")]
print("yes" if cps == sorted(set(cps)) and all(0x4E00 <= c <= 0x9FFF for c in cps) else "no")
EOF
)
check "charset output is one ideograph per line in code-point order" '[ "$order_check" = yes ]'
run charset --set missing --block cjk --count
check "charset missing cjk counts about 14,300" '[ $rc -eq 0 ] && [ "$(cat "$tmp/out")" -ge 14000 ] && [ "$(cat "$tmp/out")" -le 14600 ]' \
  "$(cat "$tmp/out")"
run charset --set target --block kana --target "$zen"
check "charset target kana with a target path" '[ $rc -eq 0 ] && [ "$(wc -l <"$tmp/out")" -ge 170 ]'
expect_error "charset: --set is required" 2 "--set" charset
expect_error "charset: a bad --set" 2 "common" charset --set common
expect_error "charset: a bad --block" 2 "hangul" charset --set shared --block hangul
expect_error "charset: a source pattern matching nothing" 1 "Zimaru Nonexistent Sans" \
  charset --set shared --source "Zimaru Nonexistent Sans"

# A font with no CJK glyphs: Zen Maru Gothic cut down to ASCII with fontTools.
if "$py" -m fontTools.subset "$zen" --unicodes=U+0020-007E --output-file="$tmp/fonts/latin.ttf" 2>"$tmp/err"; then
  ok "made a Latin-only font"
  expect_error "charset: a source font with no CJK glyphs" 1 "$tmp/fonts/latin.ttf" \
    charset --set shared --block cjk --source "$tmp/fonts/latin.ttf"
  expect_error "render: a font with none of the characters" 1 "$tmp/fonts/latin.ttf" \
    render --font "$tmp/fonts/latin.ttf" --chars-text "永口" --out "$tmp/latin-out"
  check "render with a wrong font leaves no output directory" '[ ! -e "$tmp/latin-out" ]'
  run info "$tmp/fonts/latin.ttf"
  check "info of a Latin-only font works and shows no CJK" '[ $rc -eq 0 ] && ! grep -q "CJK Unified" "$tmp/out"'
  cp "$tmp/out" "$tmp/latin-info.txt"
  # The same font as WOFF: FreeType unpacks it, HarfBuzz reads its tables through FreeType.
  "$py" -c 'import sys; from fontTools.ttLib import TTFont; f = TTFont(sys.argv[1]); f.flavor = "woff"; f.save(sys.argv[2])' \
    "$tmp/fonts/latin.ttf" "$tmp/fonts/latin.woff"
  run info "$tmp/fonts/latin.woff"
  check "info of a WOFF font matches its TTF" \
    '[ $rc -eq 0 ] && diff <(grep -v "^File:" "$tmp/out") <(grep -v "^File:" "$tmp/latin-info.txt") >/dev/null' \
    "$(cat "$tmp/out" "$tmp/err")"
else
  not_ok "made a Latin-only font" "$(cat "$tmp/err")"
fi

# ---- render ----------------------------------------------------------------------------------------
run render --font "Zen Maru Gothic" --chars-text "口囗" --size 64 --out "$tmp/render/zen"
check "render succeeds" '[ $rc -eq 0 ]' "$(cat "$tmp/err")"
check "render writes uniXXXX.png and nothing else" \
  '[ "$(ls "$tmp/render/zen" | tr "\n" " ")" = "uni53E3.png uni56D7.png " ]' "$(ls -a "$tmp/render/zen")"
png_check=$("$py" - "$tmp/render/zen/uni53E3.png" <<'EOF'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
w, h, depth, color = struct.unpack(">IIBB", data[16:26])
# Gather IDAT, inflate, drop the filter bytes (filter 0 rows are enough to find paper and ink values).
pos, idat = 8, b""
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    if kind == b"IDAT":
        idat += data[pos + 8:pos + 8 + length]
    pos += 12 + length
raw = zlib.decompress(idat)
print("yes" if (w, h, depth, color) == (64, 64, 8, 0) and len(raw) == 64 * 65 else (w, h, depth, color, len(raw)))
EOF
)
check "render writes 64×64 8-bit grayscale PNGs" '[ "$png_check" = yes ]' "$png_check"
printf '口\n' >"$tmp/one.txt"
run render --font "$noto#3" --chars "$tmp/one.txt" --size 256 --out "$tmp/render/noto" --quiet
check "render --chars FILE at 256 px" '[ $rc -eq 0 ] && [ -s "$tmp/render/noto/uni53E3.png" ]' "$(cat "$tmp/err")"

beyond=$("$cli" charset --set source --source "$noto#3" | "$py" -c '
import sys
print(next(l.strip() for l in sys.stdin if ord(l.strip()[0]) > 0x1FFFF))')
name=$("$py" -c 'import sys; print("u%04X" % ord(sys.argv[1]))' "$beyond")
run render --font "$noto#3" --chars-text "$beyond" --out "$tmp/render/beyond"
check "render names a character beyond the BMP ${name}.png" '[ $rc -eq 0 ] && [ -s "$tmp/render/beyond/$name.png" ]' \
  "$(ls "$tmp/render/beyond" 2>&1)"

run render --font "Zen Maru Gothic" --chars-text "永䀀" --out "$tmp/render/partial"
check "render skips characters the font lacks and says so" \
  '[ $rc -eq 0 ] && [ -s "$tmp/render/partial/uni6C38.png" ] && [ ! -e "$tmp/render/partial/uni4000.png" ] && grep -q "1 character" "$tmp/err"' \
  "$(cat "$tmp/err")"

# Bad fonts and charsets for render: exit 1, the file named, no output directory created.
cp "$tmp/render/zen/uni53E3.png" "$tmp/fonts/image.ttf"
expect_error "render: a PNG renamed .ttf" 1 "$tmp/fonts/image.ttf" \
  render --font "$tmp/fonts/image.ttf" --chars-text "口" --out "$tmp/bad-out"
expect_error "render: a missing font file" 1 "$tmp/fonts/missing.otf" \
  render --font "$tmp/fonts/missing.otf" --chars-text "口" --out "$tmp/bad-out"
: >"$tmp/empty.txt"
expect_error "render: an empty charset file" 1 "$tmp/empty.txt" \
  render --font "Zen Maru Gothic" --chars "$tmp/empty.txt" --out "$tmp/bad-out"
printf '  \n\t\n' >"$tmp/blank.txt"
expect_error "render: an all-whitespace charset file" 1 "$tmp/blank.txt" \
  render --font "Zen Maru Gothic" --chars "$tmp/blank.txt" --out "$tmp/bad-out"
printf '\xa5\xc3\xa6\x72\n' >"$tmp/big5.txt"
expect_error "render: a charset file in Big5 (not UTF-8)" 1 "$tmp/big5.txt" \
  render --font "Zen Maru Gothic" --chars "$tmp/big5.txt" --out "$tmp/bad-out"
expect_error "render: a missing charset file" 1 "$tmp/nothing.txt" \
  render --font "Zen Maru Gothic" --chars "$tmp/nothing.txt" --out "$tmp/bad-out"
printf '口\n' >"$tmp/exclude.txt"
expect_error "render: --exclude removing every character" 1 "$tmp/exclude.txt" \
  render --font "Zen Maru Gothic" --chars-text "口" --exclude "$tmp/exclude.txt" --out "$tmp/bad-out"
check "failed renders leave no output directory" '[ ! -e "$tmp/bad-out" ]'

# Usage errors: exit 2.
expect_error "render: no --out" 2 "--out" render --font "Zen Maru Gothic" --chars-text "口"
expect_error "render: no characters" 2 "--chars" render --font "Zen Maru Gothic" --out "$tmp/bad-out"
expect_error "render: --size out of range" 2 "--size 5" render --font "Zen Maru Gothic" --chars-text "口" --size 5 --out "$tmp/bad-out"
expect_error "render: --size not a number" 2 "--size" render --font "Zen Maru Gothic" --chars-text "口" --size big --out "$tmp/bad-out"
expect_error "render: two character sources" 2 "--chars-text" \
  render --font "Zen Maru Gothic" --chars-text "口" --chars "$tmp/one.txt" --out "$tmp/bad-out"
expect_error "render: an unknown preset" 2 "nonsense" render --font "Zen Maru Gothic" --preset nonsense --out "$tmp/bad-out"
check "usage errors leave no output directory" '[ ! -e "$tmp/bad-out" ]'

echo "1..$n"
exit $failed
