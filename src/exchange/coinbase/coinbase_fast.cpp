// Coinbase's fast path: `l2_data` frames in the layout Coinbase sends, read
// with a cursor instead of simdjson. Anything else, valid or not (heartbeats,
// acks, errors, odd spellings), goes the general way.
#include "exchange/coinbase/coinbase_parser.h"
#include "json/fast_fields.h"
#include "json/rfc3339.h"

namespace wsbook::coinbase {
namespace {

using fast::Cursor;

bool read_side(Cursor& c, Side& side) {
  if (c.literal(R"("bid")")) side = Side::bid;
  else if (c.literal(R"("offer")")) side = Side::ask;
  else return false;
  return true;
}

bool read_update_field(Cursor& c, unsigned& seen, BookChange& u) {
  std::string_view text, err;
  c.skip_space();
  if (c.literal(R"("side":)")) return fast::first_time(seen, 1) && read_side(c, u.side);
  if (c.literal(R"("event_time":)")) return fast::first_time(seen, 2) && c.string(text);
  if (c.literal(R"("price_level":)")) return fast::first_time(seen, 4) && c.decimal(u.price, err);
  if (c.literal(R"("new_quantity":)")) return fast::first_time(seen, 8) && c.decimal(u.amount, err);
  return false;
}

// `[{"side":"bid","event_time":"…","price_level":"…","new_quantity":"…"},…]`
bool read_updates(Cursor& c, std::vector<BookChange>& out) {
  if (!c.expect('[')) return false;
  if (c.expect(']')) return true;
  do {
    BookChange u;  // a local, as fast::string_levels reads levels
    unsigned seen = 0;
    if (!c.expect('{')) return false;
    do {
      if (!read_update_field(c, seen, u)) return false;
    } while (c.expect(','));
    if (!c.expect('}') || (seen & 13u) != 13u) return false;  // side, price_level, new_quantity
    out.push_back(u);
  } while (c.expect(','));
  return c.expect(']');
}

bool read_event_field(Cursor& c, unsigned& seen, BookMessage& m, ParsedFrame& out) {
  c.skip_space();
  if (c.literal(R"("type":)")) return fast::first_time(seen, 1) && fast::update_or_snapshot(c, m.snapshot);
  if (c.literal(R"("product_id":)")) return fast::first_time(seen, 2) && c.string(m.symbol) && !m.symbol.empty();
  if (c.literal(R"("updates":)")) return fast::first_time(seen, 4) && read_updates(c, out.changes);
  return false;
}

// `[{"type":"update","product_id":"BTC-USD","updates":[…]},…]`: a message per event.
bool read_events(Cursor& c, ParsedFrame& out) {
  if (!c.expect('[')) return false;
  if (c.expect(']')) return true;
  do {
    BookMessage& m = out.books.emplace_back();
    m.first_change = out.changes.size();
    unsigned seen = 0;
    if (!c.expect('{')) return false;
    do {
      if (!read_event_field(c, seen, m, out)) return false;
    } while (c.expect(','));
    m.end_change = out.changes.size();
    if (!c.expect('}') || seen != 7u) return false;
  } while (c.expect(','));
  return c.expect(']');
}

struct Envelope {
  unsigned seen = 0;
  std::uint64_t seq = 0;
  std::string_view timestamp;
};

bool read_field(Cursor& c, Envelope& e, ParsedFrame& out) {
  std::string_view client_id;
  c.skip_space();
  if (c.literal(R"("client_id":)")) return fast::first_time(e.seen, 1) && c.string(client_id);
  if (c.literal(R"("timestamp":)")) return fast::first_time(e.seen, 2) && c.string(e.timestamp);
  if (c.literal(R"("sequence_num":)")) return fast::first_time(e.seen, 4) && c.uint(e.seq);
  if (c.literal(R"("events":)")) return fast::first_time(e.seen, 8) && read_events(c, out);
  return false;
}

}  // namespace

// Flattened so that the cursor stays in registers, as in Gemini's fast path.
[[gnu::flatten]] bool parse_fast(std::string_view frame, ParsedFrame& out) {
  out.clear();
  Cursor c{frame.data(), frame.data() + frame.size()};
  Envelope e;
  if (!c.literal(R"({"channel":"l2_data")")) return false;
  while (c.expect(',')) {
    if (!read_field(c, e, out)) return false;
  }
  // The sequence and the events are what a level2 frame is for.
  if (!c.expect('}') || !c.at_end() || (e.seen & 12u) != 12u) return false;
  out.connection_seq = e.seq;
  if ((e.seen & 2u) != 0) {
    const std::optional<std::int64_t> ms = json::parse_rfc3339_ms(e.timestamp);
    if (!ms) return false;
    for (BookMessage& m : out.books) m.exchange_ms = ms;
  }
  return true;
}

}  // namespace wsbook::coinbase
