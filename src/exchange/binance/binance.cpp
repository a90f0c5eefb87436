// Binance as two venues, spot and USD-M futures: the same `<symbol>@depth@100ms`
// diff stream, many symbols per connection, each book started from a REST
// snapshot and bridged to the stream by update ids.
#include <algorithm>
#include <chrono>

#include "exchange/binance/binance.h"
#include "exchange/symbol_text.h"
#include "exchange/venues.h"

namespace wsbook {
namespace {

// No cap on a SUBSCRIBE's params is documented, but a refused request loses
// every stream it names: a few requests of a bounded size each.
constexpr std::size_t kParamsPerRequest = 50;

// What sets the two markets apart.
struct Market {
  std::string_view name, url, rest_base, depth_path;
  bool futures;
  // Between two requests on a connection: the venue counts every incoming
  // message (requests, pings, pongs) against a per-second limit, and cuts a
  // connection over it; this leaves room for the pong Beast sends to its ping.
  std::chrono::milliseconds send_spacing;
  // Request weight of a snapshot of `levels`, and the address's weight per minute.
  unsigned (*weight)(std::size_t levels);
  unsigned weight_per_minute;
  std::size_t max_levels;  // the deepest snapshot the venue serves
};

// Spot's levels per snapshot: the usual tier, and the deepest.
constexpr std::size_t kSpotLevels = 1000, kSpotDeepLevels = 5000;
// Futures' deepest snapshot, the only one asked for.
constexpr std::size_t kFuturesLevels = 1000;

// Spot's weight grows with the levels asked for, in tiers.
unsigned spot_weight(std::size_t levels) { return levels <= kSpotLevels ? 50 : 250; }
// Futures' weight for its deepest snapshot.
unsigned futures_weight(std::size_t) { return 20; }

constexpr Market kSpot{"binance", "wss://stream.binance.com:9443/stream", "https://api.binance.com",
                       "/api/v3/depth", false, std::chrono::milliseconds(250), spot_weight, 6000, kSpotDeepLevels};
constexpr Market kFutures{"binance-futures", "wss://fstream.binance.com/stream", "https://fapi.binance.com",
                          "/fapi/v1/depth", true, std::chrono::milliseconds(125), futures_weight, 2400, kFuturesLevels};

class Binance final : public Venue {
 public:
  explicit Binance(const Market& m) : m_(m) {}
  std::string_view name() const override { return m_.name; }
  // The combined endpoint: frames say their stream, so many symbols share it.
  std::string default_url() const override { return std::string(m_.url); }
  // The symbol goes into a JSON request unescaped; the wire form has no separator.
  std::string check_symbol(std::string_view symbol) const override {
    const bool ok = !symbol.empty() && std::all_of(symbol.begin(), symbol.end(), is_alnum);
    return ok ? "" : "expected a symbol like BTCUSDT: letters and digits, no separator";
  }
  // Events spell it in upper case, stream names in lower case.
  std::string wire_symbol(std::string_view symbol) const override { return upper(symbol); }
  // Far below the venue's limit on a connection's streams: one busy connection
  // carries fewer books, and it takes fewer requests to subscribe.
  std::size_t symbols_per_connection() const override { return 200; }
  unsigned connects_per_minute() const override { return 60; }  // 300 attempts in 5 minutes per address
  std::vector<std::string> subscribe(const std::vector<std::string>& symbols, std::size_t depth) const override;
  // A broken book is rebuilt from a new REST snapshot while the stream goes on:
  // unsubscribe() stays empty, as no symbol ever needs resubscribing.
  std::chrono::milliseconds send_spacing() const override { return m_.send_spacing; }
  IntegrityKind integrity() const override {
    return m_.futures ? IntegrityKind::update_range_linked : IntegrityKind::update_range;
  }
  std::optional<RestSnapshots> rest_snapshots(std::size_t depth) const override;
  std::string snapshot_url(std::string_view base_url, std::string_view symbol, std::size_t levels) const override;
  std::unique_ptr<VenueParser> make_parser() const override { return binance::make_parser(m_.futures); }

 private:
  const Market& m_;
};

// {"method":"SUBSCRIBE","params":["btcusdt@depth@100ms",...],"id":1}, a request per group of params.
std::vector<std::string> Binance::subscribe(const std::vector<std::string>& symbols, std::size_t) const {
  std::vector<std::string> frames;
  for (std::size_t i = 0; i < symbols.size(); i += kParamsPerRequest) {
    std::string f = R"({"method":"SUBSCRIBE","params":[)";
    const std::size_t end = std::min(symbols.size(), i + kParamsPerRequest);
    for (std::size_t j = i; j < end; ++j) {
      f += j == i ? "\"" : ",\"";
      f += lower(symbols[j]);
      f += "@depth@100ms\"";
    }
    frames.push_back(f + R"(],"id":)" + std::to_string(frames.size() + 1) + "}");
  }
  return frames;
}

// kSpotLevels unless the line wants more than half of them (the book must keep
// room to move before it outgrows what its snapshot knew): a level weighs the
// same in every tier, kSpotLevels is far deeper than any line, and its tier weighs a fraction
// of the deepest's, so many symbols starting at once get their books that much
// sooner under the weight limit. Futures always ask for their deepest.
std::optional<RestSnapshots> Binance::rest_snapshots(std::size_t depth) const {
  const std::size_t levels = m_.futures || 2 * depth > kSpotLevels ? m_.max_levels : kSpotLevels;
  return RestSnapshots{std::string(m_.rest_base), levels, m_.weight(levels), m_.weight_per_minute};
}

std::string Binance::snapshot_url(std::string_view base_url, std::string_view symbol, std::size_t levels) const {
  while (base_url.ends_with('/')) base_url.remove_suffix(1);
  return std::string(base_url) + std::string(m_.depth_path) + "?symbol=" + std::string(symbol) +
         "&limit=" + std::to_string(levels);
}

}  // namespace

const Venue& binance_venue() {
  static const Binance venue(kSpot);
  return venue;
}

const Venue& binance_futures_venue() {
  static const Binance venue(kFutures);
  return venue;
}

}  // namespace wsbook
