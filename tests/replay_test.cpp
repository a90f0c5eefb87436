// --replay without a network: the capture-format copies of the recordings in
// tests/data (Gemini v2, 10 symbols; Binance, 4 symbols with their REST
// replies) give exactly the lines their frames give fed to the feed by hand;
// hand-made captures that end torn, hold a line that is no record, name a
// connection that is not there, or begin inside a session.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <sstream>

#include "fake_link.h"
#include "replay_harness.h"
#include "test_data.h"
#include "wsbook/log.h"
#include "replay/replay.h"
#include "wsbook/venue.h"

namespace wsbook::testing {
namespace {

using ::testing::HasSubstr;

// "1633998512.0633569" as unix microseconds.
std::int64_t micros(const std::string& t) {
  const auto dot = t.find('.');
  const std::string fraction = (t.substr(dot + 1) + "000000").substr(0, 6);
  return std::stoll(t.substr(0, dot)) * 1'000'000 + std::stoll(fraction);
}

// The "recv_time: frame" lines of a recording, from line `first` (0-based) on.
std::vector<std::pair<std::int64_t, std::string>> timed_frames(const std::string& file, std::size_t first) {
  std::istringstream in(read_data_file(file));
  std::vector<std::pair<std::int64_t, std::string>> frames;
  std::size_t n = 0;
  for (std::string line; std::getline(in, line); ++n) {
    const auto colon = line.find(": ");
    if (n >= first && colon != std::string::npos) frames.emplace_back(micros(line.substr(0, colon)), line.substr(colon + 2));
  }
  return frames;
}

TEST(ReplayData, GeminiV2CaptureGivesTheLinesOfItsFrames) {
  const std::vector<std::string> symbols{"BTCGBP", "LINKETH", "FILUSD", "ZECLTC", "BATBTC",
                                         "ETHEUR", "LTCETH",  "GRTUSD", "ANKRUSD", "ALCXUSD"};
  const Log quiet(LogLevel::error);
  auto feed = make_feed(*find_venue("gemini-v2"), {.symbols = symbols}, quiet);
  FakeLink link;
  feed->on_connect(link);
  std::string direct;
  for (const auto& [us, frame] : timed_frames("v2_capture_10_symbols.txt", 2)) {
    feed->on_frame(frame, Arrival::from_us(us), link, direct);
  }
  const Replayed r = replay_text(read_data_file("v2_capture_10_symbols.capture"), {});
  ASSERT_EQ(r.code, 0) << r.log;
  EXPECT_EQ(lines_in(r.texts.at(0)).size(), 655u);
  EXPECT_EQ(r.texts.at(0), direct);
}

TEST(ReplayData, BinanceCaptureBridgesItsBooksFromTheRecordedReplies) {
  const std::vector<std::string> symbols{"NKNUSDT", "BLZETH", "LRCBTC", "RUNEEUR"};
  const Log quiet(LogLevel::error);
  auto feed = make_feed(*find_venue("binance"), {.symbols = symbols}, quiet);
  FakeLink link;
  feed->on_connect(link);
  std::string direct;
  std::vector<std::pair<std::int64_t, std::string>> replies;  // when, body; in the order of the symbols
  std::istringstream http(read_data_file("BINANCE.http.0.0"));
  for (std::string line; std::getline(http, line);) {
    const auto arrow = line.find(" -> "), colon = line.find(": ", arrow);
    if (colon != std::string::npos) replies.emplace_back(micros(line.substr(arrow + 4, colon - arrow - 4)), line.substr(colon + 2));
  }
  std::size_t next = 0;
  for (const auto& [us, frame] : timed_frames("BINANCE.ws.1.0", 1)) {
    for (; next < replies.size() && replies[next].first <= us; ++next) {
      ASSERT_LT(next, link.fetched.size()) << "a reply before its fetch";
      feed->on_response({link.fetched[next].id, 200, replies[next].second, {}, {}}, replies[next].first / 1000, link, direct);
    }
    feed->on_frame(frame, Arrival::from_us(us), link, direct);
  }
  EXPECT_EQ(feed->stats().fetches, 4u);
  const Replayed r = replay_text(read_data_file("binance_4_symbols.capture"), {});
  ASSERT_EQ(r.code, 0) << r.log;
  EXPECT_THAT(r.log, HasSubstr("4 snapshots fetched, 0 failed"));
  EXPECT_EQ(lines_in(r.texts.at(0)).size(), 176u);
  EXPECT_EQ(r.texts.at(0), direct);
}

// A gemini-v2 capture of BTCUSD by hand: header, open, then `events` (after "us":N,"c":0,).
std::string v2_capture(const std::vector<std::string>& events) {
  std::string text =
      R"({"capture":1,"wsbook":"t","exchange":"gemini-v2","interval_ms":0,"us":1000,"connections":[{"url":"wss://h/v2","symbols":["BTCUSD"]}]})"
      "\n";
  std::int64_t us = 1'796'000'000'000'000;
  for (const std::string& e : events) text += R"({"us":)" + std::to_string(us += 1000) + R"(,"c":0,)" + e + "}\n";
  return text;
}

const std::string kOpen = R"("event":"open","url":"wss://h/v2","symbols":["BTCUSD"],"how":"connected to h:443")";
const std::string kSnapshot =
    R"("event":"frame","text":"{\"type\":\"l2_updates\",\"symbol\":\"BTCUSD\",\"changes\":[[\"buy\",\"100\",\"1\"],[\"sell\",\"101\",\"2\"]],\"trades\":[]}")";
std::string update(const std::string& price) {
  return R"("event":"frame","text":"{\"type\":\"l2_updates\",\"symbol\":\"BTCUSD\",\"changes\":[[\"buy\",\")" + price +
         R"(\",\"3\"]]}")";
}

TEST(ReplayEdges, ATornLastLineIsReplayedUpToWithAWarning) {
  std::string text = v2_capture({kOpen, kSnapshot, update("99")});
  text += R"({"us":1796000000009000,"c":0,"event":"frame","text":"{\"type)";  // SIGKILL mid-write
  const Replayed r = replay_text(text, {.symbols = {}, .depth = 2});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(lines_in(r.texts.at(0)).size(), 2u);
  EXPECT_THAT(r.log, HasSubstr("last line is torn"));
}

TEST(ReplayEdges, ALineThatIsNoRecordEndsItWithItsNumber) {
  const Replayed r = replay_text(v2_capture({kOpen, kSnapshot, R"("bids":[])"}), {.symbols = {}, .depth = 2});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.log, HasSubstr("the capture's line 4: not a capture record"));
  const Replayed other = replay_text(v2_capture({kOpen, kSnapshot}) + "{\"bids\":\n", {.symbols = {}, .depth = 2});
  EXPECT_EQ(other.code, 1);
  EXPECT_THAT(other.log, HasSubstr("the capture's line 4: not JSON"));
}

TEST(ReplayEdges, AConnectionNotInTheHeaderEndsIt) {
  std::string text = v2_capture({kOpen});
  text += R"({"us":1796000000009000,"c":1,"event":"tick"})" "\n";
  const Replayed r = replay_text(text, {});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.log, HasSubstr("connection 1 is not in its header"));
}

TEST(ReplayEdges, ACaptureCutShortEndsItsSessionsWithIt) {
  const Replayed r = replay_text(v2_capture({kOpen, kSnapshot, update("99")}), {.symbols = {}, .depth = 2, .markers = true});
  ASSERT_EQ(r.code, 0) << r.log;
  const auto lines = lines_in(r.texts.at(0));
  ASSERT_EQ(lines.size(), 5u) << r.texts.at(0);  // connect, resync, 2 lines, disconnect
  EXPECT_THAT(lines.front(), HasSubstr(R"("event":"connect")"));
  EXPECT_THAT(lines.back(), HasSubstr(R"("event":"disconnect")"));
  EXPECT_THAT(lines.back(), HasSubstr("the capture ends"));
}

TEST(ReplayEdges, ACaptureReopenedMidSessionStartsItsBooksOver) {
  // What a capture file holds after SIGHUP: a header, then the session's frames.
  const Replayed r = replay_text(v2_capture({update("99"), kSnapshot, update("98")}), {.symbols = {}, .depth = 2});
  ASSERT_EQ(r.code, 0) << r.log;
  const auto lines = lines_in(r.texts.at(0));
  ASSERT_EQ(lines.size(), 2u) << r.texts.at(0);  // the update before the snapshot is no line
}

TEST(ReplayEdges, CountStopsAfterItsLines) {
  const Replayed r = replay_text(v2_capture({kOpen, kSnapshot, update("99"), update("98")}), {.symbols = {}, .depth = 2},
                                 {.count = 2});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(lines_in(r.texts.at(0)).size(), 2u);
}

TEST(ReplayEdges, ALineAfterABadOneIsLostButNotTheOnesBefore) {
  const Replayed r = replay_text(v2_capture({kOpen, kSnapshot, update("99"), "garbage"}), {.symbols = {}, .depth = 2});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(lines_in(r.texts.at(0)).size(), 2u);
}

TEST(ReplayEdges, TheHeaderOfAnotherRunEndsIt) {
  std::string other = v2_capture({kOpen});
  other.replace(other.find("BTCUSD"), 6, "ETHUSD");
  const Replayed r = replay_text(v2_capture({kOpen, kSnapshot}) + other, {.symbols = {}, .depth = 2});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.log, HasSubstr("the capture's line 4: the header of another run"));
  const Replayed same = replay_text(v2_capture({kOpen, kSnapshot}) + v2_capture({update("99")}), {.symbols = {}, .depth = 2});
  EXPECT_EQ(same.code, 0) << same.log;  // the same run, reopened (SIGHUP): it goes on
  EXPECT_EQ(lines_in(same.texts.at(0)).size(), 2u);
}

TEST(ReplayEdges, AHeaderWithoutSymbolsIsRefused) {
  std::string text = v2_capture({kOpen});
  text.replace(text.find(R"(["BTCUSD"])"), 10, "[]");
  const Replayed r = replay_text(text, {});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.log, HasSubstr("without symbols"));
}

// --count reached long before the live run stopped: the sessions end at the line that reached it.
TEST(ReplayEdges, AStopOfTheReplaysOwnEndsTheSessionsThere) {
  std::string text = v2_capture({kOpen, kSnapshot, update("99"), update("98")});
  text += R"({"us":1796000600000000,"c":0,"event":"end","reason":"stopping: SIGTERM","last":true})" "\n";
  const Replayed r = replay_text(text, {.symbols = {}, .depth = 2, .markers = true}, {.count = 1});
  ASSERT_EQ(r.code, 0) << r.log;
  const auto lines = lines_in(r.texts.at(0));
  ASSERT_FALSE(lines.empty());
  EXPECT_THAT(lines.back(), HasSubstr(R"("reason":"stopping: --count lines written","ts":1796000000002})"));
}

// A capture whose process stood still for ten minutes: a live clock wakes once, late, not 600 times.
TEST(ReplayEdges, AnIntervalClockWakesOnceAfterAStall) {
  std::string text = v2_capture({kOpen, kSnapshot});
  text += R"({"us":1796000600000000,"c":0,"event":"tick"})" "\n";
  FeedOptions feed{.symbols = {}, .depth = 2};
  feed.interval = std::chrono::milliseconds(1000);
  const Replayed r = replay_text(text, feed, {.interval = std::chrono::milliseconds(1000)});
  ASSERT_EQ(r.code, 0) << r.log;
  EXPECT_LE(lines_in(r.texts.at(0)).size(), 3u) << r.texts.at(0);
}

TEST(ReplayRefusal, ADepthThatAsksTheVenueForOtherBooksIsRefused) {
  const capture::Header kraken{"kraken", "t", 0, 0, 10, {{"wss://h", {"BTC/USD"}}}};
  EXPECT_EQ(refuse_replay(kraken, *find_venue("kraken"), 10).code, 0);
  const ReplayRefusal deeper = refuse_replay(kraken, *find_venue("kraken"), 25);
  EXPECT_EQ(deeper.code, 2);
  EXPECT_THAT(deeper.reason, HasSubstr("recorded at --depth 10"));
  const capture::Header binance{"binance", "t", 0, 0, 10, {{"wss://h", {"BTCUSDT"}}}};
  EXPECT_EQ(refuse_replay(binance, *find_venue("binance"), 500).code, 0);  // the same 1,000-level snapshots
  EXPECT_EQ(refuse_replay(binance, *find_venue("binance"), 501).code, 2);
}

}  // namespace
}  // namespace wsbook::testing
