// Frames and REST replies Binance's schema does not allow: each is refused
// whole, with a reason that names what is wrong, and the parser goes on as if
// it never saw it.
#include <gtest/gtest.h>

#include <string>

#include "exchange/venues.h"

namespace wsbook {
namespace {

struct Malformed {
  std::string name;
  std::string text;
  std::string reason;  // the exact reason, or "" when any reason will do
};

// A depth update, with the JSON text of some of its fields given.
std::string update(std::string_view b = R"([["0.0024","10"]])", std::string_view u = "160",
                   std::string_view s = "\"BNBBTC\"", std::string_view first = "157") {
  return R"({"e":"depthUpdate","E":1672515782136,"s":)" + std::string(s) + R"(,"U":)" + std::string(first) +
         R"(,"u":)" + std::string(u) + R"(,"b":)" + std::string(b) + R"(,"a":[["0.0026","100"]]})";
}

std::string wrapped(std::string_view data, std::string_view stream = "\"bnbbtc@depth@100ms\"") {
  return R"({"stream":)" + std::string(stream) + R"(,"data":)" + std::string(data) + "}";
}

// Depth updates whose fields are of the wrong type or missing.
std::vector<Malformed> malformed_fields() {
  return {
      {"PriceAsNumber", update(R"([[0.0024,"10"]])"), "price: string expected, got number"},
      {"QuantityAsNumber", update(R"([["0.0024",10]])"), "quantity: string expected, got number"},
      {"PriceNull", update(R"([[null,"10"]])"), "price: string expected, got null"},
      {"QuantityBool", update(R"([["0.0024",true]])"), "quantity: string expected, got boolean"},
      {"LevelNotArray", update(R"(["0.0024"])"), "level: array expected, got string"},
      {"LevelOneField", update(R"([["0.0024"]])"), "level has fewer than 2 fields"},
      {"LevelThreeFields", update(R"([["0.0024","10","1"]])"), "level has more than 2 fields"},
      {"LevelEmpty", update("[[]]"), "level has fewer than 2 fields"},
      {"BidsNotArray", update(R"({"0.0024":"10"})"), "b: array expected, got object"},
      {"BidsNull", update("null"), "b: array expected, got null"},
      {"PriceNotDecimal", update(R"([["1e5","10"]])"), ""},
      {"PriceNegative", update(R"([["-1","10"]])"), ""},
      {"PriceEmpty", update(R"([["","10"]])"), ""},
      {"UAsString", update(R"([])", "\"160\""), "u: non-negative integer expected, got string"},
      {"UNegative", update(R"([])", "-160"), "u: non-negative integer expected, got number"},
      {"UFraction", update(R"([])", "160.5"), "u: non-negative integer expected, got number"},
      {"UBool", update(R"([])", "true"), "u: non-negative integer expected, got boolean"},
      {"FirstNull", update("[]", "160", "\"BNBBTC\"", "null"), "U: non-negative integer expected, got null"},
      {"FirstTooBig", update("[]", "160", "\"BNBBTC\"", "9223372036854775808"),
       "U: non-negative integer expected, got number"},
      {"SAsNumber", update("[]", "160", "5"), "s: string expected, got number"},
      {"EAsString", R"({"e":"depthUpdate","E":"1","s":"X","U":1,"u":1,"b":[],"a":[]})",
       "E: non-negative integer expected, got string"},
      {"TypeAsNumber", R"({"e":5,"s":"X","U":1,"u":1,"b":[],"a":[]})", "e: string expected, got number"},
      {"PuAsString", R"({"e":"depthUpdate","s":"X","U":1,"u":1,"pu":"0","b":[],"a":[]})",
       "pu: non-negative integer expected, got string"},
      {"SMissing", R"({"e":"depthUpdate","U":1,"u":1,"b":[],"a":[]})", "depthUpdate without s"},
      {"FirstMissing", R"({"e":"depthUpdate","s":"X","u":1,"b":[],"a":[]})", "depthUpdate without U"},
      {"LastMissing", R"({"e":"depthUpdate","s":"X","U":1,"b":[],"a":[]})", "depthUpdate without u"},
      {"BidsMissing", R"({"e":"depthUpdate","s":"X","U":1,"u":1,"a":[]})", "depthUpdate without b"},
      {"AsksMissing", R"({"e":"depthUpdate","s":"X","U":1,"u":1,"b":[]})", "depthUpdate without a"},
      {"FirstAfterLast", update("[]", "156"), "depthUpdate whose U is greater than its u"},
      {"RepeatedU", R"({"e":"depthUpdate","s":"X","U":1,"u":1,"u":2,"b":[],"a":[]})", "repeated u"},
      {"RepeatedE", R"({"e":"depthUpdate","e":"depthUpdate","s":"X","U":1,"u":1,"b":[],"a":[]})", "repeated e"},
      {"BadFieldBeforeE", R"({"s":7,"e":"depthUpdate","U":1,"u":1,"b":[],"a":[]})", "s: string expected, got number"},
  };
}

// Wrappers, answers of the wrong types, and frames that are not JSON.
std::vector<Malformed> malformed_envelopes() {
  return {
      {"StreamOfAnotherSymbol", wrapped(update(), "\"ethbtc@depth@100ms\""), "stream does not match s"},
      {"StreamOfALongerSymbol", wrapped(update(), "\"bnbbtcx@depth\""), "stream does not match s"},
      {"StreamNotDiffDepth", wrapped(update(), "\"bnbbtc@depth5@100ms\""), "stream is not a diff depth stream"},
      {"StreamTooShort", wrapped(update(), "\"bnb\""), "stream does not match s"},
      {"StreamAsNumber", wrapped(update(), "1"), "stream: string expected, got number"},
      {"StreamWithoutData", R"({"stream":"bnbbtc@depth@100ms"})", "stream without data"},
      {"DataString", wrapped("\"x\""), "data: object expected, got string"},
      {"DataNull", wrapped("null"), "data: object expected, got null"},
      {"DataBadLevel", wrapped(update(R"([["0.0024",null]])")), "quantity: string expected, got null"},
      {"RepeatedData", R"({"data":{},"data":{}})", "repeated data"},
      {"RepeatedStream", R"({"stream":"a","stream":"b","data":{}})", "repeated stream"},
      {"WrapperAndEvent", R"({"e":"depthUpdate","data":{}})", "a stream wrapper with an event's fields"},
      {"WrapperWithLevels", R"({"b":[],"stream":"bnbbtc@depth","data":{}})", "a stream wrapper with an event's fields"},
      {"ErrorNotObject", R"({"error":"bad","id":1})", "error: object expected, got string"},
      {"ErrorWithoutMsg", R"({"error":{"code":2},"id":1})", "error without msg"},
      {"ErrorMsgAsNumber", R"({"error":{"code":2,"msg":3},"id":1})", "error.msg: string expected, got number"},
      {"MsgAsNumber", R"({"code":1,"msg":2})", "msg: string expected, got number"},
      {"CodeAsString", R"({"code":"1","msg":"m"})", "code: integer expected, got string"},
      {"Truncated", update().substr(0, 60), ""},
      {"TruncatedInLevels", R"({"e":"depthUpdate","s":"X","U":1,"u":1,"b":[["1","1")", ""},
      {"TruncatedWrapper", wrapped(update()).substr(0, 120), ""},
      {"NotJson", "hello", ""},
      {"Empty", "", ""},
      {"NotAnObject", std::string("[").append(update()).append("]"), ""},
      {"TrailingContent", update() + "{}", ""},
  };
}

std::vector<Malformed> malformed_frames() {
  std::vector<Malformed> all = malformed_fields();
  for (Malformed& m : malformed_envelopes()) all.push_back(std::move(m));
  return all;
}

constexpr std::string_view kGood =
    R"({"stream":"bnbbtc@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"BNBBTC","U":157,"u":160,)"
    R"("b":[["0.0024","10"]],"a":[["0.0026","100"]]}})";

class BinanceMalformed : public ::testing::TestWithParam<Malformed> {};

TEST_P(BinanceMalformed, IsRefusedWholeWithItsReasonAndTheParserStaysUsable) {
  const Malformed& m = GetParam();
  auto parser = binance_venue().make_parser();
  ParsedFrame out;
  ASSERT_EQ(parser->parse(kGood, out), "");
  const std::string_view reason = parser->parse(m.text, out);
  ASSERT_FALSE(reason.empty()) << m.text;
  if (!m.reason.empty()) {
    EXPECT_EQ(reason, m.reason) << m.text;
  }
  EXPECT_TRUE(out.books.empty());
  EXPECT_TRUE(out.changes.empty());
  EXPECT_TRUE(out.notices.empty());
  ASSERT_EQ(parser->parse(kGood, out), "") << "after " << m.text;
  ASSERT_EQ(out.books.size(), 1u);
  EXPECT_EQ(out.books[0].seq, 160);
  EXPECT_EQ(out.changes.size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Binance, BinanceMalformed, ::testing::ValuesIn(malformed_frames()),
                         [](const ::testing::TestParamInfo<Malformed>& info) { return info.param.name; });

std::string reply(std::string_view bids = R"([["4.00000000","431.00000000"]])", std::string_view id = "1027024") {
  return R"({"lastUpdateId":)" + std::string(id) + R"(,"bids":)" + std::string(bids) +
         R"(,"asks":[["4.00000200","12.00000000"]]})";
}

// 200 replies that are no book.
std::vector<Malformed> malformed_replies() {
  return {
      {"PriceAsNumber", reply(R"([[4.0,"431"]])"), "price: string expected, got number"},
      {"QuantityNull", reply(R"([["4.0",null]])"), "quantity: string expected, got null"},
      {"QuantityBool", reply(R"([["4.0",false]])"), "quantity: string expected, got boolean"},
      {"LevelNotArray", reply(R"([{"p":"4.0"}])"), "level: array expected, got object"},
      {"LevelOneField", reply(R"([["4.0"]])"), "level has fewer than 2 fields"},
      {"LevelThreeFields", reply(R"([["4.0","1","2"]])"), "level has more than 2 fields"},
      {"BidsNotArray", reply("\"x\""), "bids: array expected, got string"},
      {"AsksNull", R"({"lastUpdateId":1,"bids":[],"asks":null})", "asks: array expected, got null"},
      {"PriceNotDecimal", reply(R"([["4,0","1"]])"), ""},
      {"IdAsString", reply("[]", "\"1027024\""), "lastUpdateId: non-negative integer expected, got string"},
      {"IdNegative", reply("[]", "-1"), "lastUpdateId: non-negative integer expected, got number"},
      {"IdNull", reply("[]", "null"), "lastUpdateId: non-negative integer expected, got null"},
      {"TimeAsString", R"({"lastUpdateId":1,"E":"1","bids":[],"asks":[]})", "E: non-negative integer expected, got string"},
      {"IdMissing", R"({"bids":[],"asks":[]})", "reply without lastUpdateId"},
      {"BidsMissing", R"({"lastUpdateId":1,"asks":[]})", "reply without bids"},
      {"AsksMissing", R"({"lastUpdateId":1,"bids":[]})", "reply without asks"},
      {"RepeatedBids", R"({"lastUpdateId":1,"bids":[],"bids":[],"asks":[]})", "repeated bids"},
      {"AnErrorBodyWith200", R"({"code":-1121,"msg":"Invalid symbol."})", "reply without lastUpdateId"},
      {"Truncated", reply().substr(0, 50), ""},
      {"NotJson", "<html>OK</html>", ""},
      {"Empty", "", ""},
      {"NotAnObject", "[]", ""},
      {"TrailingContent", reply() + "]", ""},
  };
}

class BinanceMalformedReply : public ::testing::TestWithParam<Malformed> {};

TEST_P(BinanceMalformedReply, IsRefusedWholeWithItsReasonAndTheParserStaysUsable) {
  const Malformed& m = GetParam();
  auto parser = binance_venue().make_parser();
  ParsedFrame out;
  ASSERT_EQ(parser->parse_snapshot(200, reply(), "BNBBTC", out), "");
  const std::string_view reason = parser->parse_snapshot(200, m.text, "BNBBTC", out);
  ASSERT_FALSE(reason.empty()) << m.text;
  if (!m.reason.empty()) {
    EXPECT_EQ(reason, m.reason) << m.text;
  }
  EXPECT_TRUE(out.books.empty());
  EXPECT_TRUE(out.changes.empty());
  EXPECT_TRUE(out.notices.empty());
  ASSERT_EQ(parser->parse_snapshot(200, reply(), "BNBBTC", out), "") << "after " << m.text;
  ASSERT_EQ(out.books.size(), 1u);
  EXPECT_EQ(out.books[0].seq, 1027024);
  EXPECT_EQ(out.changes.size(), 2u);
  ASSERT_EQ(parser->parse(kGood, out), "");
  EXPECT_EQ(out.books.size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Binance, BinanceMalformedReply, ::testing::ValuesIn(malformed_replies()),
                         [](const ::testing::TestParamInfo<Malformed>& info) { return info.param.name; });

}  // namespace
}  // namespace wsbook
