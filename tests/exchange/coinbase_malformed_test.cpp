// Coinbase Advanced Trade parser on malformed frames: each is refused as a
// whole with a reason naming the field, and the parser stays usable.

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exchange/coinbase/coinbase_parser.h"

namespace wsbook {
namespace {

/// A good level2 update with `sequence_num` 5.
constexpr std::string_view kGood =
    R"({"channel":"l2_data","client_id":"","timestamp":"2023-02-09T20:32:50.714964855Z","sequence_num":5,)"
    R"("events":[{"type":"update","product_id":"BTC-USD","updates":[)"
    R"({"side":"bid","event_time":"2023-02-09T20:32:50.7Z","price_level":"21921.73","new_quantity":"0.5"}]}]})";

/// kGood with the first `from` replaced by `to`.
std::string with(std::string_view from, std::string_view to) {
  std::string s(kGood);
  const std::size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

struct Case {
  std::string name;
  std::string frame;
  std::string reason;  ///< expected reason; "" = any
};

// Wrong JSON types and bad values of the update and envelope fields.
std::vector<Case> value_cases() {
  return {
      {"price_level as number", with(R"("21921.73")", "21921.73"), "price_level: string expected, got number"},
      {"new_quantity null", with(R"("0.5")", "null"), "new_quantity: string expected, got null"},
      {"new_quantity bool", with(R"("0.5")", "true"), "new_quantity: string expected, got boolean"},
      {"price_level negative", with(R"("21921.73")", R"("-1")"), ""},
      {"price_level empty", with(R"("21921.73")", R"("")"), ""},
      {"price_level exponent", with(R"("21921.73")", R"("2e4")"), ""},
      {"sequence_num as string", with(R"("sequence_num":5)", R"("sequence_num":"5")"),
       "sequence_num: non-negative integer expected, got string"},
      {"sequence_num negative", with(R"("sequence_num":5)", R"("sequence_num":-5)"),
       "sequence_num: non-negative integer expected, got number"},
      {"sequence_num fraction", with(R"("sequence_num":5)", R"("sequence_num":5.5)"), ""},
      {"sequence_num missing", with(R"("sequence_num":5,)", ""), "missing sequence_num"},
      {"side unknown", with(R"("bid")", R"("buy")"), "side: bid or offer expected"},
      {"side number", with(R"("bid")", "1"), "side: string expected, got number"},
  };
}

// Missing fields, wrong shapes, other channels, and frames that are not JSON at all.
std::vector<Case> shape_cases() {
  return {
      {"side missing", with(R"("side":"bid",)", ""), "update without side"},
      {"price_level missing", with(R"("price_level":"21921.73",)", ""), "update without price_level"},
      {"new_quantity missing", with(R"(,"new_quantity":"0.5")", ""), "update without new_quantity"},
      {"update not an object", with(R"({"side":"bid")", R"(["bid")"), ""},
      {"updates not array", with(R"("updates":[)", R"("updates":{"a":)"), ""},
      {"updates null", with(R"("updates":[{"side":"bid","event_time":"2023-02-09T20:32:50.7Z","price_level":"21921.73","new_quantity":"0.5"}])",
                            R"("updates":null)"),
       "updates: array expected, got null"},
      {"updates missing", with(R"(,"updates":[{"side":"bid","event_time":"2023-02-09T20:32:50.7Z","price_level":"21921.73","new_quantity":"0.5"}])", ""),
       "event without updates"},
      {"events not array", with(R"("events":[{"type":"update","product_id":"BTC-USD","updates":[{"side":"bid","event_time":"2023-02-09T20:32:50.7Z","price_level":"21921.73","new_quantity":"0.5"}]}])",
                                R"("events":"none")"),
       "events: array expected, got string"},
      {"events missing", with(R"(,"events":[{"type":"update","product_id":"BTC-USD","updates":[{"side":"bid","event_time":"2023-02-09T20:32:50.7Z","price_level":"21921.73","new_quantity":"0.5"}]}])", ""),
       "l2_data without events"},
      {"event not an object", with(R"("events":[{)", R"("events":[7,{)"), "events[]: object expected, got number"},
      {"product_id missing", with(R"("product_id":"BTC-USD",)", ""), "event without product_id"},
      {"product_id empty", with(R"("BTC-USD")", R"("")"), "event without product_id"},
      {"product_id number", with(R"("BTC-USD")", "1"), "product_id: string expected, got number"},
      {"event type unknown", with(R"("type":"update")", R"("type":"delta")"), "type: snapshot or update expected"},
      {"event type missing", with(R"("type":"update",)", ""), "event without type"},
      {"truncated", std::string(kGood.substr(0, kGood.size() / 2)), ""},
      {"truncated at the end", std::string(kGood.substr(0, kGood.size() - 1)), ""},
      {"trailing content", std::string(kGood) + "{}", ""},
      {"not JSON", "hello", ""},
      {"empty", "", ""},
      {"array root", "[1,2]", ""},
      {"string root", R"("l2_data")", ""},
  };
}

// The envelope: channel, timestamp, events out of order, acks and errors.
std::vector<Case> envelope_cases() {
  return {
      {"channel number", with(R"("l2_data")", "2"), "channel: string expected, got number"},
      {"timestamp number", with(R"("2023-02-09T20:32:50.714964855Z")", "1675974770"),
       "timestamp: string expected, got number"},
      {"timestamp no zone", with(R"(50.714964855Z")", R"(50.714964855")"), "timestamp: RFC 3339 UTC time expected"},
      {"timestamp bad day", with(R"(2023-02-09)", R"(2023-02-29)"), "timestamp: RFC 3339 UTC time expected"},
      {"events late and not array", R"({"events":5,"channel":"l2_data","sequence_num":1})",
       "events: array expected, got number"},
      {"events late and malformed inside",
       R"({"events":[{"type":"update","product_id":"BTC-USD","updates":[{"side":"bid","price_level":1,"new_quantity":"1"}]}],"channel":"l2_data","sequence_num":1})",
       "price_level: string expected, got number"},
      {"heartbeats without sequence_num", R"({"channel":"heartbeats","events":[]})", "missing sequence_num"},
      {"subscriptions level2 not array", R"({"channel":"subscriptions","sequence_num":0,"events":[{"subscriptions":{"level2":"BTC-USD"}}]})",
       "subscriptions level2: array expected, got string"},
      {"subscriptions product number", R"({"channel":"subscriptions","sequence_num":0,"events":[{"subscriptions":{"level2":[1]}}]})",
       "subscriptions level2[]: string expected, got number"},
      {"error message number", R"({"type":"error","message":5})", "message: string expected, got number"},
  };
}

std::vector<Case> cases() {
  std::vector<Case> all = value_cases();
  for (Case& c : shape_cases()) all.push_back(std::move(c));
  for (Case& c : envelope_cases()) all.push_back(std::move(c));
  return all;
}

TEST(CoinbaseMalformed, EachFrameIsRefusedWithItsReasonAndNothingUsable) {
  coinbase::Parser parser;
  ParsedFrame out;
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    // Fill the output first: a refusal leaves nothing the feed could apply.
    ASSERT_TRUE(parser.parse(kGood, out).empty());
    const std::string_view reason = parser.parse(c.frame, out);
    EXPECT_FALSE(reason.empty()) << c.frame;
    if (!c.reason.empty()) {
      EXPECT_EQ(reason, c.reason);
    }
    EXPECT_TRUE(out.books.empty());
    EXPECT_TRUE(out.changes.empty());
    EXPECT_TRUE(out.notices.empty());
    EXPECT_FALSE(out.connection_seq);
  }
}

TEST(CoinbaseMalformed, TheParserStaysUsableAfterEachRefusal) {
  coinbase::Parser parser;
  ParsedFrame out;
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    EXPECT_FALSE(parser.parse(c.frame, out).empty());
    ASSERT_TRUE(parser.parse(kGood, out).empty());
    ASSERT_EQ(out.books.size(), 1u);
    EXPECT_EQ(out.connection_seq, 5u);
    ASSERT_EQ(out.changes.size(), 1u);
    EXPECT_EQ(out.changes[0].price.text, "21921.73");
  }
}

}  // namespace
}  // namespace wsbook
