// The generic feed with a made-up venue: each integrity rule, per-symbol
// resubscription, rejected symbols, tagged lines and the level cap, as
// scenarios that no real venue's parser stands between.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fake_venue.h"

namespace wsbook {
namespace {

using namespace wsbook::testing;  // NOLINT(google-build-using-namespace)
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(VenueFeed, SubscribesEverySymbolOnConnect) {
  FeedRun run(IntegrityKind::none, {"A", "B"});
  EXPECT_THAT(run.link.sent, ElementsAre("sub A,B"));
}

TEST(VenueFeed, ManySymbolsInOneStreamTagEachLine) {
  FeedRun run(IntegrityKind::none, {"A", "B"});
  EXPECT_EQ(run.send(R"({"s":"A","snap":true,"b":[["1","1"]],"a":[["2","1"]]})"), Kind::snapshot);
  EXPECT_EQ(run.send(R"({"s":"B","snap":true,"b":[["5","1"]]})"), Kind::snapshot);
  EXPECT_THAT(run.lines(), ElementsAre(R"({"exchange":"fake","symbol":"A","bids":[[1,1]],"asks":[[2,1]],"ts":7})",
                                       R"({"exchange":"fake","symbol":"B","bids":[[5,1]],"asks":[],"ts":7})"));
}

TEST(VenueFeed, AChainGapResubscribesThatSymbolAloneAndItsBookStartsOver) {
  FeedRun run(IntegrityKind::symbol_chain, {"A", "B"});
  run.send(R"({"s":"A","snap":true,"seq":10,"b":[["1","1"]]})");
  run.send(R"({"s":"B","snap":true,"seq":50,"b":[["7","1"]]})");
  EXPECT_EQ(run.send(R"({"s":"A","seq":13,"prev":10,"b":[["1","2"]]})"), Kind::line);
  run.link.sent.clear();
  run.out.clear();
  EXPECT_EQ(run.send(R"({"s":"A","seq":20,"prev":14,"b":[["3","1"]]})"), Kind::nothing);  // 13 was the last
  EXPECT_THAT(run.link.sent, ElementsAre("unsub A", "sub A"));
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.send(R"({"s":"A","seq":21,"prev":20,"b":[["4","1"]]})"), Kind::nothing);  // stale: no snapshot yet
  EXPECT_EQ(run.send(R"({"s":"B","seq":51,"prev":50,"b":[["6","1"]]})"), Kind::line);     // B goes on
  EXPECT_EQ(run.send(R"({"s":"A","snap":true,"seq":30,"b":[["2","5"]]})"), Kind::snapshot);
  EXPECT_THAT(run.lines().back(), HasSubstr(R"("symbol":"A","bids":[[2,5]],"asks":[])"));  // nothing of the old book
  EXPECT_EQ(run.feed->stats().gaps, 1u);
  EXPECT_EQ(run.feed->stats().resubscribes, 1u);
}

TEST(VenueFeed, DeletesOfAbsentLevelsAreCountedNotFailed) {
  FeedRun run(IntegrityKind::none, {"A"});
  run.send(R"({"s":"A","snap":true,"b":[["1","1"]]})");
  EXPECT_EQ(run.send(R"({"s":"A","b":[["2","0"],["3","0"]]})"), Kind::line);
  EXPECT_EQ(run.feed->stats().absent_deletes, 2u);
}

TEST(VenueFeed, ASymbolThatKeepsBreakingRestartsTheConnectionInsteadOfResubscribingForever) {
  FeedRun run(IntegrityKind::none, {"A"});
  for (int i = 0; i < 5; ++i) {
    run.send(R"({"s":"A","snap":true,"b":[["1","1"]],"a":[["3","1"]]})");
    EXPECT_EQ(run.send(R"({"s":"A","b":[["4","1"]]})"), Kind::nothing);  // crossed: resubscribed
  }
  run.send(R"({"s":"A","snap":true,"b":[["1","1"]],"a":[["3","1"]]})");
  EXPECT_EQ(run.send(R"({"s":"A","b":[["4","1"]]})"), Kind::resync);
  EXPECT_THAT(run.last.message, HasSubstr("rebuilt 5 times on this connection"));
}

TEST(VenueFeed, UpdatesWithoutASnapshotLongAfterAResubscribeRestartTheConnection) {
  FeedRun run(IntegrityKind::symbol_chain, {"A"});
  run.send(R"({"s":"A","snap":true,"seq":1})");
  run.send(R"({"s":"A","seq":5,"prev":4})");  // a gap: resubscribed at t=7
  EXPECT_EQ(run.feed->stats().resubscribes, 1u);
  EXPECT_EQ(run.send(R"({"s":"A","seq":6,"prev":5})"), Kind::nothing);
  run.last = run.feed->on_frame(R"({"s":"A","seq":7,"prev":6})", 7 + 10'001, run.link, run.out);
  EXPECT_EQ(run.last.kind, Kind::resync);
  EXPECT_THAT(run.last.message, HasSubstr("no snapshot 10 s after resubscribing"));
}

TEST(VenueFeed, AChainUpdateThatRepeatsTheLastIdIsAnIdleUpdate) {
  FeedRun run(IntegrityKind::symbol_chain, {"A"});
  run.send(R"({"s":"A","snap":true,"seq":10,"prev":-1,"b":[["1","1"]]})");
  EXPECT_EQ(run.send(R"({"s":"A","seq":10,"prev":10})"), Kind::nothing);
  EXPECT_EQ(run.send(R"({"s":"A","seq":12,"prev":10,"b":[["1","3"]]})"), Kind::line);
  EXPECT_EQ(run.send(R"({"s":"A","seq":13,"b":[["1","4"]]})"), Kind::nothing);  // no previous id: broken
  EXPECT_EQ(run.feed->stats().gaps, 1u);
}

TEST(VenueFeed, AChecksumIsVerifiedOnTheBookAfterTheMessageBeforeAnyLine) {
  FeedRun run(IntegrityKind::checksum, {"A"});
  EXPECT_EQ(run.send(R"({"s":"A","snap":true,"crc":2,"b":[["1","1"]],"a":[["3","1"]]})"), Kind::snapshot);
  EXPECT_EQ(run.send(R"({"s":"A","crc":3,"b":[["2","1"]]})"), Kind::line);
  run.out.clear();
  EXPECT_EQ(run.send(R"({"s":"A","crc":9,"b":[["1.5","1"]]})"), Kind::nothing);  // 4 levels, says 9
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.feed->stats().checksum_mismatches, 1u);
  EXPECT_EQ(run.send(R"({"s":"A","b":[["2","1"]]})"), Kind::nothing);  // dropped: waiting for a snapshot
  EXPECT_EQ(run.send(R"({"s":"A","snap":true,"b":[["2","1"]]})"), Kind::nothing);  // no checksum at all: broken
  EXPECT_EQ(run.feed->stats().resubscribes, 2u);
}

TEST(VenueFeed, WhereTheVenueCannotResubscribeTheConnectionRestarts) {
  FeedRun run(IntegrityKind::symbol_chain, {"A", "B"}, false);
  run.send(R"({"s":"A","snap":true,"seq":1})");
  EXPECT_EQ(run.send(R"({"s":"A","seq":3,"prev":2})"), Kind::resync);
  EXPECT_THAT(run.last.message, HasSubstr("sequence gap"));
}

TEST(VenueFeed, AConnectionSequenceGapRestartsTheConnection) {
  FeedRun run(IntegrityKind::connection_sequence, {"A", "B"});
  EXPECT_EQ(run.send(R"({"conn":0,"s":"A","snap":true,"b":[["1","1"]]})"), Kind::snapshot);
  EXPECT_EQ(run.send(R"({"conn":1})"), Kind::nothing);
  EXPECT_EQ(run.send(R"({"conn":3,"s":"A","b":[["1","2"]]})"), Kind::resync);
  EXPECT_THAT(run.last.message, HasSubstr("expected 2, got 3"));
  run.feed->on_connect(run.link);  // a new connection counts from 0 again, from empty books
  EXPECT_FALSE(run.feed->has_snapshot());
  EXPECT_EQ(run.send(R"({"conn":0})"), Kind::nothing);
}

TEST(VenueFeed, ACrossedBookIsNeverWritten) {
  FeedRun run(IntegrityKind::none, {"A"});
  run.send(R"({"s":"A","snap":true,"b":[["1","1"]],"a":[["3","1"]]})");
  run.out.clear();
  EXPECT_EQ(run.send(R"({"s":"A","b":[["3","1"]]})"), Kind::nothing);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.feed->stats().crossed, 1u);
  EXPECT_THAT(run.link.sent.back(), "sub A");
}

TEST(VenueFeed, RejectedSymbolsAreDroppedAndWhenNoneIsLeftTheRunIsOver) {
  FeedRun run(IntegrityKind::none, {"A", "B"});
  EXPECT_EQ(run.send(R"({"reject":"A"})"), Kind::nothing);
  EXPECT_EQ(run.send(R"({"s":"A","snap":true,"b":[["1","1"]]})"), Kind::nothing);  // never written
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.send(R"({"reject":"B"})"), Kind::fatal);
}

TEST(VenueFeed, AVenueErrorRestartsTheConnection) {
  FeedRun run(IntegrityKind::none, {"A"});
  EXPECT_EQ(run.send(R"({"error":"Exceeded msg rate"})"), Kind::resync);
  EXPECT_THAT(run.last.message, HasSubstr("Exceeded msg rate"));
}

TEST(VenueFeed, ABookThatGrowsPastTheLevelCapIsBrokenNeverWritten) {
  FeedRun run(IntegrityKind::none, {"A"}, true, 3);
  EXPECT_EQ(run.send(R"({"s":"A","snap":true,"b":[["1","1"],["2","1"],["3","1"]]})"), Kind::snapshot);
  run.out.clear();
  EXPECT_EQ(run.send(R"({"s":"A","b":[["0.5","1"]]})"), Kind::nothing);
  EXPECT_EQ(run.out, "");
  EXPECT_THAT(run.link.sent.back(), "sub A");
}

// Many symbols: untagged lines for one file per symbol, which book each line is of,
// and the silence timer of one symbol on a connection that goes on.
TEST(VenueFeed, UntaggedLinesSayWhichBookEachIsOf) {
  FeedRun run(IntegrityKind::none, {.symbols = {"A", "B"}, .depth = 2, .tag_lines = false});
  run.send(R"({"s":"B","snap":true,"b":[["5","1"]]})");
  EXPECT_THAT(run.feed->lines_of(), ElementsAre(LineOf{1}));
  run.send(R"({"s":"A","snap":true,"b":[["1","1"]]})");
  EXPECT_THAT(run.feed->lines_of(), ElementsAre(LineOf{0}));
  EXPECT_THAT(run.lines(), ElementsAre(R"({"bids":[[5,1]],"asks":[],"ts":7})", R"({"bids":[[1,1]],"asks":[],"ts":7})"));
}

TEST(VenueFeed, OneTaggedSymbolTagsItsLines) {
  FeedRun run(IntegrityKind::none, {.symbols = {"A"}, .depth = 2, .tag_lines = true});
  run.send(R"({"s":"A","snap":true,"b":[["1","1"]]})");
  EXPECT_THAT(run.lines(), ElementsAre(R"({"exchange":"fake","symbol":"A","bids":[[1,1]],"asks":[],"ts":7})"));
}

TEST(VenueFeed, ASilentSymbolIsResubscribedAloneAndTheConnectionStays) {
  FeedRun run(IntegrityKind::none, {.symbols = {"A", "B"}, .depth = 2, .symbol_stale = std::chrono::seconds(5)});
  run.feed->on_tick(1'000, run.link, run.out);  // the timers start
  run.send(R"({"s":"A","snap":true,"b":[["1","1"]]})", 1'000);
  run.send(R"({"s":"B","snap":true,"b":[["5","1"]]})", 1'000);
  run.link.sent.clear();
  for (std::int64_t t = 2'000; t <= 5'900; t += 1'000) {
    run.send(R"({"s":"B","b":[["5","2"]]})", t);  // B busy, A silent
    EXPECT_EQ(run.feed->on_tick(t, run.link, run.out).kind, Kind::nothing);
  }
  EXPECT_TRUE(run.link.sent.empty());
  run.send(R"({"s":"B","b":[["5","3"]]})", 6'000);
  EXPECT_EQ(run.feed->on_tick(6'000, run.link, run.out).kind, Kind::nothing);  // not a restart
  EXPECT_THAT(run.link.sent, ElementsAre("unsub A", "sub A"));
  const auto reports = run.feed->symbol_reports();
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].rebuilds, 1u);
  EXPECT_THAT(reports[0].last_problem, HasSubstr("nothing of it for 5 s"));
  EXPECT_FALSE(reports[0].trusted);
  EXPECT_TRUE(reports[1].trusted);
  EXPECT_EQ(reports[1].rebuilds, 0u);
}

TEST(VenueFeed, SilentSymbolsAreResubscribedOneAtATimeAndNeverRestartTheConnection) {
  FeedRun run(IntegrityKind::none, {.symbols = {"A", "B"}, .depth = 2, .symbol_stale = std::chrono::seconds(1)});
  run.feed->on_tick(1'000, run.link, run.out);
  run.link.sent.clear();
  std::size_t resubscribed = 0;
  for (std::int64_t t = 2'000; t <= 200'000; t += 1'000) {
    EXPECT_EQ(run.feed->on_tick(t, run.link, run.out).kind, Kind::nothing) << t;
  }
  for (const std::string& f : run.link.sent) resubscribed += f.starts_with("sub ") ? 1 : 0;
  EXPECT_EQ(resubscribed, 20u);  // one every 10 s over 199 s, never both at once
}

TEST(VenueFeed, SilenceNeverRestartsAConnectionWhereASymbolCannotBeResubscribedAlone) {
  FeedRun run(IntegrityKind::none, {.symbols = {"A", "B"}, .depth = 2, .symbol_stale = std::chrono::seconds(1)}, false);
  run.link.sent.clear();
  for (std::int64_t t = 1'000; t <= 100'000; t += 1'000) EXPECT_EQ(run.feed->on_tick(t, run.link, run.out).kind, Kind::nothing);
  EXPECT_TRUE(run.link.sent.empty());
}

TEST(VenueFeed, ManyBooksOnAConnectionEachGetTheirOwnFrames) {
  std::vector<std::string> symbols;
  for (int i = 0; i < 40; ++i) symbols.push_back("S" + std::to_string(i));
  FeedRun run(IntegrityKind::none, {.symbols = symbols, .depth = 2});
  for (int i = 39; i >= 0; --i) {
    run.send(R"({"s":"S)" + std::to_string(i) + R"(","snap":true,"b":[[")" + std::to_string(i + 1) + R"(","1"]]})");
    EXPECT_THAT(run.feed->lines_of(), ElementsAre(LineOf{static_cast<std::uint32_t>(i)}));
  }
  EXPECT_EQ(run.send(R"({"s":"S40","snap":true,"b":[["1","1"]]})"), Kind::nothing);  // not one of them
  const auto lines = run.lines();
  ASSERT_EQ(lines.size(), 40u);
  EXPECT_EQ(lines[0], R"({"exchange":"fake","symbol":"S39","bids":[[40,1]],"asks":[],"ts":7})");
  EXPECT_EQ(lines[39], R"({"exchange":"fake","symbol":"S0","bids":[[1,1]],"asks":[],"ts":7})");
}

TEST(VenueFeed, ABreakThatRestartsTheConnectionIsCountedOnceWithItsReason) {
  FeedRun run(IntegrityKind::symbol_chain, {"A", "B"}, false);  // no resubscribing alone
  run.send(R"({"s":"A","snap":true,"seq":10,"b":[["1","1"]]})");
  run.send(R"({"s":"B","snap":true,"seq":50,"b":[["7","1"]]})");
  EXPECT_EQ(run.send(R"({"s":"A","seq":20,"prev":14,"b":[["3","1"]]})"), Kind::resync);
  run.feed->on_connect(run.link);
  const auto reports = run.feed->symbol_reports();
  EXPECT_EQ(reports[0].rebuilds, 1u);
  EXPECT_THAT(reports[0].last_problem, ::testing::Not(HasSubstr("connection ended")));
  EXPECT_EQ(reports[1].rebuilds, 1u);
  EXPECT_EQ(reports[1].last_problem, "its connection ended");
}

TEST(VenueFeed, ALoneBookIsLeftToItsConnectionsStaleTimer) {
  FeedRun run(IntegrityKind::none, {.symbols = {"A"}, .depth = 2, .symbol_stale = std::chrono::seconds(1)});
  run.link.sent.clear();
  for (std::int64_t t = 1'000; t <= 100'000; t += 1'000) run.feed->on_tick(t, run.link, run.out);
  EXPECT_TRUE(run.link.sent.empty());
}

TEST(VenueFeed, ZeroSymbolStaleNeverResubscribes) {
  FeedRun run(IntegrityKind::none, {"A", "B"});
  run.link.sent.clear();
  for (std::int64_t t = 1'000; t <= 100'000; t += 1'000) run.feed->on_tick(t, run.link, run.out);
  EXPECT_TRUE(run.link.sent.empty());
}

}  // namespace
}  // namespace wsbook
