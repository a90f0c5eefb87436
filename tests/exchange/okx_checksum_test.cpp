// OKX checksums: the recorded 2022 `books` capture replayed through the parser
// into books whose checksums must match every frame's, the golden vector of
// exchanges.md, and the venue's own spelling of trailing zeros.

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "book/crc32.h"
#include "exchange/okx/okx.h"
#include "test_data.h"
#include "wsbook/order_book.h"

namespace wsbook {
namespace {

/// The frames the capture received, in order (without the connect and sent lines).
std::vector<std::string> capture_frames() {
  std::istringstream in(testing::read_data_file("okx_books_2022.txt"));
  std::vector<std::string> frames;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.rfind("wss://", 0) == 0) continue;
    const auto colon = line.find(": ");
    if (colon != std::string::npos) frames.push_back(line.substr(colon + 2));
  }
  return frames;
}

/// The checksum a frame's first data element carries, as its uint32 bit pattern (nlohmann, not our parser).
std::uint32_t reference_checksum(const std::string& frame) {
  return static_cast<std::uint32_t>(nlohmann::json::parse(frame)["data"][0]["checksum"].get<std::int32_t>());
}

/// Levels (asks and bids) in a frame's data, counted by nlohmann.
std::size_t reference_levels(const std::string& frame) {
  const nlohmann::json j = nlohmann::json::parse(frame);
  std::size_t n = 0;
  for (const auto& d : j["data"]) n += d["asks"].size() + d["bids"].size();
  return n;
}

/// The golden vector of exchanges.md: the BTC-USD-220527 snapshot's checksum text.
constexpr std::string_view kGoldenText =
    "30233.6:3:30238.8:2:30219.4:104:30249.5:50:30219.3:1520:30249.6:29:30212.3:171:30261.1:218:30209.8:5"
    ":30261.5:215:30205.8:50:30261.7:172:30204.1:1730:30264.5:11:30202.1:30:30265.9:249:30185.4:11:30268."
    "4:40:30184:1537:30280.8:97:30181.3:18:30280.9:217:30181.2:19:30283.1:120:30180.7:249:30291.1:442:301"
    "68.9:20:30316:81:30165.8:3078:30316.1:1:30145.8:4770:30323.1:373:30145.3:120:30325:17:30133.2:12:303"
    "71.7:202:30130.3:1:30371.8:10:30130.1:236:30418.3:374:30129.9:442:30426.3:508:30117.7:81:30439.6:153"
    "9:30117.6:369:30449.2:29:30074.9:202:30464.9:202:30074.6:373:30486.8:504";
constexpr std::uint32_t kGoldenCrc = 1054815633;

/// Applies one parsed message to a book, as the feed does: a snapshot starts from nothing.
void apply(const ParsedFrame& frame, const BookMessage& m, OrderBook& book) {
  if (m.snapshot) book.clear();
  for (std::size_t i = m.first_change; i < m.end_change; ++i) book.apply(frame.changes[i]);
}

struct Replay {
  std::size_t frames = 0, snapshots = 0, updates = 0, verified = 0, mismatches = 0, levels = 0, subscribed = 0;
  std::uint64_t absent_deletes = 0;
  std::map<std::string, std::unique_ptr<OrderBook>, std::less<>> books;
};

Replay replay_capture() {
  Replay r;
  auto parser = make_okx_parser();
  ParsedFrame out;
  for (const std::string& frame : capture_frames()) {
    ++r.frames;
    EXPECT_EQ(parser->parse(frame, out), "") << frame.substr(0, 200);
    r.subscribed += out.notices.size();
    if (out.books.empty()) continue;
    EXPECT_EQ(out.books.size(), 1U);
    EXPECT_EQ(out.changes.size(), reference_levels(frame));
    r.levels += out.changes.size();
    const BookMessage& m = out.books[0];
    EXPECT_FALSE(m.seq) << "the 2022 capture predates seqId";
    EXPECT_FALSE(m.prev_seq);
    EXPECT_TRUE(m.exchange_ms);
    auto& book = r.books[std::string(m.symbol)];
    if (!book) book = std::make_unique<OrderBook>();
    apply(out, m, *book);
    ++(m.snapshot ? r.snapshots : r.updates);
    EXPECT_EQ(m.checksum, reference_checksum(frame));
    const bool ok = m.checksum && okx_book_checksum(*book) == *m.checksum;
    ++(ok ? r.verified : r.mismatches);
  }
  for (const auto& [symbol, book] : r.books) r.absent_deletes += book->absent_deletes();
  return r;
}

TEST(OkxCapture, EveryRecordedChecksumMatchesTheRebuiltBook) {
  const Replay r = replay_capture();
  EXPECT_EQ(r.frames, 410U);
  EXPECT_EQ(r.snapshots, 3U);
  EXPECT_EQ(r.updates, 287U);
  EXPECT_EQ(r.verified, 290U);
  EXPECT_EQ(r.mismatches, 0U);
  EXPECT_EQ(r.subscribed, 18U) << "one ack per subscribed arg, tickers and trades included";
  EXPECT_EQ(r.absent_deletes, 953U) << "deletes of levels the book does not have are routine on OKX";
  ASSERT_EQ(r.books.size(), 3U);
  // OKX keeps the 400-level window itself: it sends the deletes of levels that leave it.
  const OrderBook& btc = *r.books.at("BTC-USDT");
  EXPECT_EQ(btc.size(Side::bid), 400U);
  EXPECT_EQ(btc.size(Side::ask), 400U);
  for (const auto& [symbol, book] : r.books) EXPECT_FALSE(book->crossed()) << symbol;
}

TEST(OkxCapture, TickersAndTradesMakeNoBookMessages) {
  auto parser = make_okx_parser();
  ParsedFrame out;
  std::size_t others = 0;
  for (const std::string& frame : capture_frames()) {
    if (frame.find(R"("channel":"books")") != std::string::npos) continue;
    ASSERT_EQ(parser->parse(frame, out), "") << frame.substr(0, 200);
    EXPECT_TRUE(out.books.empty());
    EXPECT_TRUE(out.changes.empty());
    if (frame.find(R"("event")") == std::string::npos) ++others;
  }
  EXPECT_EQ(others, 102U) << "tickers and trades pushes of the capture";
}

TEST(OkxChecksum, Crc32IsZlibs) {
  EXPECT_EQ(crc32("123456789"), 0xCBF43926U);
  EXPECT_EQ(crc32(""), 0U);
}

TEST(OkxChecksum, GoldenVectorOfTheFutureSnapshot) {
  EXPECT_EQ(kGoldenText.size(), 572U);
  EXPECT_EQ(crc32(kGoldenText), kGoldenCrc);
  auto parser = make_okx_parser();
  ParsedFrame out;
  for (const std::string& frame : capture_frames()) {
    if (frame.find(R"("action":"snapshot")") == std::string::npos) continue;
    if (frame.find(R"("instId":"BTC-USD-220527")") == std::string::npos) continue;
    ASSERT_EQ(parser->parse(frame, out), "");
    ASSERT_EQ(out.books.size(), 1U);
    OrderBook book;
    apply(out, out.books[0], book);
    EXPECT_EQ(okx_checksum_text(book), kGoldenText);
    EXPECT_EQ(okx_book_checksum(book), kGoldenCrc);
    EXPECT_EQ(out.books[0].checksum, kGoldenCrc);
    return;
  }
  FAIL() << "no BTC-USD-220527 snapshot in the capture";
}

/// The book one `books` snapshot frame with these asks and bids builds.
void build(std::string_view asks, std::string_view bids, OrderBook& book) {
  const std::string frame = R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"snapshot","data":[{"asks":[)" +
                            std::string(asks) + R"(],"bids":[)" + std::string(bids) +
                            R"(],"ts":"1652459225393","checksum":0}]})";
  auto parser = make_okx_parser();
  ParsedFrame out;
  ASSERT_EQ(parser->parse(frame, out), "") << frame;
  ASSERT_EQ(out.books.size(), 1U);
  apply(out, out.books[0], book);
}

TEST(OkxChecksum, HashesTheVenuesOwnSpellingOfTrailingZeros) {
  OrderBook book;
  build(R"(["30238.80","2.000","0","1"],["30240","0.50","0","1"])", R"(["100.0","7","0","2"])", book);
  const std::string text = "100.0:7:30238.80:2.000:30240:0.50";
  EXPECT_EQ(okx_checksum_text(book), text);
  EXPECT_EQ(okx_book_checksum(book), crc32(text));
  EXPECT_NE(okx_book_checksum(book), crc32("100:7:30238.8:2:30240:0.5"));
}

TEST(OkxChecksum, ASideThatRunsOutContributesNothingMore) {
  OrderBook book;
  build(R"(["11","1","0","1"])", R"(["10","1","0","1"],["9","2","0","1"],["8","3","0","1"])", book);
  EXPECT_EQ(okx_checksum_text(book), "10:1:11:1:9:2:8:3");
  OrderBook empty;
  EXPECT_EQ(okx_checksum_text(empty), "");
  EXPECT_EQ(okx_book_checksum(empty), 0U);
}

TEST(OkxChecksum, CoversTheBestTwentyFiveOfEachSide) {
  std::string asks, bids, expected;
  for (int i = 0; i < 30; ++i) {
    if (i > 0) asks += ',', bids += ',';
    asks += R"([")" + std::to_string(200 + i) + R"(","1","0","1"])";
    bids += R"([")" + std::to_string(199 - i) + R"(","2","0","1"])";
    if (i < 25) expected += (i > 0 ? ":" : "") + std::to_string(199 - i) + ":2:" + std::to_string(200 + i) + ":1";
  }
  OrderBook book;
  build(asks, bids, book);
  EXPECT_EQ(okx_checksum_text(book), expected);
}

}  // namespace
}  // namespace wsbook
