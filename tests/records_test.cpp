// What a feed writes about itself: --markers records where a series breaks or
// starts, --fields after ts, and --interval lines at the clock's instants, with
// the made-up venue of fake_venue.h.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fake_venue.h"

namespace wsbook {
namespace {

using namespace wsbook::testing;  // NOLINT(google-build-using-namespace)
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using nlohmann::json;

FeedOptions marked(std::vector<std::string> symbols) {
  return {.symbols = std::move(symbols), .depth = 2, .markers = true};
}

// Each line as JSON; the test fails on one that is not.
std::vector<json> parsed(const FeedRun& run) {
  std::vector<json> v;
  for (const std::string& line : run.lines()) {
    json j = json::parse(line, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << line;
    v.push_back(std::move(j));
  }
  return v;
}

// "gap A", "resync A", "connect", "line A", ...: what the run wrote, in order.
std::vector<std::string> events(const FeedRun& run) {
  std::vector<std::string> v;
  for (const json& j : parsed(run)) {
    const std::string who = j.contains("symbol") ? " " + j["symbol"].get<std::string>() : "";
    v.push_back((j.contains("event") ? j["event"].get<std::string>() : "line") + who);
  }
  return v;
}

TEST(Markers, NoneUnlessAskedFor) {
  FeedRun run(IntegrityKind::symbol_chain, {"A", "B"});
  run.send(R"({"s":"A","snap":true,"seq":1,"b":[["1","1"]]})");
  run.send(R"({"s":"A","seq":5,"prev":4,"b":[["2","1"]]})");  // a gap
  EXPECT_THAT(events(run), ElementsAre("line A"));
}

TEST(Markers, AResyncRecordComesBeforeEachBooksFirstLine) {
  FeedRun run(IntegrityKind::none, marked({"A"}));
  EXPECT_EQ(run.send(R"({"s":"A","snap":true,"b":[["1","1"]],"a":[["2","1"]]})"), Kind::snapshot);
  const auto lines = parsed(run);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], json::parse(R"({"event":"resync","exchange":"fake","symbol":"A",
                                      "reason":"initial snapshot: 1 bids, 1 asks","ts":7})"));
  EXPECT_EQ(run.last.lines, 2u);
  EXPECT_THAT(run.feed->lines_of(), ElementsAre(LineOf{0, true}, LineOf{0, false}));
}

TEST(Markers, AGapIsRecordedOncePerBrokenBookThenItsResync) {
  FeedRun run(IntegrityKind::symbol_chain, marked({"A", "B"}));
  run.send(R"({"s":"A","snap":true,"seq":1,"b":[["1","1"]]})");
  run.send(R"({"s":"B","snap":true,"seq":1,"b":[["5","1"]]})");
  run.out.clear();
  run.send(R"({"s":"A","seq":3,"prev":2,"b":[["2","1"]]})", 20);  // A's chain breaks
  run.send(R"({"s":"A","seq":4,"prev":3,"b":[["2","2"]]})", 21);  // more of the broken book: no second gap
  run.send("not json either", 22);                                  // malformed, no symbol: the connection goes
  EXPECT_EQ(run.last.kind, Kind::resync);
  EXPECT_THAT(events(run), ElementsAre("gap A", "gap B"));
  const auto lines = parsed(run);
  EXPECT_THAT(lines[0]["reason"].get<std::string>(), HasSubstr("sequence gap"));
  EXPECT_EQ(lines[0]["ts"], 20);
  EXPECT_THAT(lines[1]["reason"].get<std::string>(), HasSubstr("malformed frame"));
}

TEST(Markers, AChecksumMismatchIsAGapAndTheFreshBookAResync) {
  FeedRun run(IntegrityKind::checksum, marked({"A", "B"}));
  run.send(R"({"s":"A","snap":true,"crc":1,"b":[["1","1"]]})");
  run.out.clear();
  run.send(R"({"s":"A","crc":9,"b":[["2","1"]]})");  // the fake's checksum is the number of levels: 2
  run.send(R"({"s":"A","snap":true,"crc":1,"b":[["3","1"]]})");
  EXPECT_THAT(events(run), ElementsAre("gap A", "resync A", "line A"));
  EXPECT_THAT(parsed(run)[0]["reason"].get<std::string>(), HasSubstr("checksum mismatch"));
}

TEST(Markers, ARestartGapsEveryTrustedBookAndTheDisconnectNamesThemAll) {
  FeedRun run(IntegrityKind::connection_sequence, marked({"A", "B", "C"}));
  run.send(R"({"conn":0,"s":"A","snap":true,"b":[["1","1"]]})");
  run.send(R"({"conn":1,"s":"B","snap":true,"b":[["5","1"]]})");
  run.out.clear();
  EXPECT_EQ(run.send(R"({"conn":3,"s":"A","b":[["1","2"]]})", 30), Kind::resync);
  // Until the session is over no book of it writes, not even at an --interval instant.
  EXPECT_EQ(run.feed->on_clock(1'000'000, run.out).lines, 0u);
  EXPECT_EQ(run.feed->on_disconnect("dropped the connection to resync", false, 31, run.out).lines, 1u);
  EXPECT_THAT(events(run), ElementsAre("gap A", "gap B", "disconnect"));  // C never had a book to lose
  const auto lines = parsed(run);
  EXPECT_THAT(lines[0]["reason"].get<std::string>(), HasSubstr("expected 2, got 3"));
  EXPECT_EQ(lines[2], json::parse(R"({"event":"disconnect","exchange":"fake","symbols":["A","B","C"],
                                      "reason":"dropped the connection to resync","ts":31})"));
  EXPECT_THAT(run.feed->lines_of(), ElementsAre(LineOf{LineOf::kConnection, true}));
}

TEST(Markers, ADroppedConnectionGapsItsBooksAndTheLastOneDoesNot) {
  FeedRun run(IntegrityKind::none, marked({"A", "B"}));
  run.send(R"({"s":"A","snap":true,"b":[["1","1"]]})");
  run.out.clear();
  run.feed->on_disconnect("no frame for 30.0 s", false, 40, run.out);
  EXPECT_THAT(events(run), ElementsAre("gap A", "disconnect"));
  EXPECT_EQ(parsed(run)[0]["reason"], "disconnect: no frame for 30.0 s");
  EXPECT_EQ(run.feed->symbol_reports()[0].rebuilds, 1u);

  run.feed->on_connect(run.link);
  run.out.clear();
  run.feed->record_connect("reconnected to fake:443", 50, run.out);
  run.send(R"({"s":"A","snap":true,"b":[["1","1"]]})", 51);
  run.feed->on_disconnect("stopping: SIGTERM", true, 60, run.out);  // the crawl ends: no book broke
  EXPECT_THAT(events(run), ElementsAre("connect", "resync A", "line A", "disconnect"));
  EXPECT_EQ(parsed(run)[0]["reason"], "reconnected to fake:443");
  EXPECT_EQ(run.feed->symbol_reports()[0].rebuilds, 1u);
}

TEST(Markers, ARejectedSymbolLeavesTheConnectionsListAndABrokenBookHasOneGap) {
  FeedRun run(IntegrityKind::symbol_chain, marked({"A", "B", "C"}));
  run.send(R"({"reject":"B"})", 9);  // it never had a book: nothing broke
  run.feed->record_connect("connected", 10, run.out);
  run.send(R"({"s":"A","snap":true,"seq":1,"b":[["1","1"]]})");
  run.send(R"({"s":"A","seq":5,"prev":4,"b":[["2","1"]]})");  // a gap: A is resubscribed
  run.send(R"({"reject":"A"})");                              // and refused: the same broken book
  EXPECT_THAT(events(run), ElementsAre("connect", "resync A", "line A", "gap A"));
  EXPECT_EQ(parsed(run)[0]["symbols"], json::parse(R"(["A","C"])"));
}

TEST(Markers, ASnapshotInBandOnATrustedBookGoesOnItsSeries) {
  FeedRun run(IntegrityKind::none, marked({"A"}));
  run.send(R"({"s":"A","snap":true,"b":[["1","1"]]})");
  run.send(R"({"s":"A","snap":true,"b":[["1","2"]]})");
  EXPECT_THAT(events(run), ElementsAre("resync A", "line", "line"));
}

TEST(Markers, BybitAtDepthOneSendsSnapshotsOnlyAndGetsOneResync) {
  Log log(LogLevel::error, stderr);
  FakeLink link;
  auto feed = make_feed(*find_venue("bybit"), {.symbols = {"BTCUSDT"}, .depth = 1, .markers = true}, log);
  feed->on_connect(link);
  std::string out;
  for (int u = 42; u < 45; ++u) {
    feed->on_frame(R"({"topic":"orderbook.1.BTCUSDT","type":"snapshot","ts":1,"data":{"s":"BTCUSDT",)"
                   R"("b":[["1.5","2"]],"a":[["1.6",")" + std::to_string(u) + R"("]],"u":)" + std::to_string(u) +
                       R"(,"seq":5},"cts":1})",
                   1000 + u, link, out);
  }
  const auto lines = lines_in(out);
  ASSERT_EQ(lines.size(), 4u) << out;
  EXPECT_THAT(lines[0], HasSubstr(R"("event":"resync")"));
}

TEST(Markers, NothingOfARestartingConnectionIsBelievedUntilItsEnd) {
  FeedOptions o = marked({"A", "B"});
  o.interval = std::chrono::milliseconds(10);
  FeedRun run(IntegrityKind::connection_sequence, o);
  run.send(R"({"conn":0,"s":"A","snap":true,"b":[["1","1"]]})", 5);
  EXPECT_EQ(run.send("not json", 6), Kind::resync);
  run.out.clear();
  EXPECT_EQ(run.send(R"({"conn":1,"s":"B","snap":true,"b":[["5","1"]]})", 30), Kind::nothing);  // on its way out
  EXPECT_EQ(run.feed->on_clock(50, run.out).lines, 0u);
  EXPECT_EQ(run.feed->on_tick(60, run.link, run.out).lines, 0u);
  EXPECT_EQ(run.out, "");
  run.feed->on_connect(run.link);  // a new connection is believed again
  EXPECT_EQ(run.send(R"({"conn":0,"s":"B","snap":true,"b":[["5","1"]]})", 70), Kind::snapshot);
}

TEST(Markers, AStaleSymbolsResubscriptionIsAGap) {
  FeedOptions o = marked({"A", "B"});
  o.symbol_stale = std::chrono::seconds(5);
  FeedRun run(IntegrityKind::none, o);
  run.send(R"({"s":"A","snap":true,"b":[["1","1"]]})", 1'000);
  run.send(R"({"s":"B","snap":true,"b":[["5","1"]]})", 1'000);
  run.out.clear();
  for (std::int64_t t = 1'000; t <= 7'000; t += 1'000) {
    run.send(R"({"s":"B","b":[["5","2"]]})", t);
    run.feed->on_tick(t, run.link, run.out);
  }
  EXPECT_THAT(events(run), ::testing::Contains("gap A"));
  EXPECT_THAT(run.out, HasSubstr("nothing of it for 5 s"));
}

TEST(Fields, SeqExchangeTimeAndReceiveTimeOfTheLastMessageApplied) {
  FeedRun run(IntegrityKind::symbol_chain,
              {.symbols = {"A"}, .depth = 2, .fields = {LineField::seq, LineField::exchange_ts, LineField::recv_us}});
  run.feed->on_frame(R"({"s":"A","snap":true,"seq":10,"t":1500,"b":[["1","1"]]})", Arrival::from_us(2'000'123),
                     run.link, run.out);
  run.feed->on_frame(R"({"s":"A","seq":11,"prev":10,"b":[["2","1"]]})", Arrival::from_us(2'001'456), run.link, run.out);
  EXPECT_THAT(run.lines(),
              ElementsAre(R"({"bids":[[1,1]],"asks":[],"ts":2000,"seq":10,"exchange_ts":1500,"recv_us":2000123})",
                          R"({"bids":[[2,1],[1,1]],"asks":[],"ts":2001,"seq":11,"exchange_ts":null,"recv_us":2001456})"));
}

TEST(Fields, AConnectionsSequenceIsTheSeqWhereMessagesHaveNone) {
  FeedRun run(IntegrityKind::connection_sequence, {.symbols = {"A"}, .depth = 1, .fields = {LineField::seq}});
  run.send(R"({"conn":0,"s":"A","snap":true,"b":[["1","1"]]})");
  EXPECT_THAT(run.lines(), ElementsAre(R"({"bids":[[1,1]],"asks":[],"ts":7,"seq":0})"));
  FeedRun none(IntegrityKind::none, {.symbols = {"A"}, .depth = 1, .fields = {LineField::seq}});
  none.send(R"({"s":"A","snap":true,"b":[["1","1"]]})");
  EXPECT_THAT(none.lines(), ElementsAre(R"({"bids":[[1,1]],"asks":[],"ts":7,"seq":null})"));
}

TEST(Fields, ExchangeAndSymbolInTheOrderAskedAndNeverTwice) {
  const std::vector<LineField> f{LineField::symbol, LineField::exchange};
  FeedRun one(IntegrityKind::none, {.symbols = {"A"}, .depth = 1, .fields = f});
  one.send(R"({"s":"A","snap":true})");
  EXPECT_THAT(one.lines(), ElementsAre(R"({"bids":[],"asks":[],"ts":7,"symbol":"A","exchange":"fake"})"));
  FeedRun many(IntegrityKind::none, {.symbols = {"A", "B"}, .depth = 1, .fields = f});
  many.send(R"({"s":"A","snap":true})");  // a tagged line names them first already
  EXPECT_THAT(many.lines(), ElementsAre(R"({"exchange":"fake","symbol":"A","bids":[],"asks":[],"ts":7})"));
}

FeedOptions every(std::int64_t ms, std::vector<std::string> symbols = {"A"}) {
  return {.symbols = std::move(symbols), .depth = 1, .interval = std::chrono::milliseconds(ms)};
}

TEST(Interval, EachInstantShowsTheBookAsTheFramesBeforeItLeftIt) {
  FeedRun run(IntegrityKind::none, every(100));
  run.send(R"({"s":"A","snap":true,"b":[["1","1"]]})", 1'050);
  run.send(R"({"s":"A","b":[["1","2"]]})", 1'099);
  run.send(R"({"s":"A","b":[["1","3"]]})", 1'100);  // at the instant: after it
  run.send(R"({"s":"A","b":[["1","4"]]})", 1'350);  // two instants passed without a frame
  EXPECT_THAT(run.lines(), ElementsAre(R"({"bids":[[1,2]],"asks":[],"ts":1100})",
                                       R"({"bids":[[1,3]],"asks":[],"ts":1200})",
                                       R"({"bids":[[1,3]],"asks":[],"ts":1300})"));
}

TEST(Interval, AQuietBookStillGetsItsLineAndAnUntrustedOneNone) {
  FeedRun run(IntegrityKind::symbol_chain, every(1'000, {"A", "B"}));
  run.send(R"({"s":"A","snap":true,"seq":1,"b":[["1","1"]]})", 500);
  EXPECT_EQ(run.feed->on_clock(1'001, run.out).lines, 1u);  // B has no book yet
  EXPECT_EQ(run.feed->on_clock(1'500, run.out).lines, 0u);  // no instant since
  run.send(R"({"s":"A","seq":9,"prev":8})", 1'600);         // A breaks
  EXPECT_EQ(run.feed->on_clock(2'001, run.out).lines, 0u);
  EXPECT_THAT(run.lines(), ElementsAre(R"({"exchange":"fake","symbol":"A","bids":[[1,1]],"asks":[],"ts":1000})"));
}

TEST(Interval, OnChangeSkipsAnInstantWhoseTopDidNotMove) {
  FeedOptions o = every(10);
  o.on_change = true;
  FeedRun run(IntegrityKind::none, o);
  run.send(R"({"s":"A","snap":true,"b":[["1","1"]]})", 5);
  run.feed->on_clock(31, run.out);
  run.send(R"({"s":"A","b":[["1","2"]]})", 35);
  run.feed->on_clock(41, run.out);
  EXPECT_THAT(run.lines(), ElementsAre(R"({"bids":[[1,1]],"asks":[],"ts":10})", R"({"bids":[[1,2]],"asks":[],"ts":40})"));
}

TEST(Interval, AStallIsNotWrittenInstantByInstant) {
  FeedRun run(IntegrityKind::none, every(1));
  run.send(R"({"s":"A","snap":true,"b":[["1","1"]]})", 1'000);
  run.feed->on_clock(61'000, run.out);  // a minute later: a suspended laptop, an NTP step
  EXPECT_THAT(run.lines(), ElementsAre(R"({"bids":[[1,1]],"asks":[],"ts":61000})"));
  EXPECT_EQ(run.feed->stats().skipped_instants, 59'999u);
}

TEST(Interval, AClockSteppedBackStartsTheInstantsFromNow) {
  FeedRun run(IntegrityKind::none, every(1'000));
  run.send(R"({"s":"A","snap":true,"b":[["1","1"]]})", 100'500);
  run.feed->on_clock(101'001, run.out);
  run.feed->on_clock(50'001, run.out);  // stepped back 51 s: nothing before 51'000
  run.feed->on_clock(51'001, run.out);
  EXPECT_THAT(run.lines(), ElementsAre(R"({"bids":[[1,1]],"asks":[],"ts":101000})",
                                       R"({"bids":[[1,1]],"asks":[],"ts":51000})"));
}

TEST(Interval, AFrameReceivedBeforeAWrittenInstantIsCountedLate) {
  FeedRun run(IntegrityKind::none, every(100));
  run.send(R"({"s":"A","snap":true,"b":[["1","1"]]})", 50);
  run.feed->on_clock(101, run.out);
  run.send(R"({"s":"A","b":[["1","2"]]})", 99);  // read before 100, handled after its line
  run.send(R"({"s":"A","b":[["1","3"]]})", 150);
  EXPECT_EQ(run.feed->stats().late_frames, 1u);
  run.feed->on_clock(201, run.out);
  EXPECT_THAT(run.lines(), ElementsAre(R"({"bids":[[1,1]],"asks":[],"ts":100})", R"({"bids":[[1,3]],"asks":[],"ts":200})"));
}

}  // namespace
}  // namespace wsbook
