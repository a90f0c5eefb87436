#pragma once
// Exact non-negative decimal numbers as the exchanges send them ("9405.80",
// "0.1362819142"): no binary floating point anywhere between frame and line.

#include <compare>
#include <cstdint>
#include <string_view>

namespace wsbook {

/// A non-negative decimal with up to 19 integer and 18 fractional digits, exact.
struct Decimal {
  std::uint64_t units = 0;  ///< the integer part
  std::uint64_t frac = 0;   ///< the fractional part in units of 1e-18

  /// Numeric order: "9405.8" and "9405.80" compare equal.
  friend constexpr auto operator<=>(const Decimal&, const Decimal&) = default;
  /// True for zero, however it was written ("0", "0.000").
  constexpr bool is_zero() const { return units == 0 && frac == 0; }
};

/// A parsed decimal together with its canonical text (a slice of the input).
struct DecimalText {
  Decimal value;
  /// The input without leading integer zeros or trailing fractional zeros: a
  /// valid JSON number with the same value ("009405.80" -> "9405.8").
  std::string_view text;
  /// How many characters the input had after `text` (trailing fractional zeros,
  /// and the '.' when only zeros followed it), at most 255: with `text` they give
  /// back the venue's own spelling, which some checksums hash ("30238.80").
  std::uint8_t trimmed = 0;

  /// Same value and the same text, wherever either text lives.
  friend bool operator==(const DecimalText&, const DecimalText&) = default;
};

/// Parses `digits[.digits]`; on failure returns a short static reason, else empty.
std::string_view parse_decimal(std::string_view in, DecimalText& out);

}  // namespace wsbook
