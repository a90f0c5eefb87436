#pragma once
// Internal: what several venues' fast paths read alike with a fast::Cursor:
// repeated keys, signed ids, digit strings and `[["price","amount",...],...]` levels.
// Each is false on anything it does not take, and the fast path then gives up.

#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "json/cursor.h"
#include "wsbook/order_book.h"

namespace wsbook::fast {

/// Marks `bit` in `seen`; false if it was marked already. A repeated field is odd
/// enough for the general path.
inline bool first_time(unsigned& seen, unsigned bit) {
  const bool was = (seen & bit) != 0;
  seen |= bit;
  return !was;
}

/// `"update"` or `"snapshot"` (Coinbase's event type, Kraken's and OKX's frame type).
inline bool update_or_snapshot(Cursor& c, bool& snapshot) {
  if (c.literal(R"("update")")) snapshot = false;
  else if (c.literal(R"("snapshot")")) snapshot = true;
  else return false;
  return true;
}

/// A JSON integer that fits an int64 but INT64_MIN; `-0`, INT64_MIN and 20 digits or
/// more go the general way.
inline bool int64(Cursor& c, std::int64_t& out) {
  c.skip_space();
  const bool negative = c.p != c.end && *c.p == '-';
  if (negative && (++c.p == c.end || !swar::is_digit(*c.p))) return false;  // "- 1" is no number
  std::uint64_t n = 0;
  if (!c.uint(n) || n > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return false;
  if (negative && n == 0) return false;
  out = negative ? -static_cast<std::int64_t>(n) : static_cast<std::int64_t>(n);
  return true;
}

/// A non-negative JSON integer that fits an int64.
inline bool id(Cursor& c, std::int64_t& out) {
  std::uint64_t n = 0;
  if (!c.uint(n) || n > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return false;
  out = static_cast<std::int64_t>(n);
  return true;
}

/// A string of 1 to 18 digits (OKX's `ts`), as its value.
inline bool digit_string(Cursor& c, std::int64_t& out) {
  std::string_view text;
  if (!c.string(text) || text.empty() || text.size() > 18) return false;
  out = 0;
  for (const char ch : text) {
    if (ch < '0' || ch > '9') return false;
    out = out * 10 + (ch - '0');
  }
  return true;
}

/// One `["price","amount"{,"text"}]` level of exactly `fields` strings, the first two decimals.
inline bool string_level(Cursor& c, Side side, std::size_t fields, BookChange& out) {
  std::string_view err, ignored;
  out.side = side;
  if (!c.expect('[') || !c.decimal(out.price, err) || !c.expect(',') || !c.decimal(out.amount, err)) return false;
  for (std::size_t n = 2; n < fields; ++n) {
    if (!c.expect(',') || !c.string(ignored)) return false;
  }
  return c.expect(']');
}

/// An array of string_level()s, appended to `out` in the venue's order.
inline bool string_levels(Cursor& c, Side side, std::size_t fields, std::vector<BookChange>& out) {
  if (!c.expect('[')) return false;
  if (c.expect(']')) return true;
  do {
    // Read into a local and copied: a value-initialized element is cleared with `rep stos`,
    // slow to start for a few dozen bytes, and every field is written anyway.
    BookChange level;
    if (!string_level(c, side, fields, level)) return false;
    out.push_back(level);
  } while (c.expect(','));
  return c.expect(']');
}

}  // namespace wsbook::fast
