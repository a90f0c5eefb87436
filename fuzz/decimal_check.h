#pragma once
// Every decimal a parser accepts reads back, from its canonical text, to itself.

#include <cstdlib>

#include "wsbook/decimal.h"

namespace wsbook::fuzz {

/// Aborts unless `d.text` parses to the same value and the same text.
inline void check_decimal(const DecimalText& d) {
  DecimalText again;
  if (!parse_decimal(d.text, again).empty() || !(again.value == d.value) || again.text != d.text) std::abort();
}

}  // namespace wsbook::fuzz
