// OKX v5 `books` as our test exchange speaks it: levels as four strings in
// their shortest form, each symbol's pushes chained by seqId/prevSeqId (the
// snapshot's prevSeqId is -1, steps of 3, not 1), checksum 0 as since
// 2026-06 (or the old signed CRC-32 when asked), an idle update (seqId == prevSeqId) as the heartbeat, text ping/pong.
#include <map>

#include "support/venue_book.h"

namespace wsbook::testing {
namespace {

constexpr const char* kConnId = R"("connId":"a4d3ae55")";

std::string level(std::int64_t cents, std::int64_t milli) {
  return R"([")" + TrueBook::price_text(cents) + R"(",")" + TrueBook::amount_text(milli) + R"(","0","3"])";
}

std::string arg(const std::string& symbol) {
  return R"("arg":{"channel":"books","instId":")" + symbol + R"("})";
}

// OKX's old checksum: the 25 best bids and asks interleaved as
// "bid1px:bid1sz:ask1px:ask1sz:bid2px:...", a side that runs out adding nothing, CRC-32 as signed int32.
std::int32_t okx_checksum(const SymbolTruth& b) {
  std::string text;
  auto bid = b.bids().begin();
  auto ask = b.asks().begin();
  for (int i = 0; i < 25; ++i) {
    if (bid != b.bids().end()) {
      text += (text.empty() ? "" : ":") + TrueBook::price_text(bid->first) + ":" + TrueBook::amount_text(bid->second);
      ++bid;
    }
    if (ask != b.asks().end()) {
      text += (text.empty() ? "" : ":") + TrueBook::price_text(ask->first) + ":" + TrueBook::amount_text(ask->second);
      ++ask;
    }
  }
  return static_cast<std::int32_t>(test_crc32(text));
}

class OkxServer final : public VenueServer {
 public:
  OkxServer(const std::vector<std::string>& symbols, std::size_t depth, bool checksums)
      : VenueServer(symbols, depth, 0), checksums_(checksums) {}

  std::string name() const override { return "okx"; }

  std::vector<std::string> acks(const std::vector<std::string>& symbols) override {
    std::vector<std::string> out;
    for (const std::string& s : symbols) out.push_back(R"({"event":"subscribe",)" + arg(s) + "," + kConnId + "}");
    return out;
  }
  std::vector<std::string> unsubscribe_acks(const std::string& symbol) override {
    return {R"({"event":"unsubscribe",)" + arg(symbol) + "," + kConnId + "}"};
  }

  std::string snapshot(const std::string& symbol) override {
    SymbolTruth& b = book(symbol);
    std::string bids, asks;
    for (const auto& [c, m] : b.bids()) bids += (bids.empty() ? "" : ",") + level(c, m);
    for (const auto& [c, m] : b.asks()) asks += (asks.empty() ? "" : ",") + level(c, m);
    b.remember();
    next_base_ += 100000;
    last_[symbol] = next_base_;
    return push("snapshot", b, bids, asks, next_base_, -1);
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
    const std::int64_t prev = last_[symbol];
    last_[symbol] = prev + 3;
    return push("update", b, bids, asks, prev + 3, prev);
  }

  // OKX's idle book: an update without levels whose seqId is its prevSeqId.
  std::string heartbeat() override {
    const std::string& s = symbols().front();
    return push("update", book(s), "", "", last_[s], last_[s]);
  }

  std::string reject(const std::string& symbol) override {
    return R"({"event":"error","msg":"Wrong URL or channel:books,instId:)" + symbol +
           R"( doesn't exist. Please use the correct URL, channel and parameters referring to API document.",)"
           R"("code":"60018",)" + kConnId + "}";
  }

  std::string pong(std::string_view frame) const override { return frame == "ping" ? "pong" : ""; }

  // A push of the symbol lost: the next one names a prevSeqId the client never
  // saw. With checksums: the next push's checksum is wrong instead.
  void integrity_fault(const std::string& symbol) override {
    if (checksums_) corrupt_ = symbol; else last_[symbol] += 3;
    book(symbol).mute(true);
  }

 private:
  std::string push(const char* action, const SymbolTruth& b, const std::string& bids, const std::string& asks,
                   std::int64_t seq, std::int64_t prev) {
    std::int32_t crc = checksums_ ? okx_checksum(b) : 0;
    if (corrupt_ == b.symbol()) {
      crc ^= 0x0F0F0F;
      corrupt_.clear();
    }
    return "{" + arg(b.symbol()) + R"(,"action":")" + action + R"(","data":[{"asks":[)" + asks + R"(],"bids":[)" +
           bids + R"(],"ts":")" + std::to_string(1700000000000 + ++pushes_) + R"(","checksum":)" +
           std::to_string(crc) + R"(,"seqId":)" + std::to_string(seq) + R"(,"prevSeqId":)" + std::to_string(prev) +
           "}]}";
  }

  std::map<std::string, std::int64_t> last_;  // each symbol's last seqId
  std::int64_t next_base_ = 123456;
  std::int64_t pushes_ = 0;
  bool checksums_;
  std::string corrupt_;  // the symbol whose next push carries a wrong checksum
};

}  // namespace

std::unique_ptr<VenueServer> make_okx_server(const std::vector<std::string>& symbols, std::size_t depth,
                                             bool checksums) {
  return std::make_unique<OkxServer>(symbols, depth, checksums);
}

}  // namespace wsbook::testing
