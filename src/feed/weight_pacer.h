#pragma once
// Internal: keeps a feed's REST requests under the venue's request-weight limit.

#include <chrono>
#include <cstdint>

namespace wsbook {

/// Paces requests by weight: at most a sixth of the venue's per-minute limit at
/// once, then half the limit per minute, so a start with many symbols never
/// nears the limit and leaves room for other clients on the same address.
class WeightPacer {
 public:
  /// For a venue allowing `weight_per_minute` (0: no pacing).
  explicit WeightPacer(unsigned weight_per_minute);
  /// `per_second` a second after a burst of `burst` (per_second 0: no pacing).
  WeightPacer(double per_second, unsigned burst);
  /// Reserves a request of `weight` asked at `now_ms`: how long it must wait.
  std::chrono::milliseconds reserve(unsigned weight, std::int64_t now_ms);
  /// No request goes before `until_ms` (a 429 or 418 and its Retry-After).
  void hold_until(std::int64_t until_ms);

 private:
  std::int64_t us_per_weight_ = 0;  // the steady rate
  std::int64_t burst_us_ = 0;       // how far ahead of the rate requests may run
  std::int64_t next_us_ = 0;        // when the rate alone would let the next request go
  std::int64_t hold_us_ = 0;        // nothing before this
};

}  // namespace wsbook
