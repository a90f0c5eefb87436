#pragma once
// Internal: Binance's parser, apart from the venue's data (binance.cpp).

#include <memory>

#include "wsbook/venue.h"

namespace wsbook::binance {

/// A parser of Binance diff-depth streams and `/depth` REST replies; `futures`
/// (USD-M) requires each update's `pu`. Without `fast_path`, only the general
/// (simdjson) path, for the differential tests.
std::unique_ptr<VenueParser> make_parser(bool futures, bool fast_path = true);

/// Fills `out` from a depthUpdate in Binance's own layout (bare or in the
/// combined streams' wrapper), views pointing into `frame`. True only when the
/// general path gives the same `out`; false ("not sure") for anything else,
/// valid or not, and then `out` is unspecified.
bool parse_fast(std::string_view frame, bool futures, ParsedFrame& out);

/// "" if `stream` ("nknusdt@depth@100ms") is the diff depth stream of `symbol`
/// ("NKNUSDT") at any speed, else why not.
std::string_view check_stream(std::string_view stream, std::string_view symbol);

}  // namespace wsbook::binance
