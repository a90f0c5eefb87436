// libFuzzer: the Binance parsers (spot and futures) on arbitrary bytes, as a
// stream frame and as the body of a REST depth reply (200 and an error status),
// their messages applied to a book as the feed applies them. No crash, no
// sanitizer report, every accepted price and amount reads back exactly,
// nothing comes of a refused frame, an error reply is always a notice, and
// whatever the fast path takes the general path reads the same (fast_check.h).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "decimal_check.h"
#include "exchange/binance/binance.h"
#include "exchange/venues.h"
#include "fast_check.h"

namespace {

wsbook::OrderBook book;

void apply(const wsbook::ParsedFrame& out) {
  book.clear();  // one input, one book: it stays small however long the run
  for (const wsbook::BookMessage& m : out.books) {
    if (m.first_change > m.end_change || m.end_change > out.changes.size() || !m.seq) std::abort();
    if (m.first_seq && *m.first_seq > *m.seq) std::abort();
    for (std::size_t i = m.first_change; i < m.end_change; ++i) {
      wsbook::fuzz::check_decimal(out.changes[i].price);
      wsbook::fuzz::check_decimal(out.changes[i].amount);
      book.apply(out.changes[i]);
    }
  }
}

void check_refused(std::string_view reason, const wsbook::ParsedFrame& out) {
  if (!reason.empty() && (!out.books.empty() || !out.changes.empty() || !out.notices.empty())) std::abort();
}

void frame(wsbook::VenueParser& parser, std::string_view text, wsbook::ParsedFrame& out) {
  const std::string_view reason = parser.parse(text, out);
  check_refused(reason, out);
  if (!reason.empty()) return;
  for (const wsbook::BookMessage& m : out.books) {
    if (m.snapshot || !m.first_seq) std::abort();
  }
  apply(out);
}

void reply(wsbook::VenueParser& parser, int status, std::string_view body, wsbook::ParsedFrame& out) {
  const std::string_view reason = parser.parse_snapshot(status, body, "BTCUSDT", out);
  check_refused(reason, out);
  if (status != 200) {
    // Whatever the body, an error reply is one notice, never malformed.
    if (!reason.empty() || out.notices.size() != 1 || !out.books.empty() || out.notices[0].text.empty()) std::abort();
    return;
  }
  if (!reason.empty()) return;
  if (out.books.size() != 1 || !out.books[0].snapshot || out.books[0].symbol != "BTCUSDT") std::abort();
  apply(out);
}

bool spot_fast(std::string_view frame, wsbook::ParsedFrame& out) {
  return wsbook::binance::parse_fast(frame, false, out);
}
bool futures_fast(std::string_view frame, wsbook::ParsedFrame& out) {
  return wsbook::binance::parse_fast(frame, true, out);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto spot = wsbook::binance_venue().make_parser();
  static const auto futures = wsbook::binance_futures_venue().make_parser();
  static wsbook::ParsedFrame out;
  static const auto spot_general = wsbook::binance::make_parser(false, false);
  static const auto futures_general = wsbook::binance::make_parser(true, false);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  wsbook::fuzz::check_fast_path(spot_fast, *spot_general, text);
  wsbook::fuzz::check_fast_path(futures_fast, *futures_general, text);
  frame(*spot, text, out);
  frame(*futures, text, out);
  reply(*spot, 200, text, out);
  reply(*futures, size % 2 == 0 ? 400 : 429, text, out);
  return 0;
}
