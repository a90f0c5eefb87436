#pragma once
// Internal: reading eight bytes at a time (SWAR), for the parsers' hot loops.

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

namespace wsbook::swar {

// Strings and numbers are read eight bytes at a time where the bytes allow it:
// byte by byte they were most of the parse.
inline constexpr bool kLittleEndian = std::endian::native == std::endian::little;
inline constexpr std::uint64_t kOnes = 0x0101010101010101;
inline constexpr std::uint64_t kHighs = 0x8080808080808080;

template <class Word = std::uint64_t>
Word load(const char* p) {
  Word word;
  std::memcpy(&word, p, sizeof word);
  return word;
}

inline bool eight_digits(std::uint64_t word) {
  constexpr std::uint64_t high_nibbles = 0xF0F0F0F0F0F0F0F0;
  return ((word & high_nibbles) | (((word + kOnes * 6) & high_nibbles) >> 4)) == kOnes * 0x33;
}

// Eight ASCII digits, the first in memory the most significant (Lemire's method).
inline std::uint64_t eight_digits_value(std::uint64_t word) {
  constexpr std::uint64_t mask = 0x000000FF000000FF;
  constexpr std::uint64_t mul1 = 100 + (1000000ull << 32), mul2 = 1 + (10000ull << 32);
  word -= kOnes * '0';
  word = word * 10 + (word >> 8);
  return (((word & mask) * mul1) + (((word >> 16) & mask) * mul2)) >> 32;
}

// The high bit of each nonzero byte of `word`.
inline std::uint64_t nonzero_bytes(std::uint64_t word) {
  constexpr std::uint64_t lows = 0x7F7F7F7F7F7F7F7F;
  return (((word & lows) + lows) | word) & kHighs;
}

// How many of the word's bytes, first in memory first, are digits before any other byte.
inline unsigned leading_digits(std::uint64_t word) {
  constexpr std::uint64_t high_nibbles = 0xF0F0F0F0F0F0F0F0;
  // A digit's byte becomes 0; a carry out of a byte only follows a byte that is no digit.
  const std::uint64_t x = ((word & high_nibbles) | (((word + kOnes * 6) & high_nibbles) >> 4)) ^ (kOnes * 0x33);
  const std::uint64_t nonzero = nonzero_bytes(x);
  return nonzero == 0 ? 8 : static_cast<unsigned>(std::countr_zero(nonzero)) / 8;
}

/// 10^0 to 10^18.
inline constexpr auto kPow10 = [] {
  std::array<std::uint64_t, 19> p{};
  p[0] = 1;
  for (std::size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
  return p;
}();

// The value of the word's first n (1 to 7) bytes, all digits: moved to the
// word's end behind '0's, they read as eight digits.
inline std::uint64_t digits_value(std::uint64_t word, unsigned n) {
  const unsigned pad = 8 * (8 - n);
  return eight_digits_value((word << pad) | ((kOnes * '0') & ((std::uint64_t{1} << pad) - 1)));
}

}  // namespace wsbook::swar
