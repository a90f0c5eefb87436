#include "feed/weight_pacer.h"

#include <algorithm>

namespace wsbook {

WeightPacer::WeightPacer(unsigned weight_per_minute) {
  if (weight_per_minute == 0) return;
  const std::int64_t per_minute = std::max<std::int64_t>(weight_per_minute / 2, 1);
  us_per_weight_ = 60'000'000 / per_minute;
  burst_us_ = us_per_weight_ * (weight_per_minute / 6);
}

WeightPacer::WeightPacer(double per_second, unsigned burst) {
  if (per_second <= 0) return;
  us_per_weight_ = static_cast<std::int64_t>(1'000'000 / per_second);
  burst_us_ = us_per_weight_ * burst;
}

// A virtual schedule (GCRA): each request moves `next_us_` on by its weight at
// the steady rate; a request may go as soon as it is no more than the burst ahead.
std::chrono::milliseconds WeightPacer::reserve(unsigned weight, std::int64_t now_ms) {
  const std::int64_t now_us = now_ms * 1000;
  next_us_ = std::max({next_us_, now_us, hold_us_});
  const std::int64_t cost = us_per_weight_ * weight;
  const std::int64_t go_us = std::max({now_us, next_us_ + cost - burst_us_, hold_us_});
  next_us_ += cost;
  return std::chrono::milliseconds((go_us - now_us + 999) / 1000);
}

void WeightPacer::hold_until(std::int64_t until_ms) { hold_us_ = std::max(hold_us_, until_ms * 1000); }

}  // namespace wsbook
