#include "flood_book.h"

#include <algorithm>
#include <cstdlib>
#include <iterator>

namespace wsbook::bench {
namespace {

constexpr std::int64_t kUnitsPerCoin = 100'000'000;  // amounts have 8 decimals
constexpr std::uint64_t kTopLevels = 20;             // places and cancels land this close to the top

}  // namespace

std::string price_text(std::int64_t cents) {
  const auto c = static_cast<int>(cents % 100);
  return std::to_string(cents / 100) + (c < 10 ? ".0" : ".") + std::to_string(c);
}

std::string amount_text(std::int64_t units) {
  std::string s = units < 0 ? "-" : "";
  const std::int64_t u = std::llabs(units);
  s += std::to_string(u / kUnitsPerCoin);
  std::string frac = std::to_string(kUnitsPerCoin + u % kUnitsPerCoin).substr(1);
  frac.erase(frac.find_last_not_of('0') + 1);
  return frac.empty() ? s : s + "." + frac;
}

SyntheticBook::SyntheticBook(int levels, std::uint64_t seed)
    : rng_(seed), depth_(static_cast<std::size_t>(std::max(levels / 2, 1))) {
  std::int64_t bid = 649'999, ask = 650'001;  // 6499.99 / 6500.01
  for (std::size_t i = 0; i < depth_; ++i) {
    bids_[bid] = random_amount();
    asks_[ask] = random_amount();
    bid -= 1 + (rng_() % 4 == 0);  // now and then an empty tick
    ask += 1 + (rng_() % 4 == 0);
  }
}

std::int64_t SyntheticBook::random_amount() {
  if (rng_() % 10 < 3) return static_cast<std::int64_t>(1 + rng_() % 20) * (kUnitsPerCoin / 4);  // round lots
  return 100'000 + static_cast<std::int64_t>(rng_() % (5 * kUnitsPerCoin));  // 0.001 .. 5, 8 decimals
}

const std::vector<FloodEvent>& SyntheticBook::next_update() {
  events_.clear();
  const std::uint64_t pick = rng_() % 10;
  const int changes = pick < 6 ? 1 : pick < 9 ? 2 : 3;
  for (int i = 0; i < changes; ++i) {
    const std::uint64_t what = rng_() % 100;
    const bool bid = rng_() % 2 == 0;
    if (what < 50) place(bid);
    else if (what < 80) cancel(bid);
    else trade(bid);
  }
  return events_;
}

std::int64_t SyntheticBook::level(bool bid, std::int64_t price) const {
  if (bid) {
    const auto it = bids_.find(price);
    return it == bids_.end() ? 0 : it->second;
  }
  const auto it = asks_.find(price);
  return it == asks_.end() ? 0 : it->second;
}

void SyntheticBook::set_level(bool bid, std::int64_t price, std::int64_t amount, const char* reason) {
  const std::int64_t old = level(bid, price);
  const auto apply = [&](auto& side) {
    if (amount == 0) side.erase(price);
    else side[price] = amount;
  };
  if (bid) apply(bids_);
  else apply(asks_);
  events_.push_back({FloodEvent::Kind::change, bid, price, amount, amount - old, reason});
}

// Mostly within 20 ticks of the best price on its side, sometimes inside the spread.
std::int64_t SyntheticBook::near_top_price(bool bid) {
  const std::int64_t best_bid = bids_.begin()->first, best_ask = asks_.begin()->first;
  const std::int64_t spread = best_ask - best_bid;
  if (spread > 1 && rng_() % 5 == 0) {
    const auto inside = 1 + static_cast<std::int64_t>(rng_() % static_cast<std::uint64_t>(spread - 1));
    return bid ? best_bid + inside : best_ask - inside;
  }
  const auto offset = static_cast<std::int64_t>(std::min(rng_() % kTopLevels, rng_() % kTopLevels));
  return bid ? best_bid - offset : best_ask + offset;
}

// Below its initial depth a side gets a new level (the next free tick outwards), so
// cancels and trades do not drain the book; at depth, places also add to levels.
void SyntheticBook::place(bool bid) {
  std::int64_t price = near_top_price(bid);
  if ((bid ? bids_.size() : asks_.size()) < depth_) {
    while (level(bid, price) != 0) price += bid ? -1 : 1;
  }
  const std::int64_t before = level(bid, price);
  set_level(bid, price, before + random_amount(), "place");
}

void SyntheticBook::cancel(bool bid) {
  const std::size_t size = bid ? bids_.size() : asks_.size();
  if (size <= 1) return place(bid);  // never empty a side
  const auto k = static_cast<std::ptrdiff_t>(std::min<std::uint64_t>(
      std::min(rng_() % kTopLevels, rng_() % kTopLevels), size - 1));
  const auto [price, old] = bid ? *std::next(bids_.begin(), k) : *std::next(asks_.begin(), k);
  const bool partial = rng_() % 10 < 3 && old >= 10;
  set_level(bid, price, partial ? old * static_cast<std::int64_t>(1 + rng_() % 9) / 10 : 0, "cancel");
}

void SyntheticBook::trade(bool maker_bid) {
  const std::size_t size = maker_bid ? bids_.size() : asks_.size();
  const auto [price, amount] = maker_bid ? *bids_.begin() : *asks_.begin();
  if (amount < 2 && size <= 1) return place(maker_bid);
  const bool whole = size > 1 && (amount < 2 || rng_() % 2 == 0);
  const std::int64_t taken =
      whole ? amount : 1 + static_cast<std::int64_t>(rng_() % static_cast<std::uint64_t>(amount - 1));
  events_.push_back({FloodEvent::Kind::trade, maker_bid, price, taken, 0, ""});
  set_level(maker_bid, price, amount - taken, "trade");
}

}  // namespace wsbook::bench
