# shellcheck shell=bash
# The scale section of bench/e2e.sh (sourced by it; uses its helpers): many Gemini v2
# symbols in one wsbook, against wsbook_flood_server --venue gemini-v2.
#
#  - CPU per frame: one symbol against E2E_SCALE_SYMBOLS symbols, E2E_SCALE_LEVELS levels
#    each, E2E_SCALE_FRAMES update frames in all, interleaved E2E_RUNS times (medians);
#    the ratio's target is <= 1.2. Also the many-symbol run's peak RSS (<= 64 MB) and
#    the time from start to every book trusted (its first line, seen by wsbook_measure).
#  - E2E_SCALE_MANY symbols over the connections wsbook plans: every book trusted, and the
#    server's connect log: how many connections, the smallest gap between two connects,
#    the most connects in any 60 s (Gemini allows 12 handshakes a minute), subscribe
#    frames per connection.
#
# Symbols are synthetic, S0001USD, S0002USD, ...; wsbook gets them with --symbols-file.
# A wsbook whose --help has no --symbols-file runs the one-symbol rows alone
# (E2E_SCALE_MULTI=1 forces the rest, 0 skips it).
#
#   E2E_SCALE_SYMBOLS      symbols of the CPU and RSS run                 (200)
#   E2E_SCALE_LEVELS       levels of each book                            (1000)
#   E2E_SCALE_FRAMES       update frames of each CPU run, all symbols     (1000000)
#   E2E_SCALE_MANY         symbols of the many-connection run             (1000)
#   E2E_SCALE_MANY_FRAMES  update frames per symbol in that run           (20)
#   E2E_SCALE_MANY_LEVELS  levels of each of its books                    (E2E_SCALE_LEVELS)
#   E2E_SCALE_MULTI        auto, 1 or 0: run the many-symbol rows         (auto)

SCALE_SYMBOLS=${E2E_SCALE_SYMBOLS:-200}
SCALE_LEVELS=${E2E_SCALE_LEVELS:-1000}
SCALE_FRAMES=${E2E_SCALE_FRAMES:-1000000}
SCALE_MANY=${E2E_SCALE_MANY:-1000}
SCALE_MANY_FRAMES=${E2E_SCALE_MANY_FRAMES:-20}
SCALE_MANY_LEVELS=${E2E_SCALE_MANY_LEVELS:-$SCALE_LEVELS}
SCALE_PER_CONNECTION=100  # Gemini v2's symbols per connection in wsbook's plan
# shellcheck disable=SC2034  # v2_server sets them, v2_wsbook reads them by name
one_PORT='' cpu_PORT='' wide_PORT=''

# symbols_file N FILE: S0001USD .. N of them, one a line.
symbols_file() {
  local i
  for ((i = 1; i <= $1; i++)); do printf 'S%04dUSD\n' "$i"; done >"$2"
}

# v2_server NAME ARGS...: a gemini-v2 flood server in the background, its CA in
# $WORK/NAME.ca.pem; sets NAME_PORT. Building the streams takes a few seconds.
v2_server() {
  local name=$1 port='' pid
  shift
  "$BIN/wsbook_flood_server" --venue gemini-v2 --ca-out "$WORK/$name.ca.pem" "$@" \
    >"$WORK/$name.server.out" 2>>"$WORK/$name.server.err" &
  pid=$!
  SCALE_PIDS+=("$pid")
  for _ in $(seq 1200); do
    port=$(awk '$1 == "PORT" { print $2 }' "$WORK/$name.server.out")
    [[ -n $port ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  [[ -n $port ]] || { say "the $name flood server did not start: $(cat "$WORK/$name.server.err")"; exit 1; }
  printf -v "${name}_PORT" %s "$port"
}

stop_v2_servers() {
  local pid
  for pid in "${SCALE_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${SCALE_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  SCALE_PIDS=()
}

# measure_watch OUT SYMBOLS NAME CMD...: measure, and TRUSTED: seconds until OUT had lines of SYMBOLS symbols.
measure_watch() {
  local out=$1 symbols=$2 name=$3 user sys
  shift 3
  "$BIN/wsbook_measure" --watch "$out" "$symbols" "$WORK/rusage" "$@" >"$WORK/$name.stdout" 2>"$WORK/$name.stderr" || true
  read -r WALL user sys RSS STATUS TRUSTED <"$WORK/rusage"
  CPU=$(calc %.6f "$user + $sys")
  [[ $STATUS == 0 ]] || check_failed "$name exited with $STATUS: $(head -c 500 "$WORK/$name.stderr")"
}

# v2_wsbook NAME SERVER SYMBOLS LINES ARGS...: wsbook against server SERVER until LINES lines in
# $WORK/scale.txt, SYMBOLS books watched; ARGS name the symbols.
v2_wsbook() {
  local name=$1 server=$2 symbols=$3 lines=$4 port_var="${2}_PORT"
  shift 4
  rm -f "$WORK/scale.txt"
  measure_watch "$WORK/scale.txt" "$symbols" "$name" "$WSBOOK" --exchange gemini-v2 \
    --url "wss://localhost:${!port_var}/v2/marketdata" --cafile "$WORK/$server.ca.pem" -o "$WORK/scale.txt" \
    -d "$DEPTH" -q --count "$lines" "$@"
}

# check_v2_lines NAME FILE SYMBOLS PER_SYMBOL: every line's best bid below its best ask, $DEPTH
# levels a side, each symbol's first line its snapshot (6499.99 / 6500.01), SYMBOLS symbols of
# PER_SYMBOL lines each. A line without "symbol" is the one symbol's.
check_v2_lines() {
  local name=$1 file=$2 symbols=$3 per=$4 verdict
  verdict=$(awk -v depth="$DEPTH" '
    function side_at(side,   i) {
      i = index($0, "\"" side "\":[[")
      return i ? substr($0, i + length(side) + 5) : ""
    }
    function best(side,   s) { s = side_at(side); return s == "" ? -1 : s + 0 }
    function levels(side,   s) {
      s = side_at(side)
      if (s == "") return -1
      s = substr(s, 1, index(s, "]]"))
      return gsub(/\],\[/, "", s) + 1
    }
    {
      sym = ""
      if (match(substr($0, 1, 128), /"symbol":"[^"]*"/)) sym = substr($0, RSTART + 10, RLENGTH - 11)
      b = best("bids"); a = best("asks")
      if (b < 0 || a < 0 || b >= a || levels("bids") != depth || levels("asks") != depth) bad++
      if (!(sym in count) && (b != 6499.99 || a != 6500.01)) bad_first++
      count[sym]++
    }
    END {
      min = -1; max = 0; n = 0
      for (s in count) { n++; if (min < 0 || count[s] < min) min = count[s]; if (count[s] > max) max = count[s] }
      printf "%d %d %d %d %d\n", n, min, max, bad, bad_first
    }' "$file")
  read -r SEEN_SYMBOLS min max bad bad_first <<<"$verdict"
  [[ $SEEN_SYMBOLS == "$symbols" ]] || check_failed "$name: lines of $SEEN_SYMBOLS symbols, expected $symbols"
  [[ $min == "$per" && $max == "$per" ]] || check_failed "$name: $min-$max lines per symbol, expected $per"
  ((bad == 0)) || check_failed "$name: $bad lines crossed, or not $DEPTH levels a side"
  ((bad_first == 0)) || check_failed "$name: $bad_first symbols whose first line is not their snapshot"
}

# Whether wsbook takes many symbols yet (E2E_SCALE_MULTI overrides).
multi_symbols() {
  case ${E2E_SCALE_MULTI:-auto} in
    1) return 0 ;;
    0) return 1 ;;
  esac
  "$WSBOOK" --help 2>&1 | grep -q -- '--symbols-file'
}

scale_not_run() { row "$1" "not run" "$2" "(wsbook takes one symbol yet)"; }

# The one-symbol and the many-symbol runs alternate, each against its own server.
scale_cpu() {
  local n=$SCALE_SYMBOLS per=$((SCALE_FRAMES / SCALE_SYMBOLS)) multi=$1 i
  local one=() many=() base=() one_trust=() many_trust=() rsss=() walls=() base_walls=()
  local subscribe='{"type":"subscribe","subscriptions":[{"name":"l2","symbols":["S0001USD"]}]}'
  say "scale: $RUNS x (1 symbol, discard client${multi:+, $n symbols}), $SCALE_LEVELS levels, $SCALE_FRAMES frames"
  symbols_file 1 "$WORK/one.symbols"
  v2_server one --levels "$SCALE_LEVELS" --frames-per-symbol "$SCALE_FRAMES" --symbols-file "$WORK/one.symbols"
  if [[ -n $multi ]]; then
    symbols_file "$n" "$WORK/cpu.symbols"
    v2_server cpu --levels "$SCALE_LEVELS" --frames-per-symbol "$per" --symbols-file "$WORK/cpu.symbols" --idle 300
  fi
  for i in $(seq "$RUNS"); do
    v2_wsbook "scale_one_$i" one 1 $((SCALE_FRAMES + 1)) -s S0001USD
    ((i > 1)) || check_v2_lines "scale_one_$i" "$WORK/scale.txt" 1 $((SCALE_FRAMES + 1))
    one+=("$CPU") one_trust+=("$TRUSTED") walls+=("$WALL")
    measure "scale_discard_$i" "$BIN/wsbook_discard_client" --url "wss://localhost:$one_PORT/v2/marketdata" \
      --cafile "$WORK/one.ca.pem" --subscribe "$subscribe"
    [[ $(awk '{ print $2 }' "$WORK/scale_discard_$i.stdout") == $((SCALE_FRAMES + 1)) ]] ||
      check_failed "scale_discard_$i: not $((SCALE_FRAMES + 1)) messages"
    base+=("$CPU") base_walls+=("$WALL")
    [[ -n $multi ]] || continue
    v2_wsbook "scale_many_$i" cpu "$n" $((n * (per + 1))) --symbols-file "$WORK/cpu.symbols"
    ((i > 1)) || check_v2_lines "scale_many_$i" "$WORK/scale.txt" "$n" $((per + 1))
    many+=("$CPU") many_trust+=("$TRUSTED") rsss+=("$RSS")
  done
  stop_v2_servers
  scale_cpu_rows "$n" $((n * per))
}

# scale_cpu_rows SYMBOLS FRAMES: the rows of scale_cpu, from its arrays.
scale_cpu_rows() {
  local n=$1 frames=$2 one_us many_us ratio mb
  one_us=$(calc %.3f "$(median "${one[@]}") * 1e6 / $SCALE_FRAMES")
  row "v2 1 symbol: frames/s, wsbook; discard" \
    "$(calc %.0f "$SCALE_FRAMES / $(median "${walls[@]}")"); $(calc %.0f "$SCALE_FRAMES / $(median "${base_walls[@]}")")" "" ""
  row "v2 1 symbol: wsbook CPU per frame" "$one_us us" "" ""
  row "v2 1 symbol: CPU ratio wsbook / discard" "$(calc %.2f "$(median "${one[@]}") / $(median "${base[@]}")")" "" ""
  row "v2 1 symbol: start to book trusted" "$(median "${one_trust[@]}") s" "" ""
  if ((${#many[@]} == 0)); then
    scale_not_run "v2 $n symbols: wsbook CPU per frame" ""
    scale_not_run "v2 $n symbols: CPU ratio to 1 symbol" "<= 1.2"
    scale_not_run "v2 $n symbols x $SCALE_LEVELS levels: peak RSS" "<= 64 MB"
    scale_not_run "v2 $n symbols: start to every book trusted" ""
    return
  fi
  many_us=$(calc %.3f "$(median "${many[@]}") * 1e6 / $frames")
  ratio=$(calc %.2f "($(median "${many[@]}") / $frames) / ($(median "${one[@]}") / $SCALE_FRAMES)")
  mb=$(calc %.1f "$(median "${rsss[@]}") / 1024")
  row "v2 $n symbols: wsbook CPU per frame" "$many_us us" "" ""
  row "v2 $n symbols: CPU ratio to 1 symbol" "$ratio" "<= 1.2" "$(verdict "$ratio <= 1.2")"
  row "v2 $n symbols x $SCALE_LEVELS levels: peak RSS" "$mb MB" "<= 64 MB" "$(verdict "$mb <= 64")"
  row "v2 $n symbols: start to every book trusted" "$(median "${many_trust[@]}") s" "" ""
}

# connect_stats LOG: "<connects> <smallest gap s> <most in 60 s> <subscribe frames> <most per connection> <symbols>".
connect_stats() {
  awk '
    $2 == "connect" { t[++n] = $1 }
    $2 == "subscribe" { subs++; per[$3]++; symbols += $4 }
    END {
      gap = -1; most = 0; j = 1; top = 0
      for (i = 2; i <= n; i++) if (gap < 0 || t[i] - t[i - 1] < gap) gap = t[i] - t[i - 1]
      for (i = 1; i <= n; i++) { while (t[i] - t[j] >= 60000) j++; if (i - j + 1 > most) most = i - j + 1 }
      for (c in per) if (per[c] > top) top = per[c]
      printf "%d %.1f %d %d %d %d\n", n, gap < 0 ? -1 : gap / 1000, most, subs, top, symbols
    }' "$1"
}

# SCALE_MANY symbols over several connections, paced by wsbook: every book trusted, and how.
scale_many() {
  local n=$SCALE_MANY per=$SCALE_MANY_FRAMES what="v2 $SCALE_MANY symbols:"
  local planned=$(((n + SCALE_PER_CONNECTION - 1) / SCALE_PER_CONNECTION)) limit label
  local conns gap most subs top symbols
  if [[ -z $1 ]]; then
    for label in "books trusted" "connections" "smallest gap between connects" "most connects in 60 s" \
      "subscribes per connection" "start to every book trusted"; do scale_not_run "$what $label" ""; done
    return
  fi
  limit=$((60 + 15 * planned))  # a 10 s pace after a burst of 2, and room
  say "scale: $n symbols, about $planned connections (up to $limit s), $per frames each"
  symbols_file "$n" "$WORK/many.symbols"
  rm -f "$WORK/connects.log"
  v2_server wide --levels "$SCALE_MANY_LEVELS" --frames-per-symbol "$per" --symbols-file "$WORK/many.symbols" \
    --idle $((limit + 30)) --log-connects "$WORK/connects.log"
  v2_wsbook scale_wide wide "$n" $((n * (per + 1))) --symbols-file "$WORK/many.symbols" --duration "$limit"
  stop_v2_servers
  check_v2_lines scale_wide "$WORK/scale.txt" "$n" $((per + 1))
  read -r conns gap most subs top symbols <<<"$(connect_stats "$WORK/connects.log")"
  ((symbols == n)) || check_failed "scale_wide: subscribe frames named $symbols symbols, expected $n"
  row "$what books trusted" "$SEEN_SYMBOLS" "$n" "$(verdict "$SEEN_SYMBOLS == $n")"
  row "$what connections" "$conns" "$planned" "$(verdict "$conns == $planned")"
  row "$what smallest gap between connects" "$gap s" "" ""
  row "$what most connects in 60 s" "$most" "<= 12" "$(verdict "$most <= 12")"
  row "$what subscribes per connection" "$top ($subs in all)" "1" "$(verdict "$top == 1")"
  row "$what start to every book trusted" "$TRUSTED s" "" ""
  row "v2 $n symbols x $SCALE_MANY_LEVELS levels: peak RSS" "$(calc %.1f "$RSS / 1024") MB" "" ""
}

scale() {
  local multi=
  if multi_symbols; then multi=1; else say "scale: wsbook takes one symbol: the many-symbol rows are not run"; fi
  scale_cpu "$multi"
  scale_many "$multi"
}
