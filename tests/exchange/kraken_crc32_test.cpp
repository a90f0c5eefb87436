// crc32's paths apart: the dispatched one (carry-less multiplication where the CPU has
// it) and the tables, each against the bit-at-a-time reference, at every length up to
// past the 64-byte folds, at every misalignment, and continued from a running crc.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "book/crc32.h"

namespace wsbook {
namespace {

constexpr std::size_t kMaxLength = 1100;
constexpr std::size_t kOffsets = 16;

std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string out(n, '\0');
  for (char& ch : out) ch = static_cast<char>(rng());
  return out;
}

TEST(Crc32Paths, MatchTheStandardCheckValue) {
  EXPECT_EQ(crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(crc32_table("123456789"), 0xCBF43926u);
  EXPECT_EQ(crc32_table(""), 0u);
  const std::string digits(64 * 10, '7');  // long enough for the folds
  EXPECT_EQ(crc32(digits), crc32_bytewise(digits));
}

TEST(Crc32Paths, EqualBytewiseAtEveryLengthAndOffset) {
  const std::string bytes = random_bytes(kMaxLength + kOffsets, 1);
  for (std::size_t offset = 0; offset < kOffsets; ++offset) {
    for (std::size_t n = 0; n <= kMaxLength; ++n) {
      // Exactly as long as the text, so that ASan sees any read past its end.
      const std::vector<char> buffer(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(offset + n));
      const std::string_view s(buffer.data() + offset, n);
      const std::uint32_t expected = crc32_bytewise(s);
      ASSERT_EQ(crc32(s), expected) << "length " << n << " offset " << offset;
      ASSERT_EQ(crc32_table(s), expected) << "length " << n << " offset " << offset;
    }
  }
}

TEST(Crc32Paths, ContinueFromARunningCrc) {
  const std::string buffer = random_bytes(kMaxLength + kOffsets, 2);
  std::mt19937 rng(3);
  for (std::size_t n = 0; n <= kMaxLength; ++n) {
    const std::string_view s(buffer.data() + n % kOffsets, n);
    const std::size_t split = n == 0 ? 0 : rng() % (n + 1);
    const std::string_view a = s.substr(0, split), b = s.substr(split);
    ASSERT_EQ(crc32(b, crc32(a)), crc32_bytewise(s)) << "length " << n << " split " << split;
    ASSERT_EQ(crc32_table(b, crc32(a)), crc32_bytewise(s)) << "length " << n << " split " << split;
    const std::uint32_t running = static_cast<std::uint32_t>(rng());
    ASSERT_EQ(crc32(s, running), crc32_bytewise(s, running)) << "length " << n << " crc " << running;
  }
}

TEST(Crc32Paths, ContinueAcrossEverySplitOfAKrakenSizedText) {
  const std::string text = random_bytes(280, 4);
  const std::uint32_t whole = crc32_bytewise(text);
  for (std::size_t split = 0; split <= text.size(); ++split) {
    const std::string_view s(text);
    ASSERT_EQ(crc32(s.substr(split), crc32(s.substr(0, split))), whole) << split;
  }
}

}  // namespace
}  // namespace wsbook
