#pragma once
// The fuzzers' differential check of a venue's fast path: whatever frame it
// takes, the general (simdjson) path takes too, into the same ParsedFrame.

#include <cstdlib>
#include <string_view>

#include "wsbook/venue.h"

namespace wsbook::fuzz {

/// Aborts if `fast` takes `frame` into anything but what `general` reads.
inline void check_fast_path(bool (*fast)(std::string_view, ParsedFrame&), VenueParser& general,
                            std::string_view frame) {
  static ParsedFrame fast_out, general_out;
  if (!fast(frame, fast_out)) return;
  if (!general.parse(frame, general_out).empty() || !(fast_out == general_out)) std::abort();
}

}  // namespace wsbook::fuzz
