// Kraken v2 `book`: the venue's data; the parser is
// in kraken_parser.cpp, the checksum in kraken_checksum.cpp.
#include <algorithm>
#include <array>
#include <cctype>

#include "exchange/kraken/kraken_parser.h"
#include "exchange/kraken/kraken_venue.h"
#include "exchange/venues.h"

namespace wsbook {
namespace kraken {
namespace {

constexpr std::array<std::size_t, 5> kDepths = {10, 25, 100, 500, 1000};

bool symbol_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.'; }

void append_symbols(std::string& out, const std::vector<std::string>& symbols) {
  out += '[';
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (const char c : symbols[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += ']';
}

}  // namespace

std::size_t book_depth(std::size_t depth) {
  for (const std::size_t d : kDepths) {
    if (d >= depth) return d;
  }
  return kDepths.back();
}

std::string book_request(std::string_view method, const std::vector<std::string>& symbols, std::size_t depth) {
  std::string out = R"({"method":")";
  out += method;
  out += R"(","params":{"channel":"book","symbol":)";
  append_symbols(out, symbols);
  out += R"(,"depth":)" + std::to_string(book_depth(depth));
  if (method == "subscribe") out += R"(,"snapshot":true},"req_id":)" + std::to_string(kBookReqId) + "}";
  else out += "}}";
  return out;
}

std::string instrument_request() {
  return R"({"method":"subscribe","params":{"channel":"instrument","snapshot":true},"req_id":)" +
         std::to_string(kInstrumentReqId) + "}";
}

namespace {

class Venue final : public wsbook::Venue {
 public:
  std::string_view name() const override { return "kraken"; }
  std::string default_url() const override { return "wss://ws.kraken.com/v2"; }
  std::string check_symbol(std::string_view symbol) const override {
    const std::size_t slash = symbol.find('/');
    const bool ok = slash != std::string_view::npos && slash > 0 && slash + 1 < symbol.size() &&
                    symbol.find('/', slash + 1) == std::string_view::npos && symbol.front() != '.' &&
                    symbol[slash + 1] != '.';
    for (std::size_t i = 0; ok && i < symbol.size(); ++i) {
      if (i != slash && !symbol_char(symbol[i])) return "expected a pair like BTC/USD";
    }
    return ok ? std::string{} : "expected a pair like BTC/USD";
  }
  // Kraken spells pairs in upper case, but for a few assets ("AAPLx"): a
  // symbol given in mixed case is taken as spelled, one in lower case is raised.
  std::string wire_symbol(std::string_view symbol) const override {
    std::string out(symbol);
    const auto upper = [](char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; };
    if (std::none_of(out.begin(), out.end(), upper)) {
      for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
  }
  // One subscribe frame carries them all; this many keeps a connection's snapshot
  // burst and what one restart loses bounded, and few connections for many pairs.
  std::size_t symbols_per_connection() const override { return 100; }
  std::vector<std::string> subscribe(const std::vector<std::string>& symbols, std::size_t depth) const override {
    return {instrument_request(), book_request("subscribe", symbols, depth)};
  }
  // The instruments are still subscribed: only the book again.
  std::vector<std::string> resubscribe(const std::vector<std::string>& symbols, std::size_t depth) const override {
    return {book_request("subscribe", symbols, depth)};
  }
  std::vector<std::string> unsubscribe(const std::vector<std::string>& symbols, std::size_t depth) const override {
    return {book_request("unsubscribe", symbols, depth)};
  }
  std::size_t kept_depth(std::size_t depth) const override { return book_depth(depth); }
  // Kraken's heartbeats show the server alive; an application ping answered
  // by Kraken itself (not a proxy's WebSocket pong) shows our side is heard too.
  KeepAlive keep_alive() const override { return {R"({"method":"ping"})", std::chrono::seconds(30)}; }
  IntegrityKind integrity() const override { return IntegrityKind::checksum; }
  std::unique_ptr<VenueParser> make_parser() const override { return std::make_unique<Parser>(); }
};

}  // namespace
}  // namespace kraken

const Venue& kraken_venue() {
  static const kraken::Venue venue;
  return venue;
}

}  // namespace wsbook
