// Bybit v5 spot `orderbook.50.<symbol>` as our test exchange speaks it: levels
// as [price, size] strings with trailing zeros (two and three decimals), `u`
// +1 per push of a symbol, every snapshot (also mid-stream) starting a new `u`,
// and {"op":"ping"} answered by spot's pong (op "ping", ret_msg "pong").
#include <map>

#include "support/venue_book.h"

namespace wsbook::testing {
namespace {

constexpr const char* kConnId = R"("conn_id":"2324d924-aa4d-45b0-a858-7b8be29ab52b")";

std::string level(std::int64_t cents, std::int64_t milli) {
  return R"([")" + fixed_decimals(cents, 2, 2) + R"(",")" + fixed_decimals(milli, 3, 3) + R"("])";
}

class BybitServer final : public VenueServer {
 public:
  BybitServer(const std::vector<std::string>& symbols, std::size_t depth) : VenueServer(symbols, depth, 0) {}

  std::string name() const override { return "bybit"; }

  std::vector<std::string> acks(const std::vector<std::string>&) override {
    return {R"({"success":true,"ret_msg":"subscribe",)" + std::string(kConnId) + R"(,"req_id":"1","op":"subscribe"})"};
  }
  std::vector<std::string> unsubscribe_acks(const std::string&) override {
    return {R"({"success":true,"ret_msg":"",)" + std::string(kConnId) + R"(,"req_id":"1","op":"unsubscribe"})"};
  }

  std::string snapshot(const std::string& symbol) override {
    SymbolTruth& b = book(symbol);
    std::string bids, asks;
    for (const auto& [c, m] : b.bids()) bids += (bids.empty() ? "" : ",") + level(c, m);
    for (const auto& [c, m] : b.asks()) asks += (asks.empty() ? "" : ",") + level(c, m);
    b.remember();
    next_base_ += 1000000;
    last_[symbol] = next_base_;
    return push("snapshot", symbol, bids, asks);
  }

  std::string delta(const std::string& symbol, const std::vector<LevelChange>& changes) override {
    SymbolTruth& b = book(symbol);
    std::string bids, asks;
    for (const LevelChange& c : changes) {
      b.apply(c);
      std::string& side = c.side == TrueSide::bid ? bids : asks;
      side += (side.empty() ? "" : ",") + level(c.cents, c.milli);
    }
    b.remember();
    ++last_[symbol];
    return push("delta", symbol, bids, asks);
  }

  // Bybit sends no heartbeat of its own; a pong is what keeps a quiet connection talking.
  std::string heartbeat() override { return pong(R"({"op":"ping"})"); }

  std::string reject(const std::string& symbol) override {
    return R"({"success":false,"ret_msg":"Invalid symbol :[orderbook.50.)" + symbol + "]\"," + kConnId +
           R"(,"req_id":"1","op":"subscribe"})";
  }

  std::string pong(std::string_view frame) const override {
    if (frame.find(R"("op":"ping")") == std::string_view::npos) return {};
    return R"({"success":true,"ret_msg":"pong",)" + std::string(kConnId) + R"(,"op":"ping"})";
  }

  // A push of the symbol lost: its next `u` skips one.
  void integrity_fault(const std::string& symbol) override {
    ++last_[symbol];
    book(symbol).mute(true);
  }

 private:
  std::string push(const char* type, const std::string& symbol, const std::string& bids, const std::string& asks) {
    const std::string ts = std::to_string(1700000000000 + ++pushes_);
    return R"({"topic":"orderbook.50.)" + symbol + R"(","type":")" + type + R"(","ts":)" + ts +
           R"(,"data":{"s":")" + symbol + R"(","b":[)" + bids + R"(],"a":[)" + asks + R"(],"u":)" +
           std::to_string(last_[symbol]) + R"(,"seq":)" + std::to_string(7961638724 + 5 * pushes_) +
           R"(},"cts":)" + ts + "}";
  }

  std::map<std::string, std::int64_t> last_;  // each symbol's last u
  std::int64_t next_base_ = 18521288;
  std::int64_t pushes_ = 0;
};

}  // namespace

std::unique_ptr<VenueServer> make_bybit_server(const std::vector<std::string>& symbols, std::size_t depth) {
  return std::make_unique<BybitServer>(symbols, depth);
}

}  // namespace wsbook::testing
