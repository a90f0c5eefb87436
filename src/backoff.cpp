#include "wsbook/backoff.h"

#include <algorithm>

namespace wsbook {

Backoff::Backoff(BackoffOptions options, std::uint64_t seed) : options_(options), rng_(seed) {}

std::chrono::milliseconds Backoff::delay(std::optional<std::chrono::milliseconds> retry_after) {
  return delay_after(failures_, retry_after);
}

std::chrono::milliseconds Backoff::delay_after(std::uint32_t failures,
                                               std::optional<std::chrono::milliseconds> retry_after) {
  using std::chrono::milliseconds;
  const std::uint32_t exponent = std::min<std::uint32_t>(failures, 30);
  const long long min = std::max<long long>(options_.min.count(), 1);
  const long long max = std::max<long long>(options_.max.count(), min);
  // Jitter even the first delay: crawlers that lost the exchange together
  // must not come back together.
  const long long ceiling = std::min(max, min << (exponent + 1));
  // Full jitter over [min, ceiling]: many crawlers that lost the same exchange
  // at once do not come back in step.
  std::uniform_int_distribution<long long> pick(min, std::max(min, ceiling));
  milliseconds delay(pick(rng_));
  if (retry_after) delay = std::max(delay, *retry_after);
  return delay;
}

}  // namespace wsbook
