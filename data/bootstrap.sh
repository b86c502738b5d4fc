#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (as root) to build, run and test Zimaru: installs every build and
# test dependency from Debian, the Noto Sans CJK fonts and Motoya L Maruberi (Debian packages), Zen Maru
# Gothic, Kosugi Maru and Kiwi Maru (npm packages @expo-google-fonts/*, each with its font licence), then
# checks that fontconfig finds every family.
# Idempotent: a second run only verifies, so it is fast.
set -euo pipefail

log() { printf 'bootstrap: %s\n' "$*" >&2; }
die() { printf 'bootstrap: error: %s\n' "$*" >&2; exit 1; }

PACKAGES=(
  build-essential pkg-config meson ninja-build gettext clang libclang-rt-14-dev
  libglib2.0-dev libglib2.0-dev-bin libgtk-4-dev libjson-glib-dev
  libfreetype-dev libharfbuzz-dev libfontconfig-dev libcairo2-dev
  libopenblas-dev libopenblas0-pthread libpotrace-dev zlib1g-dev
  desktop-file-utils appstream xvfb xauth dbus
  fonts-noto-cjk fontmake python3-fonttools python3-ufolib2 librsvg2-bin opentype-sanitizer
  ca-certificates valgrind openmpi-bin libopenmpi-dev fonts-motoya-l-maruberi
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

# install_npm_font DIR PACKAGE PREFIX: copies the PREFIX*.ttf files of an npm font package into DIR
# (atomically: a temporary directory renamed into place), unless DIR already holds them.
install_npm_font() {
  local dir=$1 pkg=$2 prefix=$3 tmp
  if ls "$dir/$prefix"_*.ttf >/dev/null 2>&1; then
    log "$pkg already installed in $dir"
    return
  fi
  log "fetching $pkg from the npm registry"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$pkg" >/dev/null) || { rm -rf "$tmp"; die "npm pack $pkg failed (is the npm registry reachable?)"; }
  tar -xzf "$tmp"/*.tgz -C "$tmp"
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
  find "$tmp/package" -name "${prefix}_*.ttf" -exec cp {} "$dir.tmp/" \;
  [ -e "$tmp/package/LICENSE_FONT" ] && cp "$tmp/package/LICENSE_FONT" "$dir.tmp/LICENSE_FONT.txt"
  rm -rf "$tmp"
  ls "$dir.tmp/$prefix"_*.ttf >/dev/null 2>&1 || die "the npm package $pkg had no $prefix font"
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
  fc-cache -f "$dir" >/dev/null
}
install_npm_font "$ZEN_DIR" "$ZEN_PKG" ZenMaruGothic
ls "$ZEN_DIR"/ZenMaruGothic_400Regular.ttf >/dev/null 2>&1 || die "$ZEN_DIR has no ZenMaruGothic_400Regular.ttf"
install_npm_font /usr/local/share/fonts/kosugi-maru @expo-google-fonts/kosugi-maru KosugiMaru
install_npm_font /usr/local/share/fonts/kiwi-maru @expo-google-fonts/kiwi-maru KiwiMaru

check_family() {
  local want=$1 got
  got=$(fc-match -f '%{family[0]}' "$want")
  [ "$got" = "$want" ] || die "fontconfig does not find \"$want\" (it offers \"$got\" instead)"
  log "fontconfig finds \"$want\": $(fc-match -f '%{file}' "$want")"
}
check_family "Noto Sans CJK TC"
check_family "Zen Maru Gothic"
check_family "Kosugi Maru"
check_family "Kiwi Maru"
check_family "MotoyaLMaru"
