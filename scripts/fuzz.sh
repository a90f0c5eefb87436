#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for
# SECONDS (default 60), two at a time, seeded from tests/data. Prints each
# target's execution count; fails on any crash, leak or sanitizer report.
#   scripts/fuzz.sh 600        # ten minutes per target
set -euo pipefail
seconds=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/setup.sh"
build="$root/build/fuzz"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DWSBOOK_FUZZ=ON -DWSBOOK_BUILD_TESTS=OFF -DWSBOOK_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" --target fuzz_gemini_v1 fuzz_gemini_v2 fuzz_feed

# Seed corpora: one recorded frame per file, and whole recordings for the feed.
corpus="$build/corpus"
rm -rf "$corpus" && mkdir -p "$corpus/gemini_v1" "$corpus/gemini_v2" "$corpus/feed"
grep -v '^#' "$root/tests/data/v1_frames.txt" | grep . | split -l 1 - "$corpus/gemini_v1/frame-"
printf '\x01' >"$corpus/gemini_v1/recipe-typical"  # fuzz/v1_recipe.h: a byte below 8, then a recipe
tail -n +3 "$root/tests/data/v2_capture_10_symbols.txt" | sed 's/^[0-9.]*: //' | grep . | awk 'NR <= 100' \
  | split -l 1 - "$corpus/gemini_v2/frame-"
{ printf '\x28'; grep -v '^#' "$root/tests/data/v1_frames.txt" | sed -n '13,17p'; } > "$corpus/feed/v1-top"
{ printf '\x28'; grep -v '^#' "$root/tests/data/v1_frames.txt" | sed -n '18,23p'; } > "$corpus/feed/v1-heartbeats"
{ printf '\x29'; tail -n +3 "$root/tests/data/v2_capture_10_symbols.txt" | sed 's/^[0-9.]*: //' | grep . | awk 'NR <= 40'; } \
  > "$corpus/feed/v2"

export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
run() {  # target: runs it, prints its execution count, fails on any finding
  local target=$1 log="$build/$1.log" dict=()
  [ -f "$root/fuzz/$target.dict" ] && dict=(-dict="$root/fuzz/$target.dict")
  "$build/fuzz/$target" "${dict[@]}" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 "$corpus/${target#fuzz_}" >"$log" 2>&1 || { tail -n 40 "$log" >&2; echo "$target FAILED" >&2; return 1; }
  echo "$target: $(grep -o 'number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$') executions in ${seconds}s, no finding"
}
echo "fuzzing each target for ${seconds}s" >&2
status=0
run fuzz_gemini_v1 & a=$!
run fuzz_gemini_v2 & b=$!
wait $a || status=1
wait $b || status=1
run fuzz_feed || status=1
exit $status
