// The crawl's own logic over a network that is not there (support/fake_network.h)
// and a clock the test moves on (net/crawl_clock.h): the backoff starts over after
// a healthy connection, the retry limit counts the others, a venue's Retry-After
// holds the next attempt, a silent symbol's timer, and no timer of a connection
// that ended acts on the next. No TLS and no waiting for real time: the TLS tests
// (crawler_test.cpp and the others) keep the end-to-end path.
#include <gmock/gmock.h>

#include <thread>

#include "crawl_harness.h"
#include "net/crawl_clock.h"
#include "support/fake_network.h"
#include "support/venue_book.h"

namespace wsbook::testing {
namespace {

using net::CrawlClock;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

const net::SessionEnd kWentAway{"the venue went away", 0, std::nullopt};

constexpr auto kQuick = 10s;  // how long a wait on the crawl may take before the test fails

CrawlOptions fake_options(std::optional<std::uint32_t> max_retries) {
  CrawlOptions o;
  o.connection.url = "wss://fake.example/v1/marketdata/BTCUSD";
  o.backoff.min = 10ms;
  o.backoff.max = 20ms;
  o.backoff.max_retries = max_retries;
  o.healthy_after = 30s;
  o.flush_interval = 1ms;
  o.handle_signals = false;
  return o;
}

// The crawl's `i`-th session: it opens and delivers the whole book, its line written.
std::shared_ptr<FakeSession> opened_with_book(FakeNetwork& network, CrawlRun& run, TrueBook& book, std::size_t i) {
  auto s = network.session(i, kQuick);
  if (s == nullptr) return nullptr;
  s->open();
  s->deliver(book.initial_frame());
  EXPECT_TRUE(run.wait_lines(i + 1, kQuick)) << "session " << i;
  return s;
}

struct Crawl {
  explicit Crawl(std::optional<std::uint32_t> max_retries, FeedSpec feed = kV1)
      : run(fake_options(max_retries), std::move(feed), false, &network) {
    book.fill(650000, 40);
  }
  FakeNetwork network;
  TrueBook book;
  CrawlRun run;
};

TEST(CrawlerLogic, ConnectionsThatLastedWithABookNeverUseUpTheRetries) {
  Crawl crawl(2);
  for (std::size_t i = 0; i < 4; ++i) {
    auto s = opened_with_book(crawl.network, crawl.run, crawl.book, i);
    ASSERT_NE(s, nullptr) << crawl.run.log_text();
    CrawlClock::advance(31s);
    s->end(kWentAway);
  }
  EXPECT_NE(crawl.network.session(4, kQuick), nullptr) << "a fifth attempt";
  EXPECT_EQ(crawl.run.stop(), 0);
  EXPECT_THAT(crawl.run.log_text(), Not(HasSubstr("giving up")));
}

TEST(CrawlerLogic, ConnectionsThatEndedTooSoonCountTowardTheRetryLimit) {
  Crawl crawl(2);
  for (std::size_t i = 0; i < 2; ++i) {
    auto s = opened_with_book(crawl.network, crawl.run, crawl.book, i);
    ASSERT_NE(s, nullptr);
    CrawlClock::advance(28s);
    s->end(kWentAway);
  }
  EXPECT_EQ(crawl.run.wait_exit(kQuick), 1);
  EXPECT_THAT(crawl.run.log_text(), HasSubstr("the venue went away; giving up after 2 failed attempts"));
  EXPECT_EQ(crawl.network.sessions(), 2u);
}

TEST(CrawlerLogic, AConnectionThatLastedWithoutABookIsAFailure) {
  Crawl crawl(2);
  for (std::size_t i = 0; i < 2; ++i) {
    auto s = crawl.network.session(i, kQuick);
    ASSERT_NE(s, nullptr);
    s->open();  // and not a frame
    CrawlClock::advance(31s);
    s->end(kWentAway);
  }
  EXPECT_EQ(crawl.run.wait_exit(kQuick), 1);
  EXPECT_THAT(crawl.run.log_text(), HasSubstr("the venue went away; giving up after 2 failed attempts"));
}

TEST(CrawlerLogic, RetryAfterHoldsTheNextAttemptUntilItHasPassed) {
  Crawl crawl(std::nullopt);
  auto s = crawl.network.session(0, kQuick);
  ASSERT_NE(s, nullptr);
  s->end({"HTTP 429 Too Many Requests", 429, 60'000ms});
  // Many times the backoff alone goes by without an attempt, and most of the minute.
  EXPECT_EQ(crawl.network.session(1, 300ms), nullptr);
  CrawlClock::advance(57s);
  EXPECT_EQ(crawl.network.session(1, 100ms), nullptr);
  CrawlClock::advance(4s);
  EXPECT_NE(crawl.network.session(1, kQuick), nullptr);
  EXPECT_EQ(crawl.run.stop(), 0);
  EXPECT_THAT(crawl.run.log_text(), HasSubstr("reconnecting in 60.0 s"));
}

TEST(CrawlerLogic, TheKeepAliveOfAConnectionThatEndedNeverFiresOnTheNext) {
  FakeNetwork network;
  CrawlOptions o = fake_options(std::nullopt);
  o.keep_alive_interval = 10s;
  CrawlRun run(o, kV1, false, &network);
  auto first = network.session(0, kQuick);
  ASSERT_NE(first, nullptr);
  first->open();
  CrawlClock::advance(5s);
  first->end(kWentAway);
  auto second = network.session(1, kQuick);
  ASSERT_NE(second, nullptr);
  // Past the first one's ping while the second is connecting: a timer of the first left
  // running would ping the second now.
  CrawlClock::advance(6s);
  std::this_thread::sleep_for(100ms);  // the window of a check that nothing happens
  EXPECT_EQ(second->pings(), 0);
  second->open();
  CrawlClock::advance(11s);  // past the second's own
  ASSERT_TRUE(eventually([&] { return second->pings() > 0; }, kQuick));
  EXPECT_EQ(second->pings(), 1);
  EXPECT_EQ(first->pings(), 0);
  EXPECT_EQ(run.stop(), 0);
}

TEST(CrawlerLogic, ASymbolSilentPastItsTimeoutIsResubscribedAloneWhileTheOtherGoesOn) {
  const std::vector<std::string> symbols{"BTC-USD", "ETH-USD"};
  auto venue = make_coinbase_server(symbols, 10);
  FakeNetwork network;
  CrawlOptions o = fake_options(std::nullopt);
  o.connection.url = "wss://fake.example/";
  CrawlRun run(o, {"coinbase", {.symbols = symbols, .symbol_stale = 600s}}, false, &network);
  auto s = network.session(0, kQuick);
  ASSERT_NE(s, nullptr);
  s->open();
  for (const std::string& f : venue->acks(symbols)) s->deliver(f);
  for (const std::string& symbol : symbols) s->deliver(venue->snapshot(symbol));
  ASSERT_TRUE(run.wait_lines(2, kQuick));
  CrawlClock::advance(300s);
  std::uint32_t rng = 5;
  s->deliver(venue->random_delta("BTC-USD", rng));
  ASSERT_TRUE(run.wait_lines(3, kQuick));
  CrawlClock::advance(301s);  // ETH-USD silent past the timeout, BTC-USD not
  // After the two subscribes of the connection: ETH-USD's level2 alone, off and on again.
  ASSERT_TRUE(eventually([&] { return s->sent().size() >= 4; }, kQuick));
  const std::vector<std::string> sent = s->sent();
  EXPECT_EQ(sent[2], R"({"type":"unsubscribe","product_ids":["ETH-USD"],"channel":"level2"})");
  EXPECT_EQ(sent[3], R"({"type":"subscribe","product_ids":["ETH-USD"],"channel":"level2"})");
  s->deliver(venue->random_delta("BTC-USD", rng));
  ASSERT_TRUE(run.wait_lines(4, kQuick));
  EXPECT_FALSE(s->ended());
  EXPECT_EQ(run.stop(), 0);
  // A second more if the tick came late on a busy machine.
  EXPECT_THAT(run.log_text(), ContainsRegex("ETH-USD: nothing of it for 60[12] s"));
  for (const std::string& symbol : symbols) {
    EXPECT_EQ(diff_lines(lines_of(run.lines(), "coinbase", symbol), venue->book(symbol).expected_lines()), "") << symbol;
  }
}

}  // namespace
}  // namespace wsbook::testing
