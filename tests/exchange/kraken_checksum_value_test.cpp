// Kraken's checksum text written from each level's value, held to the same text
// written a character at a time from the venue's spelling (append_number).
#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>

#include "book/crc32.h"
#include "exchange/kraken/kraken_checksum.h"

namespace wsbook::kraken {
namespace {

// A decimal as venues spell them: leading and trailing zeros, a bare '.', up to 18 fraction digits.
std::string random_decimal(std::mt19937& rng) {
  const auto digits = [&](std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += static_cast<char>('0' + rng() % 10);
    return s;
  };
  std::string text = digits(1 + rng() % (rng() % 4 == 0 ? 19 : 6));
  if (rng() % 4 != 0) text += "." + digits(rng() % 19);
  if (rng() % 3 == 0) text += std::string(rng() % 6, '0');
  return text;
}

TEST(KrakenChecksumValue, EveryNumberReadsAsItsTextAtEveryPrecision) {
  std::mt19937 rng(20261204);
  std::size_t checked = 0;
  for (int i = 0; i < 20000; ++i) {
    BookChange c;
    c.side = Side::ask;
    const std::string price = random_decimal(rng), amount = random_decimal(rng);
    const bool read = parse_decimal(price, c.price).empty() && parse_decimal(amount, c.amount).empty();
    if (!read || c.amount.value.is_zero()) continue;
    OrderBook book;
    book.apply(c);
    const std::optional<int> p = rng() % 5 == 0 ? std::nullopt : std::optional<int>(static_cast<int>(rng() % 22));
    const std::optional<int> q = rng() % 5 == 0 ? std::nullopt : std::optional<int>(static_cast<int>(rng() % 22));
    std::string expected;
    append_number(expected, c.price.text, c.price.trimmed, p);
    append_number(expected, c.amount.text, c.amount.trimmed, q);
    ASSERT_EQ(checksum_text(book, p, q), expected) << price << " " << amount;
    ASSERT_EQ(book_checksum(book, p, q), crc32(expected));
    ++checked;
  }
  EXPECT_GT(checked, 10000u);
}

}  // namespace
}  // namespace wsbook::kraken
