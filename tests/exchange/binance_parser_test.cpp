// The Binance parser on the real capture (combined streams, 2021) and scenario
// by scenario: bare events, any key order, the answers to SUBSCRIBE,
// serverShutdown, events that are no book, futures' `pu`, REST replies.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "exchange/binance_capture.h"
#include "exchange/venues.h"

namespace wsbook {
namespace {

class BinanceParser : public ::testing::Test {
 protected:
  std::string_view parse(std::string_view frame) { return parser_->parse(frame, out_); }
  // The texts of change i: side, price, amount.
  std::string change(std::size_t i) const {
    const BookChange& c = out_.changes.at(i);
    return std::string(c.side == Side::bid ? "bid " : "ask ") + std::string(c.price.text) + " " +
           std::string(c.amount.text);
  }
  void expect_nothing(std::string_view frame) {
    ASSERT_EQ(parse(frame), "") << frame;
    EXPECT_TRUE(out_.books.empty()) << frame;
    EXPECT_TRUE(out_.changes.empty()) << frame;
    EXPECT_TRUE(out_.notices.empty()) << frame;
  }
  void expect_notice(std::string_view frame, Notice::Kind kind, std::string_view text) {
    ASSERT_EQ(parse(frame), "") << frame;
    ASSERT_EQ(out_.notices.size(), 1u) << frame;
    EXPECT_EQ(out_.notices[0].kind, kind) << frame;
    EXPECT_EQ(out_.notices[0].symbol, "") << frame;
    EXPECT_EQ(out_.notices[0].text, text) << frame;
    EXPECT_TRUE(out_.books.empty()) << frame;
    EXPECT_TRUE(out_.changes.empty()) << frame;
  }
  std::unique_ptr<VenueParser> parser_ = binance_venue().make_parser();
  ParsedFrame out_;
};

// The documented event, bare (a /ws connection).
constexpr std::string_view kDocEvent =
    R"({"e":"depthUpdate","E":1672515782136,"s":"BNBBTC","U":157,"u":160,"b":[["0.0024","10"]],)"
    R"("a":[["0.0026","100"],["0.0027","0.00000000"]]})";

// The documented USD-M futures event.
constexpr std::string_view kFuturesEvent =
    R"({"e":"depthUpdate","E":123456789,"T":123456788,"s":"BTCUSDT","U":157,"u":160,"pu":149,)"
    R"("b":[["0.0024","10"]],"a":[["0.0026","100"]]})";

TEST_F(BinanceParser, TheFirstCapturedFrameIsOneUpdateOfItsSymbol) {
  const auto frames = testing::binance_capture_frames();
  ASSERT_EQ(parse(frames.at(0).text), "");
  ASSERT_EQ(out_.books.size(), 1u);
  const BookMessage& m = out_.books[0];
  EXPECT_EQ(m.symbol, "NKNUSDT");
  EXPECT_FALSE(m.snapshot);
  EXPECT_EQ(m.first_seq, 499869750);
  EXPECT_EQ(m.seq, 499869752);
  EXPECT_FALSE(m.prev_seq);
  EXPECT_EQ(m.exchange_ms, 1633998512068);
  EXPECT_FALSE(m.checksum);
  EXPECT_EQ(m.first_change, 0u);
  EXPECT_EQ(m.end_change, 3u);
  EXPECT_EQ(change(0), "bid 0.3513 6195");
  EXPECT_EQ(change(2), "bid 0.3464 6222");
  EXPECT_EQ(out_.changes[0].price.trimmed, 4);  // "0.35130000"
}

TEST_F(BinanceParser, EveryCapturedDepthUpdateIsAMessageAndNothingElseIs) {
  std::size_t updates = 0, others = 0, changes = 0;
  for (const testing::CaptureFrame& f : testing::binance_capture_frames()) {
    ASSERT_EQ(parse(f.text), "") << f.text;
    EXPECT_TRUE(out_.notices.empty());
    const auto j = nlohmann::json::parse(f.text);
    const auto& data = j["data"];
    if (data.value("e", "") != "depthUpdate") {
      EXPECT_TRUE(out_.books.empty() && out_.changes.empty()) << f.text;
      ++others;
      continue;
    }
    ASSERT_EQ(out_.books.size(), 1u) << f.text;
    const BookMessage& m = out_.books[0];
    EXPECT_EQ(m.symbol, data["s"].get<std::string>());
    EXPECT_EQ(m.first_seq, data["U"].get<std::int64_t>());
    EXPECT_EQ(m.seq, data["u"].get<std::int64_t>());
    EXPECT_EQ(m.exchange_ms, data["E"].get<std::int64_t>());
    EXPECT_EQ(m.end_change, data["b"].size() + data["a"].size());
    for (std::size_t i = 0; i < m.end_change; ++i) {
      EXPECT_EQ(out_.changes[i].side, i < data["b"].size() ? Side::bid : Side::ask);
    }
    ++updates;
    changes += m.end_change;
  }
  EXPECT_EQ(updates, 177u);
  EXPECT_EQ(others, 84u + 2u + 2u);  // bookTicker, aggTrade, kline_1m
  EXPECT_GT(changes, updates);
}

TEST_F(BinanceParser, ABareEventIsReadAsAWrappedOne) {
  ASSERT_EQ(parse(kDocEvent), "");
  ASSERT_EQ(out_.books.size(), 1u);
  EXPECT_EQ(out_.books[0].symbol, "BNBBTC");
  EXPECT_EQ(out_.books[0].first_seq, 157);
  EXPECT_EQ(out_.books[0].seq, 160);
  EXPECT_EQ(out_.books[0].exchange_ms, 1672515782136);
  ASSERT_EQ(out_.changes.size(), 3u);
  EXPECT_EQ(change(0), "bid 0.0024 10");
  EXPECT_EQ(change(1), "ask 0.0026 100");
  EXPECT_EQ(change(2), "ask 0.0027 0");
  EXPECT_TRUE(out_.changes[2].amount.value.is_zero());  // "0.00000000" removes the level
}

TEST_F(BinanceParser, KeyOrderDoesNotMatterEvenDataBeforeStreamAndEAfterTheLevels) {
  const std::string_view frames[] = {
      R"({"data":{"a":[["0.0026","100"],["0.0027","0.00000000"]],"b":[["0.0024","10"]],"u":160,"U":157,)"
      R"("s":"BNBBTC","E":1672515782136,"e":"depthUpdate"},"stream":"bnbbtc@depth@100ms"})",
      R"({"stream":"bnbbtc@depth","data":{"s":"BNBBTC","e":"depthUpdate","b":[["0.0024","10"]],"U":157,)"
      R"("a":[["0.0026","100"],["0.0027","0"]],"E":1672515782136,"u":160,"x":{"y":[1]}}})",
  };
  for (std::string_view frame : frames) {
    ASSERT_EQ(parse(frame), "") << frame;
    ASSERT_EQ(out_.books.size(), 1u);
    EXPECT_EQ(out_.books[0].symbol, "BNBBTC");
    EXPECT_EQ(out_.books[0].first_seq, 157);
    EXPECT_EQ(out_.books[0].seq, 160);
    EXPECT_EQ(out_.books[0].exchange_ms, 1672515782136);
    EXPECT_EQ(out_.changes.size(), 3u);
  }
  EXPECT_EQ(change(0), "bid 0.0024 10");  // frame order: the bids came first here
}

TEST_F(BinanceParser, AWrappersOtherKeysAreSkipped) {
  const std::string frame = R"({"stream":"bnbbtc@depth@100ms","x":[1,{"b":2}],"data":)" + std::string(kDocEvent) + "}";
  ASSERT_EQ(parse(frame), "");
  ASSERT_EQ(out_.books.size(), 1u);
  EXPECT_EQ(out_.books[0].end_change, 3u);
}

TEST_F(BinanceParser, EmptySidesAndASingleIdAreAnUpdate) {
  ASSERT_EQ(parse(R"({"e":"depthUpdate","E":1,"s":"X","U":5,"u":5,"b":[],"a":[]})"), "");
  ASSERT_EQ(out_.books.size(), 1u);
  EXPECT_EQ(out_.books[0].end_change, 0u);
  EXPECT_EQ(out_.books[0].first_seq, 5);
  EXPECT_EQ(out_.books[0].seq, 5);
  EXPECT_EQ(out_.books[0].exchange_ms, 1);
}

TEST_F(BinanceParser, TheStreamNameMayHaveAnySpeedAndCase) {
  for (std::string_view stream : {"bnbbtc@depth", "bnbbtc@depth@100ms", "bnbbtc@depth@1000ms", "BNBBTC@depth@100ms"}) {
    const std::string frame = R"({"stream":")" + std::string(stream) + R"(","data":)" + std::string(kDocEvent) + "}";
    ASSERT_EQ(parse(frame), "") << frame;
    EXPECT_EQ(out_.books.size(), 1u);
  }
}

TEST_F(BinanceParser, SubscribeAnswersAndErrorsAreNotices) {
  expect_notice(R"({"result":null,"id":1})", Notice::Kind::subscribed, "");
  expect_notice(R"({"id":7,"result":null})", Notice::Kind::subscribed, "");
  expect_notice(R"({"error":{"code":2,"msg":"Invalid request: unknown variant `SUBSCRIB`"},"id":1})",
                Notice::Kind::error, "Invalid request: unknown variant `SUBSCRIB`");
  expect_notice(R"({"code":0,"msg":"Unknown property","id":1})", Notice::Kind::error, "Unknown property");
  expect_notice(R"({"code":-1003,"msg":"Too many requests"})", Notice::Kind::error, "Too many requests");
  expect_nothing(R"({"result":["btcusdt@depth@100ms"],"id":3})");  // LIST_SUBSCRIPTIONS
  expect_nothing(R"({"id":"a","result":true})");
}

TEST_F(BinanceParser, ServerShutdownAsksToReconnectBareOrWrapped) {
  expect_notice(R"({"e":"serverShutdown","E":1727865600000})", Notice::Kind::reconnect, "serverShutdown");
  expect_notice(R"({"stream":"btcusdt@depth@100ms","data":{"e":"serverShutdown","E":1727865600000}})",
                Notice::Kind::reconnect, "serverShutdown");
}

TEST_F(BinanceParser, OtherEventsAreNoBook) {
  const std::string_view frames[] = {
      R"({"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"})",
      R"({"stream":"nknusdt@bookTicker","data":{"u":499869768,"s":"NKNUSDT","b":"0.35210000","B":"672.00000000",)"
      R"("a":"0.35260000","A":"3199.00000000"}})",
      R"({"e":"aggTrade","E":1633998523963,"s":"NKNUSDT","a":15683430,"p":"0.35280000","q":"58.00000000",)"
      R"("f":19862790,"l":19862790,"T":1633998523963,"m":false,"M":true})",
      R"({"e":"bookTicker","u":400900217,"E":1568014460893,"T":1568014460891,"s":"BNBUSDT","b":"25.35190000",)"
      R"("B":"31.21000000","a":"25.36520000","A":"40.66000000"})",
      R"({"e":"24hrTicker","E":1,"s":"BNBBTC","b":"0.0024","a":"0.0026","U":"x"})",
      R"({"lastUpdateId":160,"bids":[["0.0024","10"]],"asks":[["0.0026","100"]]})",  // a partial depth stream
      R"({"stream":"!miniTicker@arr","data":[{"e":"24hrMiniTicker","s":"BNBBTC"}]})",
      R"({"b":[["0.0024","10"]],"a":[[1,2]],"e":"trade","s":"BNBBTC"})",  // levels before e, of another event
      R"({})",
  };
  for (std::string_view frame : frames) expect_nothing(frame);
}

TEST_F(BinanceParser, AFieldBeforeEThatDoesNotFitADepthUpdateIsItsReason) {
  EXPECT_EQ(parse(R"({"b":"0.0024","e":"depthUpdate","s":"X","U":1,"u":1,"a":[]})"), "b: array expected, got string");
  EXPECT_EQ(parse(R"({"U":-1,"e":"depthUpdate","s":"X","u":1,"b":[],"a":[]})"),
            "U: non-negative integer expected, got number");
  EXPECT_EQ(parse(R"({"data":{"a":[[1,"1"]],"e":"depthUpdate","s":"X","U":1,"u":1,"b":[]}})"),
            "price: string expected, got number");
  EXPECT_TRUE(out_.changes.empty());
}

TEST_F(BinanceParser, FuturesUpdatesNameThePreviousU) {
  auto futures = binance_futures_venue().make_parser();
  ASSERT_EQ(futures->parse(kFuturesEvent, out_), "");
  ASSERT_EQ(out_.books.size(), 1u);
  EXPECT_EQ(out_.books[0].first_seq, 157);
  EXPECT_EQ(out_.books[0].seq, 160);
  EXPECT_EQ(out_.books[0].prev_seq, 149);
  EXPECT_EQ(out_.books[0].exchange_ms, 123456789);  // E, not the matching engine's T
  EXPECT_EQ(futures->parse(kDocEvent, out_), "depthUpdate without pu");
  // Spot reads a pu when there is one, and needs none.
  ASSERT_EQ(parse(kFuturesEvent), "");
  EXPECT_EQ(out_.books.at(0).prev_seq, 149);
}

TEST_F(BinanceParser, EachFrameStartsFromAnEmptyOutput) {
  ASSERT_EQ(parse(kDocEvent), "");
  ASSERT_EQ(parse(R"({"result":null,"id":1})"), "");
  EXPECT_TRUE(out_.books.empty());
  EXPECT_TRUE(out_.changes.empty());
  EXPECT_EQ(out_.notices.size(), 1u);
}

}  // namespace
}  // namespace wsbook
