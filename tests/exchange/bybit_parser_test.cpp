// The Bybit v5 parser, scenario by scenario: orderbook pushes in the key orders
// of spot and linear, the chain by u, pongs and acks of each market, other topics.
#include <gtest/gtest.h>

#include <string>

#include "exchange/venues.h"

namespace wsbook {
namespace {

class BybitParser : public ::testing::Test {
 protected:
  std::string_view parse(std::string_view frame) { return parser_->parse(frame, out_); }
  // The texts of change i: side, price, amount.
  std::string change(std::size_t i) const {
    const BookChange& c = out_.changes.at(i);
    return std::string(c.side == Side::bid ? "bid " : "ask ") + std::string(c.price.text) + " " +
           std::string(c.amount.text);
  }
  std::unique_ptr<VenueParser> parser_ = bybit_venue().make_parser();
  ParsedFrame out_;
};

// The documented spot push: `ts` before `type`, no `cts`.
constexpr std::string_view kSpotSnapshot =
    R"({"topic":"orderbook.50.BTCUSDT","ts":1672304484978,"type":"snapshot","data":{"s":"BTCUSDT",)"
    R"("b":[["16493.50","0.006"],["16493.00","0.100"]],"a":[["16611.00","0.029"],["16612.00","0.213"]],)"
    R"("u":18521288,"seq":7961638724}})";

// The documented linear push: `type` before `ts`, and `cts`.
constexpr std::string_view kLinearDelta =
    R"({"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1687940967466,"data":{"s":"BTCUSDT",)"
    R"("b":[["30247.20","30.028"],["30245.40","0.224"],["30242.10","0"]],"a":[["30248.70","0"]],)"
    R"("u":177400507,"seq":66544703342},"cts":1687940967464})";

TEST_F(BybitParser, ASnapshotGivesOneMessageWithBidsThenAsksInFrameOrder) {
  ASSERT_EQ(parse(kSpotSnapshot), "");
  ASSERT_EQ(out_.books.size(), 1u);
  const BookMessage& m = out_.books[0];
  EXPECT_EQ(m.symbol, "BTCUSDT");
  EXPECT_TRUE(m.snapshot);
  EXPECT_EQ(m.first_change, 0u);
  EXPECT_EQ(m.end_change, 4u);
  EXPECT_EQ(m.seq, 18521288);
  EXPECT_FALSE(m.prev_seq);  // a snapshot starts the chain
  EXPECT_FALSE(m.checksum);
  EXPECT_EQ(change(0), "bid 16493.5 0.006");
  EXPECT_EQ(change(1), "bid 16493 0.1");
  EXPECT_EQ(change(2), "ask 16611 0.029");
  EXPECT_EQ(change(3), "ask 16612 0.213");
  EXPECT_TRUE(out_.notices.empty());
}

TEST_F(BybitParser, PricesKeepWhatWasTrimmedOfTheVenuesSpelling) {
  ASSERT_EQ(parse(kSpotSnapshot), "");
  EXPECT_EQ(out_.changes[0].price.trimmed, 1);  // "16493.50"
  EXPECT_EQ(out_.changes[1].price.trimmed, 3);  // "16493.00"
  EXPECT_EQ(out_.changes[1].amount.trimmed, 2);  // "0.100"
}

TEST_F(BybitParser, ADeltaNamesTheIdBeforeItsOwnAsItsPrevious) {
  ASSERT_EQ(parse(kLinearDelta), "");
  ASSERT_EQ(out_.books.size(), 1u);
  const BookMessage& m = out_.books[0];
  EXPECT_FALSE(m.snapshot);
  EXPECT_EQ(m.seq, 177400507);
  EXPECT_EQ(m.prev_seq, 177400506);
  EXPECT_EQ(m.end_change, 4u);
  EXPECT_EQ(change(2), "bid 30242.1 0");
  EXPECT_TRUE(out_.changes[2].amount.value.is_zero());
  EXPECT_EQ(change(3), "ask 30248.7 0");
}

TEST_F(BybitParser, UOneIsASnapshotEvenWhenTypedDelta) {
  ASSERT_EQ(parse(R"({"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1,"data":{"s":"BTCUSDT",)"
                  R"("b":[["1.5","2"]],"a":[],"u":1,"seq":5}})"),
            "");
  ASSERT_EQ(out_.books.size(), 1u);
  EXPECT_TRUE(out_.books[0].snapshot);
  EXPECT_EQ(out_.books[0].seq, 1);
  EXPECT_FALSE(out_.books[0].prev_seq);
}

TEST_F(BybitParser, ADepthOneSnapshotRepeatingItsUIsStillASnapshot) {
  const std::string frame = R"({"topic":"orderbook.1.BTCUSDT","type":"snapshot","ts":1,"data":{"s":"BTCUSDT",)"
                            R"("b":[["1.5","2"]],"a":[["1.6","3"]],"u":42,"seq":5},"cts":1})";
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(parse(frame), "");
    ASSERT_EQ(out_.books.size(), 1u);
    EXPECT_TRUE(out_.books[0].snapshot);
    EXPECT_EQ(out_.books[0].seq, 42);
    EXPECT_EQ(out_.changes.size(), 2u);
  }
}

TEST_F(BybitParser, CtsIsTheTimeWhenPresentElseTs) {
  ASSERT_EQ(parse(kLinearDelta), "");
  EXPECT_EQ(out_.books[0].exchange_ms, 1687940967464);
  ASSERT_EQ(parse(kSpotSnapshot), "");
  EXPECT_EQ(out_.books[0].exchange_ms, 1672304484978);
  ASSERT_EQ(parse(R"({"topic":"orderbook.50.X","type":"delta","data":{"s":"X","b":[],"a":[],"u":3}})"), "");
  EXPECT_FALSE(out_.books[0].exchange_ms);
}

TEST_F(BybitParser, KeyOrderDoesNotMatterEvenDataBeforeTopic) {
  ASSERT_EQ(parse(kLinearDelta), "");
  std::vector<std::string> expected;  // texts: the changes' views last only until the next parse
  for (std::size_t i = 0; i < out_.changes.size(); ++i) expected.push_back(change(i));
  const std::string_view reordered[] = {
      R"({"cts":1687940967464,"data":{"seq":66544703342,"u":177400507,)"
      R"("b":[["30247.20","30.028"],["30245.40","0.224"],["30242.10","0"]],"a":[["30248.70","0"]],"s":"BTCUSDT"},)"
      R"("ts":1687940967466,"type":"delta","topic":"orderbook.50.BTCUSDT"})",
      R"({"type":"delta","topic":"orderbook.50.BTCUSDT","data":{"u":177400507,"s":"BTCUSDT",)"
      R"("b":[["30247.20","30.028"],["30245.40","0.224"],["30242.10","0"]],"a":[["30248.70","0"]]},)"
      R"("cts":1687940967464,"ts":1687940967466})",
  };
  for (std::string_view frame : reordered) {
    ASSERT_EQ(parse(frame), "") << frame;
    ASSERT_EQ(out_.books.size(), 1u);
    EXPECT_EQ(out_.books[0].symbol, "BTCUSDT");
    EXPECT_EQ(out_.books[0].prev_seq, 177400506);
    EXPECT_EQ(out_.books[0].exchange_ms, 1687940967464);
    ASSERT_EQ(out_.changes.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(change(i), expected[i]);
  }
}

TEST_F(BybitParser, EverySidesMayBeAbsentOrEmpty) {
  ASSERT_EQ(parse(R"({"topic":"orderbook.200.ETHUSDT","type":"delta","ts":1,"data":{"s":"ETHUSDT","u":9}})"), "");
  ASSERT_EQ(out_.books.size(), 1u);
  EXPECT_EQ(out_.books[0].end_change, 0u);
  EXPECT_EQ(out_.books[0].prev_seq, 8);
}

TEST_F(BybitParser, EachMarketsPongIsAPong) {
  const std::string_view pongs[] = {
      R"({"success":true,"ret_msg":"pong","conn_id":"0970e817-426e-429a-a679-ff7f55e0b16a","op":"ping"})",
      R"({"success":true,"ret_msg":"pong","conn_id":"465772b1-7630-4fdc-a492-e003e6f0f260","req_id":"100001",)"
      R"("op":"ping"})",
      R"({"args":["1672916271846"],"op":"pong"})",
  };
  for (std::string_view frame : pongs) {
    ASSERT_EQ(parse(frame), "") << frame;
    ASSERT_EQ(out_.notices.size(), 1u) << frame;
    EXPECT_EQ(out_.notices[0].kind, Notice::Kind::pong);
    EXPECT_TRUE(out_.books.empty());
  }
}

TEST_F(BybitParser, ASubscribeAckConfirmsTheConnectionsRequest) {
  for (std::string_view frame :
       {R"({"success":true,"ret_msg":"subscribe","conn_id":"2324d924","req_id":"1","op":"subscribe"})",
        R"({"success":true,"ret_msg":"","conn_id":"cejreaspqfh3sjdnldmg-p","req_id":"2","op":"subscribe"})"}) {
    ASSERT_EQ(parse(frame), "");
    ASSERT_EQ(out_.notices.size(), 1u);
    EXPECT_EQ(out_.notices[0].kind, Notice::Kind::subscribed);
    EXPECT_EQ(out_.notices[0].symbol, "");
  }
}

TEST_F(BybitParser, AFailedSubscribeRejectsTheSymbolsItsMessageNames) {
  ASSERT_EQ(parse(R"({"success":false,"ret_msg":"Invalid symbol :[orderbook.50.XXXUSDT]","conn_id":"c1",)"
                  R"("op":"subscribe"})"),
            "");
  ASSERT_EQ(out_.notices.size(), 1u);
  EXPECT_EQ(out_.notices[0].kind, Notice::Kind::rejected);
  EXPECT_EQ(out_.notices[0].symbol, "XXXUSDT");
  EXPECT_EQ(out_.notices[0].text, "Invalid symbol :[orderbook.50.XXXUSDT]");

  ASSERT_EQ(parse(R"({"success":false,"ret_msg":"Invalid symbol :[orderbook.50.AUSDT, orderbook.1000.BUSDT]",)"
                  R"("op":"subscribe"})"),
            "");
  ASSERT_EQ(out_.notices.size(), 2u);
  EXPECT_EQ(out_.notices[0].symbol, "AUSDT");
  EXPECT_EQ(out_.notices[1].symbol, "BUSDT");
}

TEST_F(BybitParser, AnUnknownTopicRejectsItsSymbol) {
  ASSERT_EQ(parse(R"({"success":false,"ret_msg":"error:handler not found,topic:orderbook.50.NOPEUSDT",)"
                  R"("conn_id":"da7tmhs21nld3jk6lb70-8csm4","req_id":"e1","op":"subscribe"})"),
            "");
  ASSERT_EQ(out_.notices.size(), 1u);
  EXPECT_EQ(out_.notices[0].kind, Notice::Kind::rejected);
  EXPECT_EQ(out_.notices[0].symbol, "NOPEUSDT");
}

TEST_F(BybitParser, ATopicSubscribedTwiceIsStillSubscribed) {
  ASSERT_EQ(parse(R"({"success":false,"ret_msg":"error:already subscribed,topic:orderbook.1.ETHUSDT",)"
                  R"("conn_id":"da7tmhs21nld3jk6lb70-8csm4","req_id":"e6","op":"subscribe"})"),
            "");
  ASSERT_EQ(out_.notices.size(), 1u);
  EXPECT_EQ(out_.notices[0].kind, Notice::Kind::subscribed);
  EXPECT_EQ(out_.notices[0].symbol, "ETHUSDT");
}

TEST_F(BybitParser, AFailureNamingNoTopicRejectsNoSymbolInParticular) {
  ASSERT_EQ(parse(R"({"success":false,"ret_msg":"args size >10","conn_id":"c1","op":"subscribe"})"), "");
  ASSERT_EQ(out_.notices.size(), 1u);
  EXPECT_EQ(out_.notices[0].kind, Notice::Kind::rejected);
  EXPECT_EQ(out_.notices[0].symbol, "");
  EXPECT_EQ(out_.notices[0].text, "args size >10");
}

TEST_F(BybitParser, AnotherFailedRequestIsAnErrorAndUnsubscribeAcksAreQuiet) {
  ASSERT_EQ(parse(R"({"success":false,"ret_msg":"error:handler not found","conn_id":"c","op":""})"), "");
  ASSERT_EQ(out_.notices.size(), 1u);
  EXPECT_EQ(out_.notices[0].kind, Notice::Kind::error);
  EXPECT_EQ(out_.notices[0].text, "error:handler not found");
  ASSERT_EQ(parse(R"({"success":true,"ret_msg":"","conn_id":"c","req_id":"1","op":"unsubscribe"})"), "");
  EXPECT_TRUE(out_.notices.empty());
  ASSERT_EQ(parse(R"({"success":false,"ret_msg":"not subscribed","op":"unsubscribe"})"), "");
  EXPECT_TRUE(out_.notices.empty());
}

TEST_F(BybitParser, OtherTopicsAreIgnored) {
  const std::string_view frames[] = {
      R"({"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1672304486868,"data":[{"T":1672304486865,)"
      R"("s":"BTCUSDT","S":"Buy","v":"0.001","p":"16578.50","L":"PlusTick","i":"20f43950","BT":false}]})",
      R"({"topic":"tickers.BTCUSDT","ts":1673853746003,"type":"snapshot","cs":2588407389,"data":{)"
      R"("symbol":"BTCUSDT","lastPrice":"21109.77","highPrice24h":"21426.99"}})",
      R"({"data":[{"p":"1"}],"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1})",  // data first
      R"({"conn_id":"x"})",
  };
  for (std::string_view frame : frames) {
    ASSERT_EQ(parse(frame), "") << frame;
    EXPECT_TRUE(out_.books.empty());
    EXPECT_TRUE(out_.changes.empty());
    EXPECT_TRUE(out_.notices.empty());
  }
}

TEST_F(BybitParser, EachFrameStartsFromAnEmptyOutput) {
  ASSERT_EQ(parse(kSpotSnapshot), "");
  ASSERT_EQ(parse(R"({"op":"pong","args":["1"]})"), "");
  EXPECT_TRUE(out_.books.empty());
  EXPECT_TRUE(out_.changes.empty());
  EXPECT_EQ(out_.notices.size(), 1u);
}

}  // namespace
}  // namespace wsbook
