# shellcheck shell=bash
# The --interval section of bench/e2e.sh (sourced by it, after bench/e2e_scale.sh, whose
# helpers it uses): conflated lines against a line per update, Gemini v2 books of many
# symbols from wsbook_flood_server.
#
#  - CPU per frame: E2E_SCALE_SYMBOLS symbols, E2E_SCALE_FRAMES update frames in all, with a
#    line per update (until every line is in) against --interval E2E_INTERVAL_MS (for
#    E2E_INTERVAL_SECONDS, long enough for the flood to be read; the idle rest is counted
#    against it), interleaved E2E_RUNS times (medians). The target: the interval run costs
#    less. Each symbol's last interval line must be the book of its last update line.
#    Also how late each instant's last line was written, while the flood is read.
#  - Lateness in a quiet market: E2E_INTERVAL_MANY symbols at --interval E2E_INTERVAL_MS:
#    how long after each instant its last line reached a reader of wsbook's stdout, over
#    the instants that had every symbol's line (Gemini's pace of connects makes the first
#    instants partial). Target: within 5 ms.
#
#   E2E_INTERVAL_MS        --interval                                    (1000)
#   E2E_INTERVAL_SECONDS   --duration of the interval CPU runs           (20)
#   E2E_INTERVAL_MANY      symbols of the lateness run                   (E2E_SCALE_MANY)
#   E2E_INTERVAL_FULL      full instants the lateness run waits for      (30)

INTERVAL_MS=${E2E_INTERVAL_MS:-1000}
INTERVAL_SECONDS=${E2E_INTERVAL_SECONDS:-20}
INTERVAL_MANY=${E2E_INTERVAL_MANY:-$SCALE_MANY}
INTERVAL_FULL=${E2E_INTERVAL_FULL:-30}
# shellcheck disable=SC2034  # v2_server sets them, v2_wsbook reads them by name
upd_PORT='' ivl_PORT='' quiet_PORT=''

# interval_wsbook NAME SERVER SYMBOLS SECONDS ARGS...: wsbook --interval against SERVER for
# SECONDS, its stdout read by wsbook_lateness (lines kept in $WORK/NAME.lines); sets CPU
# and LATE (the lateness report).
interval_wsbook() {
  local name=$1 server=$2 symbols=$3 seconds=$4 port_var="${2}_PORT" user sys
  shift 4
  "$BIN/wsbook_measure" "$WORK/rusage" "$WSBOOK" --exchange gemini-v2 \
    --url "wss://localhost:${!port_var}/v2/marketdata" --cafile "$WORK/$server.ca.pem" \
    -d "$DEPTH" -q --interval "$INTERVAL_MS" --duration "$seconds" "$@" 2>"$WORK/$name.stderr" |
    "$BIN/wsbook_lateness" --symbols "$symbols" --tee "$WORK/$name.lines" "$WORK/$name.late" || true
  read -r _ user sys _ STATUS <"$WORK/rusage"
  CPU=$(calc %.6f "$user + $sys")
  LATE=$(cat "$WORK/$name.late")
  [[ $STATUS == 0 ]] || check_failed "$name exited with $STATUS: $(head -c 500 "$WORK/$name.stderr")"
}

# last_books FILE: each symbol's last line with its "ts" (and a file's page padding) taken out, sorted.
last_books() {
  awk '{ s = $0; sub(/,"ts":[0-9]+/, "", s); sub(/ +$/, "", s); match(s, /"symbol":"[^"]*"/); last[substr(s, RSTART, RLENGTH)] = s }
       END { for (k in last) print last[k] }' "$1" | sort
}

# check_last_books NAME UPDATES INTERVALS: the interval run ended on the books the update run did.
check_last_books() {
  cmp -s <(last_books "$2") <(last_books "$3") ||
    check_failed "$1: the last --interval lines are not the books of the last update lines"
}

interval_cpu() {
  local n=$SCALE_SYMBOLS per=$((SCALE_FRAMES / SCALE_SYMBOLS)) i
  local upd=() ivl=() lates=() max
  say "interval: $RUNS x (a line per update, --interval $INTERVAL_MS for $INTERVAL_SECONDS s), $n symbols"
  symbols_file "$n" "$WORK/ivl.symbols"
  v2_server upd --levels "$SCALE_LEVELS" --frames-per-symbol "$per" --symbols-file "$WORK/ivl.symbols" --idle 300
  v2_server ivl --levels "$SCALE_LEVELS" --frames-per-symbol "$per" --symbols-file "$WORK/ivl.symbols" \
    --idle $((INTERVAL_SECONDS + 60))
  for i in $(seq "$RUNS"); do
    v2_wsbook "ivl_update_$i" upd "$n" $((n * (per + 1))) --symbols-file "$WORK/ivl.symbols"
    upd+=("$CPU")
    ((i > 1)) || cp "$WORK/scale.txt" "$WORK/ivl_update.lines"
    interval_wsbook "ivl_interval_$i" ivl "$n" "$INTERVAL_SECONDS" --symbols-file "$WORK/ivl.symbols"
    ivl+=("$CPU")
    read -r _ _ _ _ _ max <<<"$LATE"
    lates+=("$max")
    ((i > 1)) || check_last_books "ivl_interval_$i" "$WORK/ivl_update.lines" "$WORK/ivl_interval_$i.lines"
  done
  stop_v2_servers
  local frames=$((n * per)) ratio
  ratio=$(calc %.2f "$(median "${ivl[@]}") / $(median "${upd[@]}")")
  row "v2 $n symbols: CPU per frame, a line per update" "$(calc %.3f "$(median "${upd[@]}") * 1e6 / $frames") us" "" ""
  row "v2 $n symbols: CPU per frame, --interval $INTERVAL_MS" "$(calc %.3f "$(median "${ivl[@]}") * 1e6 / $frames") us" "" ""
  row "v2 $n symbols: CPU ratio --interval / per update" "$ratio" "< 1" "$(verdict "$ratio < 1")"
  row "v2 $n symbols: last line late, flood (max)" "$(median "${lates[@]}") ms" "" ""
}

interval_quiet() {
  local n=$INTERVAL_MANY planned=$(((INTERVAL_MANY + SCALE_PER_CONNECTION - 1) / SCALE_PER_CONNECTION))
  local seconds instants full median p99 max what="v2 $INTERVAL_MANY symbols, --interval $INTERVAL_MS:"
  seconds=$((15 * planned + INTERVAL_FULL * INTERVAL_MS / 1000 + 10))  # Gemini's pace of connects, then the instants
  say "interval: $n symbols at --interval $INTERVAL_MS for $seconds s, a quiet market"
  symbols_file "$n" "$WORK/quiet.symbols"
  v2_server quiet --levels 50 --frames-per-symbol 1 --symbols-file "$WORK/quiet.symbols" --idle $((seconds + 30))
  interval_wsbook interval_quiet quiet "$n" "$seconds" --symbols-file "$WORK/quiet.symbols"
  stop_v2_servers
  read -r instants full _ median p99 max <<<"$LATE"
  ((full >= INTERVAL_FULL)) || check_failed "interval_quiet: $full instants had every symbol's line, expected $INTERVAL_FULL"
  row "$what instants with every line" "$full of $instants" "" ""
  row "$what last line late, median" "$median ms" "" ""
  row "$what last line late, p99" "$p99 ms" "" ""
  row "$what last line late, max" "$max ms" "<= 5 ms" "$(verdict "$max <= 5")"
}

interval() {
  if ! "$WSBOOK" --help 2>&1 | grep -q -- '--interval'; then
    say "interval: wsbook has no --interval: the section is not run"
    return
  fi
  interval_cpu
  interval_quiet
}
