#!/usr/bin/env bash
# Checks the translations: POTFILES.in is sorted and complete (every source file with a marked string
# is listed), and each language in LINGUAS compiles with msgfmt --check, with no untranslated or fuzzy
# message among those extracted from the sources. Prints TAP.
set -u
top=$1
cd "$top" || exit 1
n=0; failed=0
ok() { n=$((n+1)); echo "ok $n - $1"; }
not_ok() { n=$((n+1)); failed=1; echo "not ok $n - $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/# /'; }

listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d')
if [ "$listed" = "$(printf '%s\n' "$listed" | LC_ALL=C sort)" ]; then ok "POTFILES.in is sorted"; else not_ok "POTFILES.in is sorted"; fi

missing=""
for f in $(git ls-files 'app/*.c' 'resources/*.ui' 'resources/**/*.ui' 2>/dev/null || true); do
  if grep -qE '\b(_|N_|C_|NC_)\s*\(\s*"|translatable="yes"' "$f"; then
    grep -qxF "$f" po/POTFILES.in || missing="$missing $f"
  fi
done
for f in $listed; do [ -f "$f" ] || missing="$missing $f(gone)"; done
if [ -z "$missing" ]; then ok "POTFILES.in lists every file with translatable strings"; else not_ok "POTFILES.in lists every file with translatable strings" "differs:$missing"; fi

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
xgettext --from-code=UTF-8 --files-from=po/POTFILES.in --directory=. --output="$tmp/zimaru.pot" \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 \
  --add-comments 2>"$tmp/xgettext.log" || { not_ok "xgettext extracts the strings" "$(cat "$tmp/xgettext.log")"; }
for lang in $(cat po/LINGUAS); do
  po=po/$lang.po
  if [ ! -f "$po" ]; then not_ok "$lang: po/$lang.po exists"; continue; fi
  if out=$(msgfmt --check --check-format -o /dev/null "$po" 2>&1); then ok "$lang: msgfmt --check"; else not_ok "$lang: msgfmt --check" "$out"; fi
  msgmerge --quiet --no-fuzzy-matching -o "$tmp/$lang.po" "$po" "$tmp/zimaru.pot" 2>/dev/null
  untrans=$(msgattrib --untranslated --no-obsolete "$tmp/$lang.po" 2>/dev/null | grep -c '^msgid ' || true)
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$po" 2>/dev/null | grep -c '^msgid ' || true)
  # msgattrib prints the header entry too when anything is listed.
  [ "$untrans" -gt 0 ] && untrans=$((untrans-1))
  [ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy-1))
  if [ "$untrans" -eq 0 ]; then ok "$lang: every string is translated"; else not_ok "$lang: every string is translated" "$untrans untranslated: $(msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep '^msgid ' | head -5)"; fi
  if [ "$fuzzy" -eq 0 ]; then ok "$lang: no fuzzy translation"; else not_ok "$lang: no fuzzy translation" "$fuzzy fuzzy"; fi
done
echo "1..$n"
exit $failed
