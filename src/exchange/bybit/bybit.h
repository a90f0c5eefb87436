#pragma once
// Internal: Bybit v5's parser, apart from the venue's data (bybit.cpp).

#include <memory>

#include "wsbook/venue.h"

namespace wsbook::bybit {

/// A parser of Bybit v5 public frames: `orderbook.{depth}.{symbol}` pushes, pongs, subscribe acks;
/// without `fast_path` only the general (simdjson) path, for the differential tests.
std::unique_ptr<VenueParser> make_parser(bool fast_path = true);

/// Fills `out` from an orderbook push in one of Bybit's layouts, views pointing
/// into `frame`. True only when the general path gives the same `out`; false
/// ("not sure") for anything else, valid or not, and then `out` is unspecified.
bool parse_fast(std::string_view frame, ParsedFrame& out);

}  // namespace wsbook::bybit
