#include "check/line_scan.h"

#include <simdjson.h>

#include <limits>
#include <optional>

#include "json/cursor.h"

namespace wsbook::check {
namespace {

using fast::Cursor;

// The usual price or amount, in one pass sixteen bytes at a time: "0" or 1 to 15
// digits without a leading zero, maybe '.' and 1 to 15 digits, no exponent.
// False (`c` untouched) for anything else, and within 32 bytes of the end.
bool short_number(Cursor& c, Decimal& out) {
  if (!swar::kHaveSse2 || c.end - c.p < 32) return false;
  const char* p = c.p;
  const unsigned n = swar::leading_digits16(p);
  if (n == 0 || n == 16 || (n > 1 && *p == '0')) return false;
  Decimal d{swar::digits16_value(p, n), 0};
  p += n;
  if (*p == '.') {
    const unsigned digits = Cursor::fraction(++p, d.frac);
    if (digits == 0) return false;
    p += digits;
  }
  if (*p == 'e' || *p == 'E' || *p == '.' || swar::is_digit(*p)) return false;
  out = d;
  c.p = p;
  return true;
}

// A price or an amount: a JSON number, then what it is as a decimal; nullopt
// for one that is none (negative, an exponent, too many digits), its defect set.
bool level_number(Cursor& c, std::optional<Decimal>& out, unsigned& defects) {
  if (Decimal d; short_number(c, d)) {
    if (d.is_zero()) defects |= bit(BookDefect::non_positive);
    out = d;
    return true;
  }
  c.skip_space();
  const char* const begin = c.p;
  if (!c.number()) return false;
  const std::string_view text(begin, static_cast<std::size_t>(c.p - begin));
  DecimalText d;
  if (text.front() == '-') {
    defects |= bit(BookDefect::non_positive);
    out.reset();
  } else if (!parse_decimal(text, d).empty()) {
    defects |= bit(BookDefect::bad_number);
    out.reset();
  } else {
    if (d.value.is_zero()) defects |= bit(BookDefect::non_positive);
    out = d.value;
  }
  return true;
}

// One side's `[[price,amount],...]`: each price beyond the one before it
// (down for bids, up for asks); `best` gets the first price.
class SideScan {
 public:
  explicit SideScan(bool bids) : bids_(bids) {}

  bool read(Cursor& c, unsigned& defects) {
    if (!c.expect('[')) return false;
    if (c.expect(']')) return true;
    do {
      std::optional<Decimal> price, amount;
      if (!c.expect('[') || !level_number(c, price, defects) || !c.expect(',') ||
          !level_number(c, amount, defects) || !c.expect(']')) {
        return false;
      }
      order(price, defects);
    } while (c.expect(','));
    return c.expect(']');
  }

  std::optional<Decimal> best;

 private:
  void order(const std::optional<Decimal>& price, unsigned& defects) {
    if (first_) best = price;
    first_ = false;
    if (price && prev_) {
      if (*price == *prev_) defects |= bit(BookDefect::duplicate);
      else if ((*price > *prev_) == bids_) defects |= bit(BookDefect::unsorted);
    }
    prev_ = price;
  }

  const bool bids_;
  bool first_ = true;
  std::optional<Decimal> prev_;
};

bool read_uint(Cursor& c, std::int64_t& out) {
  std::uint64_t n = 0;
  if (!c.uint(n) || n > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return false;
  out = static_cast<std::int64_t>(n);
  return true;
}

// One --fields key after ts; each at most once (`seen`).
bool read_field(Cursor& c, unsigned& seen) {
  static constexpr std::string_view kNames[] = {"exchange", "symbol", "seq", "exchange_ts", "recv_us"};
  std::string_view key, text;
  if (!c.string(key) || !c.expect(':')) return false;
  unsigned i = 0;
  while (i < 5 && kNames[i] != key) ++i;
  if (i == 5 || (seen & (1u << i)) != 0) return false;
  seen |= 1u << i;
  std::int64_t n = 0;
  if (i < 2) return c.string(text);
  c.skip_space();
  if (i < 4 && c.literal("null")) return true;
  return read_uint(c, n);
}

// `"exchange":"..","symbol":"..",` of a line in a stream of many books, if there.
bool read_tag(Cursor& c, ScannedLine& out) {
  if (!c.literal(R"("exchange":)")) return true;
  return c.string(out.exchange) && c.expect(',') && c.literal(R"("symbol":)") && c.string(out.symbol) &&
         c.expect(',');
}

}  // namespace

bool scan_book_line(std::string_view text, ScannedLine& out) {
  Cursor c{text.data(), text.data() + text.size()};
  out = {};
  SideScan bids(true), asks(false);
  if (!c.expect('{') || !read_tag(c, out) || !c.literal(R"("bids":)") || !bids.read(c, out.defects) ||
      !c.expect(',') || !c.literal(R"("asks":)") || !asks.read(c, out.defects) || !c.expect(',') ||
      !c.literal(R"("ts":)") || !read_uint(c, out.ts)) {
    return false;
  }
  for (unsigned seen = 0; c.expect(',');) {
    if (!read_field(c, seen)) return false;
  }
  if (!c.expect('}') || !c.at_end()) return false;
  if (bids.best && asks.best && *bids.best >= *asks.best) out.defects |= bit(BookDefect::crossed);
  return true;
}

struct RecordReader::Impl {
  simdjson::dom::parser parser;
  std::string buffer;  // the line and simdjson's padding, its capacity reused
};

RecordReader::RecordReader() : impl_(std::make_unique<Impl>()) {}
RecordReader::~RecordReader() = default;

namespace {

std::optional<Record::Event> event_named(std::string_view name) {
  if (name == "connect") return Record::Event::connect;
  if (name == "disconnect") return Record::Event::disconnect;
  if (name == "gap") return Record::Event::gap;
  if (name == "resync") return Record::Event::resync;
  return std::nullopt;
}

// A connection's record names its symbols; a book's, its symbol.
bool read_names(simdjson::dom::object o, Record& out) {
  if (out.event == Record::Event::gap || out.event == Record::Event::resync) {
    return o["symbol"].get_string().get(out.symbol) == simdjson::SUCCESS;
  }
  simdjson::dom::array names;
  if (o["symbols"].get_array().get(names) != simdjson::SUCCESS) return false;
  for (simdjson::dom::element name : names) {
    if (name.get_string().get(out.symbols.emplace_back()) != simdjson::SUCCESS) return false;
  }
  return true;
}

}  // namespace

LineKind RecordReader::read(std::string_view text, Record& out) {
  impl_->buffer.assign(text);
  impl_->buffer.append(simdjson::SIMDJSON_PADDING, '\0');
  simdjson::dom::element doc;
  if (impl_->parser.parse(impl_->buffer.data(), text.size(), false).get(doc) != simdjson::SUCCESS) {
    return LineKind::not_json;
  }
  simdjson::dom::object o;
  std::string_view event, reason;
  std::int64_t ts = 0;
  out.symbols.clear();
  if (doc.get_object().get(o) != simdjson::SUCCESS || o.size() != 5 ||
      o["event"].get_string().get(event) != simdjson::SUCCESS ||
      o["exchange"].get_string().get(out.exchange) != simdjson::SUCCESS ||
      o["reason"].get_string().get(reason) != simdjson::SUCCESS || o["ts"].get_int64().get(ts) != simdjson::SUCCESS) {
    return LineKind::not_wsbook;
  }
  const auto e = event_named(event);
  if (!e) return LineKind::not_wsbook;
  out.event = *e;
  return read_names(o, out) ? LineKind::record : LineKind::not_wsbook;
}

}  // namespace wsbook::check
