#include "wsbook/decimal.h"

#include <algorithm>
#include <cstddef>

#include "book/swar.h"

namespace wsbook {
namespace {

constexpr std::size_t kMaxUnitDigits = 19;  // < 1e19 fits in uint64
constexpr std::size_t kMaxFracDigits = 18;

using swar::is_digit;
using swar::kPow10;

// The n (1 to 8) fraction digits that end at `end`, as one word loaded from the
// eight bytes ending there, the bytes before the fraction made '0's: most
// amounts. Trailing zeros keep the value and only shorten the text.
bool read_short_fraction(const char* end, std::size_t n, std::uint64_t& frac, const char*& text_end) {
  const auto pad = static_cast<unsigned>(8 * (8 - n));
  const std::uint64_t before = (std::uint64_t{1} << pad) - 1;
  const std::uint64_t word = (swar::load(end - 8) & ~before) | ((swar::kOnes * '0') & before);
  if (!swar::eight_digits(word)) return false;
  frac = swar::eight_digits_value(word) * kPow10[kMaxFracDigits - n];
  if (const char* last = swar::without_trailing_zeros(end - n, end); last != end - n) text_end = last;
  return true;
}

}  // namespace

// One pass over the text: it runs for every price and amount of every frame.
std::string_view parse_decimal(std::string_view in, DecimalText& out) {
  const char* p = in.data();
  const char* const end = p + in.size();
  if (p == end) return "empty number";
  if (*p == '-') return "negative number";
  const char* const begin = p;
  while (p != end && *p == '0') ++p;
  const char* const significant = p;
  std::uint64_t units = 0;
  for (; p != end && is_digit(*p); ++p) units = units * 10 + static_cast<std::uint64_t>(*p - '0');
  if (p == begin) return "not a decimal number";
  if (static_cast<std::size_t>(p - significant) > kMaxUnitDigits) return "number too large";
  // Keep one zero of "0.5" or "000"; otherwise start at the first significant digit.
  const char* const text_begin = p == significant ? p - 1 : significant;
  const char* text_end = p;
  std::uint64_t frac = 0;
  if (p != end) {
    if (*p != '.') return "not a decimal number";
    const char* const frac_begin = ++p;
    const auto n = static_cast<std::size_t>(end - frac_begin);
    if (swar::kLittleEndian && n >= 1 && n <= 8 && in.size() >= 8) {
      if (!read_short_fraction(end, n, frac, text_end)) return "not a decimal number";
    } else {
      // One pass: `kept` is the value up to the last nonzero digit. `all` may wrap
      // past 19 digits, but then a nonzero digit that far is refused below anyway.
      std::uint64_t all = 0, kept = 0;
      for (; p != end && is_digit(*p); ++p) {
        all = all * 10 + static_cast<std::uint64_t>(*p - '0');
        if (*p != '0') text_end = p + 1, kept = all;
      }
      if (p != end || p == frac_begin) return "not a decimal number";
      const std::size_t digits = text_end > frac_begin ? static_cast<std::size_t>(text_end - frac_begin) : 0;
      if (digits > kMaxFracDigits) return "too many decimal places";
      frac = kept * kPow10[kMaxFracDigits - digits];
    }
  }
  out.value = Decimal{units, frac};
  out.text = std::string_view(text_begin, static_cast<std::size_t>(text_end - text_begin));
  out.trimmed = static_cast<std::uint8_t>(std::min<std::ptrdiff_t>(end - text_end, 255));
  return {};
}

}  // namespace wsbook
