#pragma once
// Internal: the time the crawl's own decisions are made by (backoff, keep-alive,
// ticks of the symbol timers, whether a connection lasted). It is the steady
// clock, and the wall clock of unix_us(), moved on by a skew that only tests
// set: a test skips a connection's life without waiting for it.

#include <boost/asio/basic_waitable_timer.hpp>

#include <algorithm>
#include <cassert>
#include <atomic>
#include <chrono>

namespace wsbook::net {

/// std::chrono::steady_clock, plus the skew tests add.
struct CrawlClock {
  /// The steady clock's units.
  using duration = std::chrono::steady_clock::duration;
  /// Its count.
  using rep = duration::rep;
  /// Its ratio to a second.
  using period = duration::period;
  /// A moment of this clock.
  using time_point = std::chrono::time_point<CrawlClock>;
  /// Never goes back: the skew only grows.
  static constexpr bool is_steady = true;

  /// Now, skew included.
  static time_point now() noexcept { return time_point(std::chrono::steady_clock::now().time_since_epoch() + skew()); }
  /// How far tests have moved the clock on (none in the tool).
  static duration skew() noexcept { return duration(skew_.load(std::memory_order_relaxed)); }
  /// Tests: moves the clock (and unix_us()) on by `d` (not negative); timers due by then fire at once.
  static void advance(duration d) noexcept {
    assert(d >= duration::zero());
    skewed_.store(true);
    skew_.fetch_add(d.count(), std::memory_order_relaxed);
  }
  /// Whether a test has ever moved the clock.
  static bool skewed() noexcept { return skewed_.load(std::memory_order_relaxed); }

 private:
  static inline std::atomic<rep> skew_{0};
  static inline std::atomic<bool> skewed_{false};
};

/// How asio waits for a CrawlClock timer: as for the steady clock, except that once a test
/// has moved the clock, no wait is longer than a few ms, so a jump is seen at once.
struct CrawlWaitTraits {
  /// How long asio waits before it looks at the clock again, for a wait of `d`.
  static CrawlClock::duration to_wait_duration(const CrawlClock::duration& d) {
    return CrawlClock::skewed() ? std::min<CrawlClock::duration>(d, std::chrono::milliseconds(5)) : d;
  }
  /// The same for a wait until `t`.
  static CrawlClock::duration to_wait_duration(const CrawlClock::time_point& t) {
    return to_wait_duration(t - CrawlClock::now());
  }
};

/// The crawl's timers.
using CrawlTimer = boost::asio::basic_waitable_timer<CrawlClock, CrawlWaitTraits>;

}  // namespace wsbook::net
