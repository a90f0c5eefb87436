// Kraken's fast path against the general one: book frames in Kraken's layout,
// every frame one edit away, and the odd frames it must leave alone.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "exchange/fast_path_check.h"
#include "exchange/kraken/kraken_parser.h"

namespace wsbook {
namespace {

using testing::fast_agrees;
using testing::near_frames_agree;

// As the documentation shows them: prices and quantities are JSON numbers.
const std::string kSnapshot =
    R"({"channel":"book","type":"snapshot","data":[{"symbol":"MATIC/USD","bids":[{"price":0.5666,"qty":4831.75496356},)"
    R"({"price":0.5,"qty":1}],"asks":[{"price":0.567,"qty":18097.1547},{"price":0.5668,"qty":10}],)"
    R"("checksum":2439117997,"timestamp":"2023-10-06T17:35:55.440295Z"}]})";
const std::string kUpdate =
    R"({"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":45283.5,"qty":0.00000000}],)"
    R"("asks":[],"checksum":3310070434,"timestamp":"2023-10-06T17:35:55.440295Z"}]})";

class KrakenFast : public ::testing::Test {
 protected:
  kraken::Parser general_{false};
};

TEST_F(KrakenFast, TakesBookFramesAsTheGeneralPathReadsThem) {
  EXPECT_TRUE(fast_agrees(kraken::parse_book_fast, general_, kSnapshot));
  EXPECT_TRUE(fast_agrees(kraken::parse_book_fast, general_, kUpdate));
  ParsedFrame out;
  ASSERT_TRUE(kraken::parse_book_fast(kSnapshot, out));
  ASSERT_EQ(out.books.size(), 1u);
  EXPECT_TRUE(out.books[0].snapshot);
  EXPECT_EQ(out.books[0].checksum, 2439117997u);
  EXPECT_EQ(out.books[0].exchange_ms, 1696613755440);
  ASSERT_EQ(out.changes.size(), 4u);
  EXPECT_EQ(out.changes[0].amount.text, "4831.75496356");
  EXPECT_EQ(out.changes[2].side, Side::ask);
}

TEST_F(KrakenFast, EveryFrameOneEditAwayIsReadAsTheGeneralPathReadsIt) {
  for (const std::string& f : {kSnapshot, kUpdate}) {
    EXPECT_GT(near_frames_agree(kraken::parse_book_fast, general_, f), 100u);
  }
}

TEST_F(KrakenFast, LeavesTheOddFramesToTheGeneralPath) {
  const std::string head = R"({"channel":"book","type":"update","data":[{"symbol":"BTC/USD",)";
  for (const std::string& f : {
           head + R"("bids":[{"price":1e3,"qty":1}]}]})",
           head + R"("bids":[{"price":-1,"qty":1}]}]})",
           head + R"("bids":[{"price":"1","qty":1}]}]})",
           head + R"("bids":[{"price":1,"qty":1,"qty":2}]}]})",
           head + R"("bids":[{"price":1}]}]})",
           head + R"("bids":[{"price":1 ,"qty":1}]}]})",
           head + R"("bids":[],"checksum":4294967296}]})",
           head + R"("bids":[],"checksum":1.0}]})",
           head + R"("bids":[],"timestamp":"yesterday"}]})",
           head + R"("bids":[],"bids":[]}]})",
           head + R"("bids":[],"other":1}]})",
           std::string(R"({"channel":"book","type":"update","data":[{"symbol":"","bids":[]}]})"),
           std::string(R"({"channel":"book","type":"change","data":[{"symbol":"BTC/USD","bids":[]}]})"),
           std::string(R"({"channel":"book","data":[{"symbol":"BTC/USD","bids":[]}],"type":"update"})"),
           std::string(R"({"channel":"heartbeat"})"),
           head + R"("bids":[{"price":1, "qty":1}], "asks":[]}, {"symbol":"ETH/USD"}]})",
       }) {
    // Spaces between tokens are valid and taken; the rest is odd.
    EXPECT_EQ(fast_agrees(kraken::parse_book_fast, general_, f), f.find(", ") != std::string::npos) << f;
  }
}

}  // namespace
}  // namespace wsbook
