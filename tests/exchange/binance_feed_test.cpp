// Binance's own parsers through the real feed, on made-up frames: a futures
// book bridged by `pu` and fetched again after a gap while the stream goes on,
// and the REST replies that refuse a symbol or ask us to wait.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "exchange/venues.h"
#include "wsbook/feed.h"
#include "wsbook/log.h"

namespace wsbook {
namespace {

using Kind = FrameResult::Kind;

struct RecordingLink final : Link {
  void send(std::string frame) override { sent.push_back(std::move(frame)); }
  void fetch(FetchRequest request) override { fetches.push_back(std::move(request)); }
  std::vector<std::string> sent;
  std::vector<FetchRequest> fetches;
};

std::string futures_update(int first, int last, int prev, std::string_view bid = "100.5") {
  return R"({"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1,"T":1,"s":"BTCUSDT","U":)" +
         std::to_string(first) + R"(,"u":)" + std::to_string(last) + R"(,"pu":)" + std::to_string(prev) +
         R"(,"b":[[")" + std::string(bid) + R"(","2"]],"a":[]}})";
}

class BinanceFeed : public ::testing::Test {
 protected:
  ~BinanceFeed() override { std::fclose(log_file_); }
  std::string logged() const {
    std::string text;
    std::rewind(log_file_);
    for (int c; (c = std::fgetc(log_file_)) != EOF;) text += static_cast<char>(c);
    return text;
  }
  FrameResult frame(Feed& feed, const std::string& text) {
    out_.clear();
    return feed.on_frame(text, 1000, link_, out_);
  }
  FrameResult reply(Feed& feed, int status, std::string body, std::optional<std::chrono::milliseconds> wait = {}) {
    out_.clear();
    return feed.on_response({link_.fetches.back().id, status, std::move(body), wait, {}}, 1000, link_, out_);
  }
  std::FILE* log_file_ = std::tmpfile();
  Log log_{LogLevel::warn, log_file_};
  RecordingLink link_;
  std::string out_;
};

TEST_F(BinanceFeed, AFuturesBookBridgesByPuAndIsFetchedAgainAfterAGap) {
  auto feed = make_feed(binance_futures_venue(), {.symbols = {"btcusdt"}}, log_);
  feed->on_connect(link_);
  EXPECT_EQ(link_.sent, binance_futures_venue().subscribe({"BTCUSDT"}, 10));
  EXPECT_EQ(frame(*feed, futures_update(150, 155, 149)).lines, 0u);
  ASSERT_EQ(link_.fetches.size(), 1u);
  EXPECT_EQ(link_.fetches[0].url, "https://fapi.binance.com/fapi/v1/depth?symbol=BTCUSDT&limit=1000");
  EXPECT_EQ(frame(*feed, futures_update(156, 160, 155, "100.7")).lines, 0u);
  // Futures keep the update that ends past the snapshot's id and starts at or before it.
  const FrameResult bridged = reply(*feed, 200, R"({"lastUpdateId":158,"E":1,"T":1,"bids":[["100","1"]],)"
                                                R"("asks":[["101","1"]]})");
  EXPECT_EQ(bridged.kind, Kind::snapshot) << bridged.message;
  EXPECT_EQ(out_.substr(0, out_.find(",\"ts\"")), R"({"bids":[[100.7,2],[100,1]],"asks":[[101,1]])");
  EXPECT_EQ(frame(*feed, futures_update(161, 165, 160)).lines, 1u);
  // pu 168: the updates 166 to 168 are lost. The stream goes on; only the book is fetched again.
  EXPECT_LT(frame(*feed, futures_update(169, 170, 168)).kind, Kind::resync);
  EXPECT_EQ(feed->stats().gaps, 1u);
  EXPECT_NE(logged().find("sequence gap"), std::string::npos) << logged();
  EXPECT_EQ(frame(*feed, futures_update(171, 172, 170)).lines, 0u);
  EXPECT_EQ(link_.fetches.size(), 2u);
  EXPECT_EQ(feed->stats().crossed, 0u);
}

TEST_F(BinanceFeed, ASymbolTheVenueDoesNotListEndsTheCrawlAsTheUsersMistake) {
  auto feed = make_feed(binance_venue(), {.symbols = {"NOPEUSDT"}}, log_);
  feed->on_connect(link_);
  frame(*feed, R"({"stream":"nopeusdt@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"NOPEUSDT","U":1,"u":2,)"
               R"("b":[],"a":[]}})");
  ASSERT_EQ(link_.fetches.size(), 1u);
  EXPECT_EQ(link_.fetches[0].url, "https://api.binance.com/api/v3/depth?symbol=NOPEUSDT&limit=1000");
  const FrameResult r = reply(*feed, 400, R"({"code":-1121,"msg":"Invalid symbol."})");
  EXPECT_EQ(r.kind, Kind::fatal);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(logged().find("Invalid symbol."), std::string::npos) << logged();
}

TEST_F(BinanceFeed, ATooManyRequestsReplyIsFetchedAgainLater) {
  auto feed = make_feed(binance_venue(), {.symbols = {"BTCUSDT"}}, log_);
  feed->on_connect(link_);
  frame(*feed, R"({"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"u":2,)"
               R"("b":[["1","1"]],"a":[]}})");
  ASSERT_EQ(link_.fetches.size(), 1u);
  EXPECT_LT(reply(*feed, 429, R"({"code":-1003,"msg":"Too many requests"})", std::chrono::seconds(30)).kind,
            Kind::resync);
  EXPECT_EQ(feed->stats().fetch_failures, 1u);
  ASSERT_EQ(link_.fetches.size(), 2u);
  EXPECT_GT(link_.fetches[1].delay, std::chrono::milliseconds(0));
  EXPECT_NE(logged().find("HTTP 429: Too many requests"), std::string::npos) << logged();
}

}  // namespace
}  // namespace wsbook
