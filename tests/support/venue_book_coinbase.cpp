// Coinbase Advanced Trade as our test exchange speaks it: every frame in an
// envelope with the connection-wide `sequence_num` (from 0 on each connection,
// heartbeats and acks included); prices with two decimals, sizes with eight,
// as Coinbase writes them; errors come bare, without a sequence_num.
#include "support/venue_book.h"

namespace wsbook::testing {
namespace {

constexpr const char* kTime = "2023-02-09T20:32:50.714964855Z";

std::string level(TrueSide side, std::int64_t cents, std::int64_t milli) {
  return R"({"side":")" + std::string(side == TrueSide::bid ? "bid" : "offer") + R"(","event_time":")" + kTime +
         R"(","price_level":")" + fixed_decimals(cents, 2, 2) + R"(","new_quantity":")" +
         (milli == 0 ? std::string("0") : fixed_decimals(milli, 3, 8)) + R"("})";
}

class CoinbaseServer final : public VenueServer {
 public:
  CoinbaseServer(const std::vector<std::string>& symbols, std::size_t depth) : VenueServer(symbols, depth, 0) {}

  std::string name() const override { return "coinbase"; }
  void new_connection() override { seq_ = 0; }

  std::vector<std::string> acks(const std::vector<std::string>& symbols) override {
    std::string products;
    for (const std::string& s : symbols) products += (products.empty() ? "\"" : ",\"") + s + "\"";
    return {envelope("subscriptions", R"([{"subscriptions":{"level2":[)" + products +
                                          R"(],"heartbeats":["heartbeats"]}}])")};
  }
  std::vector<std::string> unsubscribe_acks(const std::string&) override {
    return {envelope("subscriptions", R"([{"subscriptions":{"heartbeats":["heartbeats"]}}])")};
  }

  std::string snapshot(const std::string& symbol) override {
    SymbolTruth& b = book(symbol);
    std::string updates;
    for (const auto& [c, m] : b.bids()) updates += (updates.empty() ? "" : ",") + level(TrueSide::bid, c, m);
    for (const auto& [c, m] : b.asks()) updates += (updates.empty() ? "" : ",") + level(TrueSide::ask, c, m);
    b.remember();
    return l2("snapshot", symbol, updates);
  }

  std::string delta(const std::string& symbol, const std::vector<LevelChange>& changes) override {
    SymbolTruth& b = book(symbol);
    std::string updates;
    for (const LevelChange& c : changes) {
      b.apply(c);
      updates += (updates.empty() ? "" : ",") + level(c.side, c.cents, c.milli);
    }
    b.remember();
    return l2("update", symbol, updates);
  }

  std::string heartbeat() override {
    return envelope("heartbeats", R"([{"current_time":"2023-02-09 20:32:50.714964855 +0000 UTC m=+91717.525857105",)"
                                  R"("heartbeat_counter":)" + std::to_string(++heartbeats_) + "}]");
  }

  std::string reject(const std::string& symbol) override {
    return R"({"type":"error","message":"Failed to subscribe","reason":")" + symbol + R"( is not a valid product"})";
  }

  // The heartbeats channel keeps the connection alive: no app-level ping to answer.
  std::string pong(std::string_view) const override { return {}; }

  // A frame lost on the connection: the next one's sequence_num skips one.
  void integrity_fault(const std::string& symbol) override {
    ++seq_;
    book(symbol).mute(true);
  }

 private:
  std::string envelope(const std::string& channel, const std::string& events) {
    return R"({"channel":")" + channel + R"(","client_id":"","timestamp":")" + kTime + R"(","sequence_num":)" +
           std::to_string(seq_++) + R"(,"events":)" + events + "}";
  }
  std::string l2(const char* type, const std::string& symbol, const std::string& updates) {
    return envelope("l2_data", R"([{"type":")" + std::string(type) + R"(","product_id":")" + symbol +
                                   R"(","updates":[)" + updates + "]}]");
  }

  std::uint64_t seq_ = 0;
  std::uint64_t heartbeats_ = 0;
};

}  // namespace

std::unique_ptr<VenueServer> make_coinbase_server(const std::vector<std::string>& symbols, std::size_t depth) {
  return std::make_unique<CoinbaseServer>(symbols, depth);
}

}  // namespace wsbook::testing
