// libFuzzer: the OKX parser on arbitrary bytes, split into frames at '\n'.
// No crash, no sanitizer report; a refused frame leaves nothing behind; every
// accepted price and amount reads back exactly; each message's changes apply
// to one book (a snapshot clears it), whose checksum agrees with its text's CRC;
// whatever the fast path takes the general path reads the same (fast_check.h).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "decimal_check.h"
#include "fast_check.h"
#include "book/crc32.h"
#include "exchange/okx/okx.h"
#include "wsbook/order_book.h"

namespace {

void check_frame(const wsbook::ParsedFrame& out) {
  for (const auto& c : out.changes) wsbook::fuzz::check_decimal(c.price), wsbook::fuzz::check_decimal(c.amount);
  std::size_t next = 0;
  for (const auto& m : out.books) {
    // Messages cover the changes in order, each its own range.
    if (m.first_change != next || m.end_change < m.first_change || m.end_change > out.changes.size()) std::abort();
    next = m.end_change;
    if (m.symbol.empty()) std::abort();
  }
  if (next != out.changes.size()) std::abort();
}

void apply(const wsbook::ParsedFrame& out, wsbook::OrderBook& book) {
  for (const auto& m : out.books) {
    if (m.snapshot) book.clear();
    for (std::size_t i = m.first_change; i < m.end_change; ++i) book.apply(out.changes[i]);
    if (wsbook::okx_book_checksum(book) != wsbook::crc32(wsbook::okx_checksum_text(book))) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto parser = wsbook::make_okx_parser();
  static const auto general = wsbook::make_okx_parser(false);
  static wsbook::ParsedFrame out;
  wsbook::OrderBook book;
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  wsbook::fuzz::check_fast_path(wsbook::parse_okx_fast, *general, rest);  // whole, newlines as spaces
  while (!rest.empty()) {
    const std::size_t nl = rest.find('\n');
    const std::string_view frame = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    wsbook::fuzz::check_fast_path(wsbook::parse_okx_fast, *general, frame);
    if (!parser->parse(frame, out).empty()) {
      if (!out.books.empty() || !out.changes.empty() || !out.notices.empty()) std::abort();
      continue;
    }
    check_frame(out);
    apply(out, book);
  }
  return 0;
}
