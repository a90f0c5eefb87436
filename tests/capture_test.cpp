// The capture format: every kind of event written and read back byte for byte
// (frames that are not UTF-8, binary frames, REST replies); and replays of
// hand-made captures: a torn last line, a line that is no record, a capture
// cut short, a capture reopened mid-session.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>

#include "capture/capture_reader.h"
#include "replay/replay.h"
#include "wsbook/venue.h"

namespace wsbook::capture {
namespace {

using ::testing::HasSubstr;

// The event of `line`; a frame's bytes copied into `text` (`frame` may point into the line).
Event parse_event(const std::string& line) {
  Reader reader;
  bool is_header = true;
  Header h;
  Event e;
  EXPECT_EQ(reader.parse(line, is_header, h, e), "") << line;
  EXPECT_FALSE(is_header);
  if (e.kind == Kind::frame || e.kind == Kind::send) e.text = std::string(e.frame);
  return e;
}

Event round_trip(const Event& e) {
  std::string line;
  append_event(e, line);
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line: " << line;
  line.pop_back();
  return parse_event(line);
}

TEST(CaptureFormat, FramesComeBackByteForByte) {
  for (const std::string& text : {std::string(R"({"a":"b\"c","n":[1,2]})"), std::string("line\nbreak\ttab\x01"),
                                  std::string("\xff\xfe not UTF-8"), std::string("\0\x01\x02", 3), std::string()}) {
    for (bool binary : {false, true}) {
      const Event e = round_trip({.kind = Kind::frame, .connection = 3, .us = 1796000000123456, .text = text, .binary = binary});
      EXPECT_EQ(e.kind, Kind::frame);
      EXPECT_EQ(e.connection, 3u);
      EXPECT_EQ(e.us, 1796000000123456);
      EXPECT_EQ(e.text, text);
      EXPECT_EQ(e.binary, binary);
    }
  }
}

TEST(CaptureFormat, AJsonFrameOnOneLineIsKeptAsItIsAndReadWhereItLies) {
  const std::string frame = R"({"type":"update", "events":[{"price":"6500.00"}]}  )";
  std::string line;
  append_frame(1, 7, frame, false, line);
  EXPECT_EQ(line, R"({"us":7,"c":1,"event":"frame","json":)" + frame + "}\n");
  line.pop_back();
  line += "      ";  // page padding
  Reader reader;
  bool is_header = true;
  Header h;
  Event e;
  ASSERT_EQ(reader.parse(line, is_header, h, e), "");
  EXPECT_EQ(e.frame, frame);
  EXPECT_GE(e.frame.data(), line.data());  // no copy
  EXPECT_LT(e.frame.data(), line.data() + line.size());
  // Not JSON, or JSON over several lines: a string.
  for (const std::string& other : {std::string(R"({"a":1)"), std::string("{\n\"a\":1}"), std::string("1 2")}) {
    line.clear();
    append_frame(0, 1, other, false, line);
    EXPECT_THAT(line, HasSubstr(R"("text":")")) << other;
  }
}

TEST(CaptureFormat, TextThatIsNotUtf8IsBase64AndSaysSoNot) {
  std::string line;
  append_frame(0, 1, "\xff", false, line);
  EXPECT_THAT(line, HasSubstr(R"("b64":"/w==")"));
  EXPECT_THAT(line, ::testing::Not(HasSubstr("binary")));
  line.clear();
  append_frame(0, 1, "ok", true, line);
  EXPECT_THAT(line, HasSubstr(R"("b64":"b2s=","binary":true)"));
}

TEST(CaptureFormat, EveryKindOfEventComesBack) {
  const Event open = round_trip({.kind = Kind::open, .us = 5, .text = "reconnected to h:1", .url = "wss://h:1/ws",
                                 .symbols = {"BTC-USD", "ETH-USD"}});
  EXPECT_EQ(open.text, "reconnected to h:1");
  EXPECT_EQ(open.url, "wss://h:1/ws");
  EXPECT_THAT(open.symbols, ::testing::ElementsAre("BTC-USD", "ETH-USD"));
  const Event fetch = round_trip({.kind = Kind::fetch, .request = {7, "https://h/depth?symbol=X", std::chrono::milliseconds(250)}});
  EXPECT_EQ(fetch.request.id, 7u);
  EXPECT_EQ(fetch.request.url, "https://h/depth?symbol=X");
  EXPECT_EQ(fetch.request.delay.count(), 250);
  const Event reply = round_trip(
      {.kind = Kind::response, .response = {7, 429, "{\"code\":-1003}", std::chrono::milliseconds(3000), ""}});
  EXPECT_EQ(reply.response.id, 7u);
  EXPECT_EQ(reply.response.status, 429);
  EXPECT_EQ(reply.response.body, "{\"code\":-1003}");
  ASSERT_TRUE(reply.response.retry_after);
  EXPECT_EQ(reply.response.retry_after->count(), 3000);
  const Event failed = round_trip({.kind = Kind::response, .response = {8, 0, "", std::nullopt, "TLS handshake: x"}});
  EXPECT_EQ(failed.response.error, "TLS handshake: x");
  EXPECT_FALSE(failed.response.retry_after);
  const Event end = round_trip({.kind = Kind::end, .text = "stopping: SIGTERM", .last = true});
  EXPECT_EQ(end.text, "stopping: SIGTERM");
  EXPECT_TRUE(end.last);
  for (Kind k : {Kind::send, Kind::tick, Kind::clock}) EXPECT_EQ(round_trip({.kind = k}).kind, k);
}

TEST(CaptureFormat, HeaderComesBack) {
  Header h{"okx", "0.1.0", 1000, 600000, 10, {{"wss://a/ws", {"BTC-USDT"}}, {"wss://a/ws", {"ETH-USDT", "SOL-USDT"}}}};
  std::string line;
  append_header(h, 42, line);
  line.pop_back();
  Reader reader;
  bool is_header = false;
  Header back;
  Event ignored;
  ASSERT_EQ(reader.parse(line, is_header, back, ignored), "");
  ASSERT_TRUE(is_header);
  EXPECT_EQ(back.exchange, "okx");
  EXPECT_EQ(back.interval_ms, 1000);
  EXPECT_EQ(back.symbol_stale_ms, 600000);
  ASSERT_EQ(back.connections.size(), 2u);
  EXPECT_THAT(back.connections[1].symbols, ::testing::ElementsAre("ETH-USDT", "SOL-USDT"));
}

TEST(CaptureFormat, LinesThatAreNoRecordSayWhy) {
  Reader reader;
  bool is_header = false;
  Header h;
  Event e;
  EXPECT_EQ(reader.parse("{\"bids\":[]", is_header, h, e), "not JSON");
  EXPECT_THAT(reader.parse(R"({"bids":[],"asks":[],"ts":1})", is_header, h, e), HasSubstr("not a capture record"));
  EXPECT_THAT(reader.parse(R"({"us":1,"c":0,"event":"warp"})", is_header, h, e), HasSubstr("not a capture record"));
  EXPECT_THAT(reader.parse(R"({"us":1,"c":0,"event":"frame","b64":"%%"})", is_header, h, e),
              HasSubstr("malformed frame"));
  EXPECT_THAT(reader.parse(R"({"capture":9,"exchange":"okx","interval_ms":0,"connections":[]})", is_header, h, e),
              HasSubstr("format 9"));
  EXPECT_FALSE(decode_base64("abc", e.text));
}

}  // namespace
}  // namespace wsbook::capture
