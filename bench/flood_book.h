#pragma once
// The book behind the end-to-end benchmark's streams, in no venue's format: an
// initial book around 6500.00, then updates near the top that keep it uncrossed.
// bench/flood_frames.h writes it as Gemini v1, bench/flood_v2.h as Gemini v2.

#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace wsbook::bench {

/// `cents` as a price with two decimals: "6500.01".
std::string price_text(std::int64_t cents);

/// `units` of 1e-8 as an amount, signed, trailing zeros trimmed: "2.5", "-0.12345678", "1", "0".
std::string amount_text(std::int64_t units);

/// One thing an update did to the book.
struct FloodEvent {
  enum class Kind : std::uint8_t { change, trade };
  Kind kind = Kind::change;
  bool bid = true;            ///< change: the level's side; trade: the maker's side
  std::int64_t price = 0;     ///< in cents
  std::int64_t amount = 0;    ///< change: the level's new amount (0: gone); trade: the amount taken
  std::int64_t delta = 0;     ///< change: new amount - old amount
  const char* reason = "";    ///< change: "place", "cancel" or "trade"
};

/// A BTCUSD-like book: prices in cents, amounts in 1e-8 units; deterministic per seed.
class SyntheticBook {
 public:
  using Bids = std::map<std::int64_t, std::int64_t, std::greater<>>;
  using Asks = std::map<std::int64_t, std::int64_t, std::less<>>;

  /// A book of `levels` levels, half per side, best bid 6499.99 and best ask 6500.01.
  SyntheticBook(int levels, std::uint64_t seed);

  /// The bids, best first.
  const Bids& bids() const { return bids_; }
  /// The asks, best first.
  const Asks& asks() const { return asks_; }
  /// The random stream the book draws from, for a format's own fields (v1: event ids, times).
  std::mt19937_64& rng() { return rng_; }

  /// Makes the next update, 1-3 places, cancels or trades near the top, and returns what it did.
  const std::vector<FloodEvent>& next_update();

 private:
  void place(bool bid);
  void cancel(bool bid);
  void trade(bool maker_bid);
  void set_level(bool bid, std::int64_t price, std::int64_t amount, const char* reason);
  std::int64_t level(bool bid, std::int64_t price) const;
  std::int64_t random_amount();
  std::int64_t near_top_price(bool bid);

  Bids bids_;
  Asks asks_;
  std::mt19937_64 rng_;
  std::size_t depth_;  // levels per side at the start
  std::vector<FloodEvent> events_;
};

}  // namespace wsbook::bench
