// GeminiV1Parser: the real recorded v1 frames, auction events, and reuse of one
// parser across frames (malformed input: gemini_v1_malformed_test.cpp).

#include <gtest/gtest.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "gemini_v1_frames.h"
#include "test_data.h"
#include "wsbook/gemini.h"

namespace wsbook {
namespace {

using nlohmann::json;
using testing::kV1Heartbeat;
using testing::update_with_events;


/// The exact value of a decimal text, through wsbook's own parser.
Decimal dec(std::string_view text) {
  DecimalText d;
  EXPECT_TRUE(parse_decimal(text, d).empty()) << text;
  return d.value;
}

/// The canonical text of a plain decimal, computed independently of wsbook:
/// no leading integer zeros, no trailing fraction zeros, no trailing dot.
std::string canonical(std::string text) {
  const auto dot = text.find('.');
  if (dot != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  const auto int_end = text.find('.') == std::string::npos ? text.size() : text.find('.');
  std::size_t lead = 0;
  while (lead + 1 < int_end && text[lead] == '0') ++lead;
  return text.substr(lead);
}

/// The only recorded frame that contains `needle` (a unique key/value pair).
std::string recorded_frame_with(std::string_view needle) {
  std::vector<std::string> hits;
  for (const auto& frame : testing::v1_frames()) {
    if (frame.find(needle) != std::string::npos) hits.push_back(frame);
  }
  EXPECT_EQ(hits.size(), 1u) << "frames containing " << needle;
  return hits.empty() ? std::string{} : hits.front();
}

class GeminiV1 : public ::testing::Test {
 protected:
  const V1Frame& parse_ok(std::string_view frame) {
    const std::string_view err = parser_.parse(frame, out_);
    EXPECT_TRUE(err.empty()) << "reason: " << err << "\nframe: " << frame;
    return out_;
  }
  std::string_view parse_error(std::string_view frame) { return parser_.parse(frame, out_); }

  GeminiV1Parser parser_;
  V1Frame out_;
};

// ---------------------------------------------------------------------------
// Real recorded frames

TEST_F(GeminiV1, EveryRecordedFrameParsesAndAgreesWithAGenericJsonParser) {
  const auto frames = testing::v1_frames();
  ASSERT_EQ(frames.size(), 23u);
  for (const auto& frame : frames) {
    SCOPED_TRACE(frame);
    const V1Frame& f = parse_ok(frame);
    const json j = json::parse(frame);

    EXPECT_EQ(f.socket_sequence, j.at("socket_sequence").get<std::uint64_t>());
    if (j.at("type") == "heartbeat") {
      EXPECT_EQ(f.type, V1Frame::Type::heartbeat);
      EXPECT_TRUE(f.changes.empty());
      continue;
    }
    EXPECT_EQ(f.type, V1Frame::Type::update);
    EXPECT_EQ(f.event_id, j.at("eventId").get<std::uint64_t>());
    if (j.contains("timestampms")) {
      EXPECT_EQ(f.timestamp_ms, j.at("timestampms").get<std::int64_t>());
    } else {
      EXPECT_FALSE(f.timestamp_ms.has_value());
    }

    std::size_t change = 0, trade = 0;
    for (const auto& ev : j.at("events")) {
      if (ev.at("type") == "change") {
        ASSERT_LT(change, f.changes.size());
        const BookChange& c = f.changes[change++];
        EXPECT_EQ(c.side, ev.at("side") == "bid" ? Side::bid : Side::ask);
        EXPECT_EQ(c.price.text, canonical(ev.at("price")));
        EXPECT_EQ(c.amount.text, canonical(ev.at("remaining")));
      } else if (ev.at("type") == "trade") {
        ASSERT_LT(trade, f.trades.size());
        const Trade& t = f.trades[trade++];
        EXPECT_EQ(t.tid, ev.at("tid").get<std::uint64_t>());
        EXPECT_EQ(t.price.text, canonical(ev.at("price")));
        EXPECT_EQ(t.amount.text, canonical(ev.at("amount")));
      }
    }
    EXPECT_EQ(f.changes.size(), change);
    EXPECT_EQ(f.trades.size(), trade);
    EXPECT_EQ(f.skipped_events, 0u);
  }
}

TEST_F(GeminiV1, TopOfBookInitialFrameHasNoTimestampAndOneCanonicalAsk) {
  const V1Frame& f = parse_ok(recorded_frame_with(R"("eventId":9583076091)"));

  EXPECT_EQ(f.type, V1Frame::Type::update);
  EXPECT_EQ(f.socket_sequence, 0u);
  EXPECT_EQ(f.event_id, 9583076091u);
  EXPECT_FALSE(f.timestamp_ms.has_value());
  EXPECT_TRUE(f.initial);
  EXPECT_FALSE(f.top_of_book);
  ASSERT_EQ(f.changes.size(), 1u);
  EXPECT_TRUE(f.trades.empty());
  const BookChange& ask = f.changes[0];
  EXPECT_EQ(ask.side, Side::ask);
  EXPECT_EQ(ask.price.text, "9405.8");  // the frame says "9405.80"
  EXPECT_EQ(ask.price.value, dec("9405.80"));
  EXPECT_EQ(ask.amount.text, "0.2");
}

TEST_F(GeminiV1, FullDepthTradeFrameCarriesTheTradeAndTheChangeItCaused) {
  const V1Frame& f = parse_ok(recorded_frame_with(R"("socket_sequence":5,"events":[{"type":"trade")"));

  EXPECT_EQ(f.socket_sequence, 5u);
  EXPECT_EQ(f.event_id, 4568099470u);
  EXPECT_EQ(f.timestamp_ms, 1537974020197);
  EXPECT_FALSE(f.initial);
  EXPECT_FALSE(f.top_of_book);

  ASSERT_EQ(f.trades.size(), 1u);
  const Trade& t = f.trades[0];
  EXPECT_EQ(t.tid, 4568099470u);
  EXPECT_EQ(t.price.text, "6508.45");
  EXPECT_EQ(t.amount.text, "0.02441407");
  EXPECT_EQ(t.maker_side, MakerSide::ask);

  ASSERT_EQ(f.changes.size(), 1u);
  EXPECT_EQ(f.changes[0].side, Side::ask);
  EXPECT_EQ(f.changes[0].price.text, "6508.45");
  EXPECT_EQ(f.changes[0].amount.text, "0.45117186");
}

TEST_F(GeminiV1, RemainingZeroIsAZeroAmount) {
  const V1Frame& f = parse_ok(recorded_frame_with(R"("eventId":4568099292)"));
  ASSERT_EQ(f.changes.size(), 1u);
  EXPECT_TRUE(f.changes[0].amount.value.is_zero());
  EXPECT_EQ(f.changes[0].price.text, "6513.2");
}

TEST_F(GeminiV1, TopOfBookFramesAreFlaggedAndFullDepthFramesAreNot) {
  std::size_t top_of_book_frames = 0;
  for (const auto& frame : testing::v1_frames()) {
    SCOPED_TRACE(frame);
    const bool says_top_of_book = frame.find(R"("reason":"top-of-book")") != std::string::npos;
    const bool says_initial = frame.find(R"("reason":"initial")") != std::string::npos;
    const V1Frame& f = parse_ok(frame);
    EXPECT_EQ(f.top_of_book, says_top_of_book);
    EXPECT_EQ(f.initial, says_initial);
    top_of_book_frames += says_top_of_book;
  }
  EXPECT_EQ(top_of_book_frames, 7u);  // 4 in group B, 3 in group C
}

TEST_F(GeminiV1, HeartbeatGivesItsTypeAndSocketSequence) {
  const V1Frame& f = parse_ok(recorded_frame_with(R"("type":"heartbeat")"));
  EXPECT_EQ(f.type, V1Frame::Type::heartbeat);
  EXPECT_EQ(f.socket_sequence, 2u);
  EXPECT_TRUE(f.changes.empty());
  EXPECT_TRUE(f.trades.empty());
  EXPECT_FALSE(f.timestamp_ms.has_value());

  const V1Frame& g = parse_ok(R"({"type":"heartbeat","socket_sequence":272})");
  EXPECT_EQ(g.type, V1Frame::Type::heartbeat);
  EXPECT_EQ(g.socket_sequence, 272u);
}

TEST_F(GeminiV1, KeysInAnyOrderWork) {
  // Group C: keys sorted alphabetically, so "type" comes last everywhere.
  const V1Frame& f = parse_ok(recorded_frame_with(R"("eventId":1764559146464275)"));
  EXPECT_EQ(f.type, V1Frame::Type::update);
  EXPECT_EQ(f.socket_sequence, 0u);
  EXPECT_EQ(f.event_id, 1764559146464275u);
  EXPECT_TRUE(f.initial);
  ASSERT_EQ(f.changes.size(), 2u);
  EXPECT_EQ(f.changes[0].side, Side::ask);
  EXPECT_EQ(f.changes[0].price.text, "83948.71");
  EXPECT_EQ(f.changes[0].amount.text, "0.06198727");
  EXPECT_EQ(f.changes[1].side, Side::bid);
  EXPECT_EQ(f.changes[1].price.text, "83948.7");
  EXPECT_EQ(f.changes[1].amount.text, "0.10350843");

  const V1Frame& t = parse_ok(recorded_frame_with(R"("eventId":1764559146475721)"));
  EXPECT_EQ(t.socket_sequence, 5u);
  EXPECT_EQ(t.timestamp_ms, 1790401261620);
  EXPECT_TRUE(t.changes.empty());  // a frame may carry only trades
  ASSERT_EQ(t.trades.size(), 1u);
  EXPECT_EQ(t.trades[0].tid, 2840141029940425u);
  EXPECT_EQ(t.trades[0].price.text, "83955.14");
  EXPECT_EQ(t.trades[0].amount.text, "0.0011912");
  EXPECT_EQ(t.trades[0].maker_side, MakerSide::ask);
}

TEST_F(GeminiV1, TradeMakerSidesAreMapped) {
  const V1Frame& f = parse_ok(update_with_events(
      R"({"type":"trade","tid":1,"price":"1","amount":"1","makerSide":"bid"},)"
      R"({"type":"trade","tid":2,"price":"1","amount":"1","makerSide":"ask"},)"
      R"({"type":"trade","tid":3,"price":"1","amount":"1","makerSide":"auction"},)"
      R"({"type":"trade","tid":4,"price":"1","amount":"1","makerSide":"sideways"})"));
  ASSERT_EQ(f.trades.size(), 4u);
  EXPECT_EQ(f.trades[0].maker_side, MakerSide::bid);
  EXPECT_EQ(f.trades[1].maker_side, MakerSide::ask);
  EXPECT_EQ(f.trades[2].maker_side, MakerSide::auction);
  EXPECT_EQ(f.trades[3].maker_side, MakerSide::unknown);
}

// ---------------------------------------------------------------------------
// Auction and other non-book events

// Shapes from Gemini's v1 documentation.
constexpr std::string_view kAuctionOpen =
    R"({"type":"auction_open","auction_open_ms":1486591200000,"auction_time_ms":1486674000000,)"
    R"("first_indicative_ms":1486673400000,"last_cancel_time_ms":1486673985000})";
constexpr std::string_view kAuctionIndicative =
    R"({"type":"auction_indicative","eid":2248762586,"result":"success","time_ms":1486673400000,)"
    R"("highest_bid_price":"1050.00","lowest_ask_price":"1052.00","collar_price":"1051.00",)"
    R"("indicative_price":"1051.00","indicative_quantity":"2.14"})";
constexpr std::string_view kAuctionResult =
    R"({"type":"auction_result","eid":2248795680,"result":"success","time_ms":1486674000000,)"
    R"("highest_bid_price":"1050.00","lowest_ask_price":"1052.00","collar_price":"1051.00",)"
    R"("auction_price":"1051.00","auction_quantity":"2.14"})";
constexpr std::string_view kBlockTrade =
    R"({"type":"block_trade","tid":1111597035,"price":"9283.47","amount":"12.5"})";
constexpr std::string_view kUnknownEvent = R"({"type":"something_new","foo":[1,{"bar":"x"}]})";

TEST_F(GeminiV1, AuctionBlockTradeAndUnknownEventsAreSkippedAndCounted) {
  const std::string events = std::string(kAuctionOpen) + "," + std::string(kAuctionIndicative) +
                             "," + std::string(kAuctionResult) + "," + std::string(kBlockTrade) +
                             "," + std::string(kUnknownEvent);
  const V1Frame& f = parse_ok(update_with_events(events));
  EXPECT_EQ(f.type, V1Frame::Type::update);
  EXPECT_EQ(f.skipped_events, 5u);
  EXPECT_TRUE(f.changes.empty());
  EXPECT_TRUE(f.trades.empty());  // a block trade is not an order-book trade
}

TEST_F(GeminiV1, SkippedEventsDoNotDisturbTheChangesAndTradesAroundThem) {
  const V1Frame& f = parse_ok(update_with_events(
      std::string(kAuctionIndicative) +
      R"(,{"type":"change","side":"bid","price":"1050.00","remaining":"3","reason":"place"},)" +
      std::string(kAuctionResult) +
      R"(,{"type":"trade","tid":9,"price":"1051.00","amount":"2.14","makerSide":"auction"},)" +
      std::string(kBlockTrade)));
  EXPECT_EQ(f.skipped_events, 3u);
  ASSERT_EQ(f.changes.size(), 1u);
  EXPECT_EQ(f.changes[0].price.text, "1050");
  ASSERT_EQ(f.trades.size(), 1u);
  EXPECT_EQ(f.trades[0].maker_side, MakerSide::auction);
}

TEST_F(GeminiV1, EachAuctionEventAloneIsSkipped) {
  for (const auto event : {kAuctionOpen, kAuctionIndicative, kAuctionResult, kBlockTrade, kUnknownEvent}) {
    SCOPED_TRACE(event);
    const V1Frame& f = parse_ok(update_with_events(event));
    EXPECT_EQ(f.skipped_events, 1u);
    EXPECT_TRUE(f.changes.empty());
    EXPECT_TRUE(f.trades.empty());
  }
}


TEST_F(GeminiV1, AMaximalUint64SocketSequenceIsStillValid) {
  EXPECT_EQ(parse_ok(R"({"type":"heartbeat","socket_sequence":18446744073709551615})").socket_sequence,
            18446744073709551615u);
}

// ---------------------------------------------------------------------------
// One parser, many frames

TEST_F(GeminiV1, AFailedParseIsFollowedByAGoodFrame) {
  EXPECT_NE(parse_error(R"({"type":"update","eventId":1,"socket_sequence":1,"events":[{"type":"change")"), "");
  EXPECT_NE(parse_error("not json"), "");

  const V1Frame& f = parse_ok(recorded_frame_with(R"("eventId":4568099470)"));
  EXPECT_EQ(f.socket_sequence, 5u);
  ASSERT_EQ(f.trades.size(), 1u);
  ASSERT_EQ(f.changes.size(), 1u);
  EXPECT_EQ(f.trades[0].price.text, "6508.45");
  EXPECT_EQ(f.changes[0].amount.text, "0.45117186");
}

TEST_F(GeminiV1, AFailureHalfWayThroughTheEventsLeavesNothingForTheNextFrame) {
  // The first change is read before the second one fails.
  EXPECT_NE(parse_error(update_with_events(
                R"({"type":"change","side":"bid","price":"1","remaining":"1","reason":"initial"},)"
                R"({"type":"change","side":"buy","price":"2","remaining":"1","reason":"place"})")),
            "");
  const V1Frame& f = parse_ok(kV1Heartbeat);
  EXPECT_TRUE(f.changes.empty());
  EXPECT_FALSE(f.initial);
}

TEST_F(GeminiV1, EachFrameStartsFromAnEmptyOutput) {
  // A frame with everything: timestamp, a trade, a change, a skipped event.
  const V1Frame& full = parse_ok(
      R"({"type":"update","eventId":5,"timestamp":1,"timestampms":1000,"socket_sequence":9,"events":[)"
      R"({"type":"trade","tid":1,"price":"2","amount":"3","makerSide":"bid"},)"
      R"({"type":"change","side":"bid","price":"2","remaining":"1","reason":"top-of-book"},)" +
      std::string(kAuctionOpen) + "]}");
  ASSERT_EQ(full.changes.size(), 1u);
  ASSERT_EQ(full.trades.size(), 1u);
  ASSERT_EQ(full.skipped_events, 1u);
  ASSERT_TRUE(full.top_of_book);
  ASSERT_TRUE(full.timestamp_ms.has_value());

  const V1Frame& hb = parse_ok(kV1Heartbeat);
  EXPECT_EQ(hb.type, V1Frame::Type::heartbeat);
  EXPECT_EQ(hb.socket_sequence, 7u);
  EXPECT_EQ(hb.event_id, 0u);
  EXPECT_FALSE(hb.timestamp_ms.has_value());
  EXPECT_FALSE(hb.initial);
  EXPECT_FALSE(hb.top_of_book);
  EXPECT_TRUE(hb.changes.empty());
  EXPECT_TRUE(hb.trades.empty());
  EXPECT_EQ(hb.skipped_events, 0u);

  // An update without a timestamp after one with: the old timestamp is gone.
  parse_ok(recorded_frame_with(R"("eventId":9583076416)"));
  ASSERT_TRUE(out_.timestamp_ms.has_value());
  const V1Frame& initial = parse_ok(recorded_frame_with(R"("eventId":9583076091)"));
  EXPECT_FALSE(initial.timestamp_ms.has_value());
  EXPECT_EQ(initial.changes.size(), 1u);
}

/// What a frame parsed into, as one comparable line.
std::string summary(const V1Frame& f) {
  std::string s = std::to_string(f.socket_sequence) + ":" + std::to_string(f.changes.size()) + ":" +
                  std::to_string(f.trades.size());
  for (const auto& c : f.changes) s.append(" ").append(c.price.text).append("/").append(c.amount.text);
  for (const auto& t : f.trades) s.append(" t").append(std::to_string(t.tid)).append("/").append(t.price.text);
  return s;
}

TEST_F(GeminiV1, ReplayingAllRecordedFramesTwiceOnOneParserGivesTheSameResults) {
  const auto frames = testing::v1_frames();
  std::vector<std::string> first;
  for (const auto& frame : frames) first.push_back(summary(parse_ok(frame)));
  for (std::size_t i = 0; i < frames.size(); ++i) EXPECT_EQ(summary(parse_ok(frames[i])), first[i]);
}

}  // namespace
}  // namespace wsbook
