// Many symbols in one crawl: two connections to one test exchange, told apart
// by the symbols their subscribe frames name, each with its own true books
// (support/venue_book.h). Lines go to an output per symbol, or tagged into one
// stream; every symbol's lines must be, in order, exactly the true states its
// book went through, whatever befalls the other connection.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <functional>
#include <optional>

#include "crawl_harness.h"
#include "support/venue_book.h"

namespace wsbook::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;

// Four symbols of `venue`, none a part of another: two for each connection.
std::vector<std::vector<std::string>> groups_of(const std::string& venue) {
  if (venue == "coinbase") return {{"BTC-USD", "ETH-USD"}, {"SOL-USD", "XRP-USD"}};
  if (venue == "okx") return {{"BTC-USDT", "ETH-USDT"}, {"SOL-USDT", "XRP-USDT"}};
  return {{"BTCUSDT", "ETHUSDT"}, {"SOLUSDT", "XRPUSDT"}};
}
// A symbol the venue refuses, in the venue's form.
std::string refused(const std::string& venue, const std::string& base) {
  return base + (venue == "coinbase" ? "-USD" : venue == "okx" ? "-USDT" : "USDT");
}

bool names(const std::string& frame, const std::string& s) { return frame.find(s + '"') != std::string::npos; }
bool is_unsubscribe(const std::string& frame) { return frame.find("unsubscribe") != std::string::npos; }
bool is_subscribe(const std::string& f) { return !is_unsubscribe(f) && f.find("subscribe") != std::string::npos; }

// Waits until `done()`; true if it was within `timeout`.
bool wait_for(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!done() && Clock::now() < deadline) std::this_thread::sleep_for(2ms);
  return done();
}

// One planned connection as the exchange sees it: its own books, its sessions, its script done.
struct Planned {
  std::unique_ptr<VenueServer> venue;
  std::atomic<int> sessions{0};
  std::atomic<bool> done{false};
};

// The exchange's side of a crawl of several connections to one venue.
class Exchange {
 public:
  Exchange(const std::string& venue, const std::vector<std::vector<std::string>>& groups) {
    std::int64_t mid = 400000;
    for (const auto& g : groups) {
      Planned& p = planned_.emplace_back();
      p.venue = make_venue_server(venue, g, 10);
      for (const std::string& s : g) p.venue->book(s).fill(mid += 150000, 30);  // no price of two symbols
    }
  }
  Planned& operator[](std::size_t i) { return planned_.at(i); }
  VenueServer& venue(std::size_t i) { return *planned_.at(i).venue; }
  std::string name() const { return planned_.front().venue->name(); }

  // Accepts and reads up to a subscribe frame: the planned connection whose every symbol it names.
  Planned* accept(Connection& c) {
    if (!c.accept()) return nullptr;
    while (auto frame = c.read_text(3s)) {
      if (!is_subscribe(*frame)) continue;
      for (Planned& p : planned_) {
        const auto& symbols = p.venue->symbols();
        if (std::all_of(symbols.begin(), symbols.end(), [&](const auto& s) { return names(*frame, s); })) {
          ++p.sessions;
          return &p;
        }
      }
    }
    return nullptr;
  }
  // A script for the TestExchange: accepts, tells which planned connection it is, runs `f` for it.
  TestExchange::Script script(std::function<void(Connection&, Planned&)> f) {
    return [this, f = std::move(f)](Connection& c) {
      if (Planned* p = accept(c)) f(c, *p);
    };
  }
  // Answers the subscription of `p` and sends each of its books' snapshot.
  static void open(Connection& c, Planned& p) {
    VenueServer& v = *p.venue;
    v.new_connection();
    for (const std::string& f : v.acks(v.symbols())) c.send_text(f);
    for (const std::string& s : v.symbols()) c.send_text(v.snapshot(s));
  }
  // The crawl of every planned connection, at once, its books tagged into output 0 or each
  // untagged into an output of its own; no limit on connects.
  std::unique_ptr<CrawlRun> crawl(const TestExchange& server, bool tagged, std::chrono::milliseconds stale = 0ms,
                                  std::optional<std::uint64_t> count = {}) const {
    CrawlOptions o = test_crawl_options(server, "/");
    o.connects_per_minute = 0;
    o.count = count;
    std::vector<ConnectionSpec> specs;
    std::size_t k = 0;
    for (const Planned& p : planned_) {
      ConnectionSpec c{{.symbols = p.venue->symbols(), .tag_lines = tagged, .symbol_stale = stale}};
      for (std::size_t i = 0; !tagged && i < p.venue->symbols().size(); ++i) c.book_outputs.push_back(k++);
      specs.push_back(std::move(c));
    }
    return std::make_unique<CrawlRun>(o, name(), specs, tagged ? 1 : k);
  }
  // Calls f(its true book, its output when untagged) for every symbol, in the crawl's order.
  void each_book(const std::function<void(SymbolTruth&, std::size_t)>& f) {
    std::size_t k = 0;
    for (Planned& p : planned_) {
      for (const std::string& s : p.venue->symbols()) f(p.venue->book(s), k++);
    }
  }
  // Every true state of every book: the lines the crawl must write.
  std::size_t expected_count() {
    std::size_t n = 0;
    each_book([&](SymbolTruth& b, std::size_t) { n += b.expected_lines().size(); });
    return n;
  }
  // Waits until every planned connection's script is done.
  bool wait_done(std::chrono::milliseconds timeout) const {
    auto all = [&] { return std::all_of(planned_.begin(), planned_.end(), [](auto& p) { return p.done.load(); }); };
    return wait_for(all, timeout);
  }

 private:
  std::deque<Planned> planned_;
};

// `n` random deltas of `symbols` in turn, a heartbeat after every seventh.
void stream(Connection& c, VenueServer& v, int n, std::uint32_t seed, const std::vector<std::string>& symbols) {
  for (int i = 0; i < n; ++i) {
    c.send_text(v.random_delta(symbols[static_cast<std::size_t>(i) % symbols.size()], seed));
    if (i % 7 == 6) c.send_text(v.heartbeat());
  }
}

// Deltas of every book of `v` in turn, about one each 10 ms, until `until` (the other connection is done).
void stream_until(Connection& c, VenueServer& v, const std::atomic<bool>& until, std::uint32_t seed) {
  const auto deadline = Clock::now() + 8s;
  for (std::size_t i = 0; !until && Clock::now() < deadline; ++i) {
    if (!c.send_text(v.random_delta(v.symbols()[i % v.symbols().size()], seed))) return;
    if (i % 7 == 6) c.send_text(v.heartbeat());
    c.stall(10ms);
  }
}

// Once every script is done: waits for each true state's line, stops the crawl, checks every symbol's lines.
void expect_exact_lines(CrawlRun& run, Exchange& ex, bool tagged) {
  ASSERT_TRUE(ex.wait_done(10s)) << "the server scripts did not finish\n" << run.log_text();
  EXPECT_TRUE(run.wait_lines(ex.expected_count(), 5s)) << run.log_text();
  EXPECT_EQ(run.stop(), 0);
  std::size_t mine = 0;
  ex.each_book([&](SymbolTruth& b, std::size_t k) {
    const auto lines = run.lines(tagged ? 0 : k);
    const auto got = lines_of(lines, ex.name(), tagged ? b.symbol() : "");
    EXPECT_TRUE(tagged || got.size() == lines.size()) << "tagged lines in the output of " << b.symbol();
    mine += got.size();
    EXPECT_EQ(diff_lines(got, b.expected_lines()), "") << ex.name() << " " << b.symbol() << "\n" << run.log_text();
  });
  EXPECT_EQ(mine, run.line_count()) << "lines of no symbol";
}

class ManySymbols : public ::testing::TestWithParam<std::string> {
 protected:
  std::string venue() const { return GetParam(); }
};
std::string venue_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

// Both connections: their snapshots, 30 deltas over their two books, done.
void clean_crawl(const std::string& venue, bool tagged) {
  Exchange ex(venue, groups_of(venue));
  TestExchange server(ex.script([&](Connection& c, Planned& p) {
    Exchange::open(c, p);
    stream(c, *p.venue, 30, &p == &ex[0] ? 7 : 8, p.venue->symbols());
    p.done = true;
    c.wait_closed(5s);
  }));
  const auto run = ex.crawl(server, tagged);
  expect_exact_lines(*run, ex, tagged);
  EXPECT_EQ(ex.expected_count(), 64u);
  EXPECT_EQ(server.connections(), 2);
  EXPECT_THAT(run->log_text(), HasSubstr("2 connections planned"));
}

// (1) Four symbols over two connections, an output each, untagged: each its symbol's true states alone.
TEST_P(ManySymbols, OutputPerSymbolHoldsExactlyItsTrueStates) { clean_crawl(venue(), false); }

// (2) The same four tagged in one stream: split by tag, each symbol's lines are its true states.
TEST_P(ManySymbols, TaggedStreamSplitsIntoEachSymbolsTrueStates) { clean_crawl(venue(), true); }

// (3) A fault that ends connection 0's session: its books are rebuilt from new snapshots on the
// next session (epoch 1), while connection 1's books go on untouched, one epoch, no gap.
void expect_connection_rebuilt(const std::string& venue, const std::function<void(Connection&, VenueServer&)>& fault,
                               const std::string& log_hint) {
  Exchange ex(venue, groups_of(venue));
  TestExchange server(ex.script([&](Connection& c, Planned& p) {
    VenueServer& v = *p.venue;
    if (&p == &ex[1]) {
      Exchange::open(c, p);
      stream_until(c, v, ex[0].done, 31);
    } else if (p.sessions == 1) {
      Exchange::open(c, p);
      stream(c, v, 20, 32, v.symbols());
      return fault(c, v);
    } else {
      std::int64_t mid = 2000000;
      for (const std::string& s : v.symbols()) v.book(s).new_epoch(), v.book(s).fill(mid += 150000, 30);
      Exchange::open(c, p);
      stream(c, v, 20, 33, v.symbols());
    }
    p.done = true;
    c.wait_closed(5s);
  }));
  const auto run = ex.crawl(server, false);
  expect_exact_lines(*run, ex, false);
  EXPECT_EQ(server.connections(), 3);
  EXPECT_EQ(ex[0].sessions.load(), 2);
  ex.each_book([](SymbolTruth& b, std::size_t k) {  // books 0 and 1 are connection 0's
    EXPECT_EQ(b.epochs(), k < 2 ? 2u : 1u) << b.symbol();
    EXPECT_FALSE(b.epoch(0).empty() || b.epoch(b.epochs() - 1).empty()) << b.symbol();
  });
  EXPECT_THAT(run->log_text(), HasSubstr("[" + ex.venue(0).symbols()[0] + " +1] " + log_hint));
}

TEST_P(ManySymbols, DroppedConnectionRebuildsItsBooksOnly) {
  expect_connection_rebuilt(
      venue(),
      [](Connection& c, VenueServer&) {
        c.stall(100ms);  // the client has read every frame: nothing it had is cut off unread
        c.drop();
      },
      "connection lost");
}

// (3) Coinbase's sequence is the connection's: a gap restarts that connection alone.
TEST(CoinbaseManySymbols, SequenceGapRestartsItsConnectionOnly) {
  expect_connection_rebuilt(
      "coinbase",
      [](Connection& c, VenueServer& v) {
        for (const std::string& s : v.symbols()) v.book(s).mute(true);  // nothing after the gap may be written
        v.integrity_fault(v.symbols()[0]);
        std::uint32_t seed = 5;
        c.send_text(v.random_delta(v.symbols()[0], seed));
        c.send_text(v.random_delta(v.symbols()[1], seed));
        c.wait_closed(5s);
      },
      "sequence gap:");
}

// What the client sent while one of its symbols was starved.
struct Resubscription {
  std::vector<std::string> frames;
  bool unsubscribed = false, subscribed = false, named_other = false;
};

// Sends only `other`'s deltas and heartbeats, reading the client, until it resubscribed `silent`.
Resubscription starve(Connection& c, VenueServer& v, const std::string& silent, const std::string& other) {
  Resubscription r;
  std::uint32_t seed = 77;
  const auto deadline = Clock::now() + 6s;
  for (int i = 0; !(r.unsubscribed && r.subscribed) && Clock::now() < deadline; ++i) {
    if (!c.send_text(v.random_delta(other, seed))) break;
    if (const std::string hb = v.heartbeat(); i % 7 == 6 && !names(hb, silent)) c.send_text(hb);
    while (auto frame = c.read_text(10ms)) {
      r.frames.push_back(*frame);
      r.named_other |= names(*frame, other);
      r.unsubscribed |= is_unsubscribe(*frame) && names(*frame, silent);
      r.subscribed |= r.unsubscribed && is_subscribe(*frame) && names(*frame, silent);
    }
  }
  return r;
}

class StaleSymbol : public ManySymbols {};

// (4) Connection 0's second symbol goes silent while its first speaks on: after symbol_stale it is
// resubscribed alone on the same connection and comes back from its new snapshot.
TEST_P(StaleSymbol, SilentSymbolIsResubscribedAloneOnItsConnection) {
  Exchange ex(venue(), groups_of(venue()));
  const std::string a = ex.venue(0).symbols()[1], b = ex.venue(0).symbols()[0];
  Resubscription resub;
  TestExchange server(ex.script([&](Connection& c, Planned& p) {
    VenueServer& v = *p.venue;
    Exchange::open(c, p);
    if (&p == &ex[1]) {
      stream_until(c, v, ex[0].done, 41);
    } else {
      stream(c, v, 10, 42, v.symbols());
      resub = starve(c, v, a, b);
      for (const std::string& f : v.unsubscribe_acks(a)) c.send_text(f);
      for (const std::string& f : v.acks({a})) c.send_text(f);
      v.book(a).new_epoch();
      v.book(a).fill(3000000, 30);
      c.send_text(v.snapshot(a));
      stream(c, v, 10, 43, v.symbols());
    }
    p.done = true;
    c.wait_closed(5s);
  }));
  const auto run = ex.crawl(server, false, 2s);
  expect_exact_lines(*run, ex, false);
  EXPECT_TRUE(resub.unsubscribed && resub.subscribed) << ::testing::PrintToString(resub.frames);
  EXPECT_FALSE(resub.named_other) << ::testing::PrintToString(resub.frames);
  EXPECT_EQ(server.connections(), 2);
  EXPECT_EQ(ex.venue(0).book(a).epochs(), 2u);
  EXPECT_FALSE(ex.venue(0).book(a).epoch(1).empty());
  EXPECT_EQ(ex.venue(0).book(b).epochs(), 1u);
  EXPECT_THAT(run->log_text(), HasSubstr(a + ": nothing of it for"));
}

// (5) Connection 0's only symbol is refused: that connection ends, the crawl goes on with connection 1.
TEST_P(ManySymbols, RejectedConnectionEndsWhileTheOtherGoesOn) {
  const std::string foo = refused(venue(), "FOO");
  Exchange ex(venue(), {{foo}, groups_of(venue())[1]});
  std::atomic<bool> left{false};
  TestExchange server(ex.script([&](Connection& c, Planned& p) {
    if (&p == &ex[0]) {
      c.send_text(p.venue->reject(foo));
      left = c.wait_closed(5s);
    } else {
      Exchange::open(c, p);
      stream_until(c, *p.venue, ex[0].done, 51);
      stream(c, *p.venue, 10, 52, p.venue->symbols());  // after connection 0 is gone
    }
    p.done = true;
    c.wait_closed(5s);
  }));
  const auto run = ex.crawl(server, false);
  ASSERT_TRUE(ex.wait_done(10s));
  EXPECT_TRUE(left.load()) << "the client kept the connection of a refused symbol";
  EXPECT_EQ(run->wait_exit(0ms), -1) << "the crawl ended with symbols left\n" << run->log_text();
  expect_exact_lines(*run, ex, false);
  EXPECT_EQ(server.connections(), 2);
  EXPECT_EQ(ex[0].sessions.load(), 1) << "a connection of refused symbols only was retried";
  EXPECT_THAT(run->log_text(), HasSubstr("rejected " + foo));
}

// (5) Every symbol of every connection refused: exit 1 (2 is for venues that say they do not
// know a symbol, over REST: none of these), once the last connection is done, not before.
TEST_P(ManySymbols, EverySymbolRejectedExits1) {
  const std::string foo = refused(venue(), "FOO"), bar = refused(venue(), "BAR"), baz = refused(venue(), "BAZ");
  Exchange ex(venue(), {{foo, bar}, {baz}});
  std::atomic<bool> go{false};
  TestExchange server(ex.script([&](Connection& c, Planned& p) {
    const auto deadline = Clock::now() + 5s;
    while (&p == &ex[1] && !go && Clock::now() < deadline) c.stall(10ms);  // until the test looked
    for (const std::string& s : p.venue->symbols()) c.send_text(p.venue->reject(s));
    c.wait_closed(5s);
    p.done = true;
  }));
  const auto run = ex.crawl(server, false);
  ASSERT_TRUE(wait_for([&] { return ex[0].done.load(); }, 5s)) << run->log_text();
  EXPECT_EQ(run->wait_exit(0ms), -1) << "the crawl ended with a connection's symbols left\n" << run->log_text();
  go = true;
  EXPECT_EQ(run->wait_exit(5s), 1) << run->log_text();
  EXPECT_THAT(run->log_text(), HasSubstr("no symbol left to crawl"));
  EXPECT_EQ(run->line_count(), 0u);
  EXPECT_EQ(server.connections(), 2);
}

// (6) --count N counts the lines of every connection: the crawl stops after exactly N in all,
// more than one connection alone could write, each symbol's lines the first of its true states.
TEST_P(ManySymbols, CountIsOverEveryConnection) {
  Exchange ex(venue(), groups_of(venue()));
  TestExchange server(ex.script([&](Connection& c, Planned& p) {
    Exchange::open(c, p);
    stream(c, *p.venue, 40, &p == &ex[0] ? 61 : 62, p.venue->symbols());
    p.done = true;
    c.wait_closed(5s);
  }));
  const auto run = ex.crawl(server, false, 0ms, 50);  // one connection alone has 42 lines: 2 snapshots, 40 deltas
  EXPECT_EQ(run->wait_exit(5s), 0) << run->log_text();
  ASSERT_TRUE(ex.wait_done(5s));
  EXPECT_EQ(run->line_count(), 50u) << run->log_text();
  ex.each_book([&](SymbolTruth& b, std::size_t k) {
    auto truth = b.expected_lines();
    const auto got = run->lines(k);
    ASSERT_LE(got.size(), truth.size()) << b.symbol();
    truth.resize(got.size());
    EXPECT_EQ(diff_lines(lines_of(got, ex.name(), ""), truth), "") << b.symbol();
  });
}

INSTANTIATE_TEST_SUITE_P(Venues, ManySymbols, ::testing::Values("bybit", "okx", "coinbase"), venue_name);
INSTANTIATE_TEST_SUITE_P(Venues, StaleSymbol, ::testing::Values("bybit", "okx"), venue_name);

}  // namespace
}  // namespace wsbook::testing
