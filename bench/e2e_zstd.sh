# The compression section of bench/e2e.sh (sourced; uses its helpers): the
# Gemini v1 flood written to a plain file and to a .zst file, interleaved with
# the discard client, RUNS times each: bytes per line, and what zstd adds to
# the CPU per frame.
#   E2E_ZSTD=0       skip it
#   E2E_ONLY_ZSTD=1  build, then this section alone
#   E2E_ZSTD_LEVEL   --compress-level                        (3)

compression() {
  local level=${E2E_ZSTD_LEVEL:-3} plain=() zst=() base=() i lines bytes_plain bytes_zst
  say "compression: $RUNS x (plain file, .zst level $level, discard client), $FRAMES frames"
  start_server --levels "$LEVELS" --frames "$FRAMES" --connections $((3 * RUNS))
  for i in $(seq "$RUNS"); do
    run_wsbook "plain_$i" "$FRAMES" --count $((FRAMES + 1))
    plain+=("$CPU")
    bytes_plain=$(stat -c %s "$WORK/out.txt")
    rm -f "$WORK/out.zst"
    wsbook_to "zst_$i" "$WORK/out.zst" --count $((FRAMES + 1)) --compress-level "$level"
    zst+=("$CPU")
    bytes_zst=$(stat -c %s "$WORK/out.zst")
    lines=$(zstd -dc "$WORK/out.zst" | wc -l)
    [[ $lines == $((FRAMES + 1)) ]] || check_failed "zst_$i holds $lines lines, expected $((FRAMES + 1))"
    zstd -tq "$WORK/out.zst" || check_failed "zst_$i: zstd -t failed"
    run_discard "zdiscard_$i" "$FRAMES"
    base+=("$CPU")
  done
  stop_server
  local smaller cpu_ratio plain_ratio zst_ratio
  smaller=$(calc %.1f "$bytes_plain / $bytes_zst")
  plain_ratio=$(calc %.2f "$(median "${plain[@]}") / $(median "${base[@]}")")
  zst_ratio=$(calc %.2f "$(median "${zst[@]}") / $(median "${base[@]}")")
  cpu_ratio=$(calc %.2f "$(median "${zst[@]}") / $(median "${plain[@]}")")
  row "bytes per line, plain file" "$(calc %.1f "$bytes_plain / ($FRAMES + 1)")" "" ""
  row "bytes per line, .zst (level $level)" "$(calc %.1f "$bytes_zst / ($FRAMES + 1)")" "" ""
  row "plain / .zst size" "${smaller}x" ">= 8x" "$(verdict "$smaller >= 8")"
  row "CPU per frame, plain file" "$(per_frame_us "${plain[@]}") us" "" ""
  row "CPU per frame, .zst" "$(per_frame_us "${zst[@]}") us" "" ""
  row "CPU ratio wsbook / discard, plain file" "$plain_ratio" "" ""
  row "CPU ratio wsbook / discard, .zst" "$zst_ratio" "" ""
  row "CPU .zst / plain file" "$cpu_ratio" "<= 1.3" "$(verdict "$cpu_ratio <= 1.3")"
}
