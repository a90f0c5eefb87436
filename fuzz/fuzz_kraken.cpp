// libFuzzer: the Kraken v2 parser on arbitrary bytes, its books applied as the
// feed does (snapshot clears, cut to the kept depth) and checksummed. No crash,
// no sanitizer report, every accepted price and amount reads back exactly, and
// whatever the fast path takes the general path reads the same (fast_check.h).
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "decimal_check.h"
#include "exchange/kraken/kraken_parser.h"
#include "exchange/venues.h"
#include "fast_check.h"

namespace {

constexpr std::size_t kDepth = 10;

void apply(const wsbook::VenueParser& parser, const wsbook::ParsedFrame& frame) {
  static std::map<std::string, std::unique_ptr<wsbook::OrderBook>, std::less<>> books;
  if (books.size() > 64) books.clear();  // bounded, whatever symbols the input invents
  for (const wsbook::BookMessage& msg : frame.books) {
    if (msg.first_change > msg.end_change || msg.end_change > frame.changes.size()) std::abort();
    auto& book = books[std::string(msg.symbol)];
    if (!book) book = std::make_unique<wsbook::OrderBook>();
    if (msg.snapshot) book->clear();
    for (std::size_t i = msg.first_change; i < msg.end_change; ++i) book->apply(frame.changes[i]);
    book->truncate(kDepth);
    static_cast<void>(parser.checksum(msg.symbol, *book));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // One parser for the run, as for one connection: what it learns (precisions) carries over.
  static const std::unique_ptr<wsbook::VenueParser> parser = wsbook::kraken_venue().make_parser();
  static wsbook::kraken::Parser general(false);
  wsbook::fuzz::check_fast_path(wsbook::kraken::parse_book_fast, general, {reinterpret_cast<const char*>(data), size});
  static wsbook::ParsedFrame frame;
  if (parser->parse({reinterpret_cast<const char*>(data), size}, frame).empty()) {
    for (const auto& c : frame.changes) wsbook::fuzz::check_decimal(c.price), wsbook::fuzz::check_decimal(c.amount);
    apply(*parser, frame);
  } else if (!frame.books.empty() || !frame.changes.empty() || !frame.notices.empty()) {
    std::abort();  // a refused frame leaves nothing the feed could apply
  }
  return 0;
}
