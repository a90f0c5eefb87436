#!/usr/bin/env bash
# Fault soak: builds wsbook and the soak driver, then injects FAULTS (default
# 1,000) random faults while wsbook runs and checks every written line against
# the test exchange's true book. Prints the counts; exits 1 on any wrong line.
#   scripts/soak.sh [FAULTS]
set -euo pipefail
faults=${1:-1000}
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/setup.sh"
build="$root/build/soak"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWSBOOK_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" --target wsbook wsbook_soak
"$build/tests/wsbook_soak" "$build/wsbook" "$faults" "$build"
