#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for
# SECONDS (default 60), two at a time, seeded from tests/data. Prints each
# target's execution count; fails on any crash, leak or sanitizer report.
#   scripts/fuzz.sh 600        # ten minutes per target
#   scripts/fuzz.sh 600 fuzz_okx fuzz_bybit   # only these targets
set -euo pipefail
seconds=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/setup.sh"
build="$root/build/fuzz"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DWSBOOK_FUZZ=ON -DWSBOOK_BUILD_TESTS=OFF -DWSBOOK_BUILD_BENCH=OFF >/dev/null
all=(fuzz_gemini_v1 fuzz_gemini_v2 fuzz_coinbase fuzz_kraken fuzz_okx fuzz_bybit fuzz_binance fuzz_feed fuzz_replay)
targets=("${all[@]}")
if (($# > 1)); then targets=("${@:2}"); fi
cmake --build "$build" --target "${targets[@]}"

# Seed corpora: one recorded frame per file, and whole recordings for the feed.
corpus="$build/corpus"
rm -rf "$corpus" && for t in "${all[@]}"; do mkdir -p "$corpus/${t#fuzz_}"; done
data="$root/tests/data"
frames_of() { sed 's/^[0-9.]*: //' "$@" | grep '^[{\[]'; }  # capture lines without their receive time
grep -v '^#' "$data/v1_frames.txt" | grep . | split -l 1 - "$corpus/gemini_v1/frame-"
printf '\x01' >"$corpus/gemini_v1/recipe-typical"  # fuzz/v1_recipe.h: a byte below 8, then a recipe
tail -n +3 "$data/v2_capture_10_symbols.txt" | frames_of | awk 'NR <= 100' | split -l 1 - "$corpus/gemini_v2/frame-"
awk 'NR <= 60' "$data/coinbase_level2_2products.txt" | split -l 1 - "$corpus/coinbase/frame-"
awk 'NR <= 60' "$data/bybit_stream.txt" | split -l 1 - "$corpus/bybit/frame-"
# Binance: stream frames of every kind, and the REST replies (their bodies only).
{ frames_of "$data/BINANCE.ws.1.0" | awk 'NR <= 50'; frames_of "$data/BINANCE.ws.1.0" | grep 'aggTrade\|kline' | awk 'NR <= 2'; } \
  | split -l 1 - "$corpus/binance/frame-"
sed 's/^[^ ]* -> [0-9.]*: //' "$data/BINANCE.http.0.0" | grep . | awk 'NR <= 2' | split -l 1 - "$corpus/binance/reply-"
printf '%s\n' '{"code":-1121,"msg":"Invalid symbol."}' >"$corpus/binance/error"
frames_of "$data/okx_books_2022.txt" | grep '"books"\|"event"' | awk 'NR <= 60' | split -l 1 - "$corpus/okx/frame-"
kraken_instrument='{"channel":"instrument","type":"snapshot","data":{"assets":[],"pairs":[{"symbol":"BTC/USD","price_precision":1,"qty_precision":8}]}}'
kraken_snapshot='{"channel":"book","type":"snapshot","data":[{"symbol":"BTC/USD","bids":[{"price":45283.5,"qty":0.1}],"asks":[{"price":45285.2,"qty":0.001}],"checksum":3310070434,"timestamp":"2023-10-06T17:35:55.440295Z"}]}'
printf '%s\n' "$kraken_instrument" >"$corpus/kraken/instrument"
printf '%s\n' "$kraken_snapshot" >"$corpus/kraken/snapshot"
printf '%s\n' '{"channel":"heartbeat"}' >"$corpus/kraken/heartbeat"
# fuzz_feed: the first byte picks the venue (fuzz/fuzz_feed.cpp), then frames one per line.
{ printf '\x28'; grep -v '^#' "$data/v1_frames.txt" | sed -n '13,17p'; } > "$corpus/feed/v1-top"
{ printf '\x28'; grep -v '^#' "$data/v1_frames.txt" | sed -n '18,23p'; } > "$corpus/feed/v1-heartbeats"
{ printf '\x29'; tail -n +3 "$data/v2_capture_10_symbols.txt" | frames_of | awk 'NR <= 40'; } > "$corpus/feed/v2"
{ printf '\x68'; awk 'NR <= 40' "$data/coinbase_level2_2products.txt" | sed 's/BAND-GBP/BTC-USD/g'; } > "$corpus/feed/coinbase"
{ printf '\x69'; printf '%s\n' "$kraken_instrument" "$kraken_snapshot"; } > "$corpus/feed/kraken"
{ printf '\xa8'; frames_of "$data/okx_books_2022.txt" | grep '"books"' | grep 'BTC-USDT"' | awk 'NR <= 20' \
    | sed 's/"checksum":-\{0,1\}[0-9]*/"checksum":0/'; } > "$corpus/feed/okx"
{ printf '\xa9'; awk 'NR <= 40' "$data/bybit_stream.txt"; } > "$corpus/feed/bybit"
{ printf '\xe8'; frames_of "$data/BINANCE.ws.1.0" | grep 'nknusdt@depth' | awk 'NR <= 40' | sed 's/NKNUSDT/BTCUSDT/'; } \
  > "$corpus/feed/binance"

# fuzz_replay: the first byte picks --markers and --interval (fuzz/fuzz_replay.cpp), then a capture.
{ printf '\x01'; awk 'NR <= 60' "$data/v2_capture_10_symbols.capture"; } > "$corpus/replay/v2"
{ printf '\x03'; awk 'NR <= 80' "$data/binance_4_symbols.capture"; } > "$corpus/replay/binance"

export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
run() {  # target: runs it, prints its execution count, fails on any finding
  local target=$1 log="$build/$1.log" dict=()
  [ -f "$root/fuzz/$target.dict" ] && dict=(-dict="$root/fuzz/$target.dict")
  "$build/fuzz/$target" "${dict[@]}" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 "$corpus/${target#fuzz_}" >"$log" 2>&1 || { tail -n 40 "$log" >&2; echo "$target FAILED" >&2; return 1; }
  echo "$target: $(grep -o 'number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$') executions in ${seconds}s, no finding"
}
echo "fuzzing each target for ${seconds}s, two at a time" >&2
status=0
for ((i = 0; i < ${#targets[@]}; i += 2)); do
  run "${targets[i]}" & a=$!
  if ((i + 1 < ${#targets[@]})); then
    run "${targets[i + 1]}" || status=1
  fi
  wait $a || status=1
done
exit $status
