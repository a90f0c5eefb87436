#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite twice: a normal build, then one
# under AddressSanitizer + UndefinedBehaviorSanitizer; then a short fuzzing
# smoke of every libFuzzer target. Any failure fails the run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)
bash "$root/scripts/setup.sh"

run_suite() {  # name, extra cmake flags...
  local dir="$root/build/$1"
  shift
  cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
  cmake --build "$dir" -j "$jobs"
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" --timeout 300
}

echo "== tests =="
run_suite tests
echo "== tests under ASan + UBSan =="
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run_suite asan -DWSBOOK_SANITIZE=ON -DWSBOOK_BUILD_BENCH=OFF
echo "== fuzzing smoke =="
bash "$root/scripts/fuzz.sh" 20
