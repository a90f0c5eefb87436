// GeminiV1Parser on malformed frames: each refused with a reason (the field and
// its type for a value of the wrong JSON type), never a throw or a crash, and
// the parser goes on with the next good frame.

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "gemini_v1_frames.h"
#include "wsbook/gemini.h"

namespace wsbook {
namespace {

using testing::change_with_price;
using testing::kV1Heartbeat;
using testing::update_with_events;

struct Malformed {
  std::string name;
  std::string frame;
};

std::ostream& operator<<(std::ostream& os, const Malformed& m) { return os << m.name; }

std::vector<Malformed> malformed_v1_frames() {
  const std::string digits400(400, '7');
  return {
      {"not_json", "not json"},
      {"empty_frame", ""},
      {"only_whitespace", "   "},
      {"truncated_object", R"({"type":"heartbeat","socket_sequence":1)"},
      {"truncated_after_colon", R"({"type":"heartbeat","socket_sequence":)"},
      {"truncated_in_string", R"({"type":"heartbeat","socket_sequence":1,"x":"ab)"},
      {"truncated_events",
       R"({"type":"update","eventId":1,"socket_sequence":1,"events":[{"type":"change","side":"bid","price":"1","remaining":"1"})"},
      {"truncated_in_event",
       R"({"type":"update","eventId":1,"socket_sequence":1,"events":[{"type":"change","side":"bid")"},
      {"array_root", R"([{"type":"heartbeat","socket_sequence":1}])"},
      {"number_root", "42"},
      {"null_root", "null"},
      {"missing_comma", R"({"type":"heartbeat" "socket_sequence":1})"},
      {"trailing_comma", R"({"type":"heartbeat","socket_sequence":1,})"},
      {"socket_sequence_as_string", R"({"type":"heartbeat","socket_sequence":"1"})"},
      {"socket_sequence_negative", R"({"type":"heartbeat","socket_sequence":-1})"},
      {"socket_sequence_fractional", R"({"type":"heartbeat","socket_sequence":1.5})"},
      {"socket_sequence_just_above_uint64", R"({"type":"heartbeat","socket_sequence":18446744073709551616})"},
      {"socket_sequence_huge", R"({"type":"heartbeat","socket_sequence":99999999999999999999999999})"},
      {"type_not_a_string", R"({"type":7,"socket_sequence":1})"},
      {"missing_type", R"({"eventId":1,"socket_sequence":1,"events":[]})"},
      {"missing_socket_sequence", R"({"type":"update","eventId":1,"events":[]})"},
      {"heartbeat_without_socket_sequence", R"({"type":"heartbeat"})"},
      {"update_without_events", R"({"type":"update","eventId":1,"socket_sequence":1})"},
      {"update_without_event_id", R"({"type":"update","socket_sequence":1,"events":[]})"},
      {"unknown_frame_type", R"({"type":"snapshot","eventId":1,"socket_sequence":1,"events":[]})"},
      {"events_is_an_object", R"({"type":"update","eventId":1,"socket_sequence":1,"events":{}})"},
      {"events_is_a_string", R"({"type":"update","eventId":1,"socket_sequence":1,"events":"x"})"},
      {"event_is_a_number", update_with_events("1")},
      {"event_without_type", update_with_events(R"({"side":"bid","price":"1","remaining":"1"})")},
      {"event_type_not_a_string", update_with_events(R"({"type":7})")},
      {"timestampms_as_string",
       R"({"type":"update","eventId":1,"socket_sequence":1,"timestampms":"123","events":[]})"},
      {"price_as_object", change_with_price(R"({"value":"1"})")},
      {"price_as_array", change_with_price(R"(["1"])")},
      {"price_as_bool", change_with_price("true")},
      {"price_abc", change_with_price(R"("abc")")},
      {"price_exponent_string", change_with_price(R"("1e5")")},
      {"price_exponent_number", change_with_price("1e5")},
      {"price_nan", change_with_price(R"("NaN")")},
      {"price_empty", change_with_price(R"("")")},
      {"price_leading_space", change_with_price(R"(" 1")")},
      {"price_plus_sign", change_with_price(R"("+1")")},
      {"price_only_dot", change_with_price(R"(".")")},
      {"price_trailing_dot", change_with_price(R"("9405.")")},
      {"price_leading_dot", change_with_price(R"(".5")")},
      {"price_two_dots", change_with_price(R"("1.2.3")")},
      {"price_negative", change_with_price(R"("-9405.80")")},
      {"price_400_digits", change_with_price('"' + digits400 + '"')},
      {"price_400_digits_as_number", change_with_price(digits400)},
      {"price_400_fraction_digits", change_with_price("\"0." + digits400 + '"')},
      // Gemini sends decimals as strings: any other JSON type is a frame we do not understand.
      {"price_as_number", change_with_price("6499.32")},
      {"price_as_integer", change_with_price("6499")},
      {"price_as_null", change_with_price("null")},
      {"price_as_false", change_with_price("false")},
      {"remaining_as_number",
       update_with_events(R"({"type":"change","side":"bid","price":"1","remaining":0.5,"reason":"place"})")},
      {"remaining_as_null",
       update_with_events(R"({"type":"change","side":"bid","price":"1","remaining":null,"reason":"place"})")},
      {"trade_price_as_number",
       update_with_events(R"({"type":"trade","tid":1,"price":6499.32,"amount":"1","makerSide":"bid"})")},
      {"trade_amount_as_number",
       update_with_events(R"({"type":"trade","tid":1,"price":"1","amount":1,"makerSide":"bid"})")},
      {"remaining_negative",
       update_with_events(R"({"type":"change","side":"ask","price":"1","remaining":"-1","reason":"place"})")},
      {"unknown_side_buy",
       update_with_events(R"({"type":"change","side":"buy","price":"1","remaining":"1","reason":"place"})")},
      {"change_without_side",
       update_with_events(R"({"type":"change","price":"1","remaining":"1","reason":"place"})")},
      {"change_without_price",
       update_with_events(R"({"type":"change","side":"bid","remaining":"1","reason":"place"})")},
      {"change_without_remaining",
       update_with_events(R"({"type":"change","side":"bid","price":"1","delta":"1","reason":"place"})")},
      {"trade_without_tid",
       update_with_events(R"({"type":"trade","price":"1","amount":"1","makerSide":"bid"})")},
      {"trade_without_amount",
       update_with_events(R"({"type":"trade","tid":1,"price":"1","makerSide":"bid"})")},
      {"trade_tid_as_string",
       update_with_events(R"({"type":"trade","tid":"1","price":"1","amount":"1","makerSide":"bid"})")},
      {"trailing_garbage", std::string(kV1Heartbeat) + " x"},
      {"trailing_word", std::string(kV1Heartbeat) + "garbage"},
      {"trailing_object", std::string(kV1Heartbeat) + R"({"a":1})"},
      {"trailing_brace", std::string(kV1Heartbeat) + "}"},
      {"trailing_bracket", std::string(kV1Heartbeat) + "]"},
      {"trailing_number", std::string(kV1Heartbeat) + " 5"},
  };
}

class GeminiV1Malformed : public ::testing::TestWithParam<Malformed> {};

TEST_P(GeminiV1Malformed, GivesAReasonWithoutThrowingAndTheParserStaysUsable) {
  GeminiV1Parser parser;
  V1Frame out;
  std::string_view err;
  EXPECT_NO_THROW(err = parser.parse(GetParam().frame, out));
  EXPECT_FALSE(err.empty()) << "accepted: " << GetParam().frame;

  // The same parser goes on with the next good frame.
  std::string_view next_err = "not run";
  EXPECT_NO_THROW(next_err = parser.parse(kV1Heartbeat, out));
  EXPECT_TRUE(next_err.empty()) << next_err;
  EXPECT_EQ(out.type, V1Frame::Type::heartbeat);
  EXPECT_EQ(out.socket_sequence, 7u);
}

TEST(GeminiV1WrongType, TheReasonNamesTheFieldAndBothTypes) {
  GeminiV1Parser parser;
  V1Frame out;
  EXPECT_EQ(parser.parse(change_with_price("6499.32"), out), "price: string expected, got number");
  EXPECT_EQ(parser.parse(change_with_price("null"), out), "price: string expected, got null");
  EXPECT_EQ(parser.parse(update_with_events(R"({"type":"change","side":"bid","price":"1","remaining":true})"), out),
            "remaining: string expected, got boolean");
}

INSTANTIATE_TEST_SUITE_P(GeminiV1, GeminiV1Malformed, ::testing::ValuesIn(malformed_v1_frames()),
                         [](const ::testing::TestParamInfo<Malformed>& info) { return info.param.name; });

}  // namespace
}  // namespace wsbook
