// Frames Bybit's schema does not allow: each is refused whole, with a reason
// that names what is wrong, and the parser goes on as if it never saw it.
#include <gtest/gtest.h>

#include <string>

#include "exchange/venues.h"

namespace wsbook {
namespace {

struct Malformed {
  std::string name;
  std::string frame;
  std::string reason;  // the exact reason, or "" when any reason will do
};

std::string book(std::string_view data, std::string_view topic = "orderbook.50.BTCUSDT",
                 std::string_view type = "\"delta\"") {
  return R"({"topic":")" + std::string(topic) + R"(","type":)" + std::string(type) + R"(,"ts":1,"data":)" +
         std::string(data) + "}";
}

std::string data_with(std::string_view b, std::string_view u = "7", std::string_view s = "\"BTCUSDT\"") {
  return R"({"s":)" + std::string(s) + R"(,"b":)" + std::string(b) + R"(,"a":[],"u":)" + std::string(u) + "}";
}

// Orderbook pushes whose data is wrong.
std::vector<Malformed> malformed_data() {
  return {
      {"PriceAsNumber", book(data_with(R"([[16493.5,"1"]])")), "price: string expected, got number"},
      {"SizeNull", book(data_with(R"([["16493.5",null]])")), "size: string expected, got null"},
      {"SizeBool", book(data_with(R"([["16493.5",true]])")), "size: string expected, got boolean"},
      {"UAsString", book(data_with("[]", "\"7\"")), "data.u: non-negative integer expected, got string"},
      {"UNegative", book(data_with("[]", "-7")), "data.u: non-negative integer expected, got number"},
      {"UFraction", book(data_with("[]", "7.5")), "data.u: non-negative integer expected, got number"},
      {"SAsNumber", book(data_with("[]", "7", "5")), "data.s: string expected, got number"},
      {"BNotArray", book(data_with(R"({"16493.5":"1"})")), "data.b: array expected, got object"},
      {"AskNotArray", book(R"({"s":"BTCUSDT","a":"x","u":7})"), "data.a: array expected, got string"},
      {"LevelNotArray", book(data_with(R"(["16493.5"])")), "level: array expected, got string"},
      {"LevelOneField", book(data_with(R"([["16493.5"]])")), "level has fewer than 2 fields"},
      {"LevelThreeFields", book(data_with(R"([["16493.5","1","2"]])")), "level has more than 2 fields"},
      {"LevelEmpty", book(data_with("[[]]")), "level has fewer than 2 fields"},
      {"PriceNotDecimal", book(data_with(R"([["1e5","1"]])")), ""},
      {"PriceNegative", book(data_with(R"([["-1","1"]])")), ""},
      {"PriceEmpty", book(data_with(R"([["","1"]])")), ""},
  };
}

// Orderbook pushes whose envelope is wrong, answers of the wrong types, and frames that are not JSON.
std::vector<Malformed> malformed_envelopes() {
  return {
      {"TopicSymbolMismatch", book(data_with("[]"), "orderbook.50.ETHUSDT"), "data.s does not match the topic"},
      {"TopicWithoutSymbol", book(data_with("[]"), "orderbook.50"), "topic: orderbook.{depth}.{symbol} expected"},
      {"TopicWithoutDepth", book(data_with("[]"), "orderbook.BTCUSDT"), "topic: orderbook.{depth}.{symbol} expected"},
      {"TopicAsNumber", R"({"topic":5,"type":"delta","data":{}})", "topic: string expected, got number"},
      {"TypeUnknown", book(data_with("[]"), "orderbook.50.BTCUSDT", "\"update\""), "type: snapshot or delta expected"},
      {"TypeAsNumber", book(data_with("[]"), "orderbook.50.BTCUSDT", "1"), "type: string expected, got number"},
      {"TypeMissing", R"({"topic":"orderbook.50.BTCUSDT","data":{"s":"BTCUSDT","u":7}})",
       "orderbook push without type"},
      {"DataMissing", R"({"topic":"orderbook.50.BTCUSDT","type":"delta"})", "orderbook push without data"},
      {"DataNotObject", book("[]"), "data: object expected, got array"},
      {"DataFirstNotObject", R"({"data":[],"topic":"orderbook.50.BTCUSDT","type":"delta"})",
       "data: object expected, got array"},
      {"DataFirstBadPrice",
       R"({"data":{"s":"BTCUSDT","b":[[1,"1"]],"u":7},"topic":"orderbook.50.BTCUSDT","type":"delta"})",
       "price: string expected, got number"},
      {"SMissing", book(R"({"b":[],"a":[],"u":7})"), "data without s"},
      {"UMissing", book(R"({"s":"BTCUSDT","b":[],"a":[]})"), "data without u"},
      {"RepeatedB", book(R"({"s":"BTCUSDT","b":[],"b":[],"u":7})"), "data: repeated b"},
      {"RepeatedData", R"({"topic":"orderbook.50.BTCUSDT","type":"delta","data":{},"data":{}})", "repeated data"},
      {"TsAsString", R"({"topic":"orderbook.50.BTCUSDT","type":"delta","ts":"1","data":{}})",
       "ts: non-negative integer expected, got string"},
      {"CtsNull", book(data_with("[]")).insert(1, R"("cts":null,)"), "cts: non-negative integer expected, got null"},
      {"SeqAsString", book(R"({"s":"BTCUSDT","u":7,"seq":"8"})"),
       "data.seq: non-negative integer expected, got string"},
      {"SuccessAsString", R"({"success":"true","ret_msg":"pong","op":"ping"})",
       "success: boolean expected, got string"},
      {"RetMsgAsNumber", R"({"success":false,"ret_msg":5,"op":"subscribe"})", "ret_msg: string expected, got number"},
      {"SubscribeAckWithoutSuccess", R"({"ret_msg":"subscribe","op":"subscribe"})",
       "subscribe answer without success"},
      {"Truncated", book(data_with(R"([["16493.5","1"]])")).substr(0, 80), ""},
      {"TruncatedInLevels", R"({"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"s":"BTCUSDT","b":[["1","1")",
       ""},
      {"NotJson", "hello", ""},
      {"Empty", "", ""},
      {"NotAnObject", R"([{"topic":"orderbook.50.BTCUSDT"}])", ""},
      {"TrailingContent", book(data_with("[]")) + "{}", ""},
  };
}

std::vector<Malformed> malformed_frames() {
  std::vector<Malformed> all = malformed_data();
  for (Malformed& m : malformed_envelopes()) all.push_back(std::move(m));
  return all;
}

class BybitMalformed : public ::testing::TestWithParam<Malformed> {};

constexpr std::string_view kGood =
    R"({"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1,"data":{"s":"BTCUSDT",)"
    R"("b":[["100.5","1"]],"a":[["101","2"]],"u":7,"seq":1}})";

TEST_P(BybitMalformed, IsRefusedWholeWithItsReasonAndTheParserStaysUsable) {
  const Malformed& m = GetParam();
  auto parser = bybit_venue().make_parser();
  ParsedFrame out;
  ASSERT_EQ(parser->parse(kGood, out), "");
  const std::string_view reason = parser->parse(m.frame, out);
  ASSERT_FALSE(reason.empty()) << m.frame;
  if (!m.reason.empty()) {
    EXPECT_EQ(reason, m.reason) << m.frame;
  }
  EXPECT_TRUE(out.books.empty());
  EXPECT_TRUE(out.changes.empty());
  EXPECT_TRUE(out.notices.empty());
  ASSERT_EQ(parser->parse(kGood, out), "") << "after " << m.frame;
  ASSERT_EQ(out.books.size(), 1u);
  EXPECT_EQ(out.books[0].seq, 7);
  EXPECT_EQ(out.changes.size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Bybit, BybitMalformed, ::testing::ValuesIn(malformed_frames()),
                         [](const ::testing::TestParamInfo<Malformed>& info) { return info.param.name; });

}  // namespace
}  // namespace wsbook
