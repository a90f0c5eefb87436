// libFuzzer: the Coinbase Advanced Trade parser on arbitrary bytes. No crash,
// no sanitizer report; an accepted frame's messages stay inside its changes,
// every decimal reads back exactly, the messages apply to books as the feed would,
// and whatever the fast path takes the general path reads the same (fast_check.h).
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "decimal_check.h"
#include "exchange/coinbase/coinbase_parser.h"
#include "fast_check.h"
#include "wsbook/order_book.h"

namespace {

void apply(const wsbook::ParsedFrame& f, std::map<std::string, std::unique_ptr<wsbook::OrderBook>, std::less<>>& books,
           const wsbook::VenueParser& parser) {
  for (const wsbook::BookMessage& m : f.books) {
    if (m.symbol.empty() || m.first_change > m.end_change || m.end_change > f.changes.size()) std::abort();
    // Arbitrary symbols: keep the books few.
    if (books.size() > 16) books.clear();
    auto& book = books[std::string(m.symbol)];
    if (!book) book = std::make_unique<wsbook::OrderBook>();
    if (m.snapshot) book->clear();
    for (std::size_t i = m.first_change; i < m.end_change; ++i) book->apply(f.changes[i]);
    (void)book->crossed();
    (void)book->top(wsbook::Side::bid, 5);
    (void)book->top(wsbook::Side::ask, 5);
    (void)parser.checksum(m.symbol, *book);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static wsbook::coinbase::Parser parser;
  static wsbook::ParsedFrame frame;
  static std::map<std::string, std::unique_ptr<wsbook::OrderBook>, std::less<>> books;
  static wsbook::coinbase::Parser general(false);
  wsbook::fuzz::check_fast_path(wsbook::coinbase::parse_fast, general, {reinterpret_cast<const char*>(data), size});
  if (!parser.parse({reinterpret_cast<const char*>(data), size}, frame).empty()) {
    if (!frame.books.empty() || !frame.changes.empty() || !frame.notices.empty()) std::abort();
    return 0;
  }
  for (const auto& c : frame.changes) wsbook::fuzz::check_decimal(c.price), wsbook::fuzz::check_decimal(c.amount);
  for (const auto& n : frame.notices) {
    // Touch every view: a dangling one shows under the sanitizer.
    for (char ch : n.symbol) (void)ch;
    for (char ch : n.text) (void)ch;
  }
  apply(frame, books, parser);
  return 0;
}
