#pragma once
// The multi-venue soak's test exchange: one per venue, speaking its protocol
// (support/venue_book*.h) to wsbook over TLS, three symbols on one connection,
// and breaking it at random, fault after fault: drops, close 1001, stalls,
// HTTP 429 on connect (and on Binance's REST snapshots), binary frames,
// garbage, the venue's integrity faults, crossed books, values of the wrong
// JSON type. Every book it sends from is in its true books, by epoch.

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "support/test_exchange.h"
#include "support/venue_book_binance.h"

namespace wsbook::testing {

/// What the exchange does to wsbook.
enum Fault { drop, close_1001, stall, http_429, rest_429, binary, garbage, integrity, crossed, wrong_type, kFaults };
/// The faults' names, as the summary prints them.
constexpr std::array<const char*, kFaults> kFaultNames = {
    "drop", "close 1001", "stall", "HTTP 429", "REST 429", "binary", "garbage", "integrity", "crossed", "wrong type"};
/// What wsbook did about a fault in a frame: rebuilt a book, reconnected, went on, or nothing in time.
enum Reaction { rebuilt, reconnected, ignored, unanswered, kReactions };
/// The reactions' names, as the summary prints them.
constexpr std::array<const char*, kReactions> kReactionNames = {"rebuilt", "reconnected", "ignored", "UNANSWERED"};

/// One venue as the soak crawls it: its symbols, line depth, WebSocket path, and one tagged stream or a file per
/// symbol.
struct VenueSpec {
  std::string name;
  std::vector<std::string> symbols;
  int depth;
  std::string path;
  bool tagged;
};

/// One venue's exchange: its true books and what was done to them, under one lock.
struct VenueRun {
  /// Faults drawn from `seed`; each one injected adds to `total`; none once `stopping`.
  VenueRun(const VenueSpec& spec, std::uint32_t seed, std::atomic<int>& total, const std::atomic<bool>& stopping);

  const VenueSpec& spec;
  std::unique_ptr<VenueServer> venue;   ///< the protocol and the true books
  BinanceServer* binance = nullptr;     ///< `venue`, if it is Binance
  std::mutex mutex;                     ///< over everything below but the atomics
  std::mt19937 rng;                     ///< the faults drawn
  int generation = 0;                   ///< of the newest WebSocket: an older one's script renders nothing more
  std::int64_t fills = 0;               ///< fresh books so far: each at prices of its own
  std::map<std::string, int> rebuilds;  ///< fresh books per symbol
  int all_rebuilds = 0;                 ///< fresh books of every symbol
  bool rest_429_pending = false;        ///< the next snapshot request gets a 429
  std::array<int, kFaults> faults{};    ///< injected, by kind
  std::array<std::array<int, kReactions>, kFaults> reactions{};  ///< what wsbook did, by fault
  int websockets = 0;                                            ///< WebSocket connections accepted
  std::atomic<int>& total;                                       ///< faults injected over every venue
  const std::atomic<bool>& stopping;                             ///< the soak is over: no more faults
};

/// The script of every connection to `run`'s exchange: a REST snapshot, or a WebSocket that gets a 429 or faults.
void serve_venue(Connection& c, VenueRun& run);

/// Every fault injected into `run` so far.
int faults_of(VenueRun& run);

}  // namespace wsbook::testing
