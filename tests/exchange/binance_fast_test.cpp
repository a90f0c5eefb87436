// Binance's fast path against the general one: the recorded depth updates,
// futures' layout, every frame one edit away, and the odd frames it must leave alone.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "exchange/binance/binance.h"
#include "exchange/binance_capture.h"
#include "exchange/fast_path_check.h"

namespace wsbook {
namespace {

using testing::fast_agrees;
using testing::near_frames_agree;

bool spot_fast(std::string_view frame, ParsedFrame& out) { return binance::parse_fast(frame, false, out); }
bool futures_fast(std::string_view frame, ParsedFrame& out) { return binance::parse_fast(frame, true, out); }

const std::string kFutures =
    R"({"stream":"btcusdt@depth@0ms","data":{"e":"depthUpdate","E":1633998512068,"T":1633998512066,"s":"BTCUSDT",)"
    R"("U":157,"u":160,"pu":149,"b":[["0.0024","10"]],"a":[["0.0026","100"],["0.0027","0"]]}})";
const std::string kBare =
    R"({"e":"depthUpdate","E":1633998512068,"s":"BNBBTC","U":157,"u":160,"b":[["0.0024","10"]],"a":[]})";

class BinanceFast : public ::testing::Test {
 protected:
  std::unique_ptr<VenueParser> spot_ = binance::make_parser(false, false);
  std::unique_ptr<VenueParser> futures_ = binance::make_parser(true, false);
};

TEST_F(BinanceFast, TakesEveryDepthUpdateOfTheCaptureAsTheGeneralPathReadsIt) {
  std::size_t taken = 0;
  for (const auto& f : testing::binance_capture_frames()) {
    const bool depth = f.text.find(R"("e":"depthUpdate")") != std::string::npos;
    EXPECT_EQ(fast_agrees(spot_fast, *spot_, f.text), depth) << f.text;
    taken += depth ? 1 : 0;
  }
  EXPECT_EQ(taken, 177u);
}

TEST_F(BinanceFast, TakesFuturesWithTheirPreviousIdAndBareEvents) {
  EXPECT_TRUE(fast_agrees(futures_fast, *futures_, kFutures));
  EXPECT_TRUE(fast_agrees(spot_fast, *spot_, kBare));
  ParsedFrame out;
  EXPECT_FALSE(futures_fast(kBare, out));  // futures need pu
  ASSERT_TRUE(futures_fast(kFutures, out));
  ASSERT_EQ(out.books.size(), 1u);
  EXPECT_EQ(out.books[0].prev_seq, 149);
  EXPECT_EQ(out.books[0].first_seq, 157);
  EXPECT_EQ(out.books[0].seq, 160);
  EXPECT_EQ(out.changes.size(), 3u);
}

TEST_F(BinanceFast, EveryFrameOneEditAwayIsReadAsTheGeneralPathReadsIt) {
  EXPECT_GT(near_frames_agree(futures_fast, *futures_, kFutures), 100u);
  EXPECT_GT(near_frames_agree(spot_fast, *spot_, kBare), 100u);
  EXPECT_GT(near_frames_agree(spot_fast, *spot_, testing::binance_capture_frames().at(0).text), 100u);
}

TEST_F(BinanceFast, LeavesTheOddFramesToTheGeneralPath) {
  const std::string head = R"({"stream":"bnbbtc@depth","data":{"e":"depthUpdate","s":"BNBBTC",)";
  const std::string ids = R"("U":1,"u":2,"b":[],"a":[]}})";
  for (const std::string& f : {
           head + R"("U":161,"u":160,"b":[],"a":[]}})",
           head + R"("U":1,"u":2,"b":[],"a":[],"b":[]}})",
           head + R"("U":1,"u":2,"b":[]}})",
           head + R"("U":1,"u":2,"b":[],"a":[],"x":1}})",
           head + R"("U":1,"u":-2,"b":[],"a":[]}})",
           std::string(R"({"stream":"ethbtc@depth","data":{"e":"depthUpdate","s":"BNBBTC",)") + ids,
           std::string(R"({"stream":"bnbbtc@bookTicker","data":{"e":"depthUpdate","s":"BNBBTC",)") + ids,
           std::string(R"({"data":{"e":"depthUpdate","s":"BNBBTC","U":1,"u":2,"b":[],"a":[]},)") +
               R"("stream":"bnbbtc@depth"})",
           std::string(R"({"stream":"bnbbtc@depth","data":{"s":"BNBBTC","e":"depthUpdate",)") + ids,
           std::string(R"({"result":null,"id":1})"),
           head + R"("U":1, "u":2,"b":[["1", "2"]], "a":[]}})",
       }) {
    // Spaces between tokens are valid and taken; the rest is odd.
    EXPECT_EQ(fast_agrees(spot_fast, *spot_, f), f.find(", ") != std::string::npos) << f;
  }
}

}  // namespace
}  // namespace wsbook
