#pragma once
// Internal: reading digits eight bytes at a time (SWAR), for the parsers' hot
// loops: byte by byte they were most of the parse.

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace wsbook::swar {

inline constexpr bool kLittleEndian = std::endian::native == std::endian::little;
inline constexpr std::uint64_t kOnes = 0x0101010101010101;
inline constexpr std::uint64_t kHighs = 0x8080808080808080;

// 10^0 to 10^18.
inline constexpr auto kPow10 = [] {
  std::array<std::uint64_t, 19> p{};
  p[0] = 1;
  for (std::size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
  return p;
}();

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

template <class Word = std::uint64_t>
Word load(const char* p) {
  Word word;
  std::memcpy(&word, p, sizeof word);
  return word;
}

// The high bit of each nonzero byte of `word`.
inline std::uint64_t nonzero_bytes(std::uint64_t word) {
  constexpr std::uint64_t lows = 0x7F7F7F7F7F7F7F7F;
  return (((word & lows) + lows) | word) & kHighs;
}

// The high bit of each byte that is no ASCII digit, exact up to the first such
// byte in memory: '+6' carries out of a byte only when that byte is no digit.
inline std::uint64_t non_digits(std::uint64_t word) {
  constexpr std::uint64_t high_nibbles = 0xF0F0F0F0F0F0F0F0;
  return nonzero_bytes(((word & high_nibbles) | (((word + kOnes * 6) & high_nibbles) >> 4)) ^ (kOnes * 0x33));
}

inline bool eight_digits(std::uint64_t word) { return non_digits(word) == 0; }

// How many of the word's bytes, first in memory first, are digits before any other byte.
inline unsigned leading_digits(std::uint64_t word) {
  const std::uint64_t stops = non_digits(word);
  return stops == 0 ? 8 : static_cast<unsigned>(std::countr_zero(stops)) / 8;
}

// Eight ASCII digits, the first in memory the most significant (Lemire's method).
inline std::uint64_t eight_digits_value(std::uint64_t word) {
  constexpr std::uint64_t mask = 0x000000FF000000FF;
  constexpr std::uint64_t mul1 = 100 + (1000000ull << 32), mul2 = 1 + (10000ull << 32);
  word -= kOnes * '0';
  word = word * 10 + (word >> 8);
  return (((word & mask) * mul1) + (((word >> 16) & mask) * mul2)) >> 32;
}

// The value of the word's first n (1 to 8) bytes, all digits: moved to the
// word's end behind '0's, they read as eight digits.
inline std::uint64_t digits_value(std::uint64_t word, unsigned n) {
  const unsigned pad = 8 * (8 - n);
  return eight_digits_value((word << pad) | ((kOnes * '0') & ((std::uint64_t{1} << pad) - 1)));
}

#if defined(__SSE2__)
inline constexpr bool kHaveSse2 = true;
// How many of the 16 bytes at `p` are digits before any other byte: one
// compare of all sixteen, where words take one step per eight.
inline unsigned leading_digits16(const char* p) {
  const __m128i offset = _mm_sub_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), _mm_set1_epi8('0'));
  const __m128i above_nine = _mm_subs_epu8(offset, _mm_set1_epi8(9));
  const auto digits = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(above_nine, _mm_setzero_si128())));
  return static_cast<unsigned>(std::countr_one(digits));
}

// A bit for each of the 16 bytes at `p` that ends a plain JSON string: '"',
// '\\', a control character or a non-ASCII byte (negative as a signed byte).
inline unsigned stop_bytes16(const char* p) {
  const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i quote = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('"'));
  const __m128i backslash = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\'));
  const __m128i below_space = _mm_cmplt_epi8(bytes, _mm_set1_epi8(0x20));
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), below_space)));
}
#else
inline constexpr bool kHaveSse2 = false;
inline unsigned leading_digits16(const char*) { return 0; }
inline unsigned stop_bytes16(const char*) { return 0; }
#endif

// The value of n (1 to 16) digits at `p`, all digits, with 16 bytes readable.
inline std::uint64_t digits16_value(const char* p, unsigned n) {
  if (n <= 8) return digits_value(load(p), n);
  return eight_digits_value(load(p)) * kPow10[n - 8] + digits_value(load(p + 8), n - 8);
}

// Where the fraction digits [begin, end) end without their trailing zeros;
// `begin` if all are zeros. Usually one compare: amounts seldom end in '0'.
inline const char* without_trailing_zeros(const char* begin, const char* end) {
  while (end != begin && end[-1] == '0') --end;
  return end;
}

}  // namespace wsbook::swar
