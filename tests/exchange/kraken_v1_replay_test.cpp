// THE KEY FIGURE: Kraken's own checksums over a real recording (v1 `book`,
// depth 1000, 10 pairs) verify against the books the venue's text builds.
// The v1 levels carry full precision as strings, so no padding is needed.
#include <gtest/gtest.h>

#include <charconv>
#include <cstdlib>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "book/crc32.h"
#include "exchange/kraken/kraken_checksum.h"
#include "test_data.h"

namespace wsbook::kraken {
namespace {

using nlohmann::json;

constexpr std::size_t kDepth = 1000;

// Replays the capture; `render` may spell each level another way before the CRC.
struct Replay {
  std::map<std::string, std::unique_ptr<OrderBook>> books;
  std::size_t snapshots = 0, verified = 0, mismatched = 0, float_failed = 0;
  std::map<std::size_t, std::uint32_t> line_crc;  // capture line -> the book's CRC after it
};

// Through a double and back, as a client that parses numbers into floats would.
std::string through_double(std::string_view text) {
  const double d = std::strtod(std::string(text).c_str(), nullptr);
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, r.ptr);
}

std::uint32_t float_checksum(const OrderBook& book) {
  std::string text;
  const auto level = [&](const Decimal&, const Level& l) {
    const std::string price = through_double(l.price_text()), qty = through_double(l.amount_text());
    append_number(text, price, 0, std::nullopt);
    append_number(text, qty, 0, std::nullopt);
  };
  book.for_each_top(Side::ask, kChecksumLevels, level);
  book.for_each_top(Side::bid, kChecksumLevels, level);
  return crc32(text);
}

void apply_levels(OrderBook& book, const json& levels, Side side) {
  for (const json& level : levels) {
    BookChange c;
    c.side = side;
    const auto& price = level.at(0).get_ref<const std::string&>();
    const auto& volume = level.at(1).get_ref<const std::string&>();
    ASSERT_TRUE(parse_decimal(price, c.price).empty()) << price;
    ASSERT_TRUE(parse_decimal(volume, c.amount).empty()) << volume;
    book.apply(c);
  }
}

// One `[chanId,{..}(,{..}),"book-1000",pair]` frame.
void replay_frame(Replay& r, const json& frame, std::size_t line) {
  auto& book = r.books[frame.back().get<std::string>()];
  if (!book) book = std::make_unique<OrderBook>();
  std::optional<std::uint32_t> expected;
  for (std::size_t i = 1; i + 2 < frame.size(); ++i) {
    const json& part = frame[i];
    if (part.contains("as") || part.contains("bs")) book->clear(), ++r.snapshots;
    for (const char* key : {"as", "a"}) {
      if (part.contains(key)) apply_levels(*book, part[key], Side::ask);
    }
    for (const char* key : {"bs", "b"}) {
      if (part.contains(key)) apply_levels(*book, part[key], Side::bid);
    }
    if (part.contains("c")) expected = static_cast<std::uint32_t>(std::stoul(part["c"].get<std::string>()));
  }
  book->truncate(kDepth);
  const std::uint32_t actual = book_checksum(*book, std::nullopt, std::nullopt);
  r.line_crc[line] = actual;
  if (!expected) return;
  ++(actual == *expected ? r.verified : r.mismatched);
  if (float_checksum(*book) != *expected) ++r.float_failed;
}

Replay replay(std::size_t up_to_line = SIZE_MAX) {
  Replay r;
  std::istringstream in(wsbook::testing::read_data_file("kraken_v1_book_1000.txt"));
  std::size_t line_no = 0;
  for (std::string line; std::getline(in, line) && line_no < up_to_line;) {
    const std::size_t colon = line.find(": ");
    if (++line_no <= 2 || colon == std::string::npos) continue;  // the URL, the subscribe sent, the end
    const json frame = json::parse(line.substr(colon + 2));
    if (frame.is_array()) replay_frame(r, frame, line_no);
  }
  return r;
}

TEST(KrakenV1Replay, EveryRecordedChecksumVerifies) {
  const Replay r = replay();
  EXPECT_EQ(r.books.size(), 10u);
  EXPECT_EQ(r.snapshots, 10u);
  EXPECT_EQ(r.verified, 4269u);
  EXPECT_EQ(r.mismatched, 0u);
}

TEST(KrakenV1Replay, RenderingThroughFloatFailsEveryOne) {
  const Replay r = replay();
  EXPECT_EQ(r.float_failed, 4269u);
}

// The golden vector: XMR/USD after capture line 25, "c":"2583817756", a 408-character text.
TEST(KrakenV1Replay, GoldenXmrUsdVector) {
  const Replay r = replay(25);
  const OrderBook& book = *r.books.at("XMR/USD");
  const std::string text = checksum_text(book, std::nullopt, std::nullopt);
  EXPECT_EQ(text.size(), 408u);
  EXPECT_EQ(crc32_bytewise(text), 2583817756u);
  EXPECT_EQ(r.line_crc.at(25), 2583817756u);
  EXPECT_GE(2583817756u, 1u << 31);  // an int32 compare would call it negative
}

}  // namespace
}  // namespace wsbook::kraken
