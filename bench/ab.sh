#!/usr/bin/env bash
# A/B of two wsbook binaries on one flood server: runs them alternately, ROUNDS
# times each, and prints each one's median CPU per frame (user + sys). For
# changes too small for bench/e2e.sh's ratio to show; build the binaries first
# (bench/e2e.sh builds build/bench, whose server and rusage wrapper this uses).
#
#   bench/ab.sh OLD_WSBOOK NEW_WSBOOK [ROUNDS]     # ROUNDS default 5
#   E2E_FRAMES=200000 E2E_BUILD_DIR=build/bench    # the same settings as e2e.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -ge 2 ]] || { echo "usage: bench/ab.sh OLD_WSBOOK NEW_WSBOOK [ROUNDS]" >&2; exit 2; }
A=$1 B=$2 ROUNDS=${3:-5}
BIN=${E2E_BUILD_DIR:-build/bench}/bench
FRAMES=${E2E_FRAMES:-200000}
WORK=$(mktemp -d)
SERVER_PID=
trap '[[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT

"$BIN/wsbook_flood_server" --ca-out "$WORK/ca.pem" --levels 200 --frames "$FRAMES" \
  --connections $((2 * ROUNDS)) >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
PORT=
for _ in $(seq 600); do
  PORT=$(awk '$1 == "PORT" { print $2 }' "$WORK/server.out")
  [[ -n $PORT ]] && break
  sleep 0.1
done
[[ -n $PORT ]] || { echo "ab: the flood server did not start: $(cat "$WORK/server.err")" >&2; exit 1; }

# cpu_per_frame WSBOOK: one run to FRAMES+1 lines; prints microseconds of CPU per frame.
cpu_per_frame() {
  local wall user sys rss status
  "$BIN/wsbook_measure" "$WORK/rusage" "$1" -s BTCUSD --url "wss://localhost:$PORT/v1/marketdata/{symbol}" \
    --cafile "$WORK/ca.pem" -o "$WORK/out.txt" -d 10 -q --count $((FRAMES + 1)) >/dev/null 2>&1 || true
  rm -f "$WORK/out.txt"
  read -r wall user sys rss status <"$WORK/rusage"
  [[ $status == 0 ]] || { echo "ab: $1 exited with $status" >&2; exit 1; }
  awk "BEGIN { printf \"%.4f\n\", ($user + $sys) * 1e6 / $FRAMES }"
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

old=() new=()
for _ in $(seq "$ROUNDS"); do
  old+=("$(cpu_per_frame "$A")")
  new+=("$(cpu_per_frame "$B")")
done
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=
echo "old $A: $(median "${old[@]}") us per frame (${old[*]})"
echo "new $B: $(median "${new[@]}") us per frame (${new[*]})"
