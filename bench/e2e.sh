#!/usr/bin/env bash
# End-to-end benchmark of the real wsbook binary against a local TLS WebSocket
# server that floods a synthetic Gemini v1 stream (bench/flood_server.cpp), next to
# a read-and-discard client on the same Beast/OpenSSL stack (bench/discard_client.cpp):
# the baseline, so "wsbook / discard" is what wsbook adds on top of the transport.
# Each round also runs wsbook with its lines to /dev/null: the difference to the
# run that writes a file is what the file write costs (the kernel's page cache).
# The scale section (bench/e2e_scale.sh) floods Gemini v2 books of many symbols; the
# interval section (bench/e2e_interval.sh) measures --interval against a line per update;
# the compression section (bench/e2e_zstd.sh) a .zst output against a plain file.
#
#   bench/e2e.sh            # builds build/bench (Release), runs everything, prints a table
#
# Settings (environment):
#   E2E_BUILD_DIR      build directory                          (build/bench)
#   E2E_SKIP_BUILD     1: use the binaries already built         (0)
#   E2E_WSBOOK         the wsbook binary to measure              ($E2E_BUILD_DIR/wsbook)
#   E2E_FRAMES         update frames per throughput run          (200000)
#   E2E_LEVELS         levels in the initial book                (200)
#   E2E_BIG_LEVELS     levels of the big-book RSS run            (5000)
#   E2E_RUNS           throughput runs of each client; the median counts (3)
#   E2E_RSS_SMALL      frames of the short RSS-growth run        (100000)
#   E2E_RSS_LARGE      frames of the long RSS-growth run         (1000000)
#   E2E_IDLE_SECONDS   length of the idle-CPU run                (60)
#   E2E_DEPTH          wsbook --depth                            (10)
#   E2E_SCALE          0: skip the scale section                 (1)
#   E2E_ONLY_SCALE     1: build, then the scale section alone    (0)
#   E2E_SCALE_...      its sizes: see bench/e2e_scale.sh
#   E2E_INTERVAL       0: skip the interval section              (1)
#   E2E_ONLY_INTERVAL  1: build, then the interval section alone (0)
#   E2E_INTERVAL_...   its settings: see bench/e2e_interval.sh
#   E2E_ZSTD           0: skip the compression section           (1)
#   E2E_ONLY_ZSTD      1: build, then the compression section alone (0)
#
# Exits 1 if a check fails (a client's exit status, wsbook's line count, the
# discard client's message count); targets missed are marked MISS but do not fail.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${E2E_BUILD_DIR:-build/bench}
FRAMES=${E2E_FRAMES:-200000}
LEVELS=${E2E_LEVELS:-200}
BIG_LEVELS=${E2E_BIG_LEVELS:-5000}
RUNS=${E2E_RUNS:-3}
RSS_SMALL=${E2E_RSS_SMALL:-100000}
RSS_LARGE=${E2E_RSS_LARGE:-1000000}
IDLE_SECONDS=${E2E_IDLE_SECONDS:-60}
DEPTH=${E2E_DEPTH:-10}

WORK=$(mktemp -d)
SERVER_PID=
FAILURES=0
ROWS=()

SCALE_PIDS=()  # the scale section's servers

cleanup() {
  if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; fi
  local pid
  for pid in "${SCALE_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [[ ${E2E_KEEP:-0} == 1 ]]; then say "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

say() { echo "e2e: $*" >&2; }
check_failed() { say "CHECK FAILED: $*"; FAILURES=$((FAILURES + 1)); }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# row WHAT MEASURED TARGET STATUS
row() { ROWS+=("$(printf '%-58s %16s %12s  %s' "$1" "$2" "$3" "${4:-}")"); }
verdict() { if awk "BEGIN { exit !($1) }"; then echo ok; else echo MISS; fi; }

build() {
  if [[ ${E2E_SKIP_BUILD:-0} != 1 ]]; then
    say "building $BUILD (Release)"
    cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWSBOOK_BUILD_TESTS=OFF >"$WORK/cmake.log" ||
      { cat "$WORK/cmake.log" >&2; exit 1; }
    cmake --build "$BUILD" --target wsbook wsbook_flood_server wsbook_discard_client wsbook_measure \
      wsbook_lateness wsbook_bench_core >"$WORK/build.log" 2>&1 || { tail -50 "$WORK/build.log" >&2; exit 1; }
  fi
  WSBOOK=${E2E_WSBOOK:-$BUILD/wsbook}
  BIN=$BUILD/bench
}

# start_server ARGS...: a flood server in the background; sets SERVER_PID and PORT.
start_server() {
  "$BIN/wsbook_flood_server" --ca-out "$WORK/ca.pem" "$@" >"$WORK/server.out" 2>>"$WORK/server.err" &
  SERVER_PID=$!
  for _ in $(seq 1200); do  # building 1,000,000 frames takes a few seconds
    PORT=$(awk '$1 == "PORT" { print $2 }' "$WORK/server.out")
    [[ -n $PORT ]] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  say "the flood server did not start: $(cat "$WORK/server.err")"
  exit 1
}

# stop_server: waits for the server to finish its connections (kills it after 15 s).
stop_server() {
  for _ in $(seq 150); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

# measure NAME CMD...: runs CMD under wsbook_measure; sets WALL, CPU (user+sys, s), RSS (KiB), STATUS.
measure() {
  local name=$1 user sys
  shift
  "$BIN/wsbook_measure" "$WORK/rusage" "$@" >"$WORK/$name.stdout" 2>"$WORK/$name.stderr" || true
  read -r WALL user sys RSS STATUS <"$WORK/rusage"
  CPU=$(calc %.6f "$user + $sys")
  [[ $STATUS == 0 ]] || check_failed "$name exited with $STATUS: $(head -c 500 "$WORK/$name.stderr")"
}

# wsbook_to NAME OUT EXTRA_ARGS...: wsbook against the server, its lines to OUT.
wsbook_to() {
  local name=$1 out=$2
  shift 2
  measure "$name" "$WSBOOK" -s BTCUSD --url "wss://localhost:$PORT/v1/marketdata/{symbol}" \
    --cafile "$WORK/ca.pem" -o "$out" -d "$DEPTH" -q "$@"
}

# run_wsbook NAME FRAMES EXTRA_ARGS...: wsbook until FRAMES+1 lines in a file; checks the line count.
run_wsbook() {
  local name=$1 frames=$2 lines
  shift 2
  rm -f "$WORK/out.txt"
  wsbook_to "$name" "$WORK/out.txt" "$@"
  lines=$(wc -l <"$WORK/out.txt" 2>/dev/null || echo 0)
  [[ $lines == $((frames + 1)) ]] || check_failed "$name wrote $lines lines, expected $((frames + 1))"
}

# run_discard NAME FRAMES [ARGS...]: the baseline client; checks the message count.
run_discard() {
  local name=$1 frames=$2 messages
  shift 2
  measure "$name" "$BIN/wsbook_discard_client" --url "wss://localhost:$PORT/v1/marketdata/BTCUSD" \
    --cafile "$WORK/ca.pem" "$@"
  messages=$(awk '{ print $2 }' "$WORK/$name.stdout")
  [[ $messages == $((frames + 1)) ]] || check_failed "$name received ${messages:-no} messages, expected $((frames + 1))"
}

per_frame_us() { calc %.3f "$(median "$@") * 1e6 / $FRAMES"; }

# Interleaved runs, so that noise from other work on the machine hits all clients alike.
throughput() {
  say "throughput: $RUNS x (wsbook, discard client), $FRAMES frames, $LEVELS levels"
  local walls=() cpus=() rsss=() base=() null=() i
  start_server --levels "$LEVELS" --frames "$FRAMES" --connections $((3 * RUNS))
  for i in $(seq "$RUNS"); do
    run_wsbook "wsbook_$i" "$FRAMES" --count $((FRAMES + 1))
    walls+=("$WALL") cpus+=("$CPU") rsss+=("$RSS")
    run_discard "discard_$i" "$FRAMES"
    base+=("$CPU")
    wsbook_to "wsbook_null_$i" /dev/null --count $((FRAMES + 1))  # all but the file write
    null+=("$CPU")
  done
  stop_server
  local fps ratio
  fps=$(calc %.0f "$FRAMES / $(median "${walls[@]}")")
  ratio=$(calc %.2f "$(median "${cpus[@]}") / $(median "${base[@]}")")
  row "wsbook frames/s (wall, median of $RUNS)" "$fps" ">= 150000" "$(verdict "$fps >= 150000")"
  row "wsbook CPU per frame (user+sys)" "$(per_frame_us "${cpus[@]}") us" "" ""
  row "discard client CPU per frame (baseline)" "$(per_frame_us "${base[@]}") us" "" ""
  row "CPU ratio wsbook / discard" "$ratio" "<= 1.4" "$(verdict "$ratio <= 1.4")"
  row "wsbook CPU per frame, lines to /dev/null" "$(per_frame_us "${null[@]}") us" "" ""
  row "CPU ratio, lines to /dev/null / discard" "$(calc %.2f "$(median "${null[@]}") / $(median "${base[@]}")")" "" ""
  row "wsbook peak RSS, $LEVELS levels" "$(calc %.1f "$(median "${rsss[@]}") / 1024") MB" "" ""
}

big_book() {
  say "big book: $BIG_LEVELS levels, $FRAMES frames"
  start_server --levels "$BIG_LEVELS" --frames "$FRAMES" --connections 1
  run_wsbook wsbook_big "$FRAMES" --count $((FRAMES + 1))
  stop_server
  row "wsbook peak RSS, $BIG_LEVELS levels" "$(calc %.1f "$RSS / 1024") MB" "<= 16 MB" \
    "$(verdict "$RSS <= 16 * 1024")"
}

rss_growth() {
  local small large frames
  for frames in "$RSS_SMALL" "$RSS_LARGE"; do
    say "RSS growth: $frames frames"
    start_server --levels "$LEVELS" --frames "$frames" --connections 1
    run_wsbook "wsbook_rss_$frames" "$frames" --count $((frames + 1))
    stop_server
    if [[ $frames == "$RSS_SMALL" ]]; then small=$RSS; else large=$RSS; fi
  done
  row "wsbook peak RSS, $RSS_SMALL frames" "$(calc %.1f "$small / 1024") MB" "" ""
  row "wsbook peak RSS, $RSS_LARGE frames" "$(calc %.1f "$large / 1024") MB" "same" \
    "$(verdict "$large - $small <= 1024")"
}

idle_cpu() {
  say "idle: $IDLE_SECONDS s of heartbeats"
  start_server --levels "$LEVELS" --idle $((IDLE_SECONDS + 10)) --connections 1
  run_wsbook wsbook_idle 0 --duration "$IDLE_SECONDS"
  stop_server
  row "wsbook CPU while idle for $IDLE_SECONDS s (incl. start)" "$(calc %.3f "$CPU") s" "~0" ""
}

initial_frame() {
  say "core benchmark: 20,000-level initial frame"
  "$BIN/wsbook_bench_core" --benchmark_filter='^BM_InitialFrame20000Levels$' --benchmark_format=csv \
    >"$WORK/core.csv" 2>/dev/null || check_failed "wsbook_bench_core failed"
  local ms
  ms=$(awk -F, '/^"BM_InitialFrame20000Levels"/ { printf "%.2f", $3 }' "$WORK/core.csv")
  row "apply a 20,000-level initial frame (core)" "$ms ms" "<= 20 ms" "$(verdict "${ms:-1e9} <= 20")"
}

# shellcheck source=bench/e2e_scale.sh
source bench/e2e_scale.sh
# shellcheck source=bench/e2e_interval.sh
source bench/e2e_interval.sh
# shellcheck source=bench/e2e_zstd.sh
source bench/e2e_zstd.sh

main() {
  build
  local only_scale=${E2E_ONLY_SCALE:-0} only_interval=${E2E_ONLY_INTERVAL:-0} only_zstd=${E2E_ONLY_ZSTD:-0}
  local only=$((only_scale == 1 || only_interval == 1 || only_zstd == 1))
  if ((only == 0)); then
    throughput
    big_book
    rss_growth
    idle_cpu
    initial_frame
  fi
  if ((only == 0)) || [[ $only_zstd == 1 ]]; then
    if [[ ${E2E_ZSTD:-1} != 0 ]]; then compression; fi
  fi
  if [[ ${E2E_SCALE:-1} != 0 ]] && { ((only == 0)) || [[ $only_scale == 1 ]]; }; then scale; fi
  if [[ ${E2E_INTERVAL:-1} != 0 ]] && { ((only == 0)) || [[ $only_interval == 1 ]]; }; then interval; fi
  echo
  printf '%-58s %16s %12s  %s\n' "what" "measured" "target" ""
  printf '%s\n' "${ROWS[@]}"
  if ((FAILURES > 0)); then
    say "$FAILURES check(s) failed"
    exit 1
  fi
}

main
