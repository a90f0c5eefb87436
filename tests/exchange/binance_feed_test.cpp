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

// The same event for ETHUSDT.
std::string as_eth(std::string frame) {
  frame.replace(frame.find("btcusdt"), 7, "ethusdt");
  frame.replace(frame.find("BTCUSDT"), 7, "ETHUSDT");
  return frame;
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

// A malformed event that still says whose it is breaks that book alone: nothing
// of it is applied, the others go on, and its snapshot is fetched again.
TEST_F(BinanceFeed, AMalformedEventRebuildsItsSymbolAloneAndNothingOfItIsApplied) {
  auto feed = make_feed(binance_futures_venue(), {.symbols = {"BTCUSDT", "ETHUSDT"}}, log_);
  feed->on_connect(link_);
  frame(*feed, futures_update(150, 155, 149));
  EXPECT_EQ(reply(*feed, 200, R"({"lastUpdateId":152,"bids":[["100","1"]],"asks":[["101","1"]]})").kind,
            Kind::snapshot);
  std::string eth = futures_update(10, 12, 9, "50.5");
  eth = as_eth(eth);
  frame(*feed, eth);
  reply(*feed, 200, R"({"lastUpdateId":11,"bids":[["50","1"]],"asks":[["51","1"]]})");
  // A price of the wrong type in BTCUSDT's event.
  std::string bad = futures_update(156, 157, 155);
  bad.replace(bad.find(R"(["100.5","2"])"), 13, R"([100.5,"2"])");
  EXPECT_EQ(frame(*feed, bad).kind, Kind::nothing);  // not a restart
  EXPECT_NE(logged().find("BTCUSDT: malformed frame (price: string expected, got number)"), std::string::npos);
  EXPECT_EQ(feed->stats().malformed, 1u);
  EXPECT_EQ(frame(*feed, futures_update(158, 159, 157)).lines, 0u);  // BTCUSDT waits for a new snapshot
  EXPECT_EQ(link_.fetches.size(), 3u);
  std::string eth_next = futures_update(13, 14, 12, "50.25");
  eth_next = as_eth(eth_next);
  EXPECT_EQ(frame(*feed, eth_next).lines, 1u);  // ETHUSDT goes on
}

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
