#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite twice: a g++ Release build, then a
# clang one under AddressSanitizer + UndefinedBehaviorSanitizer; then a short fuzzing
# smoke of every libFuzzer target. Any failure fails the run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)
bash "$root/scripts/setup.sh"
# The tests talk to their own servers on 127.0.0.1: a proxy of this machine's is not theirs.
unset https_proxy HTTPS_PROXY no_proxy NO_PROXY

run_suite() {  # name, build type, extra cmake flags...
  local name=$1 dir="$root/build/$1" type=$2
  shift 2
  # Both compilers must build it warning-free: here a warning fails the run.
  cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" -DCMAKE_COMPILE_WARNING_AS_ERROR=ON "$@"
  cmake --build "$dir" -j "$jobs"
  echo "== $name: built at ${SECONDS} s =="
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" --timeout 300
  echo "== $name: tested at ${SECONDS} s =="
}

# Release, as scripts/run.sh builds the crawler (the binary with link-time
# optimization; the test programs link the plain code of the same objects).
echo "== tests =="
run_suite tests Release
# With clang: the second compiler the code must build warning-free with, and a
# sanitized build of Beast that takes a third of g++'s time.
echo "== tests under ASan + UBSan (clang) =="
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run_suite asan RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DWSBOOK_SANITIZE=ON -DWSBOOK_BUILD_BENCH=OFF
echo "== fuzzing smoke =="
bash "$root/scripts/fuzz.sh" 20
echo "== all passed in ${SECONDS} s =="
