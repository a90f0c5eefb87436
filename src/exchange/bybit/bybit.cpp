// Bybit v5 as a venue: `orderbook.{depth}.{symbol}` on the spot stream by
// default, many symbols per connection, each book chained by its `u`.
#include <algorithm>
#include <array>
#include <chrono>

#include "exchange/bybit/bybit.h"
#include "exchange/symbol_text.h"
#include "exchange/venues.h"

namespace wsbook {
namespace {

// The depths spot, linear and inverse serve.
constexpr std::array<std::size_t, 4> kTopicDepths{1, 50, 200, 1000};
// Spot refuses a request of more args.
constexpr std::size_t kArgsPerRequest = 10;

// The smallest topic that holds `depth` levels; the deepest for more, or for 0.
// Depth 1 takes the depth-1 topic: every push of it is a whole snapshot, so
// nothing can be lost between pushes, and it is the lightest and fastest.
std::size_t topic_depth(std::size_t depth) {
  if (depth == 0) return kTopicDepths.back();
  for (std::size_t d : kTopicDepths) {
    if (d >= depth) return d;
  }
  return kTopicDepths.back();
}

// {"req_id":"1","op":"subscribe","args":["orderbook.50.BTCUSDT",...]}, a request per group of args.
std::vector<std::string> requests(std::string_view op, const std::vector<std::string>& symbols, std::size_t depth) {
  const std::string topic = "\"orderbook." + std::to_string(topic_depth(depth)) + ".";
  std::vector<std::string> frames;
  for (std::size_t i = 0; i < symbols.size(); i += kArgsPerRequest) {
    std::string f = R"({"req_id":")" + std::to_string(frames.size() + 1) + R"(","op":")" + std::string(op) +
                    R"(","args":[)";
    const std::size_t end = std::min(symbols.size(), i + kArgsPerRequest);
    for (std::size_t j = i; j < end; ++j) f += (j == i ? "" : ",") + topic + symbols[j] + '"';
    frames.push_back(f + "]}");
  }
  return frames;
}

class Bybit final : public Venue {
 public:
  std::string_view name() const override { return "bybit"; }
  std::string default_url() const override { return "wss://stream.bybit.com/v5/public/spot"; }
  // The symbol goes into a JSON subscribe frame unescaped; the wire form has no separator.
  std::string check_symbol(std::string_view symbol) const override {
    const bool ok = !symbol.empty() && std::all_of(symbol.begin(), symbol.end(), [](unsigned char c) {
      return is_alnum(c);
    });
    return ok ? "" : "expected a symbol like BTCUSDT: letters and digits, no separator";
  }
  std::string wire_symbol(std::string_view symbol) const override { return upper(symbol); }
  // Far below the venue's limit on the args text of a connection, whatever the
  // symbols' length, and few subscribe requests per connection.
  std::size_t symbols_per_connection() const override { return 100; }
  unsigned connects_per_minute() const override { return 100; }  // 500 in 5 minutes per address
  std::vector<std::string> subscribe(const std::vector<std::string>& symbols, std::size_t depth) const override {
    return requests("subscribe", symbols, depth);
  }
  std::vector<std::string> unsubscribe(const std::vector<std::string>& symbols, std::size_t depth) const override {
    return requests("unsubscribe", symbols, depth);
  }
  // The venue cuts a connection that goes quiet without a ping.
  KeepAlive keep_alive() const override { return {R"({"op":"ping"})", std::chrono::seconds(20)}; }
  IntegrityKind integrity() const override { return IntegrityKind::symbol_chain; }
  std::unique_ptr<VenueParser> make_parser() const override { return bybit::make_parser(); }
};

}  // namespace

const Venue& bybit_venue() {
  static const Bybit venue;
  return venue;
}

}  // namespace wsbook
