// The per-symbol true books, the venue-independent parts of the servers, CRC-32,
// and the helpers that take wsbook's lines apart. No code from wsbook's src/.
#include "support/venue_book.h"

#include <algorithm>
#include <iterator>
#include <stdexcept>

#include "support/venue_book_binance.h"

namespace wsbook::testing {
namespace {

template <class Map>
void cut_side(Map& side, std::size_t kept) {
  while (side.size() > kept) side.erase(std::prev(side.end()));
}

std::uint32_t next(std::uint32_t& rng) {
  rng = rng * 1664525u + 1013904223u;
  return rng;
}

template <class Map>
LevelChange removal(const Map& side, TrueSide which, std::uint32_t r) {
  auto it = side.begin();
  std::advance(it, static_cast<long>(r % std::min<std::size_t>(5, side.size())));
  return {which, it->first, 0};
}

}  // namespace

SymbolTruth::SymbolTruth(std::string symbol, std::size_t depth, std::size_t kept)
    : symbol_(std::move(symbol)), depth_(depth), kept_(kept), epochs_(1) {}

void SymbolTruth::fill(std::int64_t mid_cents, int levels) {
  bids_.clear();
  asks_.clear();
  for (int i = 1; i <= levels; ++i) {
    bids_[mid_cents - 5 * i] = 1000 + 7 * i;
    asks_[mid_cents + 5 * i] = 2000 + 3 * i;
  }
  cut();
}

void SymbolTruth::apply(const LevelChange& c) {
  if (c.side == TrueSide::bid) {
    if (c.milli == 0) bids_.erase(c.cents); else bids_[c.cents] = c.milli;
  } else {
    if (c.milli == 0) asks_.erase(c.cents); else asks_[c.cents] = c.milli;
  }
  cut();
}

void SymbolTruth::cut() {
  if (kept_ == 0) return;
  cut_side(bids_, kept_);
  cut_side(asks_, kept_);
}

LevelChange SymbolTruth::random_change(std::uint32_t& rng) const {
  const std::uint32_t r = next(rng);
  bool bid = (r >> 8) % 2 == 0;
  if (bids_.empty()) bid = true;
  if (asks_.empty()) bid = false;
  const bool remove = (r >> 12) % 3 == 0 && (bid ? bids_.size() : asks_.size()) > 3;
  if (remove) return bid ? removal(bids_, TrueSide::bid, r >> 16) : removal(asks_, TrueSide::ask, r >> 16);
  const std::int64_t best_bid = bids_.empty() ? 650000 : bids_.begin()->first;
  const std::int64_t best_ask = asks_.empty() ? best_bid + 100 : asks_.begin()->first;
  const std::int64_t offset = static_cast<std::int64_t>((r >> 16) % 15);
  const std::int64_t milli = 1 + static_cast<std::int64_t>((r >> 20) % 5000);
  if (bid) return {TrueSide::bid, std::min(best_ask - 1, best_bid + 2 - offset), milli};
  return {TrueSide::ask, std::max(best_bid + 1, best_ask - 2 + offset), milli};
}

LevelChange SymbolTruth::crossing_change() const {
  const std::int64_t best_ask = asks_.empty() ? 700000 : asks_.begin()->first;
  return {TrueSide::bid, best_ask, 777};
}

void SymbolTruth::remember() {
  if (!muted_) epochs_.back().push_back(body());
}

void SymbolTruth::new_epoch() {
  epochs_.emplace_back();
  muted_ = false;
}

std::string SymbolTruth::body() const {
  return R"({"bids":)" + side_json(bids_, depth_) + R"(,"asks":)" + side_json(asks_, depth_);
}

std::vector<std::string> SymbolTruth::expected_lines() const {
  std::vector<std::string> all;
  for (const auto& e : epochs_) all.insert(all.end(), e.begin(), e.end());
  return all;
}

VenueServer::VenueServer(const std::vector<std::string>& symbols, std::size_t depth, std::size_t kept)
    : symbols_(symbols) {
  std::int64_t mid = 650000;
  for (const std::string& s : symbols) {
    books_.try_emplace(s, s, depth, kept).first->second.fill(mid, 30);
    mid += 130000;
  }
}

SymbolTruth& VenueServer::book(const std::string& symbol) {
  const auto it = books_.find(symbol);
  if (it == books_.end()) throw std::out_of_range("no book of " + symbol);
  return it->second;
}

std::string VenueServer::random_delta(const std::string& symbol, std::uint32_t& rng) {
  return delta(symbol, {book(symbol).random_change(rng)});
}

std::unique_ptr<VenueServer> make_venue_server(const std::string& name, const std::vector<std::string>& symbols,
                                               std::size_t depth) {
  if (name == "coinbase") return make_coinbase_server(symbols, depth);
  if (name == "kraken") return make_kraken_server(symbols, depth, true);
  if (name == "okx") return make_okx_server(symbols, depth);
  if (name == "bybit") return make_bybit_server(symbols, depth);
  if (name == "binance") return make_binance_server(symbols, depth, false);
  if (name == "binance-futures") return make_binance_server(symbols, depth, true);
  return nullptr;
}

std::uint32_t test_crc32(std::string_view bytes) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (const char ch : bytes) {
    crc ^= static_cast<unsigned char>(ch);
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

std::string fixed_decimals(std::int64_t value, int scale, int decimals) {
  std::int64_t pow = 1;
  for (int i = 0; i < scale; ++i) pow *= 10;
  std::string frac = std::to_string(pow + value % pow).substr(1);
  frac.append(static_cast<std::size_t>(std::max(0, decimals - scale)), '0');
  std::string text = std::to_string(value / pow);
  return frac.empty() ? text : text + "." + frac;
}

std::pair<std::string, std::string> split_tagged(const std::string& line, const std::string& exchange) {
  const std::string head = R"({"exchange":")" + exchange + R"(","symbol":")";
  if (line.rfind(R"({"exchange":)", 0) != 0) return {"", line_body(line)};
  if (line.rfind(head, 0) != 0) return {"?", line};
  const std::size_t end = line.find("\",", head.size());
  if (end == std::string::npos) return {"?", line};
  return {line.substr(head.size(), end - head.size()), "{" + line_body(line.substr(end + 2))};
}

std::vector<std::string> lines_of(const std::vector<std::string>& lines, const std::string& exchange,
                                  const std::string& symbol) {
  std::vector<std::string> out;
  for (const std::string& line : lines) {
    auto [s, body] = split_tagged(line, exchange);
    if (s == symbol) out.push_back(std::move(body));
  }
  return out;
}

std::string diff_lines(const std::vector<std::string>& actual, const std::vector<std::string>& expected) {
  const std::size_t n = std::min(actual.size(), expected.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (actual[i] != expected[i]) {
      return "line " + std::to_string(i) + " differs:\n  wrote " + actual[i] + "\n  true  " + expected[i];
    }
  }
  if (actual.size() == expected.size()) return {};
  return std::to_string(actual.size()) + " lines written, " + std::to_string(expected.size()) + " true states; next " +
         (actual.size() > n ? "written: " + actual[n] : "true: " + expected[n]);
}

}  // namespace wsbook::testing
