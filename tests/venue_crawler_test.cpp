// The crawler against our TLS test exchange speaking Coinbase Advanced Trade,
// Kraken v2, OKX v5 and Bybit v5 (tests/support/venue_book*.cpp, written apart
// from wsbook's parsers). Every line of every symbol must be, in order, exactly
// the true states its book went through: none missing, none wrong, none extra.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>

#include "crawl_harness.h"
#include "support/venue_book.h"

namespace wsbook::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

// Two symbols per venue, none a part of the other; and one the venue refuses.
std::vector<std::string> symbols_of(const std::string& venue) {
  if (venue == "coinbase") return {"BTC-USD", "ETH-USD"};
  if (venue == "kraken") return {"BTC/USD", "ETH/USD"};
  if (venue == "okx") return {"BTC-USDT", "ETH-USDT"};
  return {"BTCUSDT", "ETHUSDT"};
}
std::string refused_of(const std::string& venue) {
  if (venue == "coinbase") return "FOO-USD";
  if (venue == "kraken") return "FOO/USD";
  if (venue == "okx") return "FOO-USDT";
  return "FOOUSDT";
}

FeedSpec spec(const std::string& venue, const std::vector<std::string>& symbols) {
  return {venue, {.symbols = symbols}};
}

bool names(const std::string& frame, const std::string& symbol) {
  return frame.find(symbol + '"') != std::string::npos;
}
bool is_unsubscribe(const std::string& frame) { return frame.find("unsubscribe") != std::string::npos; }
bool is_subscribe(const std::string& frame) {
  return !is_unsubscribe(frame) && frame.find("subscribe") != std::string::npos;
}

// Reads what the client sends until a subscribe frame names every one of `symbols`.
bool await_subscribe(Connection& c, const std::vector<std::string>& symbols) {
  while (auto frame = c.read_text(3s)) {
    const bool all = std::all_of(symbols.begin(), symbols.end(), [&](const auto& s) { return names(*frame, s); });
    if (is_subscribe(*frame) && all) return true;
  }
  return false;
}

// Accepts, waits for the subscription, answers it and sends every book's snapshot.
bool open(Connection& c, VenueServer& v) {
  if (!c.accept()) return false;
  v.new_connection();
  if (!await_subscribe(c, v.symbols())) return false;
  for (const std::string& f : v.acks(v.symbols())) c.send_text(f);
  for (const std::string& s : v.symbols()) c.send_text(v.snapshot(s));
  return true;
}

// `n` random deltas over `symbols`, a heartbeat after every seventh.
void stream(Connection& c, VenueServer& v, int n, std::uint32_t seed, const std::vector<std::string>& symbols) {
  for (int i = 0; i < n; ++i) {
    seed = seed * 22695477u + 1u;
    c.send_text(v.random_delta(symbols[(seed >> 16) % symbols.size()], seed));
    if (i % 7 == 6) c.send_text(v.heartbeat());
  }
}

bool wait_until(const std::atomic<bool>& flag, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!flag && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(2ms);
  return flag;
}

std::size_t expected_count(VenueServer& v) {
  std::size_t n = 0;
  for (const std::string& s : v.symbols()) n += v.book(s).expected_lines().size();
  return n;
}

// Once the server is done: waits for every true state's line, then compares each symbol's lines.
void expect_exact_lines(CrawlRun& run, VenueServer& v, const std::atomic<bool>& done) {
  ASSERT_TRUE(wait_until(done, 10s)) << "the server script did not finish";
  const std::size_t n = expected_count(v);
  EXPECT_TRUE(run.wait_lines(n, 5s)) << run.text();
  EXPECT_EQ(run.stop(), 0);
  const auto lines = run.lines();
  const bool tagged = v.symbols().size() > 1;
  std::size_t mine = 0;
  for (const std::string& s : v.symbols()) {
    const auto got = lines_of(lines, v.name(), tagged ? s : "");
    mine += got.size();
    EXPECT_EQ(diff_lines(got, v.book(s).expected_lines()), "") << v.name() << " " << s << "\n" << run.log_text();
    if (!got.empty()) {
      EXPECT_EQ(got.back(), v.book(s).body()) << "the last line is not the final book";
    }
  }
  EXPECT_EQ(mine, lines.size()) << "lines of no symbol:\n" << run.text();
}

class VenueCrawl : public ::testing::TestWithParam<std::string> {
 protected:
  std::string venue() const { return GetParam(); }
};

std::string venue_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

// (1) Two books on one connection, 100 random updates: every line true, in order.
TEST_P(VenueCrawl, CleanStreamWritesEveryTrueState) {
  auto v = make_venue_server(venue(), symbols_of(venue()), 10);
  std::atomic<bool> done{false};
  TestExchange server([&](Connection& c) {
    if (!open(c, *v)) return;
    stream(c, *v, 100, 7, v->symbols());
    done = true;
    c.wait_closed(5s);
  });
  CrawlRun run(test_crawl_options(server, "/"), spec(venue(), v->symbols()));
  expect_exact_lines(run, *v, done);
  EXPECT_EQ(expected_count(*v), 102u);
  EXPECT_EQ(server.connections(), 1);
}

// What the client sent between a broken book and its fresh snapshot.
struct Resubscription {
  std::vector<std::string> frames;
  bool unsubscribed = false, subscribed = false, named_other = false;
};

// Reads until `broken` is unsubscribed and subscribed again; notes a frame naming `other`.
Resubscription await_resubscribe(Connection& c, const std::string& broken, const std::string& other) {
  Resubscription r;
  while (!(r.unsubscribed && r.subscribed)) {
    auto frame = c.read_text(3s);
    if (!frame) break;
    r.frames.push_back(*frame);
    r.named_other |= names(*frame, other);
    r.unsubscribed |= is_unsubscribe(*frame) && names(*frame, broken);
    r.subscribed |= r.unsubscribed && is_subscribe(*frame) && names(*frame, broken);
  }
  return r;
}

// A fault in the first symbol's book: the feed must drop that book alone,
// resubscribe it on the same connection, and write the other one throughout.
void expect_resubscribe(std::unique_ptr<VenueServer> v, const std::function<void(VenueServer&, Connection&)>& fault,
                        const std::string& log_hint) {
  const std::string a = v->symbols()[0], b = v->symbols()[1];
  std::atomic<bool> done{false};
  Resubscription resub;
  TestExchange server([&](Connection& c) {
    if (!open(c, *v)) return;
    stream(c, *v, 20, 11, v->symbols());
    fault(*v, c);                   // a's book is muted from here: none of its states may be written
    stream(c, *v, 6, 12, {a, b});   // a's deltas are dropped until its snapshot, b's are written
    resub = await_resubscribe(c, a, b);
    for (const std::string& f : v->unsubscribe_acks(a)) c.send_text(f);
    for (const std::string& f : v->acks({a})) c.send_text(f);
    v->book(a).new_epoch();
    v->book(a).fill(910000, 30);
    c.send_text(v->snapshot(a));
    stream(c, *v, 20, 13, v->symbols());
    done = true;
    c.wait_closed(5s);
  });
  CrawlRun run(test_crawl_options(server, "/"), spec(v->name(), v->symbols()));
  expect_exact_lines(run, *v, done);
  EXPECT_TRUE(resub.unsubscribed) << ::testing::PrintToString(resub.frames);
  EXPECT_TRUE(resub.subscribed) << ::testing::PrintToString(resub.frames);
  EXPECT_FALSE(resub.named_other) << ::testing::PrintToString(resub.frames);
  EXPECT_EQ(server.connections(), 1);
  EXPECT_EQ(v->book(a).epochs(), 2u);
  EXPECT_FALSE(v->book(a).epoch(1).empty());
  EXPECT_THAT(run.log_text(), HasSubstr(log_hint));
  EXPECT_THAT(run.log_text(), HasSubstr(a + ": "));
}

class ChainedVenueCrawl : public VenueCrawl {};

// The next delta of the first symbol breaks the venue's integrity rule.
void integrity_fault(VenueServer& v, Connection& c) {
  const std::string a = v.symbols()[0];
  v.integrity_fault(a);
  std::uint32_t seed = 99;
  c.send_text(v.random_delta(a, seed));
}

// (2) A sequence gap (OKX, Bybit) or a checksum mismatch (Kraken) on one of two symbols.
TEST_P(ChainedVenueCrawl, IntegrityFaultResubscribesThatSymbolOnly) {
  const std::string hint = venue() == "kraken" ? "checksum mismatch:" : "sequence gap:";
  expect_resubscribe(make_venue_server(venue(), symbols_of(venue()), 10), integrity_fault, hint);
}

// OKX's old checksum (a CRC other than 0 is still verified): true books pass, a wrong one resubscribes.
TEST(OkxCrawl, LegacyChecksumsPassOnTrueBooks) {
  auto v = make_okx_server(symbols_of("okx"), 10, true);
  std::atomic<bool> done{false};
  TestExchange server([&](Connection& c) {
    if (!open(c, *v)) return;
    stream(c, *v, 60, 61, v->symbols());
    done = true;
    c.wait_closed(5s);
  });
  CrawlRun run(test_crawl_options(server, "/"), spec("okx", v->symbols()));
  expect_exact_lines(run, *v, done);
  EXPECT_THAT(run.log_text(), ::testing::Not(HasSubstr("checksum mismatch:")));
}

TEST(OkxCrawl, WrongLegacyChecksumResubscribesThatSymbolOnly) {
  expect_resubscribe(make_okx_server(symbols_of("okx"), 10, true), integrity_fault, "checksum mismatch:");
}

// A crossed update on one of two symbols: every venue (Coinbase too) resubscribes it.
TEST_P(VenueCrawl, CrossedUpdateResubscribesThatSymbolOnly) {
  expect_resubscribe(
      make_venue_server(venue(), symbols_of(venue()), 10),
      [](VenueServer& v, Connection& c) {
        const std::string a = v.symbols()[0];
        v.book(a).mute(true);
        c.send_text(v.delta(a, {v.book(a).crossing_change()}));
      },
      "crossed book");
}

// (2) Coinbase's sequence_num is the connection's: a gap restarts it and rebuilds both books.
TEST(CoinbaseCrawl, SequenceGapRestartsTheConnectionAndRebuildsBothBooks) {
  auto v = make_venue_server("coinbase", symbols_of("coinbase"), 10);
  const std::string a = v->symbols()[0];
  std::atomic<bool> done{false};
  TestExchange server([&](Connection& c) {
    if (c.index() == 0) {
      if (!open(c, *v)) return;
      stream(c, *v, 20, 21, v->symbols());
      v->integrity_fault(a);
      for (const std::string& s : v->symbols()) v->book(s).mute(true);  // nothing after the gap may be written
      std::uint32_t seed = 5;
      c.send_text(v->random_delta(a, seed));
      c.send_text(v->random_delta(v->symbols()[1], seed));
    } else {
      std::int64_t mid = 880000;
      for (const std::string& s : v->symbols()) v->book(s).new_epoch(), v->book(s).fill(mid += 40000, 30);
      if (!open(c, *v)) return;
      stream(c, *v, 20, 22, v->symbols());
      done = true;
    }
    c.wait_closed(5s);
  });
  CrawlRun run(test_crawl_options(server, "/"), spec("coinbase", v->symbols()));
  expect_exact_lines(run, *v, done);
  EXPECT_EQ(server.connections(), 2);
  EXPECT_THAT(run.log_text(), HasSubstr("sequence gap:"));
}

// (3) The venue refuses the only symbol: nothing is left to crawl, exit 1, the log names it.
TEST_P(VenueCrawl, RejectedOnlySymbolExits1) {
  const std::string refused = refused_of(venue());
  auto v = make_venue_server(venue(), {refused}, 10);
  TestExchange server([&](Connection& c) {
    if (!c.accept() || !await_subscribe(c, {refused})) return;
    c.send_text(v->reject(refused));
    c.wait_closed(5s);
  });
  CrawlRun run(test_crawl_options(server, "/"), spec(venue(), {refused}));
  EXPECT_EQ(run.wait_exit(5s), 1);
  EXPECT_THAT(run.log_text(), HasSubstr(refused));
  EXPECT_TRUE(run.lines().empty());
}

// (4) The venue's app-level ping goes out as the CLI sets it up, and its pong is understood.
TEST_P(ChainedVenueCrawl, KeepAliveFrameIsSentAndAnswered) {
  auto v = make_venue_server(venue(), {symbols_of(venue())[0]}, 10);
  const std::string s = v->symbols()[0];
  std::atomic<bool> done{false};
  std::atomic<int> pings{0};
  std::vector<std::string> others;
  TestExchange server([&](Connection& c) {
    if (!open(c, *v)) return;
    while (pings < 3) {
      auto frame = c.read_text(3s);
      if (!frame) break;
      const std::string pong = v->pong(*frame);
      if (pong.empty()) {
        others.push_back(*frame);
        continue;
      }
      ++pings;
      c.send_text(pong);
    }
    std::uint32_t seed = 3;
    c.send_text(v->random_delta(s, seed));
    done = true;
    c.wait_closed(5s);
  });
  auto options = test_crawl_options(server, "/");
  const KeepAlive keep = find_venue(venue())->keep_alive();
  options.keep_alive_frame = keep.frame;
  options.keep_alive_interval = 100ms;
  CrawlRun run(options, spec(venue(), {s}));
  expect_exact_lines(run, *v, done);
  EXPECT_EQ(pings, 3) << "frames that were no ping: " << ::testing::PrintToString(others);
  EXPECT_EQ(server.connections(), 1);
  EXPECT_THAT(run.log_text(), ::testing::Not(HasSubstr("malformed frame")));
}

// (5) A venue that goes silent is stale: the crawler reconnects and starts a fresh book.
TEST_P(VenueCrawl, SilentVenueIsStaleAndReconnects) {
  auto v = make_venue_server(venue(), {symbols_of(venue())[0]}, 10);
  const std::string s = v->symbols()[0];
  std::atomic<bool> done{false};
  TestExchange server([&](Connection& c) {
    if (c.index() == 1) {
      v->book(s).new_epoch();
      v->book(s).fill(720000, 30);
    }
    if (c.index() > 1 || !open(c, *v)) return;
    stream(c, *v, 10, 31 + static_cast<std::uint32_t>(c.index()), {s});
    if (c.index() == 1) done = true;
    c.wait_closed(5s);  // connection 0 says nothing more: silence
  });
  auto options = test_crawl_options(server, "/");
  options.connection.stale_timeout = 600ms;
  CrawlRun run(options, spec(venue(), {s}));
  expect_exact_lines(run, *v, done);
  EXPECT_EQ(server.connections(), 2);
  EXPECT_THAT(run.log_text(), HasSubstr("stale"));
}

// Bybit re-sends a snapshot mid-stream (a venue problem): the book is replaced, the connection stays.
TEST(BybitCrawl, MidStreamSnapshotReplacesTheBook) {
  auto v = make_venue_server("bybit", symbols_of("bybit"), 10);
  const std::string a = v->symbols()[0];
  std::atomic<bool> done{false};
  TestExchange server([&](Connection& c) {
    if (!open(c, *v)) return;
    stream(c, *v, 20, 41, v->symbols());
    v->book(a).fill(555000, 25);
    c.send_text(v->snapshot(a));
    stream(c, *v, 20, 42, v->symbols());
    done = true;
    c.wait_closed(5s);
  });
  CrawlRun run(test_crawl_options(server, "/"), spec("bybit", v->symbols()));
  expect_exact_lines(run, *v, done);
  EXPECT_EQ(server.connections(), 1);
  EXPECT_THAT(run.log_text(), ::testing::Not(HasSubstr("resubscribing")));
}

// Kraken without the instrument list: the checksum is over the numbers' text as it came.
TEST(KrakenCrawl, WithoutPrecisionsTheWireTextIsHashed) {
  auto v = make_kraken_server(symbols_of("kraken"), 10, false);
  std::atomic<bool> done{false};
  TestExchange server([&](Connection& c) {
    if (!open(c, *v)) return;
    stream(c, *v, 60, 51, v->symbols());
    done = true;
    c.wait_closed(5s);
  });
  CrawlRun run(test_crawl_options(server, "/"), spec("kraken", v->symbols()));
  expect_exact_lines(run, *v, done);
  EXPECT_THAT(run.log_text(), ::testing::Not(HasSubstr("checksum mismatch:")));
}

INSTANTIATE_TEST_SUITE_P(Venues, VenueCrawl, ::testing::Values("coinbase", "kraken", "okx", "bybit"), venue_name);
INSTANTIATE_TEST_SUITE_P(Venues, ChainedVenueCrawl, ::testing::Values("kraken", "okx", "bybit"), venue_name);

}  // namespace
}  // namespace wsbook::testing
