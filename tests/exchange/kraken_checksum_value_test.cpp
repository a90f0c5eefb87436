// Kraken's checksum text written in 16-byte copies of each level's text, held to
// the same text written a character at a time from the venue's spelling
// (append_number), on a book whose levels come, change and go.
#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>

#include "book/crc32.h"
#include "exchange/kraken/kraken_checksum.h"

namespace wsbook::kraken {
namespace {

std::string digits(std::mt19937& rng, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += static_cast<char>('0' + rng() % 10);
  return s;
}

// A decimal as venues spell it: a short or a long integer part, up to 18 fraction
// digits, and sometimes a tail of zeros, up to the 255 a level keeps.
std::string random_decimal(std::mt19937& rng) {
  std::string text = digits(rng, 1 + rng() % (rng() % 4 == 0 ? 19 : 6));
  if (rng() % 4 != 0) text += "." + digits(rng, 1 + rng() % 18);
  if (rng() % 3 == 0) text += (text.find('.') == std::string::npos ? "." : "") + std::string(rng() % 260, '0');
  return text;
}

std::optional<int> random_precision(std::mt19937& rng) {
  if (rng() % 5 == 0) return std::nullopt;
  return static_cast<int>(rng() % 4 == 0 ? rng() % 80 : rng() % 12);
}

// The text a character at a time: the ten best asks, then the ten best bids.
std::string reference_text(const OrderBook& book, std::optional<int> p, std::optional<int> q) {
  std::string text;
  const auto level = [&](const Decimal&, const Level& l) {
    append_number(text, l.price_text(), l.price_trimmed, p);
    append_number(text, l.amount_text(), l.amount_trimmed, q);
  };
  book.for_each_top(Side::ask, kChecksumLevels, level);
  book.for_each_top(Side::bid, kChecksumLevels, level);
  return text;
}

TEST(KrakenChecksumValue, EveryBookReadsAsItsTextAtEveryPrecision) {
  std::mt19937 rng(20261204);
  OrderBook book;
  std::vector<std::string> prices;
  for (int i = 0; i < 40; ++i) prices.push_back(random_decimal(rng));
  std::size_t checked = 0;
  for (int i = 0; i < 8000; ++i) {
    // Prices from a small set, so that levels change and go and their slots are reused.
    const std::string price = rng() % 8 == 0 ? random_decimal(rng) : prices[rng() % prices.size()];
    const std::string amount = rng() % 5 == 0 ? "0" : random_decimal(rng);
    BookChange c;
    c.side = rng() % 2 == 0 ? Side::bid : Side::ask;
    if (!parse_decimal(price, c.price).empty() || !parse_decimal(amount, c.amount).empty()) continue;
    book.apply(c);
    if (book.size(Side::bid) + book.size(Side::ask) > 60) book.truncate(kChecksumLevels);
    const std::optional<int> p = random_precision(rng), q = random_precision(rng);
    const std::string expected = reference_text(book, p, q);
    ASSERT_EQ(checksum_text(book, p, q), expected) << price << " " << amount;
    ASSERT_EQ(book_checksum(book, p, q), crc32_bytewise(expected));
    ++checked;
  }
  EXPECT_GT(checked, 6000u);
}

}  // namespace
}  // namespace wsbook::kraken
