#pragma once
// When to try again after a failed connection: exponential backoff with full
// jitter, reset by a connection that delivered its initial snapshot.

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

namespace wsbook {

/// Reconnect policy settings.
struct BackoffOptions {
  std::chrono::milliseconds min{500};
  std::chrono::milliseconds max{30'000};
  std::optional<std::uint32_t> max_retries{};  ///< give up after this many consecutive failures
};

/// Exponential backoff with full jitter: the delay is drawn uniformly from
/// [min, min(max, min * 2^(failures + 1))], never below `min`, so a tight loop is impossible.
class Backoff {
 public:
  /// A policy with its own random source (seeded for tests, random otherwise).
  explicit Backoff(BackoffOptions options, std::uint64_t seed = std::random_device{}());

  /// Records a failed attempt.
  void failed() { ++failures_; }
  /// How long to wait before the next attempt; `retry_after` (an HTTP 429's
  /// Retry-After) raises the wait to at least that.
  std::chrono::milliseconds delay(std::optional<std::chrono::milliseconds> retry_after = {});
  /// The same for a count of failures kept elsewhere (one symbol's failed snapshot fetches).
  std::chrono::milliseconds delay_after(std::uint32_t failures,
                                        std::optional<std::chrono::milliseconds> retry_after = {});
  /// A connection delivered its snapshot and lasted: start again from `min`.
  void reset() { failures_ = 0; }
  /// True once `max_retries` consecutive attempts have failed.
  bool exhausted() const { return options_.max_retries && failures_ >= *options_.max_retries; }
  /// Consecutive failures so far.
  std::uint32_t failures() const { return failures_; }

 private:
  BackoffOptions options_;
  std::mt19937_64 rng_;
  std::uint32_t failures_ = 0;
};

}  // namespace wsbook
