// Coinbase's fast path against the general one: the recorded level2 frames,
// every frame one edit away, and the odd frames it must leave alone.

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "exchange/coinbase/coinbase_parser.h"
#include "exchange/fast_path_check.h"
#include "test_data.h"

namespace wsbook {
namespace {

using testing::fast_agrees;
using testing::near_frames_agree;

std::vector<std::string> recorded_frames() {
  std::istringstream in(testing::read_data_file("coinbase_level2_2products.txt"));
  std::vector<std::string> frames;
  for (std::string line; std::getline(in, line);) frames.push_back(line);
  return frames;
}

const std::string kUpdate =
    R"({"channel":"l2_data","client_id":"","timestamp":"2023-02-09T20:32:50.714964855Z","sequence_num":7,)"
    R"("events":[{"type":"update","product_id":"BTC-USD","updates":[{"side":"bid","event_time":)"
    R"("2023-02-09T20:32:50.714964855Z","price_level":"21921.73","new_quantity":"0.06317902"},{"side":"offer",)"
    R"("event_time":"2023-02-09T20:32:50.714964855Z","price_level":"21921.74","new_quantity":"0"}]}]})";

class CoinbaseFast : public ::testing::Test {
 protected:
  coinbase::Parser general_{false};
};

TEST_F(CoinbaseFast, TakesEveryLevel2FrameOfTheRecordingAsTheGeneralPathReadsIt) {
  std::size_t taken = 0;
  for (const std::string& f : recorded_frames()) {
    const bool l2 = f.starts_with(R"({"channel":"l2_data")");
    EXPECT_EQ(fast_agrees(coinbase::parse_fast, general_, f), l2) << f.substr(0, 200);
    taken += l2 ? 1 : 0;
  }
  EXPECT_EQ(taken, 452u);
}

TEST_F(CoinbaseFast, ReadsTheEnvelopeSequenceAndTime) {
  ASSERT_TRUE(fast_agrees(coinbase::parse_fast, general_, kUpdate));
  ParsedFrame out;
  ASSERT_TRUE(coinbase::parse_fast(kUpdate, out));
  EXPECT_EQ(out.connection_seq, 7u);
  ASSERT_EQ(out.books.size(), 1u);
  EXPECT_EQ(out.books[0].exchange_ms, 1675974770714);
  EXPECT_EQ(out.changes.size(), 2u);
}

TEST_F(CoinbaseFast, EveryFrameOneEditAwayIsReadAsTheGeneralPathReadsIt) {
  for (const std::string& f : {kUpdate, recorded_frames().at(10)}) {
    EXPECT_GT(near_frames_agree(coinbase::parse_fast, general_, f), 100u);
  }
}

TEST_F(CoinbaseFast, LeavesTheOddFramesToTheGeneralPath) {
  const std::string head = R"({"channel":"l2_data","timestamp":"2023-02-09T20:32:50.714964855Z","sequence_num":7,)";
  const std::string update = R"({"side":"bid","price_level":"1","new_quantity":"2"})";
  for (const std::string& f : {
           head + R"("events":[{"type":"update","product_id":"BTC-USD","updates":[)" + update + "]}],\"x\":1}",
           head + R"("events":[{"type":"update","product_id":"","updates":[]}]})",
           head + R"("events":[{"type":"change","product_id":"BTC-USD","updates":[]}]})",
           head + R"("events":[{"type":"update","product_id":"BTC-USD"}]})",
           head + R"("events":[{"type":"update","product_id":"BTC-USD","updates":[{"side":"ask","price_level":"1",)"
                  R"("new_quantity":"2"}]}]})",
           head + R"("events":[{"type":"update","product_id":"BTC-USD","updates":[{"side":"bid",)"
                  R"("price_level":"1"}]}]})",
           head + R"("events":[{"type":"update","product_id":"BTC-USD","updates":[{"side":"bid","side":"offer",)"
                  R"("price_level":"1","new_quantity":"2"}]}]})",
           head + R"("events":[],"events":[]})",
           std::string(R"({"channel":"l2_data","timestamp":"yesterday","sequence_num":7,"events":[]})"),
           std::string(R"({"channel":"l2_data","timestamp":"2023-02-09T20:32:50Z","events":[]})"),
           std::string(R"({"channel":"l2_data","sequence_num":-7,"events":[]})"),
           std::string(R"({"channel":"heartbeats","sequence_num":7,"events":[]})"),
           std::string(R"({"events":[],"channel":"l2_data","sequence_num":7})"),
           head + R"( "events":[{"type":"update", "product_id":"BTC-USD","updates":[ )" + update + "]}]}",
       }) {
    // Spaces between tokens are valid and taken; the rest is odd.
    EXPECT_EQ(fast_agrees(coinbase::parse_fast, general_, f), f.find(", ") != std::string::npos) << f;
  }
}

}  // namespace
}  // namespace wsbook
