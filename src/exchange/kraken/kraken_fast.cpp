// Kraken's fast path: `book` frames in the layout Kraken sends, read with a
// cursor instead of simdjson. Anything else, valid or not (instruments,
// heartbeats, answers, odd spellings), goes the general way.
#include <limits>

#include "exchange/kraken/kraken_parser.h"
#include "json/fast_fields.h"
#include "json/rfc3339.h"

namespace wsbook::kraken {
namespace {

using fast::Cursor;

// A JSON number's own text as a decimal, never through a double; the general
// path reads the same text (its raw token) when nothing but a ',' or '}' follows.
bool number_decimal(Cursor& c, DecimalText& out) {
  c.skip_space();
  const char* const begin = c.p;
  if (!c.number() || (c.p != c.end && *c.p != ',' && *c.p != '}')) return false;
  return parse_decimal(std::string_view(begin, static_cast<std::size_t>(c.p - begin)), out).empty();
}

bool read_level_field(Cursor& c, unsigned& seen, BookChange& level) {
  c.skip_space();
  if (c.literal(R"("price":)")) return fast::first_time(seen, 1) && number_decimal(c, level.price);
  if (c.literal(R"("qty":)")) return fast::first_time(seen, 2) && number_decimal(c, level.amount);
  return false;
}

// `[{"price":45283.5,"qty":0.1},…]`
bool read_levels(Cursor& c, Side side, std::vector<BookChange>& out) {
  if (!c.expect('[')) return false;
  if (c.expect(']')) return true;
  do {
    BookChange level;  // a local, as fast::string_levels reads levels
    level.side = side;
    unsigned seen = 0;
    if (!c.expect('{')) return false;
    do {
      if (!read_level_field(c, seen, level)) return false;
    } while (c.expect(','));
    if (!c.expect('}') || seen != 3u) return false;
    out.push_back(level);
  } while (c.expect(','));
  return c.expect(']');
}

bool read_checksum(Cursor& c, std::optional<std::uint32_t>& out) {
  std::uint64_t n = 0;
  if (!c.uint(n) || n > std::numeric_limits<std::uint32_t>::max()) return false;
  out = static_cast<std::uint32_t>(n);
  return true;
}

bool read_timestamp(Cursor& c, std::optional<std::int64_t>& out) {
  std::string_view text;
  return c.string(text) && (out = json::parse_rfc3339_ms(text)).has_value();
}

bool read_book_field(Cursor& c, unsigned& seen, BookMessage& m, ParsedFrame& out) {
  c.skip_space();
  if (c.literal(R"("symbol":)")) return fast::first_time(seen, 1) && c.string(m.symbol);
  if (c.literal(R"("bids":)")) return fast::first_time(seen, 2) && read_levels(c, Side::bid, out.changes);
  if (c.literal(R"("asks":)")) return fast::first_time(seen, 4) && read_levels(c, Side::ask, out.changes);
  if (c.literal(R"("checksum":)")) return fast::first_time(seen, 8) && read_checksum(c, m.checksum);
  if (c.literal(R"("timestamp":)")) return fast::first_time(seen, 16) && read_timestamp(c, m.exchange_ms);
  return false;
}

// `{"symbol":"BTC/USD","bids":[…],"asks":[…],"checksum":N,"timestamp":"…"}`: one message.
bool read_book(Cursor& c, bool snapshot, ParsedFrame& out) {
  BookMessage& m = out.books.emplace_back();
  m.snapshot = snapshot;
  m.first_change = out.changes.size();
  unsigned seen = 0;
  if (!c.expect('{')) return false;
  do {
    if (!read_book_field(c, seen, m, out)) return false;
  } while (c.expect(','));
  m.end_change = out.changes.size();
  return c.expect('}') && !m.symbol.empty();
}

}  // namespace

// Flattened so that the cursor stays in registers, as in Gemini's fast path.
[[gnu::flatten]] bool parse_book_fast(std::string_view frame, ParsedFrame& out) {
  out.clear();
  Cursor c{frame.data(), frame.data() + frame.size()};
  bool snapshot = false;
  if (!c.literal(R"({"channel":"book","type":)") || !fast::update_or_snapshot(c, snapshot) ||
      !c.literal(R"(,"data":[)")) {
    return false;
  }
  do {
    if (!read_book(c, snapshot, out)) return false;
  } while (c.expect(','));
  return c.expect(']') && c.expect('}') && c.at_end();
}

}  // namespace wsbook::kraken
