// Bybit's fast path: `orderbook.{depth}.{symbol}` pushes in the layouts Bybit
// sends (spot and futures order their keys differently), read with a cursor
// instead of simdjson. Anything else, valid or not, goes the general way.
#include "exchange/bybit/bybit.h"
#include "json/fast_fields.h"

namespace wsbook::bybit {
namespace {

using fast::Cursor;

// What the push said; each field at most once, as bits of `seen`.
struct Push {
  enum : unsigned { kTs = 1, kType = 2, kData = 4, kCts = 8, kS = 16, kB = 32, kA = 64, kU = 128, kSeq = 256 };
  unsigned seen = 0;
  std::string_view topic_symbol, symbol;
  bool snapshot = false;
  std::int64_t ts = 0, cts = 0, u = 0;

  bool first(unsigned bit) { return fast::first_time(seen, bit); }
};

// `"orderbook.50.BTCUSDT"`: the topic's symbol.
bool read_topic(Cursor& c, Push& p) {
  std::string_view topic;
  c.skip_space();
  if (!c.literal(R"("topic":)") || !c.string(topic) || !topic.starts_with("orderbook.")) return false;
  topic.remove_prefix(10);
  std::size_t n = 0;
  while (n < topic.size() && swar::is_digit(topic[n])) ++n;
  if (n == 0 || n + 1 >= topic.size() || topic[n] != '.') return false;
  p.topic_symbol = topic.substr(n + 1);
  return true;
}

bool read_type(Cursor& c, Push& p) {
  if (c.literal(R"("delta")")) p.snapshot = false;
  else if (c.literal(R"("snapshot")")) p.snapshot = true;
  else return false;
  return true;
}

bool read_data_field(Cursor& c, Push& p, ParsedFrame& out) {
  std::int64_t seq = 0;
  c.skip_space();
  if (c.literal(R"("s":)")) return p.first(Push::kS) && c.string(p.symbol);
  if (c.literal(R"("b":)")) return p.first(Push::kB) && fast::string_levels(c, Side::bid, 2, out.changes);
  if (c.literal(R"("a":)")) return p.first(Push::kA) && fast::string_levels(c, Side::ask, 2, out.changes);
  if (c.literal(R"("u":)")) return p.first(Push::kU) && fast::id(c, p.u);
  if (c.literal(R"("seq":)")) return p.first(Push::kSeq) && fast::id(c, seq);
  return false;
}

bool read_data(Cursor& c, Push& p, ParsedFrame& out) {
  if (!p.first(Push::kData) || !c.expect('{')) return false;
  do {
    if (!read_data_field(c, p, out)) return false;
  } while (c.expect(','));
  return c.expect('}');
}

bool read_field(Cursor& c, Push& p, ParsedFrame& out) {
  c.skip_space();
  if (c.literal(R"("ts":)")) return p.first(Push::kTs) && fast::id(c, p.ts);
  if (c.literal(R"("type":)")) return p.first(Push::kType) && read_type(c, p);
  if (c.literal(R"("data":)")) return read_data(c, p, out);
  if (c.literal(R"("cts":)")) return p.first(Push::kCts) && fast::id(c, p.cts);
  return false;
}

// The push's one message, as the general path's add_book makes it.
bool add_book(const Push& p, ParsedFrame& out) {
  constexpr unsigned kNeeded = Push::kType | Push::kData | Push::kS | Push::kU;
  if ((p.seen & kNeeded) != kNeeded || p.symbol != p.topic_symbol) return false;
  BookMessage& m = out.books.emplace_back();
  m.symbol = p.symbol;
  m.snapshot = p.snapshot || p.u == 1;
  m.end_change = out.changes.size();
  m.seq = p.u;
  if (!m.snapshot) m.prev_seq = p.u - 1;
  if ((p.seen & Push::kCts) != 0) m.exchange_ms = p.cts;
  else if ((p.seen & Push::kTs) != 0) m.exchange_ms = p.ts;
  return true;
}

}  // namespace

// Flattened so that the cursor stays in registers, as in Gemini's fast path.
[[gnu::flatten]] bool parse_fast(std::string_view frame, ParsedFrame& out) {
  out.clear();
  Cursor c{frame.data(), frame.data() + frame.size()};
  Push p;
  // The topic first, as Bybit sends it: a `data` before it goes the general way.
  if (!c.expect('{') || !read_topic(c, p)) return false;
  while (c.expect(',')) {
    if (!read_field(c, p, out)) return false;
  }
  return c.expect('}') && c.at_end() && add_book(p, out);
}

}  // namespace wsbook::bybit
