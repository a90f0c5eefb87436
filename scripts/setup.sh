#!/usr/bin/env bash
# Installs everything wsbook needs to build, test and benchmark on Debian/Ubuntu.
# Idempotent: packages already present are left alone and apt is not touched.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config clang
  libboost-dev             # Beast and Asio (header-only)
  libssl-dev               # TLS for wss://
  nlohmann-json3-dev       # JSON where speed does not matter (tests, raw mode)
  libsimdjson-dev          # the hot-path frame parser
  libcli11-dev             # command line
  libgtest-dev libgmock-dev googletest
  libbenchmark-dev
  libzstd-dev zstd         # .zst outputs; the zstd tool checks them in the tests
  openssl ca-certificates python3 procps
  groff-base dpkg-dev file # the man page's test; cpack -G DEB's dependencies (dpkg-shlibdeps, file)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
