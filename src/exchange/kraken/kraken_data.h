#pragma once
// Internal: readers of the `data` member of Kraken v2's `book` and `instrument` frames.

#include <string_view>
#include <vector>

#include "exchange/kraken/kraken_parser.h"
#include "json/reader.h"

namespace wsbook::kraken {

/// One pair's precisions from an `instrument` frame; the symbol is a view into the parser.
struct LearnedPrecision {
  std::string_view symbol;
  Precision precision;
};

/// Appends one BookMessage per element of a `book` frame's `data` array (and their
/// changes) to `out`, snapshot flags unset; "" or a reason.
std::string_view read_book_data(json::od::value v, ParsedFrame& out);

/// Appends the pairs of an `instrument` frame's `data` object to `out`; "" or a reason.
std::string_view read_instrument_data(json::od::value v, std::vector<LearnedPrecision>& out);

}  // namespace wsbook::kraken
