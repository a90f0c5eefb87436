// Binance's REST depth replies through parse_snapshot: the captured books, the
// futures reply's times, and each kind of error reply as its notice.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "exchange/binance_capture.h"
#include "exchange/venues.h"

namespace wsbook {
namespace {

class BinanceSnapshot : public ::testing::Test {
 protected:
  std::string_view parse(int status, std::string_view body, std::string_view symbol = "BTCUSDT") {
    return parser_->parse_snapshot(status, body, symbol, out_);
  }
  void expect_notice(Notice::Kind kind, std::string_view text) {
    ASSERT_EQ(out_.notices.size(), 1u);
    EXPECT_EQ(out_.notices[0].kind, kind);
    EXPECT_EQ(out_.notices[0].symbol, "BTCUSDT");
    EXPECT_EQ(out_.notices[0].text, text);
    EXPECT_TRUE(out_.books.empty());
    EXPECT_TRUE(out_.changes.empty());
  }
  std::unique_ptr<VenueParser> parser_ = binance_venue().make_parser();
  ParsedFrame out_;
};

TEST_F(BinanceSnapshot, EachCapturedReplyIsOneSnapshotOfEveryLevel) {
  const auto replies = testing::binance_capture_replies();
  ASSERT_EQ(replies.size(), 4u);
  for (const testing::CaptureReply& r : replies) {
    const std::string symbol = r.url.substr(r.url.find("symbol=") + 7, r.url.find('&') - r.url.find("symbol=") - 7);
    ASSERT_EQ(parse(200, r.body, symbol), "") << r.url;
    const auto j = nlohmann::json::parse(r.body);
    ASSERT_EQ(out_.books.size(), 1u);
    const BookMessage& m = out_.books[0];
    EXPECT_EQ(m.symbol, symbol);
    EXPECT_TRUE(m.snapshot);
    EXPECT_EQ(m.seq, j["lastUpdateId"].get<std::int64_t>());
    EXPECT_FALSE(m.first_seq);
    EXPECT_FALSE(m.exchange_ms);  // spot replies carry no time
    EXPECT_EQ(m.first_change, 0u);
    ASSERT_EQ(m.end_change, j["bids"].size() + j["asks"].size());
    const BookChange& first_ask = out_.changes[j["bids"].size()];
    EXPECT_EQ(first_ask.side, Side::ask);
    DecimalText expected;
    ASSERT_EQ(parse_decimal(j["asks"][0][0].get<std::string>(), expected), "");
    EXPECT_EQ(first_ask.price.value, expected.value);
    EXPECT_TRUE(out_.notices.empty());
  }
}

TEST_F(BinanceSnapshot, TheSymbolIsTheOneAskedForAndKeysComeInAnyOrder) {
  ASSERT_EQ(parse(200, R"({"asks":[["4.00000200","12.00000000"]],"bids":[["4.00000000","431.00000000"]],)"
                       R"("lastUpdateId":1027024})",
                  "BNBBTC"),
            "");
  ASSERT_EQ(out_.books.size(), 1u);
  EXPECT_EQ(out_.books[0].symbol, "BNBBTC");
  EXPECT_EQ(out_.books[0].seq, 1027024);
  ASSERT_EQ(out_.changes.size(), 2u);
  EXPECT_EQ(out_.changes[0].side, Side::ask);  // the reply's order
  EXPECT_EQ(out_.changes[0].price.text, "4.000002");
  EXPECT_EQ(out_.changes[1].amount.text, "431");
}

TEST_F(BinanceSnapshot, AFuturesReplyCarriesItsTimes) {
  auto futures = binance_futures_venue().make_parser();
  ASSERT_EQ(futures->parse_snapshot(200, R"({"lastUpdateId":1027024,"E":1589436922972,"T":1589436922959,)"
                                          R"("bids":[["4.00000000","431.00000000"]],"asks":[]})",
                                    "BTCUSDT", out_),
            "");
  ASSERT_EQ(out_.books.size(), 1u);
  EXPECT_EQ(out_.books[0].seq, 1027024);
  EXPECT_EQ(out_.books[0].exchange_ms, 1589436922972);
  EXPECT_EQ(out_.books[0].end_change, 1u);
}

TEST_F(BinanceSnapshot, AnUnknownSymbolIsRejectedWithTheVenuesWords) {
  ASSERT_EQ(parse(400, R"({"code":-1121,"msg":"Invalid symbol."})"), "");
  expect_notice(Notice::Kind::rejected, "Invalid symbol.");
}

TEST_F(BinanceSnapshot, AnyOtherErrorReplyIsAnErrorNamingStatusAndMessage) {
  ASSERT_EQ(parse(429, R"({"code":-1003,"msg":"Too many requests"})"), "");
  expect_notice(Notice::Kind::error, "HTTP 429: Too many requests");
  ASSERT_EQ(parse(418, R"({"msg":"Way too much request weight used; IP banned until 1633998600000.","code":-1003})"),
            "");
  expect_notice(Notice::Kind::error, "HTTP 418: Way too much request weight used; IP banned until 1633998600000.");
  ASSERT_EQ(parse(400, R"({"code":-1100,"msg":"Illegal characters found in parameter 'symbol'."})"), "");
  expect_notice(Notice::Kind::error, "HTTP 400: Illegal characters found in parameter 'symbol'.");
}

TEST_F(BinanceSnapshot, AnErrorBodyThatIsNotTheVenuesJsonIsStillAnError) {
  ASSERT_EQ(parse(502, "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n</html>"), "");
  expect_notice(Notice::Kind::error, "HTTP 502: <html>  <head><title>502 Bad Gateway</title></head>  </html>");
  ASSERT_EQ(parse(503, ""), "");
  expect_notice(Notice::Kind::error, "HTTP 503: (empty body)");
  ASSERT_EQ(parse(500, R"({"code":"x","msg":"m"})"), "");
  expect_notice(Notice::Kind::error, R"(HTTP 500: {"code":"x","msg":"m"})");
  ASSERT_EQ(parse(403, std::string(500, 'x')), "");
  expect_notice(Notice::Kind::error, "HTTP 403: " + std::string(120, 'x') + "...");
}

TEST_F(BinanceSnapshot, ANoticesTextOutlivesTheReplysBody) {
  std::string body = R"({"code":-1003,"msg":"Too many requests"})";
  ASSERT_EQ(parse(429, body), "");
  body.assign(body.size(), '#');
  expect_notice(Notice::Kind::error, "HTTP 429: Too many requests");
}

TEST_F(BinanceSnapshot, EachReplyStartsFromAnEmptyOutput) {
  ASSERT_EQ(parse(200, R"({"lastUpdateId":1,"bids":[["1","1"]],"asks":[["2","1"]]})"), "");
  ASSERT_EQ(parse(429, R"({"code":-1003,"msg":"Too many requests"})"), "");
  EXPECT_TRUE(out_.books.empty());
  EXPECT_TRUE(out_.changes.empty());
  ASSERT_EQ(parse(200, R"({"lastUpdateId":2,"bids":[],"asks":[]})"), "");
  EXPECT_TRUE(out_.notices.empty());
  EXPECT_EQ(out_.books.size(), 1u);
}

}  // namespace
}  // namespace wsbook
