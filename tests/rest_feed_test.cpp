// The feed of a venue whose books start from a REST snapshot, with a made-up
// venue of Binance's shape: updates buffered from subscribing on, the snapshot
// fetched and bridged by update ids, a broken book fetched again while the
// others go on, request weight paced, 429s and bad replies backed off.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <deque>

#include "fake_venue.h"
#include "wsbook/feed.h"
#include "wsbook/log.h"
#include "wsbook/venue.h"

namespace wsbook {
namespace {

using Kind = FrameResult::Kind;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using std::chrono::milliseconds;

// Updates {"s":sym,"U":n,"u":n,"pu":n,"b":[[p,a]],"a":[[p,a]]} and {"ack":1}; snapshot replies
// {"id":n,"b":..,"a":..}; error replies {"code":n,"msg":text}, -1121 for an unknown symbol.
class RestParser final : public VenueParser {
 public:
  std::string_view parse(std::string_view frame, ParsedFrame& out) override {
    out.clear();
    const auto j = nlohmann::json::parse(frame, nullptr, false);
    if (j.is_object() && j.contains("ack")) {
      out.notices.push_back({Notice::Kind::subscribed, {}, {}});
      return {};
    }
    if (!j.is_object() || !j.contains("s")) return "not an update";
    BookMessage& m = out.books.emplace_back();
    m.symbol = keep(j["s"]);
    if (j.contains("U")) m.first_seq = j["U"].get<std::int64_t>();
    if (j.contains("u")) m.seq = j["u"].get<std::int64_t>();
    if (j.contains("pu")) m.prev_seq = j["pu"].get<std::int64_t>();
    return levels(j, m, out);
  }
  std::string_view parse_snapshot(int status, std::string_view body, std::string_view symbol,
                                  ParsedFrame& out) override {
    out.clear();
    const auto j = nlohmann::json::parse(body, nullptr, false);
    if (status != 200) {
      const bool unknown = j.is_object() && j.value("code", 0) == -1121;
      out.notices.push_back({unknown ? Notice::Kind::rejected : Notice::Kind::error, symbol, keep("refused")});
      return {};
    }
    if (!j.is_object() || !j.contains("id")) return "no id";
    BookMessage& m = out.books.emplace_back();
    m.symbol = symbol;
    m.snapshot = true;
    m.seq = j["id"].get<std::int64_t>();
    return levels(j, m, out);
  }

 private:
  std::string_view levels(const nlohmann::json& j, BookMessage& m, ParsedFrame& out) {
    return wsbook::testing::read_levels(j, m, out, [this](const nlohmann::json& v) { return keep(v); });
  }
  std::string_view keep(const nlohmann::json& v) { return texts_.emplace_back(v.get<std::string>()); }
  std::deque<std::string> texts_;
};

class RestVenue final : public Venue {
 public:
  RestVenue(bool linked, std::size_t levels) : linked_(linked), levels_(levels) {}
  std::string_view name() const override { return "rest"; }
  std::string default_url() const override { return "wss://rest/"; }
  std::string check_symbol(std::string_view) const override { return {}; }
  std::size_t symbols_per_connection() const override { return 100; }
  std::vector<std::string> subscribe(const std::vector<std::string>& s, std::size_t) const override {
    return {"sub " + std::to_string(s.size())};
  }
  // A limit of 600 a minute: bursts of 100, then 300 a minute; each snapshot weighs 10.
  std::optional<RestSnapshots> rest_snapshots(std::size_t) const override {
    return RestSnapshots{"https://rest.test", levels_, 10, 600};
  }
  std::string snapshot_url(std::string_view base, std::string_view symbol, std::size_t levels) const override {
    return std::string(base) + "/depth?symbol=" + std::string(symbol) + "&limit=" + std::to_string(levels);
  }
  IntegrityKind integrity() const override {
    return linked_ ? IntegrityKind::update_range_linked : IntegrityKind::update_range;
  }
  std::unique_ptr<VenueParser> make_parser() const override { return std::make_unique<RestParser>(); }

 private:
  bool linked_;
  std::size_t levels_;
};

using wsbook::testing::FakeLink;

struct RestRun {
  explicit RestRun(std::vector<std::string> symbols, bool linked = false, std::size_t levels = 100)
      : venue(linked, levels), log(LogLevel::error, stderr),
        feed(make_feed(venue, {.symbols = std::move(symbols), .depth = 2, .backoff = {milliseconds(500)}}, log)) {
    feed->on_connect(link);
  }
  Kind send(const std::string& frame, std::int64_t now = 1000) {
    last = feed->on_frame(frame, now, link, out);
    return last.kind;
  }
  // Answers the last fetch asked for.
  Kind answer(int status, const std::string& body, std::int64_t now = 1000,
              std::optional<milliseconds> retry_after = std::nullopt) {
    last = feed->on_response({link.fetched.back().id, status, body, retry_after, {}}, now, link, out);
    return last.kind;
  }
  std::vector<std::string> lines() const { return wsbook::testing::lines_in(out); }
  RestVenue venue;
  Log log;
  FakeLink link;
  std::unique_ptr<Feed> feed;
  FrameResult last;
  std::string out;
};

TEST(RestFeed, FetchesOnceTheFirstUpdateCameAndWritesNothingBefore) {
  RestRun run({"A"});
  EXPECT_TRUE(run.link.fetched.empty());
  EXPECT_EQ(run.send(R"({"s":"A","U":5,"u":6,"b":[["1","1"]]})"), Kind::nothing);
  ASSERT_EQ(run.link.fetched.size(), 1u);
  EXPECT_EQ(run.link.fetched[0].url, "https://rest.test/depth?symbol=A&limit=100");
  EXPECT_EQ(run.link.fetched[0].delay, milliseconds(0));
  run.send(R"({"s":"A","U":7,"u":7,"b":[["1","2"]]})");
  EXPECT_EQ(run.link.fetched.size(), 1u);  // one request in flight
  EXPECT_TRUE(run.out.empty());
}

TEST(RestFeed, TheSubscribeAckFetchesTheSnapshotOfEverySymbolStillWithoutOne) {
  RestRun run({"A", "QUIET"});
  run.send(R"({"s":"A","U":5,"u":6,"b":[["1","1"]]})");
  EXPECT_EQ(run.send(R"({"ack":1})"), Kind::nothing);
  ASSERT_EQ(run.link.fetched.size(), 2u);  // A's was asked for already
  EXPECT_THAT(run.link.fetched[1].url, HasSubstr("symbol=QUIET"));
  EXPECT_GE(run.link.fetched[1].delay, milliseconds(1000));  // a busy symbol's updates come first
  // Nothing buffered: no line until an update shows the snapshot is not older than the stream.
  EXPECT_EQ(run.answer(200, R"({"id":40,"b":[["3","1"]]})"), Kind::snapshot);
  EXPECT_TRUE(run.out.empty());
  EXPECT_EQ(run.send(R"({"s":"QUIET","U":39,"u":40,"b":[["3","7"]]})"), Kind::nothing);  // in it already
  EXPECT_EQ(run.send(R"({"s":"QUIET","U":41,"u":41,"b":[["3","2"]]})"), Kind::line);
  EXPECT_THAT(run.lines(), ElementsAre(R"({"exchange":"rest","symbol":"QUIET","bids":[[3,2]],"asks":[],"ts":1000})"));
}

TEST(RestFeed, ASnapshotThatCameBeforeAnyUpdateAndIsOlderThanTheStreamWritesNothing) {
  RestRun run({"A"});
  run.send(R"({"ack":1})");
  run.answer(200, R"({"id":10,"b":[["3","1"]]})");
  EXPECT_EQ(run.send(R"({"s":"A","U":20,"u":21,"b":[["3","2"]]})"), Kind::nothing);  // 11-19 missed: rebuilt
  EXPECT_EQ(run.feed->stats().gaps, 1u);
  EXPECT_TRUE(run.out.empty());
}

TEST(RestFeed, BridgesTheBufferedUpdatesToTheSnapshotInOneLine) {
  RestRun run({"A"});
  run.send(R"({"s":"A","U":5,"u":6,"b":[["1","9"]]})");    // in the snapshot: dropped
  run.send(R"({"s":"A","U":7,"u":9,"b":[["1","2"]]})");    // straddles id 8: applied
  run.send(R"({"s":"A","U":10,"u":10,"a":[["3","1"]]})");  // next: applied
  EXPECT_EQ(run.answer(200, R"({"id":8,"b":[["1","1"]],"a":[["4","1"]]})"), Kind::snapshot);
  EXPECT_THAT(run.last.message, HasSubstr("2 buffered updates applied, 1 already in it"));
  EXPECT_THAT(run.lines(), ElementsAre(R"({"bids":[[1,2]],"asks":[[3,1],[4,1]],"ts":1000})"));
  EXPECT_EQ(run.send(R"({"s":"A","U":11,"u":12,"b":[["1","5"]]})"), Kind::line);
  EXPECT_EQ(run.feed->stats().gaps, 0u);
}

TEST(RestFeed, AnUpdateTheSnapshotAlreadyHoldsIsDroppedEvenAfterTheReply) {
  RestRun run({"A"});
  run.send(R"({"s":"A","U":5,"u":6,"b":[["1","9"]]})");
  run.answer(200, R"({"id":9,"b":[["1","1"]],"a":[["4","1"]]})");
  run.out.clear();
  EXPECT_EQ(run.send(R"({"s":"A","U":7,"u":9,"b":[["1","7"]]})"), Kind::nothing);  // came late, already in
  EXPECT_EQ(run.send(R"({"s":"A","U":10,"u":11,"b":[["1","3"]]})"), Kind::line);
  EXPECT_THAT(run.lines(), ElementsAre(R"({"bids":[[1,3]],"asks":[[4,1]],"ts":1000})"));
}

TEST(RestFeed, ASnapshotOlderThanTheFirstUpdateIsFetchedAgain) {
  RestRun run({"A"});
  run.send(R"({"s":"A","U":20,"u":21,"b":[["1","9"]]})");
  EXPECT_EQ(run.answer(200, R"({"id":15,"b":[["1","1"]]})"), Kind::nothing);
  ASSERT_EQ(run.link.fetched.size(), 2u);
  EXPECT_GE(run.link.fetched[1].delay, milliseconds(500));  // backed off
  EXPECT_EQ(run.answer(200, R"({"id":21,"b":[["1","1"]]})"), Kind::snapshot);
  EXPECT_THAT(run.lines(), ElementsAre(R"({"bids":[[1,1]],"asks":[],"ts":1000})"));
}

// A feed that keeps sending while no snapshot comes cannot grow the buffer without bound: past
// its bytes (or its count) the oldest updates go, and a snapshot older than what is kept is
// fetched again.
TEST(RestFeed, TheBufferedUpdatesAreCappedOldestFirst) {
  RestRun run({"A"});
  const std::string pad(std::size_t{1} << 20, 'x');  // 1 MiB and a little a frame: 31 fit in 32 MiB
  for (int u = 1; u <= 40; ++u) {
    const std::string id = std::to_string(u);
    run.send(R"({"s":"A","U":)" + id + R"(,"u":)" + id + R"(,"b":[["1",")" + id + R"("]],"x":")" + pad + R"("})");
  }
  EXPECT_EQ(run.answer(200, R"({"id":5,"b":[["1","1"]]})"), Kind::nothing);  // 10 is the oldest kept
  ASSERT_EQ(run.link.fetched.size(), 2u);
  EXPECT_EQ(run.answer(200, R"({"id":20,"b":[["1","1"]]})"), Kind::snapshot);
  EXPECT_THAT(run.last.message, HasSubstr("20 buffered updates applied, 11 already in it"));
  EXPECT_THAT(run.lines(), ElementsAre(R"({"bids":[[1,40]],"asks":[],"ts":1000})"));
}

TEST(RestFeed, AFirstUpdateThatDoesNotReachTheSnapshotRebuildsTheBook) {
  RestRun run({"A"});
  run.send(R"({"s":"A","U":5,"u":6,"b":[["1","9"]]})");
  run.answer(200, R"({"id":6,"b":[["1","1"]]})");
  run.out.clear();
  EXPECT_EQ(run.send(R"({"s":"A","U":9,"u":9,"b":[["1","2"]]})"), Kind::nothing);  // 7 and 8 lost
  EXPECT_EQ(run.feed->stats().gaps, 1u);
  EXPECT_EQ(run.send(R"({"s":"A","U":10,"u":10,"b":[["1","3"]]})"), Kind::nothing);
  EXPECT_EQ(run.link.fetched.size(), 2u);
  EXPECT_TRUE(run.out.empty());
}

TEST(RestFeed, AGapRebuildsThatSymbolAloneWhileTheOtherGoesOn) {
  RestRun run({"A", "B"});
  run.send(R"({"s":"A","U":1,"u":1,"b":[["1","1"]]})");
  run.answer(200, R"({"id":1,"b":[["1","1"]]})");
  run.send(R"({"s":"B","U":1,"u":1,"b":[["5","1"]]})");
  run.answer(200, R"({"id":1,"b":[["5","1"]]})");
  run.out.clear();
  EXPECT_EQ(run.send(R"({"s":"A","U":3,"u":3,"b":[["1","2"]]})"), Kind::nothing);  // 2 lost
  EXPECT_EQ(run.send(R"({"s":"B","U":2,"u":2,"b":[["5","2"]]})"), Kind::line);
  EXPECT_EQ(run.send(R"({"s":"A","U":4,"u":4,"b":[["1","3"]]})"), Kind::nothing);
  ASSERT_EQ(run.link.fetched.size(), 3u);
  EXPECT_THAT(run.link.fetched[2].url, HasSubstr("symbol=A"));
  EXPECT_EQ(run.answer(200, R"({"id":4,"b":[["1","3"]]})"), Kind::snapshot);
  EXPECT_THAT(run.lines(), ElementsAre(R"({"exchange":"rest","symbol":"B","bids":[[5,2]],"asks":[],"ts":1000})",
                                       R"({"exchange":"rest","symbol":"A","bids":[[1,3]],"asks":[],"ts":1000})"));
  EXPECT_TRUE(run.link.sent.size() == 1);  // subscribed once: no resubscribe, no restart
}

TEST(RestFeed, ATooManyRequestsReplyHoldsEveryFetchForItsRetryAfter) {
  RestRun run({"A", "B"});
  run.send(R"({"s":"A","U":1,"u":1})");
  EXPECT_EQ(run.answer(429, R"({"code":-1003,"msg":"Too many requests"})", 1000, milliseconds(7000)), Kind::nothing);
  ASSERT_EQ(run.link.fetched.size(), 2u);
  EXPECT_GE(run.link.fetched[1].delay, milliseconds(7000));
  run.send(R"({"s":"B","U":1,"u":1})", 2000);  // B's first fetch waits as well
  ASSERT_EQ(run.link.fetched.size(), 3u);
  EXPECT_GE(run.link.fetched[2].delay, milliseconds(6000));
  EXPECT_EQ(run.feed->stats().fetch_failures, 1u);
}

TEST(RestFeed, AMalformedOrLostReplyIsFetchedAgainAfterABackoffAndNothingIsWritten) {
  RestRun run({"A"});
  run.send(R"({"s":"A","U":1,"u":1,"b":[["1","1"]]})");
  EXPECT_EQ(run.answer(200, "<html>"), Kind::nothing);
  EXPECT_EQ(run.feed->on_response({run.link.fetched.back().id, 0, {}, {}, "timeout"}, 1000, run.link, run.out).kind,
            Kind::nothing);
  ASSERT_EQ(run.link.fetched.size(), 3u);
  EXPECT_GE(run.link.fetched[2].delay, milliseconds(500));
  EXPECT_TRUE(run.out.empty());
  EXPECT_EQ(run.feed->stats().fetch_failures, 2u);
}

TEST(RestFeed, AnUnknownOnlySymbolEndsWithTheUsageExitCode) {
  RestRun run({"NOPE"});
  run.send(R"({"s":"NOPE","U":1,"u":1})");
  EXPECT_EQ(run.answer(400, R"({"code":-1121,"msg":"Invalid symbol."})"), Kind::fatal);
  EXPECT_EQ(run.last.exit_code, 2);
}

TEST(RestFeed, AnUnknownSymbolAmongOthersIsDroppedAndTheRestGoOn) {
  RestRun run({"NOPE", "A"});
  run.send(R"({"s":"NOPE","U":1,"u":1})");
  EXPECT_EQ(run.answer(400, R"({"code":-1121,"msg":"Invalid symbol."})"), Kind::nothing);
  run.send(R"({"s":"A","U":1,"u":1,"b":[["1","1"]]})");
  EXPECT_EQ(run.answer(200, R"({"id":1,"b":[["1","1"]]})"), Kind::snapshot);
}

TEST(RestFeed, ManySymbolsFetchInABurstThenAtTheWeightRate) {
  std::vector<std::string> symbols;
  for (int i = 0; i < 20; ++i) symbols.push_back("S" + std::to_string(i));
  RestRun run(symbols);
  for (const auto& s : symbols) run.send(R"({"s":")" + s + R"(","U":1,"u":1})");
  ASSERT_EQ(run.link.fetched.size(), 20u);
  // A burst of 100 weight (10 snapshots), then 300 a minute: one every 2 s.
  EXPECT_EQ(run.link.fetched[9].delay, milliseconds(0));
  EXPECT_EQ(run.link.fetched[10].delay, milliseconds(2000));
  EXPECT_EQ(run.link.fetched[19].delay, milliseconds(20'000));
}

TEST(RestFeed, AnAnswerToAnEarlierConnectionIsIgnored) {
  RestRun run({"A"});
  run.send(R"({"s":"A","U":1,"u":1})");
  const std::uint64_t old_id = run.link.fetched.back().id;
  run.feed->on_connect(run.link);
  EXPECT_EQ(run.feed->on_response({old_id, 200, R"({"id":1,"b":[["1","1"]]})", {}, {}}, 1000, run.link, run.out).kind,
            Kind::nothing);
  EXPECT_TRUE(run.out.empty());
}

TEST(RestFeed, LinkedUpdatesChainByTheirPreviousId) {
  RestRun run({"A"}, /*linked=*/true);
  run.send(R"({"s":"A","U":3,"u":8,"pu":2,"b":[["1","9"]]})");  // ends at the snapshot's id: in it already
  run.answer(200, R"({"id":8,"b":[["1","1"]]})");
  EXPECT_EQ(run.send(R"({"s":"A","U":12,"u":15,"pu":8,"b":[["1","2"]]})"), Kind::line);  // ids need not touch
  EXPECT_EQ(run.send(R"({"s":"A","U":20,"u":22,"pu":16,"b":[["1","3"]]})"), Kind::nothing);
  EXPECT_EQ(run.feed->stats().gaps, 1u);
  EXPECT_THAT(run.lines(), ElementsAre(R"({"bids":[[1,1]],"asks":[],"ts":1000})",
                                       R"({"bids":[[1,2]],"asks":[],"ts":1000})"));
}

TEST(RestFeed, ALinkedUpdateStraddlingTheSnapshotIsKept) {
  RestRun run({"A"}, /*linked=*/true);
  run.send(R"({"s":"A","U":7,"u":9,"pu":5,"b":[["1","9"]]})");
  EXPECT_EQ(run.answer(200, R"({"id":8,"b":[["1","1"]]})"), Kind::snapshot);
  EXPECT_THAT(run.lines(), ElementsAre(R"({"bids":[[1,9]],"asks":[],"ts":1000})"));
  EXPECT_EQ(run.send(R"({"s":"A","U":10,"u":10,"pu":9,"b":[["1","3"]]})"), Kind::line);
}

TEST(RestFeed, LevelsBeyondATruncatedSnapshotAreNeverWritten) {
  RestRun run({"A"}, false, /*levels=*/3);
  run.send(R"({"s":"A","U":1,"u":1})");
  run.answer(200, R"({"id":1,"b":[["10","1"],["9","1"],["8","1"]],"a":[["11","1"]]})");
  run.out.clear();
  // 7 is below what the snapshot knew: levels between 8 and 7 may exist unseen.
  run.send(R"({"s":"A","U":2,"u":2,"b":[["10","0"],["7","1"]]})");
  EXPECT_THAT(run.lines(), ElementsAre(R"({"bids":[[9,1],[8,1]],"asks":[[11,1]],"ts":1000})"));
  // One known bid left, fewer than a line's two: rebuilt.
  EXPECT_EQ(run.send(R"({"s":"A","U":3,"u":3,"b":[["9","0"]]})"), Kind::nothing);
  EXPECT_EQ(run.send(R"({"s":"A","U":4,"u":4,"b":[["6","1"]]})"), Kind::nothing);
  EXPECT_EQ(run.link.fetched.size(), 2u);
}


// Markers and --interval: a snapshot that came before any update is not a book
// to write until an update bridges it, nor is an answer after a restart verdict.
struct MarkedRun {
  explicit MarkedRun(milliseconds interval)
      : venue(false, 100), log(LogLevel::error, stderr),
        feed(make_feed(venue, {.symbols = {"A"}, .depth = 2, .markers = true, .interval = interval}, log)) {
    feed->on_connect(link);
  }
  void answer(const std::string& body, std::int64_t now) {
    feed->on_response({link.fetched.back().id, 200, body, std::nullopt, {}}, now, link, out);
  }
  RestVenue venue;
  Log log;
  FakeLink link;
  std::unique_ptr<Feed> feed;
  std::string out;
};

TEST(RestFeed, ALoneSnapshotIsNoBookUntilAnUpdateBridgesIt) {
  MarkedRun run(milliseconds(100));
  run.feed->on_frame(R"({"ack":1})", 1000, run.link, run.out);
  run.answer(R"({"id":10,"b":[["3","1"]]})", 1010);
  run.feed->on_clock(1101, run.out);
  run.feed->on_clock(1201, run.out);
  EXPECT_EQ(run.out, "");  // a cache may serve an old snapshot
  run.feed->on_frame(R"({"s":"A","U":11,"u":12,"b":[["3","2"]]})", 1250, run.link, run.out);
  run.feed->on_clock(1301, run.out);
  const auto lines = wsbook::testing::lines_in(run.out);
  ASSERT_EQ(lines.size(), 2u) << run.out;
  EXPECT_THAT(lines[0], HasSubstr(R"("event":"resync")"));
  EXPECT_EQ(lines[1], R"({"bids":[[3,2]],"asks":[],"ts":1300})");
}

TEST(RestFeed, AnOldLoneSnapshotLeavesNoRecordAndNoLine) {
  MarkedRun run(milliseconds(100));
  run.feed->on_frame(R"({"ack":1})", 1000, run.link, run.out);
  run.answer(R"({"id":10,"b":[["3","1"]]})", 1010);
  run.feed->on_frame(R"({"s":"A","U":20,"u":21,"b":[["3","2"]]})", 1250, run.link, run.out);
  run.feed->on_clock(1301, run.out);
  EXPECT_EQ(run.out, "");
}

TEST(RestFeed, AnAnswerAfterARestartVerdictIsNotBelieved) {
  MarkedRun run(milliseconds(0));
  run.feed->on_frame(R"({"s":"A","U":5,"u":6,"b":[["1","1"]]})", 1000, run.link, run.out);
  EXPECT_EQ(run.feed->on_frame("garbage", 1001, run.link, run.out).kind, Kind::resync);
  run.answer(R"({"id":6,"b":[["1","1"]]})", 1002);  // came during the close handshake
  run.feed->on_disconnect("dropped the connection to resync", false, 1003, run.out);
  EXPECT_EQ(run.out.find("\"bids\""), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find(R"("event":"resync")"), std::string::npos) << run.out;
}
}  // namespace
}  // namespace wsbook
