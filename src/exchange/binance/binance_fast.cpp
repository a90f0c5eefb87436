// Binance's fast path: depthUpdate events in the layout Binance sends, bare or
// in the combined streams' wrapper, read with a cursor instead of simdjson.
// Anything else, valid or not (other events, answers, odd spellings), goes the general way.
#include "exchange/binance/binance.h"
#include "json/fast_fields.h"

namespace wsbook::binance {
namespace {

using fast::Cursor;

// What the event said; each field at most once, as bits of `seen`.
struct Event {
  enum : unsigned { kTime = 1, kS = 2, kFirst = 4, kLast = 8, kPrev = 16, kTrade = 32, kB = 64, kA = 128 };
  unsigned seen = 0;
  std::string_view symbol;
  std::int64_t time = 0, first = 0, last = 0, prev = 0, trade_time = 0;

  bool once(unsigned bit) { return fast::first_time(seen, bit); }
};

bool read_event_field(Cursor& c, Event& ev, ParsedFrame& out) {
  c.skip_space();
  if (c.literal(R"("E":)")) return ev.once(Event::kTime) && fast::id(c, ev.time);
  if (c.literal(R"("s":)")) return ev.once(Event::kS) && c.string(ev.symbol);
  if (c.literal(R"("U":)")) return ev.once(Event::kFirst) && fast::id(c, ev.first);
  if (c.literal(R"("u":)")) return ev.once(Event::kLast) && fast::id(c, ev.last);
  if (c.literal(R"("pu":)")) return ev.once(Event::kPrev) && fast::id(c, ev.prev);
  if (c.literal(R"("T":)")) return ev.once(Event::kTrade) && fast::id(c, ev.trade_time);
  if (c.literal(R"("b":)")) return ev.once(Event::kB) && fast::string_levels(c, Side::bid, 2, out.changes);
  if (c.literal(R"("a":)")) return ev.once(Event::kA) && fast::string_levels(c, Side::ask, 2, out.changes);
  return false;
}

// `{"e":"depthUpdate",...}`: its type first, as Binance sends it.
bool read_event(Cursor& c, Event& ev, ParsedFrame& out) {
  if (!c.expect('{')) return false;
  c.skip_space();
  if (!c.literal(R"("e":"depthUpdate")")) return false;
  while (c.expect(',')) {
    if (!read_event_field(c, ev, out)) return false;
  }
  return c.expect('}');
}

// The book message, as the general path's add_event makes it.
bool add_event(const Event& ev, bool futures, ParsedFrame& out) {
  unsigned needed = Event::kS | Event::kFirst | Event::kLast | Event::kB | Event::kA;
  if (futures) needed |= Event::kPrev;
  if ((ev.seen & needed) != needed || ev.first > ev.last) return false;
  BookMessage& m = out.books.emplace_back();
  m.symbol = ev.symbol;
  m.end_change = out.changes.size();
  m.first_seq = ev.first;
  m.seq = ev.last;
  if ((ev.seen & Event::kPrev) != 0) m.prev_seq = ev.prev;
  if ((ev.seen & Event::kTime) != 0) m.exchange_ms = ev.time;
  return true;
}

}  // namespace

// Flattened so that the cursor stays in registers, as in Gemini's fast path.
[[gnu::flatten]] bool parse_fast(std::string_view frame, bool futures, ParsedFrame& out) {
  out.clear();
  Cursor c{frame.data(), frame.data() + frame.size()};
  Event ev;
  std::string_view stream;
  const char* const start = c.p;
  const bool wrapped = c.literal(R"({"stream":)");
  if (wrapped) {
    if (!c.string(stream) || !c.literal(R"(,"data":)") || !read_event(c, ev, out) || !c.expect('}')) return false;
  } else {
    c.p = start;
    if (!read_event(c, ev, out)) return false;
  }
  if (!c.at_end() || !add_event(ev, futures, out)) return false;
  return !wrapped || check_stream(stream, ev.symbol).empty();
}

}  // namespace wsbook::binance
