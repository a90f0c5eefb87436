// Gemini as venues: v1 (a connection per symbol, socket_sequence) and v2 (many
// symbols, no sequence numbers), their typed parsers turned into book messages.
#include <algorithm>
#include <cctype>

#include "exchange/symbol_text.h"
#include "exchange/venues.h"
#include "wsbook/gemini.h"

namespace wsbook {
namespace {

std::string check_gemini_symbol(std::string_view symbol) {
  // The symbol goes into a URL path and a JSON subscribe frame unescaped.
  const bool ok = !symbol.empty() && std::all_of(symbol.begin(), symbol.end(), [](unsigned char c) {
    return std::isalnum(c) != 0;
  });
  return ok ? "" : "expected letters and digits, like BTCUSD";
}

class V1Parser final : public VenueParser {
 public:
  std::string_view parse(std::string_view frame, ParsedFrame& out) override {
    out.clear();
    // The frame outlives out's use: the feed applies its changes before the next one.
    if (auto err = parser_.parse_view(frame, msg_); !err.empty()) return err;
    out.connection_seq = msg_.socket_sequence;
    if (msg_.type == V1Frame::Type::heartbeat) {
      out.notices.push_back({Notice::Kind::heartbeat, {}, {}});
      return {};
    }
    out.changes.swap(msg_.changes);  // no copy: the two vectors trade buffers
    BookMessage& m = out.books.emplace_back();
    // The first update of a connection is the whole book, even an empty one.
    m.snapshot = msg_.initial || msg_.socket_sequence == 0;
    m.end_change = out.changes.size();
    m.seq = static_cast<std::int64_t>(msg_.socket_sequence);
    m.exchange_ms = msg_.timestamp_ms;
    m.top_of_book = msg_.top_of_book;
    return {};
  }

 private:
  GeminiV1Parser parser_;
  V1Frame msg_;
};

class V2Parser final : public VenueParser {
 public:
  std::string_view parse(std::string_view frame, ParsedFrame& out) override {
    out.clear();
    if (auto err = parser_.parse(frame, msg_); !err.empty()) return err;
    if (msg_.type == V2Message::Type::heartbeat) out.notices.push_back({Notice::Kind::heartbeat, {}, {}});
    if (msg_.type != V2Message::Type::l2_updates) return {};
    out.changes.swap(msg_.changes);
    BookMessage& m = out.books.emplace_back();
    m.symbol = msg_.symbol;
    m.snapshot = msg_.snapshot;  // a lost delta cannot be seen in v2: every snapshot starts afresh
    m.end_change = out.changes.size();
    m.exchange_ms = msg_.timestamp_ms;
    return {};
  }

 private:
  GeminiV2Parser parser_;
  V2Message msg_;
};

// Gemini documents 12 public WebSocket handshakes a minute.
constexpr unsigned kGeminiConnectsPerMinute = 12;

class GeminiV1 final : public Venue {
 public:
  std::string_view name() const override { return "gemini"; }
  std::string default_url() const override { return "wss://api.gemini.com/v1/marketdata/{symbol}?heartbeat=true"; }
  std::string check_symbol(std::string_view symbol) const override { return check_gemini_symbol(symbol); }
  std::string wire_symbol(std::string_view symbol) const override { return upper(symbol); }
  // The URL names the symbol: nothing to send.
  std::vector<std::string> subscribe(const std::vector<std::string>&, std::size_t) const override { return {}; }
  unsigned connects_per_minute() const override { return kGeminiConnectsPerMinute; }
  IntegrityKind integrity() const override { return IntegrityKind::connection_sequence; }
  std::unique_ptr<VenueParser> make_parser() const override { return std::make_unique<V1Parser>(); }
};

class GeminiV2 final : public Venue {
 public:
  std::string_view name() const override { return "gemini-v2"; }
  std::string default_url() const override { return "wss://api.gemini.com/v2/marketdata"; }
  std::string check_symbol(std::string_view symbol) const override { return check_gemini_symbol(symbol); }
  std::string wire_symbol(std::string_view symbol) const override { return upper(symbol); }
  std::size_t symbols_per_connection() const override { return 100; }
  unsigned connects_per_minute() const override { return kGeminiConnectsPerMinute; }
  std::vector<std::string> subscribe(const std::vector<std::string>& symbols, std::size_t) const override {
    std::string list;
    for (const std::string& s : symbols) list += (list.empty() ? "\"" : ",\"") + s + "\"";
    return {R"({"type":"subscribe","subscriptions":[{"name":"l2","symbols":[)" + list + "]}]}"};
  }
  IntegrityKind integrity() const override { return IntegrityKind::none; }
  std::unique_ptr<VenueParser> make_parser() const override { return std::make_unique<V2Parser>(); }
};

}  // namespace

const Venue& gemini_venue() {
  static const GeminiV1 venue;
  return venue;
}

const Venue& gemini_v2_venue() {
  static const GeminiV2 venue;
  return venue;
}

}  // namespace wsbook
