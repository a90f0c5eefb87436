#!/usr/bin/env bash
# Fault soaks: builds wsbook and both soak drivers, then injects FAULTS (default
# 1,000) random faults while wsbook runs, once into Gemini (a connection per
# symbol) and once over Coinbase, Kraken, OKX, Bybit and Binance at once (three
# symbols a connection), and checks every written line against the test
# exchanges' true books. Prints the counts; exits 1 on any wrong or torn line.
#   scripts/soak.sh [FAULTS] [SEED]   (SEED: the venue soak's; default: the time)
set -euo pipefail
faults=${1:-1000}
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/setup.sh"
# The soaks talk to their own servers on 127.0.0.1: a proxy of this machine's is not theirs.
unset https_proxy HTTPS_PROXY no_proxy NO_PROXY
build="$root/build/soak"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWSBOOK_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" --target wsbook wsbook_soak wsbook_venue_soak
"$build/tests/wsbook_soak" "$build/wsbook" "$faults" "$build"
"$build/tests/wsbook_venue_soak" "$build/wsbook" "$faults" "$build" ${2:+"$2"}
