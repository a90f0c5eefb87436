// Coinbase Advanced Trade (`wss://advanced-trade-ws.coinbase.com`): `level2`
// books and the `heartbeats` channel, one channel per subscribe message, one
// connection-wide `sequence_num` over every frame.
#include <memory>

#include "exchange/coinbase/coinbase_parser.h"
#include "exchange/venues.h"

namespace wsbook {
namespace {

bool upper_or_digit(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

char to_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

// A JSON string of a product; check_symbol() keeps quotes and controls out, this keeps them harmless.
void append_quoted(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) out += c;
  }
  out += '"';
}

std::string product_frame(std::string_view type, const std::vector<std::string>& symbols) {
  std::string f = R"({"type":")" + std::string(type) + R"(","product_ids":[)";
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    if (i > 0) f += ',';
    append_quoted(f, symbols[i]);
  }
  return f + R"(],"channel":"level2"})";
}

class CoinbaseVenue final : public Venue {
 public:
  std::string_view name() const override { return "coinbase"; }
  std::string default_url() const override { return "wss://advanced-trade-ws.coinbase.com"; }

  std::string check_symbol(std::string_view symbol) const override {
    std::size_t dashes = 0;
    for (char c : symbol) {
      if (c == '-') ++dashes;
      else if (!upper_or_digit(to_upper(c))) return "expected a product like BTC-USD";
    }
    const bool ends_ok = !symbol.empty() && symbol.front() != '-' && symbol.back() != '-';
    return dashes == 1 && ends_ok ? std::string{} : "expected a product like BTC-USD";
  }

  std::string wire_symbol(std::string_view symbol) const override {
    std::string s(symbol);
    for (char& c : s) c = to_upper(c);
    return s;
  }

  // Each product's snapshot is its whole book in one frame, and one sequence gap
  // drops every book on the connection: the docs advise spreading products over
  // connections, and a few per connection keeps both costs small while staying
  // far under the per-IP connection limit.
  std::size_t symbols_per_connection() const override { return 10; }
  // The docs give 8 connections a second and 8 unauthenticated messages a second
  // per address; each connection sends two subscribes, so connects go slower.
  unsigned connects_per_minute() const override { return 60; }
  unsigned messages_per_second() const override { return 8; }

  std::vector<std::string> subscribe(const std::vector<std::string>& symbols, std::size_t) const override {
    std::vector<std::string> frames;
    if (!symbols.empty()) frames.push_back(product_frame("subscribe", symbols));
    frames.emplace_back(R"({"type":"subscribe","channel":"heartbeats"})");
    return frames;
  }

  // The sequence is connection-wide, so it keeps counting across a resubscribe:
  // dropping one product's level2 and subscribing it again brings a fresh snapshot.
  std::vector<std::string> unsubscribe(const std::vector<std::string>& symbols, std::size_t) const override {
    if (symbols.empty()) return {};
    return {product_frame("unsubscribe", symbols)};
  }

  // Heartbeats are still subscribed: only the product's level2 again.
  std::vector<std::string> resubscribe(const std::vector<std::string>& symbols, std::size_t) const override {
    return {product_frame("subscribe", symbols)};
  }

  // Unauthenticated clients may send 8 messages a second per IP.
  std::chrono::milliseconds send_spacing() const override { return std::chrono::milliseconds(125); }

  // The heartbeats channel keeps the connection busy once a second; a WebSocket
  // ping when quiet is all the client adds.
  KeepAlive keep_alive() const override { return {}; }
  IntegrityKind integrity() const override { return IntegrityKind::connection_sequence; }
  std::unique_ptr<VenueParser> make_parser() const override { return std::make_unique<coinbase::Parser>(); }
};

}  // namespace

const Venue& coinbase_venue() {
  static const CoinbaseVenue venue;
  return venue;
}

}  // namespace wsbook
