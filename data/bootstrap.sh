#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (as root) to build, run and test Zimaru: installs every build and
# test dependency from Debian, the Noto Sans CJK fonts (Debian package) and Zen Maru Gothic (npm package
# @expo-google-fonts/zen-maru-gothic, SIL OFL 1.1), then checks that fontconfig finds both families.
# Idempotent: a second run only verifies, so it is fast.
set -euo pipefail

log() { printf 'bootstrap: %s\n' "$*" >&2; }
die() { printf 'bootstrap: error: %s\n' "$*" >&2; exit 1; }

PACKAGES=(
  build-essential pkg-config meson ninja-build gettext clang libclang-rt-14-dev
  libglib2.0-dev libglib2.0-dev-bin libgtk-4-dev libjson-glib-dev
  libfreetype-dev libharfbuzz-dev libfontconfig-dev libcairo2-dev
  libopenblas-dev libopenblas0-pthread libpotrace-dev
  desktop-file-utils appstream xvfb xauth dbus
  fonts-noto-cjk fontmake python3-fonttools python3-ufolib2 librsvg2-bin opentype-sanitizer
  ca-certificates valgrind openmpi-bin libopenmpi-dev
)
ZEN_DIR=/usr/local/share/fonts/zen-maru-gothic
ZEN_PKG=@expo-google-fonts/zen-maru-gothic

[ "$(id -u)" -eq 0 ] || die "run me as root (apt-get and the system font directory need it)"

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# The machine images ship Node.js with npm from another source, which conflicts with Debian's npm:
# only ask Debian for npm where there is none.
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${#missing[@]} Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  log "Debian packages already installed"
fi

if ! ls "$ZEN_DIR"/ZenMaruGothic_400Regular.ttf >/dev/null 2>&1; then
  log "fetching Zen Maru Gothic from the npm registry ($ZEN_PKG)"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "$ZEN_PKG" >/dev/null) || die "npm pack $ZEN_PKG failed (is the npm registry reachable?)"
  tar -xzf "$tmp"/*.tgz -C "$tmp"
  mkdir -p "$ZEN_DIR.tmp"
  find "$tmp/package" -name 'ZenMaruGothic_*.ttf' -exec cp {} "$ZEN_DIR.tmp/" \;
  ls "$ZEN_DIR.tmp"/ZenMaruGothic_400Regular.ttf >/dev/null 2>&1 || die "the npm package had no ZenMaruGothic_400Regular.ttf"
  rm -rf "$ZEN_DIR" && mv "$ZEN_DIR.tmp" "$ZEN_DIR"
  fc-cache -f "$ZEN_DIR" >/dev/null
else
  log "Zen Maru Gothic already installed in $ZEN_DIR"
fi

check_family() {
  local want=$1 got
  got=$(fc-match -f '%{family[0]}' "$want")
  [ "$got" = "$want" ] || die "fontconfig does not find \"$want\" (it offers \"$got\" instead)"
  log "fontconfig finds \"$want\": $(fc-match -f '%{file}' "$want")"
}
check_family "Noto Sans CJK TC"
check_family "Zen Maru Gothic"
