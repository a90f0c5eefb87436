#pragma once
// Internal: Binance's parser, apart from the venue's data (binance.cpp).

#include <memory>

#include "wsbook/venue.h"

namespace wsbook::binance {

/// A parser of Binance diff-depth streams and `/depth` REST replies; `futures`
/// (USD-M) requires each update's `pu`.
std::unique_ptr<VenueParser> make_parser(bool futures);

}  // namespace wsbook::binance
