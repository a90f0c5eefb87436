// OKX v5 public `books` as a venue: an in-band snapshot, then updates chained
// by seqId/prevSeqId, on one connection for many instruments.
#include "exchange/okx/okx.h"

#include <algorithm>
#include <cctype>

#include "exchange/symbol_text.h"
#include "exchange/venues.h"

namespace wsbook {
namespace {

// OKX caps the size of one request's args; this many args stay far below the
// cap even with options' long instIds, and their books stay a load one socket carries.
constexpr std::size_t kSymbolsPerConnection = 100;

// Letters and digits in at least two parts joined by '-': BTC-USDT,
// BTC-USD-SWAP, BTC-USD-220527. The instId goes into JSON unescaped.
bool is_inst_id(std::string_view symbol) {
  if (symbol.empty() || symbol.size() > 64) return false;
  bool dash = false, part = false;
  for (const unsigned char c : symbol) {
    if (c == '-') {
      if (!part) return false;
      dash = true, part = false;
    } else if (std::isalnum(c) != 0) {
      part = true;
    } else {
      return false;
    }
  }
  return dash && part;
}

// {"op":"<op>","args":[{"channel":"books","instId":"BTC-USDT"},...]}
std::string request(std::string_view op, const std::vector<std::string>& symbols) {
  std::string frame = R"({"op":")" + std::string(op) + R"(","args":[)";
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    if (i > 0) frame += ',';
    frame += R"({"channel":"books","instId":")" + symbols[i] + R"("})";
  }
  frame += "]}";
  return frame;
}

class Okx final : public Venue {
 public:
  std::string_view name() const override { return "okx"; }
  std::string default_url() const override { return "wss://ws.okx.com:8443/ws/v5/public"; }
  std::string check_symbol(std::string_view symbol) const override {
    return is_inst_id(symbol) ? "" : "expected an instrument like BTC-USDT";
  }
  std::string wire_symbol(std::string_view symbol) const override { return upper(symbol); }
  std::size_t symbols_per_connection() const override { return kSymbolsPerConnection; }
  unsigned connects_per_minute() const override { return 180; }  // 3 a second per address
  // `books` has one fixed depth: the depth asked for only shapes the output.
  std::vector<std::string> subscribe(const std::vector<std::string>& symbols, std::size_t) const override {
    if (symbols.empty()) return {};
    return {request("subscribe", symbols)};
  }
  std::vector<std::string> unsubscribe(const std::vector<std::string>& symbols, std::size_t) const override {
    if (symbols.empty()) return {};
    return {request("unsubscribe", symbols)};
  }
  // OKX closes a connection that stays silent too long; this pings well within it.
  KeepAlive keep_alive() const override { return {"ping", std::chrono::seconds(20)}; }
  IntegrityKind integrity() const override { return IntegrityKind::symbol_chain; }
  std::unique_ptr<VenueParser> make_parser() const override { return make_okx_parser(); }
};

}  // namespace

const Venue& okx_venue() {
  static const Okx venue;
  return venue;
}

}  // namespace wsbook
