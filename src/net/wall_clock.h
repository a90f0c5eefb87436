#pragma once
// Internal: the wall clock, as lines and records tell time (CrawlClock's skew included).

#include <chrono>
#include <cstdint>

#include "crawl_clock.h"

namespace wsbook::net {

/// Unix microseconds now.
inline std::int64_t unix_us() {
  using std::chrono::microseconds;
  const auto now = std::chrono::system_clock::now().time_since_epoch() + CrawlClock::skew();
  return std::chrono::duration_cast<microseconds>(now).count();
}

/// Unix milliseconds now.
inline std::int64_t unix_ms() { return unix_us() / 1000; }

}  // namespace wsbook::net
