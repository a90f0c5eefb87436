#pragma once
// Internal: Bybit v5's parser, apart from the venue's data (bybit.cpp).

#include <memory>

#include "wsbook/venue.h"

namespace wsbook::bybit {

/// A parser of Bybit v5 public frames: `orderbook.{depth}.{symbol}` pushes, pongs, subscribe acks.
std::unique_ptr<VenueParser> make_parser();

}  // namespace wsbook::bybit
