// Kraken v2 `book` as our test exchange speaks it: prices and quantities as JSON
// numbers in their shortest form, a deeper book of which only the subscribed
// window is told (a removal brings the next level into view), a
// CRC-32 of the top 10 after every message (snapshots included) over the
// numbers at the precisions the `instrument` channel announces (price 2, qty 8).
#include <algorithm>
#include <map>

#include "support/venue_book.h"

namespace wsbook::testing {
namespace {

constexpr const char* kTimes = R"("time_in":"2023-09-25T09:04:31.742599Z","time_out":"2023-09-25T09:04:31.742648Z")";
constexpr int kPricePrecision = 2;
constexpr int kQtyPrecision = 8;

std::string digits(std::string text) {
  text.erase(std::remove(text.begin(), text.end(), '.'), text.end());
  const std::size_t first = text.find_first_not_of('0');
  return first == std::string::npos ? std::string{} : text.substr(first);
}

std::string number(std::int64_t value, int scale, int precision) {
  if (precision < 0) return scale == 2 ? TrueBook::price_text(value) : TrueBook::amount_text(value);
  return fixed_decimals(value, scale, precision);
}

template <class Map>
void append_levels(std::string& out, const Map& side, int pp, int qp) {
  std::size_t n = 0;
  for (const auto& [cents, milli] : side) {
    if (n++ == 10) break;
    out += digits(number(cents, 2, pp)) + digits(number(milli, 3, qp));
  }
}

std::string level(std::int64_t cents, std::int64_t milli) {
  return R"({"price":)" + TrueBook::price_text(cents) + R"(,"qty":)" + TrueBook::amount_text(milli) + "}";
}

class KrakenServer final : public VenueServer {
 public:
  KrakenServer(const std::vector<std::string>& symbols, std::size_t depth, bool announce)
      : VenueServer(symbols, depth, 0), depth_(depth), announce_(announce) {}

  std::string name() const override { return "kraken"; }

  std::vector<std::string> acks(const std::vector<std::string>& symbols) override {
    std::vector<std::string> out{R"({"method":"subscribe","result":{"channel":"instrument","snapshot":true},)"
                                 R"("success":true,)" + std::string(kTimes) + "}"};
    if (announce_) out.push_back(instruments());
    for (const std::string& s : symbols) out.push_back(book_ack("subscribe", s));
    return out;
  }
  std::vector<std::string> unsubscribe_acks(const std::string& symbol) override {
    return {book_ack("unsubscribe", symbol)};
  }

  std::string snapshot(const std::string& symbol) override {
    SymbolTruth& b = book(symbol);
    std::string bids, asks;
    for (const auto& [key, milli] : window(b)) {
      std::string& side = key.first == TrueSide::bid ? bids : asks;
      side += (side.empty() ? "" : ",") + level(key.second, milli);
    }
    b.remember();
    return frame("snapshot", b, bids, asks);
  }

  // Kraken tells only of the subscribed window: changes inside it, and the
  // levels a removal brings into view; a change below the window says nothing.
  std::string delta(const std::string& symbol, const std::vector<LevelChange>& changes) override {
    SymbolTruth& b = book(symbol);
    const Window before = window(b);
    for (const LevelChange& c : changes) b.apply(c);
    const Window after = window(b);
    std::map<std::pair<TrueSide, std::int64_t>, std::int64_t> told;  // what goes out, by side and price
    for (const LevelChange& c : changes) {
      if (before.count({c.side, c.cents}) || after.count({c.side, c.cents})) told[{c.side, c.cents}] = c.milli;
    }
    for (const auto& [key, milli] : after) {
      if (!before.count(key) || before.at(key) != milli) told[key] = milli;
    }
    if (told.empty()) return heartbeat();
    std::string bids, asks;
    for (const auto& [key, milli] : told) {
      std::string& side = key.first == TrueSide::bid ? bids : asks;
      side += (side.empty() ? "" : ",") + level(key.second, milli);
    }
    b.remember();
    return frame("update", b, bids, asks);
  }

  std::string heartbeat() override { return R"({"channel":"heartbeat"})"; }

  std::string reject(const std::string& symbol) override {
    return R"({"error":"Currency pair not supported )" + symbol + R"(","method":"subscribe","req_id":1,)"
           R"("success":false,"symbol":")" + symbol + R"(",)" + kTimes + "}";
  }

  std::string pong(std::string_view frame) const override {
    if (frame.find(R"("method":"ping")") == std::string_view::npos) return {};
    return R"({"method":"pong",)" + std::string(kTimes) + "}";
  }

  void integrity_fault(const std::string& symbol) override {
    corrupt_.push_back(symbol);
    book(symbol).mute(true);
  }

 private:
  using Window = std::map<std::pair<TrueSide, std::int64_t>, std::int64_t>;

  // The best depth_ levels of each side: all a subscriber of that depth knows of.
  Window window(const SymbolTruth& b) const {
    Window w;
    const auto add = [&](const auto& side, TrueSide which) {
      std::size_t n = 0;
      for (auto it = side.begin(); it != side.end() && n < depth_; ++it, ++n) w[{which, it->first}] = it->second;
    };
    add(b.bids(), TrueSide::bid);
    add(b.asks(), TrueSide::ask);
    return w;
  }

  std::string instruments() const {
    std::string pairs;
    for (const std::string& s : symbols()) {
      pairs += (pairs.empty() ? "" : ",") + std::string(R"({"symbol":")") + s +
               R"(","base":"X","quote":"USD","status":"online","qty_precision":8,"qty_increment":0.00000001,)"
               R"("price_precision":2,"cost_precision":5,"marginable":true,"has_index":true,"cost_min":0.5,)"
               R"("tick_size":0.01,"price_increment":0.01,"qty_min":0.0001})";
    }
    return R"({"channel":"instrument","type":"snapshot","data":{"assets":[{"id":"USD","status":"enabled",)"
           R"("precision":4,"precision_display":2,"borrowable":true,"collateral_value":1.0,"margin_rate":0.0}],)"
           R"("pairs":[)" + pairs + "]}}";
  }
  std::string book_ack(const char* method, const std::string& symbol) const {
    return R"({"method":")" + std::string(method) + R"(","result":{"channel":"book","depth":)" +
           std::to_string(depth_) + R"(,"snapshot":true,"symbol":")" + symbol + R"("},"success":true,)" + kTimes + "}";
  }
  std::uint32_t checksum(const SymbolTruth& b) {
    const int pp = announce_ ? kPricePrecision : -1, qp = announce_ ? kQtyPrecision : -1;
    std::uint32_t crc = test_crc32(kraken_checksum_text(b, pp, qp));
    const auto it = std::find(corrupt_.begin(), corrupt_.end(), b.symbol());
    if (it != corrupt_.end()) {
      corrupt_.erase(it);
      crc ^= 0x00A5A5A5u;
    }
    return crc;
  }
  std::string frame(const char* type, const SymbolTruth& b, const std::string& bids, const std::string& asks) {
    return R"({"channel":"book","type":")" + std::string(type) + R"(","data":[{"symbol":")" + b.symbol() +
           R"(","bids":[)" + bids + R"(],"asks":[)" + asks + R"(],"checksum":)" + std::to_string(checksum(b)) +
           R"(,"timestamp":"2023-10-06T17:35:55.440295Z"}]})";
  }

  std::size_t depth_;
  bool announce_;
  std::vector<std::string> corrupt_;  // symbols whose next message carries a wrong checksum
};

}  // namespace

std::string kraken_checksum_text(const SymbolTruth& book, int price_precision, int qty_precision) {
  std::string text;
  append_levels(text, book.asks(), price_precision, qty_precision);
  append_levels(text, book.bids(), price_precision, qty_precision);
  return text;
}

std::unique_ptr<VenueServer> make_kraken_server(const std::vector<std::string>& symbols, std::size_t depth,
                                                bool announce_precision) {
  return std::make_unique<KrakenServer>(symbols, depth, announce_precision);
}

}  // namespace wsbook::testing
