// The test exchange's venue renderers checked on their own, before any crawler
// trusts them: CRC-32 vectors, Kraken's checksum text, each venue's sequencing.
#include <gtest/gtest.h>

#include <iterator>

#include "support/venue_book.h"

namespace wsbook::testing {
namespace {

// The integer after `"key":` in a frame (the last occurrence); -999 if absent.
std::int64_t field(const std::string& frame, const std::string& key) {
  const std::size_t at = frame.rfind("\"" + key + "\":");
  if (at == std::string::npos) return -999;
  std::size_t i = at + key.size() + 3;
  if (frame[i] == '"') ++i;
  return std::stoll(frame.substr(i));
}

TEST(VenueBookSelf, Crc32MatchesTheStandardVectors) {
  EXPECT_EQ(test_crc32(""), 0u);
  EXPECT_EQ(test_crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(test_crc32("The quick brown fox jumps over the lazy dog"), 0x414FA339u);
}

TEST(VenueBookSelf, FixedDecimals) {
  EXPECT_EQ(fixed_decimals(650050, 2, 2), "6500.50");
  EXPECT_EQ(fixed_decimals(650000, 2, 2), "6500.00");
  EXPECT_EQ(fixed_decimals(125, 3, 8), "0.12500000");
  EXPECT_EQ(fixed_decimals(2000, 3, 3), "2.000");
  EXPECT_EQ(fixed_decimals(7, 2, 2), "0.07");
}

TEST(VenueBookSelf, KrakenChecksumTextFollowsTheDocsExamples) {
  // Kraken's docs: price 45285.2 -> "452852", qty 0.00100000 -> "100000".
  SymbolTruth book("XBT/USD", 10, 10);
  book.apply({TrueSide::ask, 4528520, 1});
  book.apply({TrueSide::bid, 4528510, 2500});
  EXPECT_EQ(kraken_checksum_text(book, -1, 8), "452852" "100000" "452851" "250000000");
  EXPECT_EQ(kraken_checksum_text(book, 2, 8), "4528520100000" "4528510" "250000000");
  EXPECT_EQ(kraken_checksum_text(book, -1, -1), "4528521" "452851" "25");
}

TEST(VenueBookSelf, KrakenKeepsTheSubscribedDepthAndHashesTheTop10) {
  auto v = make_kraken_server({"BTC/USD"}, 10, true);
  const std::string snap = v->snapshot("BTC/USD");
  std::size_t levels = 0;
  for (std::size_t at = 0; (at = snap.find(R"({"price":)", at)) != std::string::npos; ++at) ++levels;
  EXPECT_EQ(levels, 20u) << "the snapshot holds the subscribed 10 levels per side";
  EXPECT_EQ(static_cast<std::uint32_t>(field(snap, "checksum")),
            test_crc32(kraken_checksum_text(v->book("BTC/USD"), 2, 8)));
  v->integrity_fault("BTC/USD");
  std::uint32_t seed = 1;
  const std::string bad = v->random_delta("BTC/USD", seed);
  EXPECT_NE(static_cast<std::uint32_t>(field(bad, "checksum")),
            test_crc32(kraken_checksum_text(v->book("BTC/USD"), 2, 8)));
  EXPECT_EQ(v->book("BTC/USD").expected_lines().size(), 1u) << "a faulty state is never a true one";
}

TEST(VenueBookSelf, KrakenTellsTheLevelARemovalBringsIntoView) {
  auto v = make_kraken_server({"BTC/USD"}, 10, true);
  v->snapshot("BTC/USD");
  const std::int64_t best = v->book("BTC/USD").bids().begin()->first;
  const std::int64_t eleventh = std::next(v->book("BTC/USD").bids().begin(), 10)->first;
  const std::string d = v->delta("BTC/USD", {{TrueSide::bid, best, 0}});
  EXPECT_NE(d.find(R"({"price":)" + TrueBook::price_text(best) + R"(,"qty":0})"), std::string::npos) << d;
  EXPECT_NE(d.find(R"({"price":)" + TrueBook::price_text(eleventh) + ","), std::string::npos) << d;
  // A change below the window: Kraken says nothing of it.
  EXPECT_EQ(v->delta("BTC/USD", {{TrueSide::bid, best - 10000, 5}}), v->heartbeat());
}

TEST(VenueBookSelf, CoinbaseSequenceIsPerConnectionAndSkipsOnAFault) {
  auto v = make_coinbase_server({"BTC-USD", "ETH-USD"}, 10);
  EXPECT_EQ(field(v->acks(v->symbols())[0], "sequence_num"), 0);
  EXPECT_EQ(field(v->snapshot("BTC-USD"), "sequence_num"), 1);
  EXPECT_EQ(field(v->heartbeat(), "sequence_num"), 2);
  v->integrity_fault("ETH-USD");
  std::uint32_t seed = 1;
  EXPECT_EQ(field(v->random_delta("BTC-USD", seed), "sequence_num"), 4);
  v->new_connection();
  EXPECT_EQ(field(v->snapshot("ETH-USD"), "sequence_num"), 0);
  EXPECT_EQ(v->reject("FOO-USD").find("sequence_num"), std::string::npos);
}

TEST(VenueBookSelf, OkxChainsSeqIdsPerSymbolInStepsOfThree) {
  auto v = make_okx_server({"BTC-USDT", "ETH-USDT"}, 10);
  const std::string snap = v->snapshot("BTC-USDT");
  EXPECT_EQ(field(snap, "prevSeqId"), -1);
  const std::int64_t first = field(snap, "seqId");
  v->snapshot("ETH-USDT");
  std::uint32_t seed = 1;
  const std::string d1 = v->random_delta("BTC-USDT", seed);
  EXPECT_EQ(field(d1, "prevSeqId"), first);
  EXPECT_EQ(field(d1, "seqId"), first + 3);
  const std::string idle = v->heartbeat();
  EXPECT_EQ(field(idle, "seqId"), first + 3);
  EXPECT_EQ(field(idle, "prevSeqId"), first + 3);
  v->integrity_fault("BTC-USDT");
  EXPECT_EQ(field(v->random_delta("BTC-USDT", seed), "prevSeqId"), first + 6);
  EXPECT_EQ(v->pong("ping"), "pong");
  EXPECT_EQ(v->pong("{}"), "");
}

TEST(VenueBookSelf, BybitStepsUByOneAndASnapshotStartsANewU) {
  auto v = make_bybit_server({"BTCUSDT"}, 10);
  const std::int64_t u0 = field(v->snapshot("BTCUSDT"), "u");
  std::uint32_t seed = 1;
  EXPECT_EQ(field(v->random_delta("BTCUSDT", seed), "u"), u0 + 1);
  v->integrity_fault("BTCUSDT");
  EXPECT_EQ(field(v->random_delta("BTCUSDT", seed), "u"), u0 + 3);
  const std::int64_t u1 = field(v->snapshot("BTCUSDT"), "u");
  EXPECT_NE(u1, u0 + 4);
  EXPECT_EQ(field(v->random_delta("BTCUSDT", seed), "u"), u1 + 1);
  EXPECT_NE(v->pong(R"({"op":"ping"})").find(R"("ret_msg":"pong")"), std::string::npos);
}

TEST(VenueBookSelf, RandomChangesKeepTheBookUncrossedAndTrueStatesAreRemembered) {
  SymbolTruth book("S", 10, 0);
  book.fill(650000, 30);
  std::uint32_t seed = 9;
  for (int i = 0; i < 2000; ++i) {
    book.apply(book.random_change(seed));
    book.remember();
    ASSERT_LT(book.bids().begin()->first, book.asks().begin()->first);
  }
  EXPECT_EQ(book.expected_lines().size(), 2000u);
  book.mute(true);
  book.apply(book.crossing_change());
  book.remember();
  EXPECT_EQ(book.expected_lines().size(), 2000u);
  book.new_epoch();
  book.remember();
  EXPECT_EQ(book.epochs(), 2u);
  EXPECT_EQ(book.expected_lines().size(), 2001u);
}

TEST(VenueBookSelf, SplitTaggedStripsTheExchangeAndSymbol) {
  const std::string line = R"({"exchange":"okx","symbol":"BTC-USDT","bids":[[1,2]],"asks":[],"ts":17})";
  EXPECT_EQ(split_tagged(line, "okx").first, "BTC-USDT");
  EXPECT_EQ(split_tagged(line, "okx").second, R"({"bids":[[1,2]],"asks":[])");
  EXPECT_EQ(split_tagged(R"({"bids":[],"asks":[],"ts":1})", "okx").first, "");
  EXPECT_EQ(split_tagged(line, "bybit").first, "?");
  EXPECT_EQ(diff_lines({"a", "b"}, {"a", "b"}), "");
  EXPECT_NE(diff_lines({"a"}, {"a", "b"}), "");
}

}  // namespace
}  // namespace wsbook::testing
