// The v1 parser's fast paths: the shape path takes Gemini's own layout, the
// fast path the common frame shapes; both give up on anything odd, and
// whenever one takes a frame it gives exactly what the general (simdjson) path gives.

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "exchange/gemini/gemini_v1_fast.h"
#include "test_data.h"
#include "wsbook/gemini.h"

namespace wsbook {

// gtest prints a frame that differs through this (found by argument-dependent lookup).
void PrintTo(const V1Frame& f, std::ostream* os) {
  *os << (f.type == V1Frame::Type::update ? "update" : "heartbeat") << " seq " << f.socket_sequence
      << " event " << f.event_id << " ms " << (f.timestamp_ms ? std::to_string(*f.timestamp_ms) : "-")
      << (f.initial ? " initial" : "") << (f.top_of_book ? " top-of-book" : "") << " skipped "
      << f.skipped_events;
  for (const auto& c : f.changes) {
    *os << " [" << (c.side == Side::bid ? "bid " : "ask ") << c.price.text << " " << c.amount.text << "]";
  }
  for (const auto& t : f.trades) {
    *os << " [trade " << t.tid << " " << t.price.text << " " << t.amount.text << " "
        << static_cast<int>(t.maker_side) << "]";
  }
}

namespace {

constexpr std::string_view kUpdate =
    R"({"type":"update","eventId":123,"timestamp":1700000000,"timestampms":1700000000123,"socket_sequence":5,)"
    R"("events":[{"type":"change","side":"bid","price":"9405.80","remaining":"1.2","delta":"0.1","reason":"place"}]})";
constexpr std::string_view kHeartbeat = R"({"type":"heartbeat","socket_sequence":7})";

/// An update frame around the given events array body.
std::string update_with(std::string_view events) {
  return R"({"type":"update","eventId":42,"socket_sequence":3,"events":[)" + std::string(events) + "]}";
}

/// kUpdate with its first `from` replaced by `to`.
std::string update_replacing(std::string_view from, std::string_view to) {
  std::string frame(kUpdate);
  const auto at = frame.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? frame : frame.replace(at, from.size(), to);
}

/// An initial frame of `levels` changes, alternating sides.
std::string initial_frame(int levels) {
  std::string events;
  for (int i = 0; i < levels; ++i) {
    const bool bid = i % 2 == 0;
    events += std::string(i ? "," : "") + R"({"type":"change","side":")" + (bid ? "bid" : "ask") +
              R"(","price":")" + std::to_string(bid ? 6000 - i : 7000 + i) +
              R"(.25","remaining":"0.5","delta":"0.5","reason":"initial"})";
  }
  return R"({"type":"update","eventId":1,"socket_sequence":0,"events":[)" + events + "]}";
}

/// GeminiV1Parser, fast path and all, gives the reason and the frame the general path gives.
void expect_as_general(GeminiV1Parser& parser, GeminiV1GeneralParser& general, const std::string& frame) {
  V1Frame out, general_out;
  const std::string_view err = parser.parse(frame, out);
  EXPECT_EQ(err, general.parse(frame, general_out)) << frame;
  if (err.empty()) {
    EXPECT_EQ(out, general_out) << frame;
  }
}

class GeminiV1Fast : public ::testing::Test {
 protected:
  /// Runs both paths; the fast one must take the frame and agree with the general one.
  const V1Frame& fast_ok(std::string_view frame) {
    EXPECT_TRUE(parse_v1_fast(frame, fast_)) << "fell back on: " << frame;
    EXPECT_EQ(general_.parse(frame, general_out_), "") << frame;
    EXPECT_EQ(fast_, general_out_) << frame;
    return fast_;
  }

  V1Frame fast_;
  GeminiV1GeneralParser general_;
  V1Frame general_out_;
};

TEST_F(GeminiV1Fast, TakesATypicalUpdate) {
  const V1Frame& f = fast_ok(kUpdate);
  EXPECT_EQ(f.type, V1Frame::Type::update);
  EXPECT_EQ(f.event_id, 123u);
  EXPECT_EQ(f.socket_sequence, 5u);
  EXPECT_EQ(f.timestamp_ms, 1700000000123);
  ASSERT_EQ(f.changes.size(), 1u);
  EXPECT_EQ(f.changes[0].side, Side::bid);
  EXPECT_EQ(f.changes[0].price.text, "9405.8");
  EXPECT_EQ(f.changes[0].amount.text, "1.2");
  EXPECT_FALSE(f.initial);
  EXPECT_FALSE(f.top_of_book);
}

TEST_F(GeminiV1Fast, TakesAHeartbeat) {
  const V1Frame& f = fast_ok(kHeartbeat);
  EXPECT_EQ(f.type, V1Frame::Type::heartbeat);
  EXPECT_EQ(f.socket_sequence, 7u);
}

TEST_F(GeminiV1Fast, TakesTradesWithEveryMakerSide) {
  const V1Frame& f = fast_ok(update_with(
      R"({"type":"trade","tid":5,"price":"1","amount":"2","makerSide":"bid"},)"
      R"({"type":"trade","tid":6,"price":"1","amount":"2","makerSide":"ask"},)"
      R"({"type":"trade","tid":7,"price":"1","amount":"2","makerSide":"auction"},)"
      R"({"type":"trade","tid":8,"price":"1","amount":"2","makerSide":"sideways"},)"
      R"({"type":"trade","tid":9,"price":"1","amount":"2"})"));
  ASSERT_EQ(f.trades.size(), 5u);
  EXPECT_EQ(f.trades[0].tid, 5u);
  EXPECT_EQ(f.trades[0].maker_side, MakerSide::bid);
  EXPECT_EQ(f.trades[2].maker_side, MakerSide::auction);
  EXPECT_EQ(f.trades[4].maker_side, MakerSide::unknown);
}

TEST_F(GeminiV1Fast, TakesAnInitialFrameOfThousandsOfChanges) {
  const V1Frame& f = fast_ok(initial_frame(5000));
  EXPECT_TRUE(f.initial);
  EXPECT_EQ(f.changes.size(), 5000u);
  EXPECT_FALSE(f.timestamp_ms.has_value());
}

TEST_F(GeminiV1Fast, TakesTopOfBookChanges) {
  EXPECT_TRUE(fast_ok(update_replacing(R"("reason":"place")", R"("reason":"top-of-book")")).top_of_book);
}

TEST_F(GeminiV1Fast, TakesOtherShapesThatAreStillCommon) {
  for (const std::string& frame : {
           // keys in any order, at both levels
           std::string(R"({"socket_sequence":1,"events":[{"side":"ask","reason":"cancel","remaining":"0",)"
                       R"("price":"2.50","type":"change"}],"eventId":9,"type":"update"})"),
           std::string(R"({"eventId":1,"events":[],"socket_sequence":0,"type":"update"})"),
           // whitespace wherever JSON allows it, but before a colon
           std::string(" \t\r\n{ \"type\": \"update\" , \"eventId\": 1 , \"socket_sequence\": 2 , "
                       "\"events\": [ { \"type\": \"change\" , \"side\": \"ask\" , \"price\": \"1\" , "
                       "\"remaining\":\n\"2\" } ] } \n"),
           // unknown keys with every kind of scalar
           update_replacing(R"("delta":"0.1")", R"("delta":"-0.1","a":true,"b":false,"c":null,"d":-1.5e+3,"e":0)"),
           update_replacing(R"("timestamp":1700000000)", R"("timestamp":1.0E-2,"x":"any printable ~!")"),
           // the largest values the fast path reads itself
           update_replacing(R"("eventId":123)", R"("eventId":9999999999999999999)"),
           update_replacing(R"("timestampms":1700000000123)", R"("timestampms":9223372036854775807)"),
           update_replacing(R"("timestampms":1700000000123)", R"("timestampms":0)"),
           update_replacing(R"("price":"9405.80")", R"("price":"0009405.8000")"),
           update_with(R"({"type":"change","side":"ask","price":"1","remaining":"2","amount":"3","tid":4})"),
       }) {
    fast_ok(frame);
  }
}

// Eight bytes at a time, strings and numbers meet the end of the frame at every offset.
TEST_F(GeminiV1Fast, TakesStringsAndNumbersOfEveryLengthUpToTheEnd) {
  for (std::size_t n = 1; n <= 19; ++n) {
    fast_ok(R"({"type":"heartbeat","socket_sequence":)" + std::string(n, '9') + "}");
    fast_ok(R"({"type":"heartbeat","socket_sequence":1,"x":)" + std::string(n, '8') + "}");
    fast_ok(R"({"type":"heartbeat","socket_sequence":1,"x":")" + std::string(n, 'a') + "\"}");
    fast_ok(update_replacing(R"("place")", '"' + std::string(n, 'p') + '"'));
  }
}

TEST_F(GeminiV1Fast, TakesEveryRecordedV1Frame) {
  for (const auto& frame : testing::v1_frames()) fast_ok(frame);
}

TEST_F(GeminiV1Fast, TextsPointIntoTheFrame) {
  const std::string frame(kUpdate);
  ASSERT_TRUE(parse_v1_fast(frame, fast_));
  const char* const price = fast_.changes[0].price.text.data();
  EXPECT_TRUE(price >= frame.data() && price < frame.data() + frame.size());
}

// ---------------------------------------------------------------------------
// Anything odd, valid or not, goes to the general path

struct Odd {
  std::string name;
  std::string frame;
};

std::ostream& operator<<(std::ostream& os, const Odd& o) { return os << o.name; }

std::vector<Odd> odd_frames() {
  const auto event = [](std::string_view body) { return update_with(body); };
  return {
      {"empty", ""},
      {"only_whitespace", " \n"},
      {"array_root", "[" + std::string(kHeartbeat) + "]"},
      {"empty_object", "{}"},
      {"byte_order_mark", "\xEF\xBB\xBF" + std::string(kHeartbeat)},
      {"trailing_garbage", std::string(kHeartbeat) + " x"},
      {"trailing_object", std::string(kHeartbeat) + "{}"},
      {"trailing_nul", std::string(kHeartbeat) + std::string(1, '\0')},
      {"vertical_tab_as_space", "\v" + std::string(kHeartbeat)},
      {"missing_colon", R"({"type" "heartbeat","socket_sequence":7})"},
      {"space_before_colon", update_replacing(R"("timestampms":)", R"("timestampms" :)")},
      {"space_before_colon_of_unknown_key", update_replacing(R"("delta":)", R"("delta" :)")},
      {"missing_comma", R"({"type":"heartbeat" "socket_sequence":7})"},
      {"trailing_comma", R"({"type":"heartbeat","socket_sequence":7,})"},
      {"trailing_comma_in_events", update_replacing("}]}", "},]}")},
      {"unquoted_key", R"({type:"heartbeat","socket_sequence":7})"},
      {"single_quotes", R"({'type':'heartbeat','socket_sequence':7})"},
      {"escape_in_value", update_replacing(R"("place")", R"("pl\u0061ce")")},
      {"escaped_quote_in_unknown", update_replacing(R"("delta":"0.1")", R"("delta":"\"")")},
      {"escape_in_key", update_replacing(R"("side")", R"("sid\u0065")")},
      {"utf8_in_string", update_replacing(R"("place")", "\"pl\xC3\xA1" "ce\"")},
      {"invalid_utf8", update_replacing(R"("place")", "\"pl\xFF\"")},
      {"control_character", update_replacing(R"("place")", "\"pl\x01" "ce\"")},
      {"tab_in_string", update_replacing(R"("place")", "\"pl\tce\"")},
      {"nested_object", update_replacing(R"("delta":"0.1")", R"("delta":{"a":1})")},
      {"nested_array", update_replacing(R"("timestamp":1700000000)", R"("timestamp":[1])")},
      {"bad_literal", update_replacing(R"("delta":"0.1")", R"("delta":tru)")},
      {"capital_literal", update_replacing(R"("delta":"0.1")", R"("delta":True)")},
      {"number_leading_zero", update_replacing(R"("delta":"0.1")", R"("delta":01)")},
      {"number_plus", update_replacing(R"("delta":"0.1")", R"("delta":+1)")},
      {"number_trailing_dot", update_replacing(R"("delta":"0.1")", R"("delta":1.)")},
      {"number_leading_dot", update_replacing(R"("delta":"0.1")", R"("delta":.5)")},
      {"number_bare_minus", update_replacing(R"("delta":"0.1")", R"("delta":-)")},
      {"number_empty_exponent", update_replacing(R"("delta":"0.1")", R"("delta":1e)")},
      {"number_hex", update_replacing(R"("delta":"0.1")", R"("delta":0x1)")},
      {"number_nan", update_replacing(R"("delta":"0.1")", R"("delta":NaN)")},
      {"sequence_leading_zero", update_replacing(R"("socket_sequence":5)", R"("socket_sequence":05)")},
      {"sequence_fraction", update_replacing(R"("socket_sequence":5)", R"("socket_sequence":5.0)")},
      {"sequence_exponent", update_replacing(R"("socket_sequence":5)", R"("socket_sequence":5e0)")},
      {"sequence_negative", update_replacing(R"("socket_sequence":5)", R"("socket_sequence":-5)")},
      {"sequence_as_string", update_replacing(R"("socket_sequence":5)", R"("socket_sequence":"5")")},
      {"sequence_20_digits", update_replacing(R"("socket_sequence":5)", R"("socket_sequence":18446744073709551615)")},
      {"timestamp_negative", update_replacing(R"("timestampms":1700000000123)", R"("timestampms":-1)")},
      {"timestamp_above_int64", update_replacing(R"("timestampms":1700000000123)", R"("timestampms":9223372036854775808)")},
      {"price_as_number", update_replacing(R"("price":"9405.80")", R"("price":9405.80)")},
      {"price_not_decimal", update_replacing(R"("price":"9405.80")", R"("price":"abc")")},
      {"price_negative", update_replacing(R"("price":"9405.80")", R"("price":"-1")")},
      {"price_empty", update_replacing(R"("price":"9405.80")", R"("price":"")")},
      {"price_null", update_replacing(R"("price":"9405.80")", R"("price":null)")},
      {"duplicate_top_key", update_replacing(R"("socket_sequence":5)", R"("socket_sequence":5,"socket_sequence":5)")},
      {"duplicate_events", update_replacing(R"("eventId":123)", R"("events":[],"eventId":123)")},
      {"duplicate_event_key", update_replacing(R"("side":"bid")", R"("side":"ask","side":"bid")")},
      {"unknown_frame_type", update_replacing(R"("type":"update")", R"("type":"snapshot")")},
      {"missing_type", R"({"socket_sequence":7})"},
      {"missing_sequence", R"({"type":"heartbeat"})"},
      {"update_without_events", R"({"type":"update","eventId":1,"socket_sequence":1})"},
      {"update_without_event_id", R"({"type":"update","socket_sequence":1,"events":[]})"},
      {"events_not_an_array", R"({"type":"update","eventId":1,"socket_sequence":1,"events":{}})"},
      {"event_not_an_object", event("1")},
      {"empty_event", event("{}")},
      {"event_without_type", event(R"({"side":"bid","price":"1","remaining":"1"})")},
      {"auction_event", event(R"({"type":"auction_open","auction_open_ms":1486591200000})")},
      {"block_trade", event(R"({"type":"block_trade","tid":1,"price":"9283.47","amount":"12.5"})")},
      {"unknown_side", event(R"({"type":"change","side":"buy","price":"1","remaining":"1"})")},
      {"change_without_remaining", event(R"({"type":"change","side":"bid","price":"1"})")},
      {"trade_without_tid", event(R"({"type":"trade","price":"1","amount":"1"})")},
      {"trade_tid_as_string", event(R"({"type":"trade","tid":"1","price":"1","amount":"1"})")},
  };
}

class GeminiV1FastOdd : public ::testing::TestWithParam<Odd> {};

TEST_P(GeminiV1FastOdd, FallsBackAndTheParserGivesWhatTheGeneralPathGives) {
  const std::string& frame = GetParam().frame;
  V1Frame fast;
  EXPECT_FALSE(parse_v1_fast(frame, fast)) << "took: " << frame;
  EXPECT_FALSE(parse_v1_shape(frame, fast)) << "shape path took: " << frame;

  GeminiV1Parser parser;
  GeminiV1GeneralParser general;
  expect_as_general(parser, general, frame);
}

INSTANTIATE_TEST_SUITE_P(GeminiV1Fast, GeminiV1FastOdd, ::testing::ValuesIn(odd_frames()),
                         [](const ::testing::TestParamInfo<Odd>& info) { return info.param.name; });

TEST_F(GeminiV1Fast, FallsBackOnEveryTruncation) {
  for (const std::string& frame : {std::string(kUpdate), std::string(kHeartbeat)}) {
    for (std::size_t n = 0; n < frame.size(); ++n) {
      EXPECT_FALSE(parse_v1_fast(std::string_view(frame).substr(0, n), fast_)) << frame.substr(0, n);
      EXPECT_FALSE(parse_v1_shape(std::string_view(frame).substr(0, n), fast_)) << frame.substr(0, n);
    }
  }
}

TEST_F(GeminiV1Fast, EveryRecordedFrameGivesTheParserWhatTheGeneralPathGives) {
  std::vector<std::string> frames = testing::v1_frames();
  for (auto& frame : testing::v2_capture_frames()) frames.push_back(std::move(frame));
  GeminiV1Parser parser;
  for (const auto& frame : frames) expect_as_general(parser, general_, frame);
}

TEST_F(GeminiV1Fast, TheParsersTextsOutliveTheFrame) {
  GeminiV1Parser parser;
  V1Frame out;
  std::string frame(kUpdate);
  ASSERT_EQ(parser.parse(frame, out), "");
  frame.assign(frame.size(), 'x');
  ASSERT_EQ(out.changes.size(), 1u);
  EXPECT_EQ(out.changes[0].price.text, "9405.8");
}

TEST_F(GeminiV1Fast, ParseViewGivesWhatParseGivesWithTextsInTheFrame) {
  GeminiV1Parser copying, viewing;
  V1Frame copied, viewed;
  std::vector<std::string> frames = testing::v1_frames();
  frames.emplace_back(kUpdate);
  for (const auto& frame : frames) {
    ASSERT_EQ(viewing.parse_view(frame, viewed), copying.parse(frame, copied)) << frame;
    EXPECT_TRUE(viewed == copied) << frame;
  }
  ASSERT_EQ(viewing.parse_view(frames.back(), viewed), "");
  ASSERT_EQ(viewed.changes.size(), 1u);
  const char* text = viewed.changes[0].price.text.data();
  EXPECT_TRUE(text >= frames.back().data() && text < frames.back().data() + frames.back().size());
}

// ---------------------------------------------------------------------------
// The shape path: Gemini's own layout only, and the same frame as the general path

class GeminiV1Shape : public GeminiV1Fast {
 protected:
  /// The shape path takes `frame` (or not, as `taken` says) and, if so, agrees with the general path.
  void shape(std::string_view frame, bool taken = true) {
    EXPECT_EQ(parse_v1_shape(frame, fast_), taken) << frame;
    if (!parse_v1_shape(frame, fast_)) return;
    EXPECT_EQ(general_.parse(frame, general_out_), "") << frame;
    EXPECT_EQ(fast_, general_out_) << frame;
  }
};

TEST_F(GeminiV1Shape, TakesGeminisLayouts) {
  shape(kUpdate);
  shape(kHeartbeat);
  shape(update_replacing(R"("delta":"0.1","reason":"place")", R"("reason":"top-of-book")"));  // no delta
  shape(initial_frame(3));  // no timestamps
  shape(update_with(R"({"type":"trade","tid":5,"price":"1","amount":"2","makerSide":"bid"},)"
                    R"({"type":"trade","tid":6,"price":"1","amount":"2","makerSide":"auction"},)"
                    R"({"type":"change","side":"ask","price":"1","remaining":"0","delta":"-2","reason":"trade"})"));
  shape(update_with(""));
  const std::vector<std::string> frames = testing::v1_frames();
  for (std::size_t i = 0; i < 12; ++i) shape(frames[i]);  // capture A: full depth, as Gemini sends it
}

TEST_F(GeminiV1Shape, LeavesOtherLayoutsToTheOtherPaths) {
  shape(update_replacing(R"("side":"bid","price":"9405.80")", R"("price":"9405.80","side":"bid")"), false);
  shape(update_replacing(R"("eventId":123,)", ""), false);
  shape(update_replacing(R"(,"reason":"place")", ""), false);
  shape(update_replacing(R"("reason":"place")", R"("reason":"place","x":1)"), false);
  shape(update_replacing(R"("type":"update",)", R"("type": "update",)"), false);
  shape(update_replacing(R"("side":"bid")", R"("side":"buy")"), false);
  shape(update_replacing(R"("delta":"0.1")", R"("delta":0.1)"), false);
  shape(update_with(R"({"type":"auction_open","auction_open_ms":1486591200000})"), false);
  shape(std::string(kHeartbeat) + " ", false);
}

TEST_F(GeminiV1Shape, WhateverItTakesOfTheRecordedFramesIsWhatTheGeneralPathGives) {
  const std::vector<std::string> frames = testing::v1_frames();
  std::size_t taken = 0;
  for (const auto& frame : frames) {
    if (!parse_v1_shape(frame, fast_)) continue;
    ++taken;
    EXPECT_EQ(general_.parse(frame, general_out_), "") << frame;
    EXPECT_EQ(fast_, general_out_) << frame;
  }
  // Gemini's own frames are what the shape path is for: most of them must take it.
  EXPECT_GT(taken, frames.size() / 2) << taken << " of " << frames.size();
}

// Prices and amounts a word at a time: every length of integer and fraction,
// leading and trailing zeros, and the forms that are no decimal at all.
TEST_F(GeminiV1Shape, ReadsEveryFormOfDecimalAsTheGeneralPathDoes) {
  for (std::size_t units = 0; units <= 19; ++units) {
    for (std::size_t frac = 0; frac <= 18; ++frac) {
      for (const char* digits : {"1234567891234567891", "9000000000000000000", "0000000000000000000"}) {
        std::string d = units == 0 ? "0" : std::string(digits, units);
        if (frac > 0) d += "." + std::string("5040302010000000009", frac);
        shape(update_replacing(R"("9405.80")", '"' + d + '"'));
        shape(update_replacing(R"("1.2")", '"' + d + '"'));
      }
    }
  }
  for (const char* d : {"0.0", "0.000000000000000", "00.5", "007", "0", "10", "1.10", "1.0000000000000000"}) {
    shape(update_replacing(R"("9405.80")", '"' + std::string(d) + '"'));
  }
  for (const char* d : {"1.", ".5", "1e5", "-1", "1.5.5", "", "1 ", "12345678901234567890", "1.0000000000000000001"}) {
    shape(update_replacing(R"("9405.80")", '"' + std::string(d) + '"'), false);
  }
}

}  // namespace
}  // namespace wsbook
