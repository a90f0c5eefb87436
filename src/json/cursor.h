#pragma once
// Internal: a strict JSON reader over one frame, for the parsers' fast paths
// (Gemini v1's gemini_v1_fast.cpp and gemini_v1_shape.cpp, every other venue's
// <venue>_fast.cpp). Each method is false on anything it does not take, and the
// path using it then gives up.

#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>
#include <type_traits>

#include "book/swar.h"
#include "wsbook/decimal.h"
#include "wsbook/gemini.h"

namespace wsbook::fast {

using swar::digits_value;
using swar::eight_digits;
using swar::eight_digits_value;
using swar::is_digit;
using swar::kHighs;
using swar::kLittleEndian;
using swar::kOnes;
using swar::kPow10;
using swar::leading_digits;
using swar::load;

// Whether the n bytes at `a` and `b` are the same, compared with overlapping loads
// of the widest word that fits: gcc calls memcmp for more than three bytes.
template <std::size_t n>
bool same_bytes(const char* a, const char* b) {
  using Word = std::conditional_t<(n >= 8), std::uint64_t, std::conditional_t<(n >= 4), std::uint32_t, char>>;
  constexpr std::size_t w = sizeof(Word);
  for (std::size_t i = 0; i + w < n; i += w) {
    if (load<Word>(a + i) != load<Word>(b + i)) return false;
  }
  return load<Word>(a + n - w) == load<Word>(b + n - w);
}

// The high bit of each byte of `word` that ends a plain string: '"', '\\', a
// control character or a non-ASCII byte. Bits above the first may be false alarms.
inline std::uint64_t stop_bytes(std::uint64_t word) {
  const std::uint64_t quote = word ^ (kOnes * '"'), backslash = word ^ (kOnes * '\\');
  const std::uint64_t zero_quote = quote - kOnes, zero_backslash = backslash - kOnes;
  const std::uint64_t below_space = word - kOnes * 0x20;
  return ((zero_quote & ~quote) | (zero_backslash & ~backslash) | (below_space & ~word) | word) & kHighs;
}

// A strict JSON reader over one frame: each method is false on anything it does
// not take, and the whole parse then gives up.
struct Cursor {
  const char* p;
  const char* end;

  // One compare when no space follows, as in nearly every frame.
  void skip_space() {
    while (p != end && static_cast<unsigned char>(*p) <= ' ' &&
           (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) {
      ++p;
    }
  }

  // The byte `ahead` bytes on, or '\0' past the end.
  char peek(std::ptrdiff_t ahead) const { return end - p > ahead ? p[ahead] : '\0'; }

  bool at_end() {
    skip_space();
    return p == end;
  }

  // The byte itself first: frames seldom hold spaces.
  bool expect(char c) {
    if (p == end || *p != c) {
      skip_space();
      if (p == end || *p != c) return false;
    }
    ++p;
    return true;
  }

  // Printable ASCII only: escapes, control characters and UTF-8 go the general way.
  bool string(std::string_view& out) {
    if (!expect('"')) return false;
    const char* const begin = p;
    for (unsigned stops; swar::kHaveSse2 && end - p >= 16; p += 16) {
      if ((stops = swar::stop_bytes16(p)) != 0) {
        p += std::countr_zero(stops);
        return close_string(begin, out);
      }
    }
    for (std::uint64_t stops; kLittleEndian && end - p >= 8; p += 8) {
      if ((stops = stop_bytes(load(p))) != 0) {
        p += std::countr_zero(stops) / 8;
        return close_string(begin, out);
      }
    }
    while (p != end && *p != '"' && *p != '\\' && static_cast<unsigned char>(*p) - 0x20u < 0x60u) ++p;
    return close_string(begin, out);
  }

  bool close_string(const char* begin, std::string_view& out) {
    if (p == end || *p != '"') return false;
    out = std::string_view(begin, static_cast<std::size_t>(p - begin));
    ++p;
    return true;
  }

  // At most 19 digits, so it fits; the JSON grammar forbids leading zeros.
  bool uint(std::uint64_t& out) {
    skip_space();
    const char* const begin = p;
    std::uint64_t v = 0;
    if (swar::kHaveSse2 && end - p >= 16) {
      if (const unsigned n = swar::leading_digits16(p); n < 16) {  // else 16 to 19 digits: the loop
        if (n > 0) v = swar::digits16_value(p, n);
        p += n;
        return close_uint(begin, v, out);
      }
    }
    for (std::uint64_t word; kLittleEndian && end - p >= 8; p += 8) {
      const unsigned n = leading_digits(word = load(p));
      if (n < 8) {
        if (n > 0) v = v * kPow10[n] + digits_value(word, n);
        p += n;
        return close_uint(begin, v, out);
      }
      v = v * 100000000 + eight_digits_value(word);
    }
    for (; p != end && is_digit(*p); ++p) v = v * 10 + static_cast<std::uint64_t>(*p - '0');
    return close_uint(begin, v, out);
  }

  bool close_uint(const char* begin, std::uint64_t v, std::uint64_t& out) const {
    const auto digits = p - begin;
    if (digits == 0 || digits > 19 || (digits > 1 && *begin == '0')) return false;
    out = v;
    return true;
  }

  // A decimal in a JSON string, as json::read_decimal reads one.
  bool decimal(DecimalText& out, std::string_view& err) {
    const char* const start = p;
    if (short_decimal(out)) {
      err = {};
      return true;
    }
    p = start;
    std::string_view text;
    if (!string(text)) return false;
    err = parse_decimal(text, out);
    return err.empty();
  }

  // The usual decimal string, read a word at a time: "0" or 1 to 7 digits
  // without a leading zero, then maybe '.' and 1 to 15 digits. Gives what
  // parse_decimal gives; false (p anywhere) for anything else.
  bool short_decimal(DecimalText& out) {
    if (!kLittleEndian || end - p < 25 || *p != '"') return false;  // room for the three loads
    const char* const begin = ++p;
    const std::uint64_t word = load(p);
    const unsigned n = leading_digits(word);
    if (n == 0 || n == 8 || (n > 1 && *p == '0')) return false;
    out.value = Decimal{digits_value(word, n), 0};
    p += n;
    const char* text_end = p;
    if (*p == '.') {
      const char* const frac_begin = ++p;
      const unsigned digits = fraction(frac_begin, out.value.frac);
      if (digits == 0) return false;
      p += digits;
      if (const char* last = swar::without_trailing_zeros(frac_begin, p); last != frac_begin) text_end = last;
    }
    if (*p != '"') return false;
    out.text = std::string_view(begin, static_cast<std::size_t>(text_end - begin));
    out.trimmed = static_cast<std::uint8_t>(p - text_end);  // at most 16: the short form's length
    ++p;
    return true;
  }

  // The 1 to 15 digits at `at` (16 bytes readable) as a fraction in units of
  // 1e-18; returns how many, or 0 for none or more.
  static unsigned fraction(const char* at, std::uint64_t& frac) {
    if constexpr (swar::kHaveSse2) {
      const unsigned n = swar::leading_digits16(at);
      if (n == 0 || n == 16) return 0;
      frac = swar::digits16_value(at, n) * kPow10[18 - n];
      return n;
    }
    const std::uint64_t first = load(at);
    const unsigned n = leading_digits(first);
    if (n == 0) return 0;
    if (n < 8) {
      frac = digits_value(first, n) * kPow10[18 - n];
      return n;
    }
    const std::uint64_t second = load(at + 8);
    const unsigned m = leading_digits(second);
    if (m == 8) return 0;
    frac = (eight_digits_value(first) * kPow10[m] + (m > 0 ? digits_value(second, m) : 0)) * kPow10[10 - m];
    return 8 + m;
  }

  bool digits() {
    const char* const begin = p;
    while (kLittleEndian && end - p >= 8 && eight_digits(load(p))) p += 8;
    while (p != end && is_digit(*p)) ++p;
    return p != begin;
  }

  // Any number the JSON grammar allows, of any size: it is only skipped.
  bool number() {
    if (p != end && *p == '-') ++p;
    if (p != end && *p == '0') ++p;
    else if (!digits()) return false;
    if (p != end && *p == '.') {
      ++p;
      if (!digits()) return false;
    }
    if (p != end && (*p == 'e' || *p == 'E')) {
      ++p;
      if (p != end && (*p == '+' || *p == '-')) ++p;
      if (!digits()) return false;
    }
    return true;
  }

  template <std::size_t size>
  bool literal(const char (&text)[size]) {
    constexpr std::size_t n = size - 1;  // without the literal's '\0'
    if (static_cast<std::size_t>(end - p) < n || !same_bytes<n>(p, text)) return false;
    p += n;
    return true;
  }

  // Scalars only: an object or an array in an unknown key goes the general way.
  bool skip_value() {
    skip_space();
    if (p == end) return false;
    std::string_view ignored;
    switch (*p) {
      case '"': return string(ignored);
      case 't': return literal("true");
      case 'f': return literal("false");
      case 'n': return literal("null");
      default: return number();
    }
  }
};

// Non-negative only: a negative time is odd enough for the general path.
inline bool read_timestamp(Cursor& c, V1Frame& out) {
  std::uint64_t ms = 0;
  if (!c.uint(ms) || ms > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return false;
  out.timestamp_ms = static_cast<std::int64_t>(ms);
  return true;
}

}  // namespace wsbook::fast
