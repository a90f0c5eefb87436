// Scenarios of what a feed writes, and when it refuses to.
#include "wsbook/feed.h"
#include "wsbook/log.h"
#include "wsbook/venue.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fake_link.h"
#include "test_data.h"

namespace wsbook {
namespace {

using Kind = FrameResult::Kind;

std::string v1_change(std::string_view side, std::string_view price, std::string_view remaining,
                      std::string_view reason = "place") {
  return R"({"type":"change","side":")" + std::string(side) + R"(","price":")" + std::string(price) +
         R"(","remaining":")" + std::string(remaining) + R"(","delta":"1","reason":")" +
         std::string(reason) + R"("})";
}

std::string v1_update(int seq, const std::vector<std::string>& events) {
  std::string frame = R"({"type":"update","eventId":)" + std::to_string(1000 + seq) +
                      R"(,"socket_sequence":)" + std::to_string(seq) + R"(,"events":[)";
  for (std::size_t i = 0; i < events.size(); ++i) frame += (i ? "," : "") + events[i];
  return frame + "]}";
}

std::string v1_heartbeat(int seq) {
  return R"({"type":"heartbeat","socket_sequence":)" + std::to_string(seq) + "}";
}

using testing::FakeLink;

// A feed plus everything it wrote, one frame at a time.
struct FeedRun {
  explicit FeedRun(const std::string& exchange, FeedOptions options)
      : log(LogLevel::error, stderr),
        feed(exchange == "raw" ? make_raw_feed({}) : make_feed(*find_venue(exchange), options, log)) {
    feed->on_connect(link);
  }
  Kind send(const std::string& frame) {
    last = feed->on_frame(frame, 7, link, out);
    return last.kind;
  }
  std::vector<std::string> lines() const {
    std::vector<std::string> v;
    for (std::size_t a = 0, b; (b = out.find('\n', a)) != std::string::npos; a = b + 1) {
      v.push_back(out.substr(a, b - a));
    }
    return v;
  }
  Log log;
  FakeLink link;
  std::unique_ptr<Feed> feed;
  FrameResult last;
  std::string out;
};

FeedRun v1(std::size_t depth = 10, bool on_change = false) {
  return FeedRun("gemini", {.symbols = {"BTCUSD"}, .depth = depth, .on_change = on_change});
}

const std::vector<std::string> kInitial = {v1_change("bid", "99", "1", "initial"),
                                           v1_change("ask", "101", "2", "initial")};

TEST(GeminiV1Feed, WritesTheInitialSnapshotThenEveryBookChange) {
  FeedRun run = v1();
  EXPECT_EQ(run.send(v1_update(0, kInitial)), Kind::snapshot);
  EXPECT_EQ(run.last.message, "initial snapshot: 1 bids, 1 asks");
  EXPECT_EQ(run.send(v1_update(1, {v1_change("bid", "100", "3")})), Kind::line);
  EXPECT_THAT(run.lines(), ::testing::ElementsAre(R"({"bids":[[99,1]],"asks":[[101,2]],"ts":7})",
                                                  R"({"bids":[[100,3],[99,1]],"asks":[[101,2]],"ts":7})"));
}

TEST(GeminiV1Feed, HeartbeatsAndTradeOnlyFramesWriteNothingButCountInTheSequence) {
  FeedRun run = v1();
  run.send(v1_update(0, kInitial));
  EXPECT_EQ(run.send(v1_heartbeat(1)), Kind::nothing);
  const std::string trade =
      R"({"type":"trade","tid":5,"price":"100","amount":"1","makerSide":"ask"})";
  EXPECT_EQ(run.send(v1_update(2, {trade})), Kind::nothing);
  EXPECT_EQ(run.send(v1_update(3, {v1_change("ask", "101", "0")})), Kind::line);
  EXPECT_EQ(run.lines().size(), 2u);
}

TEST(GeminiV1Feed, SequenceGapRepeatAndWrongStartAllResync) {
  for (const auto& frames : std::vector<std::vector<std::string>>{
           {v1_update(0, kInitial), v1_heartbeat(2)},           // gap
           {v1_update(0, kInitial), v1_heartbeat(1), v1_heartbeat(1)},  // repeat
           {v1_update(1, kInitial)}}) {                         // does not start at 0
    FeedRun run = v1();
    Kind last = Kind::nothing;
    for (const auto& f : frames) last = run.send(f);
    EXPECT_EQ(last, Kind::resync);
    EXPECT_THAT(run.last.message, ::testing::HasSubstr("sequence"));
    EXPECT_EQ(run.feed->stats().gaps, 1u);
  }
}

TEST(GeminiV1Feed, NewConnectionStartsFromAnEmptyBookWithoutGhostLevels) {
  FeedRun run = v1();
  run.send(v1_update(0, kInitial));
  run.send(v1_update(1, {v1_change("bid", "98", "5")}));
  run.feed->on_connect(run.link);
  EXPECT_FALSE(run.feed->has_snapshot());
  run.out.clear();
  run.send(v1_update(0, {v1_change("ask", "102", "1", "initial")}));
  EXPECT_THAT(run.lines(), ::testing::ElementsAre(R"({"bids":[],"asks":[[102,1]],"ts":7})"));
}

TEST(GeminiV1Feed, UpdatesBeforeTheSnapshotAreDroppedAndCounted) {
  FeedRun run = v1();
  // A connection whose first frame is a heartbeat: updates wait for the initial book.
  run.send(v1_heartbeat(0));
  EXPECT_EQ(run.send(v1_update(1, {v1_change("bid", "50", "1")})), Kind::nothing);
  EXPECT_EQ(run.feed->stats().dropped_before_snapshot, 1u);
  EXPECT_EQ(run.send(v1_update(2, kInitial)), Kind::snapshot);
  EXPECT_THAT(run.lines(), ::testing::ElementsAre(R"({"bids":[[99,1]],"asks":[[101,2]],"ts":7})"));
}

TEST(GeminiV1Feed, EmptyInitialBookStillCountsAsTheSnapshot) {
  FeedRun run = v1();
  EXPECT_EQ(run.send(v1_update(0, {})), Kind::snapshot);
  EXPECT_TRUE(run.feed->has_snapshot());
  EXPECT_EQ(run.out, "{\"bids\":[],\"asks\":[],\"ts\":7}\n");  // an empty book is a fact worth a line
}

TEST(GeminiV1Feed, CrossedBookIsNeverWritten) {
  FeedRun run = v1();
  run.send(v1_update(0, kInitial));
  run.out.clear();
  EXPECT_EQ(run.send(v1_update(1, {v1_change("bid", "101", "1")})), Kind::resync);
  EXPECT_THAT(run.last.message, ::testing::HasSubstr("crossed"));
  EXPECT_EQ(run.out, "");
}

TEST(GeminiV1Feed, MalformedFrameResyncsAndLogsItsStart) {
  FeedRun run = v1();
  run.send(v1_update(0, kInitial));
  EXPECT_EQ(run.send("{\"type\":\"update\",garbage" + std::string(500, 'x')), Kind::resync);
  EXPECT_THAT(run.last.message, ::testing::HasSubstr("malformed"));
  EXPECT_LT(run.last.message.size(), 300u);
  EXPECT_EQ(run.feed->stats().malformed, 1u);
}

// The wrong snapshot a new user found: a price sent as a JSON number was applied.
TEST(GeminiV1Feed, APriceOfTheWrongJsonTypeIsRefusedAndNeverWritten) {
  FeedRun run = v1();
  run.send(v1_update(0, kInitial));
  run.out.clear();
  const std::string numeric =
      R"({"type":"change","side":"bid","price":6499.32,"remaining":"1","delta":"1","reason":"place"})";
  EXPECT_EQ(run.send(v1_update(1, {numeric})), Kind::resync);
  EXPECT_THAT(run.last.message, ::testing::HasSubstr("price: string expected, got number"));
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.feed->stats().malformed, 1u);
}

TEST(GeminiV1Feed, HostileFramesAreMalformedNeverACrash) {
  const std::vector<std::string> hostile = {
      std::string(100000, '[') + std::string(100000, ']'),                       // deeply nested
      "{\"type\":\"heartbeat\",\"socket_sequence\":1,\"x\":\"\xff\xfe\"}",       // invalid UTF-8
      R"({"type":"update","eventId":1,"socket_sequence":1,"events":[{"type":"change","side":"bid","price":")" +
          std::string(400, '9') + R"(","remaining":"1"}]})",                       // a 400-digit price
      std::string("\0\0\0", 3),                                                  // binary
      "",
  };
  for (const auto& frame : hostile) {
    FeedRun run = v1();
    run.send(v1_update(0, kInitial));
    EXPECT_EQ(run.send(frame), Kind::resync) << frame.substr(0, 40);
    EXPECT_THAT(run.last.message, ::testing::HasSubstr("malformed"));
  }
}

TEST(GeminiV1Feed, OnChangeWritesOnlyWhenTheTopLevelsChange) {
  FeedRun run = v1(1, true);
  run.send(v1_update(0, kInitial));
  EXPECT_EQ(run.send(v1_update(1, {v1_change("bid", "98", "1")})), Kind::nothing);  // below depth 1
  EXPECT_EQ(run.send(v1_update(2, {v1_change("bid", "99", "4")})), Kind::line);
  EXPECT_EQ(run.lines().size(), 2u);
}

TEST(GeminiV1Feed, ReplaysTheRecordedTopOfBookFrames) {
  const auto frames = testing::v1_frames();
  FeedRun run = v1();
  // Group B: seq 0-4, asks only; the book keeps just the latest ask.
  for (std::size_t i = 12; i < 17; ++i) EXPECT_NE(run.send(frames[i]), Kind::resync) << frames[i];
  EXPECT_EQ(run.lines().back(), R"({"bids":[],"asks":[[9405.78,2]],"ts":7})");
  run.feed->on_connect(run.link);
  run.out.clear();
  // Group C: heartbeats in the sequence, keys in another order, a trade-only frame.
  for (std::size_t i = 17; i < frames.size(); ++i) EXPECT_NE(run.send(frames[i]), Kind::resync);
  EXPECT_EQ(run.lines().back(), R"({"bids":[[83948.72,0.0054]],"asks":[[83948.73,0.01217013]],"ts":7})");
  EXPECT_EQ(run.lines().size(), 4u);
}

FeedRun v2(const char* symbol) { return FeedRun("gemini-v2", {.symbols = {symbol}}); }

TEST(GeminiV2Feed, KeepsOnlyItsSymbolAndResetsOnEverySnapshot) {
  FeedRun run = v2("btcusd");
  const std::string snap = R"({"type":"l2_updates","symbol":"BTCUSD","changes":[["buy","1","1"],["sell","3","1"]],"trades":[],"auction_events":[]})";
  EXPECT_EQ(run.send(R"({"type":"l2_updates","symbol":"BTCUSD","changes":[["buy","2","1"]]})"), Kind::nothing);
  EXPECT_EQ(run.feed->stats().dropped_before_snapshot, 1u);
  EXPECT_EQ(run.send(snap), Kind::snapshot);
  EXPECT_EQ(run.send(R"({"type":"l2_updates","symbol":"ETHUSD","changes":[["buy","9","1"]]})"), Kind::nothing);
  EXPECT_EQ(run.send(R"({"type":"l2_updates","symbol":"BTCUSD","changes":[["buy","2","1"]]})"), Kind::line);
  EXPECT_EQ(run.send(snap), Kind::snapshot);  // level 2 must not survive the new snapshot
  EXPECT_EQ(run.lines().back(), R"({"bids":[[1,1]],"asks":[[3,1]],"ts":7})");
  EXPECT_EQ(run.send(R"({"type":"heartbeat","timestamp":1})"), Kind::nothing);
}

TEST(GeminiV2Feed, ReplaysTheRecordedCaptureWithoutResync) {
  FeedRun run = v2("FILUSD");
  for (const auto& frame : testing::v2_capture_frames()) ASSERT_NE(run.send(frame), Kind::resync) << frame;
  EXPECT_TRUE(run.feed->has_snapshot());
  EXPECT_GT(run.lines().size(), 10u);
}

// The crawl's capture records the frames (tests/cli_test.cpp); the feed writes nothing.
TEST(RawFeed, CountsFramesAndWritesNothing) {
  FeedRun run("raw", {});
  EXPECT_FALSE(run.feed->has_snapshot());
  EXPECT_EQ(run.send("{\n  \"a\": [1, 2]\n}"), Kind::nothing);
  EXPECT_EQ(run.send(std::string("bad utf8 \xff", 10)), Kind::nothing);
  EXPECT_TRUE(run.feed->has_snapshot());
  EXPECT_TRUE(run.lines().empty());
  EXPECT_EQ(run.feed->stats().frames, 2u);
}

}  // namespace
}  // namespace wsbook
