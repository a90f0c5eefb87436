#pragma once
// Internal: the wall clock, as lines and records tell time.

#include <chrono>
#include <cstdint>

namespace wsbook::net {

/// Unix microseconds now.
inline std::int64_t unix_us() {
  using std::chrono::microseconds;
  return std::chrono::duration_cast<microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

/// Unix milliseconds now.
inline std::int64_t unix_ms() { return unix_us() / 1000; }

}  // namespace wsbook::net
