// Bybit's fast path against the general one: the recorded stream, the spot and
// futures layouts, every frame one edit away, and the odd frames it must leave alone.

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "exchange/bybit/bybit.h"
#include "exchange/fast_path_check.h"
#include "test_data.h"

namespace wsbook {
namespace {

using testing::fast_agrees;
using testing::near_frames_agree;

std::vector<std::string> stream_frames() {
  std::istringstream in(testing::read_data_file("bybit_stream.txt"));
  std::vector<std::string> frames;
  for (std::string line; std::getline(in, line);) frames.push_back(line);
  return frames;
}

// Futures order the keys otherwise than spot, and add the matching engine's time.
const std::string kLinear =
    R"({"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1687940967466,"data":{"s":"BTCUSDT","b":[["30247.20",)"
    R"("30.028"],["30245.40","0.224"]],"a":[["30248.70","0"]],"u":177400507,"seq":66544703342},"cts":1687940967464})";

class BybitFast : public ::testing::Test {
 protected:
  std::unique_ptr<VenueParser> general_ = bybit::make_parser(false);
};

TEST_F(BybitFast, TakesEveryOrderbookPushOfTheStreamAsTheGeneralPathReadsIt) {
  std::size_t taken = 0;
  for (const std::string& f : stream_frames()) {
    const bool book = f.find(R"("topic":"orderbook.)") != std::string::npos;
    EXPECT_EQ(fast_agrees(bybit::parse_fast, *general_, f), book) << f;
    taken += book ? 1 : 0;
  }
  EXPECT_EQ(taken, 51u);
}

TEST_F(BybitFast, TakesTheFuturesLayoutWithItsEngineTime) {
  ASSERT_TRUE(fast_agrees(bybit::parse_fast, *general_, kLinear));
  ParsedFrame out;
  ASSERT_TRUE(bybit::parse_fast(kLinear, out));
  EXPECT_EQ(out.books.at(0).exchange_ms, 1687940967464);
  EXPECT_EQ(out.books.at(0).prev_seq, 177400506);
}

TEST_F(BybitFast, EveryFrameOneEditAwayIsReadAsTheGeneralPathReadsIt) {
  for (const std::string& f : {kLinear, stream_frames().at(0), stream_frames().at(3)}) {
    EXPECT_GT(near_frames_agree(bybit::parse_fast, *general_, f), 100u);
  }
}

TEST_F(BybitFast, LeavesTheOddFramesToTheGeneralPath) {
  const std::string topic = R"({"topic":"orderbook.50.BTCUSDT",)";
  const std::string data = R"("data":{"s":"BTCUSDT","b":[["1","2"]],"a":[],"u":9})";
  for (const std::string& f : {
           R"({"type":"delta",)" + data + R"(,"topic":"orderbook.50.BTCUSDT"})",
           topic + R"("type":"delta",)" + data + R"(,"ts":1,"ts":2})",
           topic + R"("type":"update",)" + data + "}",
           topic + data + "}",
           topic + R"("type":"delta","data":{"s":"ETHUSDT","b":[],"a":[],"u":9}})",
           topic + R"("type":"delta","data":{"s":"BTCUSDT","b":[],"a":[]}})",
           topic + R"("type":"delta","data":{"s":"BTCUSDT","b":[["1","2","3"]],"a":[],"u":9}})",
           topic + R"("type":"delta","data":{"s":"BTCUSDT","b":[],"a":[],"u":-9}})",
           topic + R"("type":"delta","data":{"s":"BTCUSDT","b":[],"a":[],"u":9,"u":10}})",
           topic + R"("type":"delta",)" + data + R"(,"op":"x"})",
           std::string(R"({"topic":"orderbook.BTCUSDT","type":"delta",)") + data + "}",
           std::string(R"({"topic":"publicTrade.BTCUSDT","type":"snapshot","data":[]})"),
           std::string(R"({"success":true,"ret_msg":"pong","op":"ping"})"),
           topic + R"("type":"delta", )" + data + "}",
       }) {
    // Spaces between tokens are valid and taken; the rest is odd.
    EXPECT_EQ(fast_agrees(bybit::parse_fast, *general_, f), f.find(", ") != std::string::npos) << f;
  }
}

}  // namespace
}  // namespace wsbook
