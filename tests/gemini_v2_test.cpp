// GeminiV2Parser: message kinds, malformed input, and one parser over many
// messages (the replay of the real capture: gemini_v2_replay_test.cpp).

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wsbook/gemini.h"
#include "wsbook/order_book.h"

namespace wsbook {
namespace {

constexpr std::string_view kHeartbeat = R"({"type":"heartbeat","timestamp":1624493666869})";

/// A real trade message of the capture.
constexpr std::string_view kTrade =
    R"({"type":"trade","symbol":"ANKRUSD","event_id":45465818387,"timestamp":1624493670759,)"
    R"("price":"0.07946","quantity":"1020.482111","side":"buy"})";

/// An l2_updates message for BTCUSD with the given changes array body.
std::string l2_with_changes(std::string_view changes) {
  return R"({"type":"l2_updates","symbol":"BTCUSD","changes":[)" + std::string(changes) + "]}";
}

class GeminiV2 : public ::testing::Test {
 protected:
  const V2Message& parse_ok(std::string_view frame) {
    const std::string_view err = parser_.parse(frame, out_);
    EXPECT_TRUE(err.empty()) << "reason: " << err << "\nframe: " << frame;
    return out_;
  }
  std::string_view parse_error(std::string_view frame) { return parser_.parse(frame, out_); }

  GeminiV2Parser parser_;
  V2Message out_;
};

// ---------------------------------------------------------------------------
// Message kinds

TEST_F(GeminiV2, AnL2UpdateWithTradesAndAuctionEventsIsTheSnapshot) {
  const V2Message& m = parse_ok(
      R"({"type":"l2_updates","symbol":"BTCUSD","changes":[["buy","9160.20","0.19"]],)"
      R"("trades":[{"type":"trade","symbol":"BTCUSD","event_id":1,"timestamp":1,"price":"9160.2",)"
      R"("quantity":"1","side":"buy"}],"auction_events":[]})");
  EXPECT_EQ(m.type, V2Message::Type::l2_updates);
  EXPECT_EQ(m.symbol, "BTCUSD");
  EXPECT_TRUE(m.snapshot);
  EXPECT_EQ(m.changes.size(), 1u);
}

TEST_F(GeminiV2, EitherSnapshotKeyAloneMarksTheSnapshot) {
  EXPECT_TRUE(parse_ok(R"({"type":"l2_updates","symbol":"X","changes":[],"trades":[]})").snapshot);
  EXPECT_TRUE(parse_ok(R"({"type":"l2_updates","symbol":"X","changes":[],"auction_events":[]})").snapshot);
  // Keys before "type" and "changes" count too.
  EXPECT_TRUE(parse_ok(R"({"trades":[],"auction_events":[],"symbol":"X","changes":[],"type":"l2_updates"})").snapshot);
}

TEST_F(GeminiV2, APlainL2UpdateIsNotASnapshot) {
  const V2Message& m = parse_ok(l2_with_changes(R"(["sell","9161.00","0.5"])"));
  EXPECT_EQ(m.type, V2Message::Type::l2_updates);
  EXPECT_FALSE(m.snapshot);
}

TEST_F(GeminiV2, BuyIsBidAndSellIsAsk) {
  const V2Message& m = parse_ok(l2_with_changes(R"(["buy","9160.20","0.19"],["sell","9161.00","2.500"])"));
  ASSERT_EQ(m.changes.size(), 2u);
  EXPECT_EQ(m.changes[0].side, Side::bid);
  EXPECT_EQ(m.changes[0].price.text, "9160.2");
  EXPECT_EQ(m.changes[0].amount.text, "0.19");
  EXPECT_EQ(m.changes[1].side, Side::ask);
  EXPECT_EQ(m.changes[1].price.text, "9161");
  EXPECT_EQ(m.changes[1].amount.text, "2.5");
}

TEST_F(GeminiV2, QuantityZeroDeletesTheLevel) {
  OrderBook book;
  for (const auto& c : parse_ok(l2_with_changes(R"(["buy","9160.20","0.19"],["sell","9161","1"])")).changes) {
    book.apply(c);
  }
  ASSERT_EQ(book.size(Side::bid), 1u);

  const V2Message& m = parse_ok(l2_with_changes(R"(["buy","9160.20","0"],["sell","9161.00","0.000"])"));
  ASSERT_EQ(m.changes.size(), 2u);
  EXPECT_TRUE(m.changes[0].amount.value.is_zero());
  EXPECT_TRUE(m.changes[1].amount.value.is_zero());
  for (const auto& c : m.changes) book.apply(c);
  EXPECT_EQ(book.size(Side::bid), 0u);
  EXPECT_EQ(book.size(Side::ask), 0u);
}

TEST_F(GeminiV2, TradeMessageGivesSymbolPriceQuantityTidAndMakerSide) {
  const V2Message& m = parse_ok(kTrade);
  EXPECT_EQ(m.type, V2Message::Type::trade);
  EXPECT_EQ(m.symbol, "ANKRUSD");
  EXPECT_EQ(m.trade.tid, 45465818387u);  // from event_id
  EXPECT_EQ(m.trade.price.text, "0.07946");
  EXPECT_EQ(m.trade.amount.text, "1020.482111");
  EXPECT_EQ(m.trade.maker_side, MakerSide::ask);  // the taker bought from an ask
  EXPECT_EQ(m.timestamp_ms, 1624493670759);
  EXPECT_TRUE(m.changes.empty());
  EXPECT_FALSE(m.snapshot);
}

TEST_F(GeminiV2, ASellingTakerHitABid) {
  const V2Message& m = parse_ok(
      R"({"type":"trade","symbol":"BTCUSD","event_id":3575573053,"timestamp":151231241,)"
      R"("price":"9004.21000000","quantity":"0.09110000","side":"sell"})");
  EXPECT_EQ(m.trade.maker_side, MakerSide::bid);
  EXPECT_EQ(m.trade.price.text, "9004.21");
  EXPECT_EQ(m.trade.amount.text, "0.0911");
}

TEST_F(GeminiV2, HeartbeatGivesItsTimestamp) {
  const V2Message& m = parse_ok(kHeartbeat);
  EXPECT_EQ(m.type, V2Message::Type::heartbeat);
  EXPECT_EQ(m.timestamp_ms, 1624493666869);
  EXPECT_TRUE(m.symbol.empty());
  EXPECT_TRUE(m.changes.empty());
}

TEST_F(GeminiV2, SubscriptionAcknowledgementIsRecognised) {
  EXPECT_EQ(parse_ok(R"({"type":"subscription_ack","subscriptions":[{"name":"l2","symbols":["BTCUSD"]}]})").type,
            V2Message::Type::subscription_ack);
}

TEST_F(GeminiV2, UnknownTypesAreOtherWithoutError) {
  for (const std::string_view frame : {
           R"({"type":"error","reason":"InvalidJson","result":"error"})",
           R"({"type":"something_new"})",
           R"({"type":"something_new","symbol":"BTCUSD","price":"1","detail":{"a":[1,2]}})",
       }) {
    SCOPED_TRACE(frame);
    const V2Message& m = parse_ok(frame);
    EXPECT_EQ(m.type, V2Message::Type::other);
    EXPECT_TRUE(m.changes.empty());
  }
}

// Gemini v2 candle messages (documented; sent to subscribers of "candles_*")
// also use a `changes` key, holding numeric rows. They are not l2 changes.
TEST_F(GeminiV2, UnknownTypeWithNonL2ChangesIsOtherWithoutError) {
  const V2Message& m = parse_ok(
      R"({"type":"candles_15m_updates","symbol":"BTCUSD","changes":[)"
      R"([1561054500000,9350.18,9358.35,9350.18,9355.51,2.07],)"
      R"([1561053600000,9357.33,9357.33,9350.18,9350.18,1.5900161]]})");
  EXPECT_EQ(m.type, V2Message::Type::other);
  EXPECT_TRUE(m.changes.empty());
}

// ---------------------------------------------------------------------------
// Malformed messages: a reason, never a throw or a crash

struct Malformed {
  std::string name;
  std::string frame;
};

std::ostream& operator<<(std::ostream& os, const Malformed& m) { return os << m.name; }

std::string l2_with_price(std::string_view price_json) {
  return l2_with_changes(R"(["buy",)" + std::string(price_json) + R"(,"1"])");
}

std::vector<Malformed> malformed_v2_frames() {
  const std::string digits400(400, '7');
  return {
      {"not_json", "not json"},
      {"empty_frame", ""},
      {"truncated_object", R"({"type":"l2_updates","symbol":"BTCUSD","changes":[["buy","1","1"]])"},
      {"truncated_in_changes", R"({"type":"l2_updates","symbol":"BTCUSD","changes":[["buy","1")"},
      {"truncated_in_string", R"({"type":"l2_updates","symbol":"BTC)"},
      {"array_root", R"([{"type":"heartbeat","timestamp":1}])"},
      {"string_root", R"("heartbeat")"},
      {"trailing_garbage", std::string(kHeartbeat) + " x"},
      {"trailing_object", std::string(kHeartbeat) + R"({"type":"heartbeat"})"},
      {"trailing_brace", std::string(kHeartbeat) + "}"},
      {"missing_type", R"({"symbol":"BTCUSD","changes":[]})"},
      {"type_not_a_string", R"({"type":1,"symbol":"BTCUSD","changes":[]})"},
      {"l2_missing_symbol", R"({"type":"l2_updates","changes":[["buy","1","1"]]})"},
      {"l2_empty_symbol", R"({"type":"l2_updates","symbol":"","changes":[]})"},
      {"l2_symbol_not_a_string", R"({"type":"l2_updates","symbol":7,"changes":[]})"},
      {"l2_missing_changes", R"({"type":"l2_updates","symbol":"BTCUSD"})"},
      {"changes_not_an_array", R"({"type":"l2_updates","symbol":"BTCUSD","changes":{"buy":"1"}})"},
      {"change_not_an_array", l2_with_changes(R"("buy")")},
      {"change_empty", l2_with_changes("[]")},
      {"change_with_2_fields", l2_with_changes(R"(["buy","9160.20"])")},
      {"change_with_4_fields", l2_with_changes(R"(["buy","9160.20","1","extra"])")},
      {"change_with_5_fields", l2_with_changes(R"(["buy","9160.20","1","2","3"])")},
      {"side_bid", l2_with_changes(R"(["bid","9160.20","1"])")},
      {"side_ask", l2_with_changes(R"(["ask","9160.20","1"])")},
      {"side_uppercase", l2_with_changes(R"(["BUY","9160.20","1"])")},
      {"side_not_a_string", l2_with_changes(R"([1,"9160.20","1"])")},
      {"quantity_negative", l2_with_changes(R"(["sell","9160.20","-1"])")},
      {"quantity_as_object", l2_with_changes(R"(["sell","9160.20",{"q":"1"}])")},
      {"price_as_array", l2_with_price(R"(["1"])")},
      {"price_abc", l2_with_price(R"("abc")")},
      {"price_exponent", l2_with_price(R"("1e5")")},
      {"price_nan", l2_with_price(R"("NaN")")},
      {"price_empty", l2_with_price(R"("")")},
      {"price_negative", l2_with_price(R"("-1")")},
      {"price_400_digits", l2_with_price('"' + digits400 + '"')},
      {"price_400_fraction_digits", l2_with_price("\"1." + digits400 + '"')},
      // Gemini sends decimals as strings: any other JSON type is a frame we do not understand.
      {"price_as_number", l2_with_price("9160.2")},
      {"price_as_null", l2_with_price("null")},
      {"price_as_bool", l2_with_price("true")},
      {"quantity_as_number", l2_with_changes(R"(["sell","9160.20",0.5])")},
      {"quantity_as_null", l2_with_changes(R"(["sell","9160.20",null])")},
      {"trade_price_as_number",
       R"({"type":"trade","symbol":"BTCUSD","event_id":1,"price":9160.2,"quantity":"1","side":"buy"})"},
      {"trade_quantity_as_number",
       R"({"type":"trade","symbol":"BTCUSD","event_id":1,"price":"1","quantity":1,"side":"buy"})"},
      {"change_after_a_good_one_fails", l2_with_changes(R"(["buy","1","1"],["sell","x","1"])")},
      {"trade_without_price",
       R"({"type":"trade","symbol":"BTCUSD","event_id":1,"timestamp":1,"quantity":"1","side":"buy"})"},
      {"trade_without_quantity",
       R"({"type":"trade","symbol":"BTCUSD","event_id":1,"timestamp":1,"price":"1","side":"buy"})"},
      {"trade_without_symbol", R"({"type":"trade","event_id":1,"timestamp":1,"price":"1","quantity":"1","side":"buy"})"},
      {"trade_price_abc",
       R"({"type":"trade","symbol":"BTCUSD","event_id":1,"price":"abc","quantity":"1","side":"buy"})"},
      {"trade_event_id_negative",
       R"({"type":"trade","symbol":"BTCUSD","event_id":-1,"price":"1","quantity":"1","side":"buy"})"},
      {"trade_event_id_huge",
       R"({"type":"trade","symbol":"BTCUSD","event_id":99999999999999999999999,"price":"1","quantity":"1","side":"buy"})"},
      {"trade_side_not_a_string",
       R"({"type":"trade","symbol":"BTCUSD","event_id":1,"price":"1","quantity":"1","side":0})"},
      {"heartbeat_timestamp_as_string", R"({"type":"heartbeat","timestamp":"1624493666869"})"},
  };
}

class GeminiV2Malformed : public ::testing::TestWithParam<Malformed> {};

TEST_P(GeminiV2Malformed, GivesAReasonWithoutThrowingAndTheParserStaysUsable) {
  GeminiV2Parser parser;
  V2Message out;
  std::string_view err;
  EXPECT_NO_THROW(err = parser.parse(GetParam().frame, out));
  EXPECT_FALSE(err.empty()) << "accepted: " << GetParam().frame;

  std::string_view next_err = "not run";
  EXPECT_NO_THROW(next_err = parser.parse(kTrade, out));
  EXPECT_TRUE(next_err.empty()) << next_err;
  EXPECT_EQ(out.type, V2Message::Type::trade);
  EXPECT_EQ(out.symbol, "ANKRUSD");
}

TEST(GeminiV2WrongType, TheReasonNamesTheFieldAndBothTypes) {
  GeminiV2Parser parser;
  V2Message out;
  EXPECT_EQ(parser.parse(l2_with_price("9160.2"), out), "change price: string expected, got number");
  EXPECT_EQ(parser.parse(l2_with_changes(R"(["sell","9160.20",null])"), out),
            "change quantity: string expected, got null");
}

INSTANTIATE_TEST_SUITE_P(GeminiV2, GeminiV2Malformed, ::testing::ValuesIn(malformed_v2_frames()),
                         [](const ::testing::TestParamInfo<Malformed>& info) { return info.param.name; });

// ---------------------------------------------------------------------------
// One parser, many messages

TEST_F(GeminiV2, AFailedParseIsFollowedByAGoodMessage) {
  EXPECT_NE(parse_error(l2_with_changes(R"(["buy","1","1"],["bid","2","1"])")), "");
  const V2Message& m = parse_ok(l2_with_changes(R"(["sell","3","4"])"));
  ASSERT_EQ(m.changes.size(), 1u);  // nothing left over from the failed message
  EXPECT_EQ(m.changes[0].side, Side::ask);
  EXPECT_EQ(m.changes[0].price.text, "3");
}

TEST_F(GeminiV2, EachMessageStartsFromAnEmptyOutput) {
  parse_ok(R"({"type":"l2_updates","symbol":"BTCUSD","changes":[["buy","1","1"]],"trades":[],"auction_events":[]})");
  ASSERT_TRUE(out_.snapshot);
  const V2Message& plain = parse_ok(R"({"type":"l2_updates","symbol":"ETHUSD","changes":[]})");
  EXPECT_FALSE(plain.snapshot);
  EXPECT_EQ(plain.symbol, "ETHUSD");
  EXPECT_TRUE(plain.changes.empty());

  parse_ok(kTrade);
  ASSERT_TRUE(out_.timestamp_ms.has_value());
  const V2Message& l2 = parse_ok(l2_with_changes(R"(["buy","1","1"])"));
  EXPECT_FALSE(l2.timestamp_ms.has_value());
  EXPECT_EQ(l2.trade.tid, 0u);
  EXPECT_EQ(l2.trade.maker_side, MakerSide::unknown);

  const V2Message& hb = parse_ok(kHeartbeat);
  EXPECT_TRUE(hb.symbol.empty());
  EXPECT_TRUE(hb.changes.empty());
  EXPECT_FALSE(hb.snapshot);
}

}  // namespace
}  // namespace wsbook
