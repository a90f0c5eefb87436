#include "flood_frames.h"

#include <algorithm>
#include <cstdlib>

namespace wsbook::bench {
namespace {

constexpr std::int64_t kUnitsPerCoin = 100'000'000;  // amounts have 8 decimals
constexpr std::uint64_t kTopLevels = 20;             // places and cancels land this close to the top

std::string price_text(std::int64_t cents) {
  const auto c = static_cast<int>(cents % 100);
  return std::to_string(cents / 100) + (c < 10 ? ".0" : ".") + std::to_string(c);
}

// Signed, trailing zeros trimmed: "2.5", "-0.12345678", "1".
std::string amount_text(std::int64_t units) {
  std::string s = units < 0 ? "-" : "";
  const std::int64_t u = std::llabs(units);
  s += std::to_string(u / kUnitsPerCoin);
  std::string frac = std::to_string(kUnitsPerCoin + u % kUnitsPerCoin).substr(1);
  frac.erase(frac.find_last_not_of('0') + 1);
  return frac.empty() ? s : s + "." + frac;
}

std::string change_event(bool bid, std::int64_t price, std::int64_t remaining, std::int64_t delta,
                         const char* reason) {
  return std::string(R"({"type":"change","side":")") + (bid ? "bid" : "ask") + R"(","price":")" +
         price_text(price) + R"(","remaining":")" + amount_text(remaining) + R"(","delta":")" +
         amount_text(delta) + R"(","reason":")" + reason + R"("})";
}

}  // namespace

void append_ws_text_frame(std::string_view payload, std::string& out) {
  out += static_cast<char>(0x81);  // FIN + text
  const std::uint64_t n = payload.size();
  if (n < 126) {
    out += static_cast<char>(n);
  } else {
    const int bytes = n <= 0xffff ? 2 : 8;
    out += static_cast<char>(bytes == 2 ? 126 : 127);
    for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((n >> (8 * i)) & 0xff);
  }
  out += payload;
}

void append_ws_close_frame(std::uint16_t code, std::string& out) {
  out += static_cast<char>(0x88);  // FIN + close
  out += static_cast<char>(2);
  out += static_cast<char>(code >> 8);
  out += static_cast<char>(code & 0xff);
}

std::string heartbeat_frame(std::uint64_t seq) {
  return R"({"type":"heartbeat","socket_sequence":)" + std::to_string(seq) + "}";
}

FloodBook::FloodBook(int levels, std::uint64_t seed)
    : rng_(seed), depth_(static_cast<std::size_t>(std::max(levels / 2, 1))) {
  std::int64_t bid = 649'999, ask = 650'001;  // 6499.99 / 6500.01
  for (std::size_t i = 0; i < depth_; ++i) {
    bids_[bid] = random_amount();
    asks_[ask] = random_amount();
    bid -= 1 + (rng_() % 4 == 0);  // now and then an empty tick
    ask += 1 + (rng_() % 4 == 0);
  }
}

std::int64_t FloodBook::random_amount() {
  if (rng_() % 10 < 3) return static_cast<std::int64_t>(1 + rng_() % 20) * (kUnitsPerCoin / 4);  // round lots
  return 100'000 + static_cast<std::int64_t>(rng_() % (5 * kUnitsPerCoin));  // 0.001 .. 5, 8 decimals
}

std::string FloodBook::header(std::uint64_t seq, bool with_time) {
  std::string h = R"({"type":"update","eventId":)" + std::to_string(event_id_) + ",";
  if (with_time) {
    h += R"("timestamp":)" + std::to_string(time_ms_ / 1000) + R"(,"timestampms":)" + std::to_string(time_ms_) + ",";
  }
  return h + R"("socket_sequence":)" + std::to_string(seq) + R"(,"events":[)";
}

std::string FloodBook::initial_frame() {
  std::string f = header(0, false);
  for (const auto& [price, amount] : bids_) f += change_event(true, price, amount, amount, "initial") + ",";
  for (const auto& [price, amount] : asks_) f += change_event(false, price, amount, amount, "initial") + ",";
  f.back() = ']';
  return f + "}";
}

std::string FloodBook::update_frame(std::uint64_t seq) {
  events_.clear();
  event_id_ += 1 + rng_() % 50;
  time_ms_ += static_cast<std::int64_t>(rng_() % 5);
  const std::uint64_t pick = rng_() % 10;
  const int changes = pick < 6 ? 1 : pick < 9 ? 2 : 3;
  for (int i = 0; i < changes; ++i) {
    const std::uint64_t what = rng_() % 100;
    const bool bid = rng_() % 2 == 0;
    if (what < 50) place(bid);
    else if (what < 80) cancel(bid);
    else trade(bid);
  }
  return header(seq, true) + events_ + "]}";
}

void FloodBook::set_level(bool bid, std::int64_t price, std::int64_t amount, const char* reason) {
  auto apply = [&](auto& side) {
    const auto it = side.find(price);
    const std::int64_t old = it == side.end() ? 0 : it->second;
    if (amount == 0) side.erase(price);
    else side[price] = amount;
    return old;
  };
  const std::int64_t old = bid ? apply(bids_) : apply(asks_);
  if (!events_.empty()) events_ += ',';
  events_ += change_event(bid, price, amount, amount - old, reason);
}

// Mostly within 20 ticks of the best price on its side, sometimes inside the spread.
std::int64_t FloodBook::near_top_price(bool bid) {
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
void FloodBook::place(bool bid) {
  const auto level = [&](std::int64_t p) -> std::int64_t {
    if (bid) return bids_.count(p) ? bids_[p] : 0;
    return asks_.count(p) ? asks_[p] : 0;
  };
  std::int64_t price = near_top_price(bid);
  if ((bid ? bids_.size() : asks_.size()) < depth_) {
    while (level(price) != 0) price += bid ? -1 : 1;
  }
  set_level(bid, price, level(price) + random_amount(), "place");
}

void FloodBook::cancel(bool bid) {
  const std::size_t size = bid ? bids_.size() : asks_.size();
  if (size <= 1) return place(bid);  // never empty a side
  const auto k = static_cast<std::ptrdiff_t>(std::min<std::uint64_t>(
      std::min(rng_() % kTopLevels, rng_() % kTopLevels), size - 1));
  const auto [price, old] = bid ? *std::next(bids_.begin(), k) : *std::next(asks_.begin(), k);
  const bool partial = rng_() % 10 < 3 && old >= 10;
  set_level(bid, price, partial ? old * static_cast<std::int64_t>(1 + rng_() % 9) / 10 : 0, "cancel");
}

void FloodBook::trade(bool maker_bid) {
  const std::size_t size = maker_bid ? bids_.size() : asks_.size();
  const auto [price, level] = maker_bid ? *bids_.begin() : *asks_.begin();
  if (level < 2 && size <= 1) return place(maker_bid);
  const bool whole = size > 1 && (level < 2 || rng_() % 2 == 0);
  const std::int64_t taken = whole ? level : 1 + static_cast<std::int64_t>(rng_() % static_cast<std::uint64_t>(level - 1));
  if (!events_.empty()) events_ += ',';
  events_ += R"({"type":"trade","tid":)" + std::to_string(++event_id_) + R"(,"price":")" + price_text(price) +
             R"(","amount":")" + amount_text(taken) + R"(","makerSide":")" + (maker_bid ? "bid" : "ask") + R"("})";
  set_level(maker_bid, price, level - taken, "trade");
}

std::string build_flood(int levels, std::uint64_t updates, std::uint64_t seed) {
  FloodBook book(levels, seed);
  std::string wire;
  wire.reserve(static_cast<std::size_t>(updates) * 300 + static_cast<std::size_t>(levels) * 120);
  append_ws_text_frame(book.initial_frame(), wire);
  for (std::uint64_t seq = 1; seq <= updates; ++seq) append_ws_text_frame(book.update_frame(seq), wire);
  return wire;
}

}  // namespace wsbook::bench
