#!/usr/bin/env bash
# Sets up, builds (Release) and runs wsbook with the arguments given:
#   scripts/run.sh --symbol BTCUSD --out BTCUSD.txt
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/setup.sh"
cmake -S "$root" -B "$root/build/release" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DWSBOOK_BUILD_TESTS=OFF -DWSBOOK_BUILD_BENCH=OFF >&2
cmake --build "$root/build/release" --target wsbook >&2
exec "$root/build/release/wsbook" "$@"
