#include "wsbook/decimal.h"

#include <array>

namespace wsbook {
namespace {

constexpr std::size_t kMaxUnitDigits = 19;  // < 1e19 fits in uint64
constexpr std::size_t kMaxFracDigits = 18;

constexpr std::array<std::uint64_t, kMaxFracDigits + 1> kPow10 = [] {
  std::array<std::uint64_t, kMaxFracDigits + 1> p{};
  p[0] = 1;
  for (std::size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
  return p;
}();

bool is_digit(char c) { return c >= '0' && c <= '9'; }

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
    for (; p != end && is_digit(*p); ++p) {
      if (*p != '0') text_end = p + 1;
    }
    if (p != end || p == frac_begin) return "not a decimal number";
    const std::size_t digits = text_end > frac_begin ? static_cast<std::size_t>(text_end - frac_begin) : 0;
    if (digits > kMaxFracDigits) return "too many decimal places";
    for (const char* q = frac_begin; q < text_end; ++q) frac = frac * 10 + static_cast<std::uint64_t>(*q - '0');
    frac *= kPow10[kMaxFracDigits - digits];
  }
  out.value = Decimal{units, frac};
  out.text = std::string_view(text_begin, static_cast<std::size_t>(text_end - text_begin));
  return {};
}

}  // namespace wsbook
