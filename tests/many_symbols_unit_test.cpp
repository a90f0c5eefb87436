// The pieces of a crawl of many symbols that need no network: the connection
// plan, --out templates, the pacers and the end-of-run summary.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstdio>
#include <fstream>

#include "feed/summary.h"
#include "feed/weight_pacer.h"
#include "output/out_path.h"
#include "plan/connection_plan.h"
#include "wsbook/venue.h"

namespace wsbook {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using Group = std::vector<std::string>;

std::vector<std::string> numbered(std::size_t n) {
  std::vector<std::string> v;
  for (std::size_t i = 0; i < n; ++i) v.push_back("S" + std::to_string(i));
  return v;
}

TEST(ConnectionPlan, ASymbolInTheUrlMeansAConnectionEach) {
  const Venue& v1 = *find_venue("gemini");
  EXPECT_THAT(plan_connections(v1, {"BTCUSD", "ETHUSD"}, v1.default_url()),
              ElementsAre(Group{"BTCUSD"}, Group{"ETHUSD"}));
}

TEST(ConnectionPlan, SymbolsAreSpreadEvenlyUnderTheVenuesLimit) {
  const Venue& v2 = *find_venue("gemini-v2");  // 100 a connection
  const auto plan = plan_connections(v2, numbered(201), v2.default_url());
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan[0].size(), 67u);
  EXPECT_EQ(plan[1].size(), 67u);
  EXPECT_EQ(plan[2].size(), 67u);
  EXPECT_EQ(plan[0].front(), "S0");
  EXPECT_EQ(plan[2].back(), "S200");
  EXPECT_EQ(plan_connections(v2, numbered(100), v2.default_url()).size(), 1u);
  EXPECT_EQ(plan_connections(v2, numbered(101), v2.default_url()).size(), 2u);
}

TEST(ConnectionPlan, EveryVenueCarriesAThousandSymbolsWithinItsLimit) {
  for (std::string_view name : venue_names()) {
    const Venue& v = *find_venue(name);
    const auto plan = plan_connections(v, numbered(1000), v.default_url());
    std::size_t total = 0;
    for (const Group& g : plan) {
      EXPECT_LE(g.size(), std::max<std::size_t>(v.symbols_per_connection(), 1)) << name;
      total += g.size();
    }
    EXPECT_EQ(total, 1000u) << name;
    EXPECT_GT(v.connects_per_minute(), 0u) << name;
  }
}

TEST(OutPath, FillsExchangeAndSymbolWithSlashesReplaced) {
  EXPECT_TRUE(names_symbol("books/{symbol}.txt"));
  EXPECT_FALSE(names_symbol("books/{exchange}.txt"));
  EXPECT_EQ(out_path("d/{exchange}/{symbol}.{symbol}.txt", "kraken", "BTC/USD"), "d/kraken/BTC-USD.BTC-USD.txt");
  EXPECT_EQ(out_path("plain.txt", "kraken", "BTC/USD"), "plain.txt");
}

TEST(OutPath, ParentDirectoriesAreCreatedOrTheErrorNamesTheDirectory) {
  const std::string root = ::testing::TempDir() + "wsbook_out_path_" + std::to_string(::getpid());
  EXPECT_EQ(make_parent_dirs(root + "/a/b/c.txt"), "");
  struct stat st {};
  EXPECT_EQ(::stat((root + "/a/b").c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(make_parent_dirs(root + "/a/b/c.txt"), "");  // again: already there
  std::ofstream(root + "/file") << "x";
  EXPECT_THAT(make_parent_dirs(root + "/file/d/e.txt"), HasSubstr(root + "/file/d"));
  EXPECT_EQ(make_parent_dirs("relative.txt"), "");
}

TEST(Pacer, PerSecondAfterABurst) {
  WeightPacer pacer(4.0, 2);  // 4 a second, 2 at once
  EXPECT_EQ(pacer.reserve(1, 0).count(), 0);
  EXPECT_EQ(pacer.reserve(1, 0).count(), 0);  // the burst
  EXPECT_EQ(pacer.reserve(1, 0).count(), 250);
  EXPECT_EQ(pacer.reserve(1, 0).count(), 500);
  EXPECT_EQ(pacer.reserve(1, 2'000).count(), 0);  // the schedule caught up
  WeightPacer none(0.0, 1);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(none.reserve(1, 0).count(), 0);
}

TEST(Pacer, ConnectsStayUnderHalfTheVenuesLimitPerMinute) {
  WeightPacer pacer(12u);  // Gemini: 12 handshakes a minute
  int within_a_minute = 0;
  for (int i = 0; i < 20; ++i) within_a_minute += pacer.reserve(1, 0).count() < 60'000 ? 1 : 0;
  EXPECT_LE(within_a_minute, 8);  // the burst of 2 and 6 a minute
}

TEST(Summary, SymbolLinesSayWhatHappened) {
  EXPECT_EQ(symbol_text({"BTCUSD", 12, 0, false, true, ""}), "BTCUSD: 12 lines");
  EXPECT_EQ(symbol_text({"FOO", 0, 0, true, false, ""}), "FOO: 0 lines, rejected by the venue");
  EXPECT_EQ(symbol_text({"ETHUSD", 5, 2, false, true, "checksum mismatch"}),
            "ETHUSD: 5 lines, rebuilt 2 times (last: checksum mismatch)");
  EXPECT_EQ(symbol_text({"X", 5, 1, false, false, "gap"}), "X: 5 lines, no trusted book at the end, rebuilt 1 time (last: gap)");
}

TEST(Summary, TotalsAreTheSumOfEveryFeed) {
  FeedStats s;
  s.frames = 10;
  s.fetches = 2;
  const std::string text = summary_text(s, 7);
  EXPECT_THAT(text, HasSubstr("7 lines written; 10 frames"));
  EXPECT_THAT(text, HasSubstr("2 snapshots fetched, 0 failed"));
  EXPECT_THAT(summary_text(FeedStats{}, 0), Not(HasSubstr("fetched")));
}

}  // namespace
}  // namespace wsbook
