// OKX's fast path against the general one: the recorded frames, today's layout,
// every frame one edit away from them, and the odd frames it must leave alone.

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "exchange/fast_path_check.h"
#include "exchange/okx/okx.h"
#include "test_data.h"

namespace wsbook {
namespace {

using testing::fast_agrees;
using testing::near_frames_agree;

std::vector<std::string> books_frames() {
  std::istringstream in(testing::read_data_file("okx_books_2022.txt"));
  std::vector<std::string> frames;
  for (std::string line; std::getline(in, line);) {
    const auto at = line.find(": {\"arg\"");
    if (at != std::string::npos && line.find("\"action\"") != std::string::npos) frames.push_back(line.substr(at + 2));
  }
  return frames;
}

// Today's layout: seqId and prevSeqId, the checksum 0.
const std::string kUpdate =
    R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[["30238.8","2","0","1"],)"
    R"(["30239","0","0","0"]],"bids":[["30182.6","0.00452","0","12"]],"ts":"1652459225393","checksum":0,)"
    R"("seqId":123456789012,"prevSeqId":123456789009}]})";
const std::string kSnapshot =
    R"({"arg":{"channel":"books","instId":"ETH-USD-SWAP"},"action":"snapshot","data":[{"asks":[["1.5","2","0","1"]],)"
    R"("bids":[["1.4","3","0","1"]],"ts":"1652459225393","checksum":-914047754,"prevSeqId":-1,"seqId":7}]})";

class OkxFast : public ::testing::Test {
 protected:
  std::unique_ptr<VenueParser> general_ = make_okx_parser(false);
};

TEST_F(OkxFast, TakesEveryBooksFrameOfTheCaptureAsTheGeneralPathReadsIt) {
  const std::vector<std::string> frames = books_frames();
  ASSERT_EQ(frames.size(), 290u);
  for (const std::string& f : frames) EXPECT_TRUE(fast_agrees(parse_okx_fast, *general_, f)) << f;
}

TEST_F(OkxFast, TakesTodaysLayoutAndTheIdleUpdate) {
  EXPECT_TRUE(fast_agrees(parse_okx_fast, *general_, kUpdate));
  EXPECT_TRUE(fast_agrees(parse_okx_fast, *general_, kSnapshot));
  const std::string idle = R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[],)"
                           R"("bids":[],"ts":"1652459225393","checksum":0,"seqId":9,"prevSeqId":9}]})";
  EXPECT_TRUE(fast_agrees(parse_okx_fast, *general_, idle));
  ParsedFrame out;
  ASSERT_TRUE(parse_okx_fast(kSnapshot, out));
  ASSERT_EQ(out.books.size(), 1u);
  EXPECT_EQ(out.books[0].prev_seq, -1);
  EXPECT_EQ(out.books[0].checksum, static_cast<std::uint32_t>(-914047754));
}

TEST_F(OkxFast, EveryFrameOneEditAwayIsReadAsTheGeneralPathReadsIt) {
  for (const std::string& f : {kUpdate, kSnapshot, books_frames().at(5)}) {
    // Some edits keep a frame OKX could send (a digit changed): those it takes.
    EXPECT_GT(near_frames_agree(parse_okx_fast, *general_, f), 100u);
  }
}

TEST_F(OkxFast, LeavesTheOddFramesToTheGeneralPath) {
  const std::string arg = R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{)";
  const std::string levels = R"("asks":[],"bids":[["1","2","0","1"]])";
  for (const std::string& f : {
           arg + levels + R"(,"seqId":-0}]})",
           arg + levels + R"(,"seqId":12345678901234567890}]})",
           arg + levels + R"(,"checksum":2147483648}]})",
           arg + levels + R"(,"ts":"1652459225393","ts":"1"}]})",
           arg + levels + R"(,"asks":[]}]})",
           arg + levels + R"(,"ts":"16524592253931234567"}]})",
           arg + levels + R"(,"unknown":1}]})",
           arg + R"("asks":[],"bids":[["1","2","0"]]}]})",
           arg + R"("asks":[],"bids":[["1","2\u0030","0","1"]]}]})",
           arg + R"("bids":[["1","2","0","1"]]}]})",
           std::string(R"({"arg":{"channel":"books","instId":""},"action":"update","data":[{)") + levels + "}]}",
           std::string(R"({"arg":{"channel":"books","instId":"B\"C"},"action":"update","data":[{)") + levels + "}]}",
           arg + levels + "}]} x",
           arg + levels + "}, {" + levels + "}]}",
           std::string("pong"),
       }) {
    const bool taken = fast_agrees(parse_okx_fast, *general_, f);
    // Two elements and spaces between tokens are valid and taken; the rest is odd.
    EXPECT_EQ(taken, f.find("}, {") != std::string::npos) << f;
  }
}

}  // namespace
}  // namespace wsbook
