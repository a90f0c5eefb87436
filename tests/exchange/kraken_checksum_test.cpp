// Kraken's CRC32 and the text it hashes: the documented examples, the venue's
// own spelling kept, precision padding, and the fast CRC against the plain one.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "book/crc32.h"
#include "exchange/kraken/kraken_checksum.h"

namespace wsbook::kraken {
namespace {

std::string number_text(std::string_view wire, std::optional<int> precision = std::nullopt) {
  DecimalText d;
  EXPECT_TRUE(parse_decimal(wire, d).empty()) << wire;
  std::string out;
  append_number(out, d.text, d.trimmed, precision);
  return out;
}

void add(OrderBook& book, Side side, std::string_view price, std::string_view amount) {
  BookChange c;
  c.side = side;
  ASSERT_TRUE(parse_decimal(price, c.price).empty());
  ASSERT_TRUE(parse_decimal(amount, c.amount).empty());
  book.apply(c);
}

TEST(KrakenCrc32, MatchesTheStandardCheckValue) {
  EXPECT_EQ(crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(crc32_bytewise("123456789"), 0xCBF43926u);
  EXPECT_EQ(crc32(""), 0u);
}

TEST(KrakenCrc32, SliceByEightEqualsBytewiseOnEveryLengthAndSplit) {
  std::mt19937 rng(7);
  std::string text;
  for (int i = 0; i < 300; ++i) text += static_cast<char>(rng());
  for (std::size_t n = 0; n <= text.size(); ++n) {
    const std::string_view s(text.data(), n);
    ASSERT_EQ(crc32(s), crc32_bytewise(s)) << n;
    ASSERT_EQ(crc32(s.substr(n / 3), crc32(s.substr(0, n / 3))), crc32(s)) << n;
  }
}

TEST(KrakenChecksumText, DocumentedExamples) {
  EXPECT_EQ(number_text("45285.2"), "452852");
  EXPECT_EQ(number_text("0.00100000"), "100000");
}

TEST(KrakenChecksumText, KeepsTheVenuesTrailingZerosAndDropsLeadingOnes) {
  EXPECT_EQ(number_text("354.15000000"), "35415000000");
  EXPECT_EQ(number_text("5.00000000"), "500000000");
  EXPECT_EQ(number_text("0.000022900"), "22900");
  EXPECT_EQ(number_text("10.05"), "1005");
  EXPECT_EQ(number_text("1000"), "1000");
  EXPECT_EQ(number_text("1000.00"), "100000");
  EXPECT_EQ(number_text("0.0"), "");
}

TEST(KrakenChecksumText, PadsToThePairsPrecisionOnlyWhenLonger) {
  EXPECT_EQ(number_text("0.566", 4), "5660");
  EXPECT_EQ(number_text("18097.1547", 4), "180971547");
  EXPECT_EQ(number_text("45285", 1), "452850");
  EXPECT_EQ(number_text("0.001", 8), "100000");
  EXPECT_EQ(number_text("1.123456", 4), "1123456");
  EXPECT_EQ(number_text("7", 0), "7");
  EXPECT_EQ(number_text("2.50", 3), "2500");
}

TEST(KrakenBookChecksum, AsksAscendingThenBidsDescendingTenEach) {
  OrderBook book;
  for (int i = 1; i <= 12; ++i) {
    add(book, Side::ask, std::to_string(100 + i) + ".0", "1." + std::to_string(i));
    add(book, Side::bid, std::to_string(100 - i) + ".5", "2");
  }
  std::string expected;
  for (int i = 1; i <= 10; ++i) expected += std::to_string(100 + i) + "0" + "1" + std::to_string(i);
  for (int i = 1; i <= 10; ++i) expected += std::to_string(100 - i) + "5" + "2";
  EXPECT_EQ(checksum_text(book, std::nullopt, std::nullopt), expected);
  EXPECT_EQ(book_checksum(book, std::nullopt, std::nullopt), crc32_bytewise(expected));
}

TEST(KrakenBookChecksum, FewerThanTenLevelsAndAnEmptyBook) {
  OrderBook book;
  EXPECT_EQ(book_checksum(book, 1, 8), crc32(""));
  add(book, Side::bid, "0.5666", "4831.75496356");
  EXPECT_EQ(checksum_text(book, 5, 8), "56660483175496356");
  EXPECT_EQ(book_checksum(book, 5, 8), crc32_bytewise("56660483175496356"));
}

TEST(KrakenBookChecksum, LongTailsCrossTheHashBuffer) {
  OrderBook book;
  const std::string zeros(200, '0');
  for (int i = 1; i <= 10; ++i) add(book, Side::ask, std::to_string(i) + "." + zeros, "1." + zeros);
  const std::string text = checksum_text(book, std::nullopt, std::nullopt);
  EXPECT_EQ(text.size(), 10u * (201 + 201) + 1);  // "10" has one more digit
  EXPECT_EQ(book_checksum(book, std::nullopt, std::nullopt), crc32_bytewise(text));
}

}  // namespace
}  // namespace wsbook::kraken
