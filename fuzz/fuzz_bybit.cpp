// libFuzzer: the Bybit v5 parser on arbitrary bytes, its messages applied to a
// book as the feed applies them. No crash, no sanitizer report, every accepted
// price and amount reads back exactly, nothing comes of a refused frame, and
// whatever the fast path takes the general path reads the same (fast_check.h).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "decimal_check.h"
#include "exchange/bybit/bybit.h"
#include "exchange/venues.h"
#include "fast_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto parser = wsbook::bybit_venue().make_parser();
  static wsbook::ParsedFrame out;
  static wsbook::OrderBook book;
  static const auto general = wsbook::bybit::make_parser(false);
  const std::string_view frame(reinterpret_cast<const char*>(data), size);
  wsbook::fuzz::check_fast_path(wsbook::bybit::parse_fast, *general, frame);
  if (!parser->parse(frame, out).empty()) {
    if (!out.books.empty() || !out.changes.empty() || !out.notices.empty()) std::abort();
    return 0;
  }
  book.clear();  // one input, one connection: the book stays small however long the run
  for (const wsbook::BookMessage& m : out.books) {
    if (m.first_change > m.end_change || m.end_change > out.changes.size()) std::abort();
    if (m.snapshot) book.clear();
    for (std::size_t i = m.first_change; i < m.end_change; ++i) {
      wsbook::fuzz::check_decimal(out.changes[i].price);
      wsbook::fuzz::check_decimal(out.changes[i].amount);
      book.apply(out.changes[i]);
    }
    (void)parser->checksum(m.symbol, book);
  }
  return 0;
}
