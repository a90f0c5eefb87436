// The crawler against our TLS test exchange speaking Binance (spot and USD-M
// futures): the combined stream and, on the same port, the REST snapshots that
// --rest-url points at. Every line of every symbol must be, in order, exactly
// the true states its book went through; the first line after a (re)bridge is
// the bridged book, and nothing of a snapshot the crawler must refuse is written.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "binance_crawler_harness.h"

namespace wsbook::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;

const std::vector<std::string> kTwo{"BTCUSDT", "ETHUSDT"};

// The next random delta of `s`; each call moves `seed` on.
bool send_delta(BinanceExchange& ex, Connection& c, const std::string& s, std::uint32_t& seed) {
  return ex.send(c, [&](BinanceServer& v) { return v.random_delta(s, seed); });
}

// A new quantity at the best level of a side: visible in a line, never crossing.
LevelChange best_quantity(const SymbolTruth& b, TrueSide side, std::int64_t milli) {
  return {side, side == TrueSide::bid ? b.bids().begin()->first : b.asks().begin()->first, milli};
}

// Queues, as the reply to `s`'s next GET, its snapshot taken inside its next
// update (every update sent before is older: dropped whenever it comes, on spot
// and futures alike); returns that update, to be sent once the bridged line is out.
std::string snapshot_inside_next_update(BinanceExchange& ex, const std::string& s) {
  const Straddle x = ex.locked([&](BinanceServer& v) {
    v.book(s).mute(false);
    const SymbolTruth& t = v.book(s);
    return v.straddle(s, {best_quantity(t, TrueSide::bid, 777)}, {best_quantity(t, TrueSide::ask, 888)});
  });
  ex.reply(s, {200, {}, x.snapshot});
  return x.event;
}

// Subscribes, sends each symbol's first updates (buffered, then inside its
// snapshot: never a line), answers each GET, waits for the bridged lines.
bool open_and_bridge(BinanceExchange& ex, Connection& c, const std::vector<std::string>& symbols) {
  if (!ex.open(c)) return false;
  std::uint32_t seed = 3;
  for (int i = 0; i < 3; ++i) {
    for (const std::string& s : symbols) send_delta(ex, c, s, seed);
  }
  std::vector<std::string> next;
  for (const std::string& s : symbols) next.push_back(snapshot_inside_next_update(ex, s));
  for (const std::string& s : symbols) {
    if (!ex.wait_lines(c, s, 1)) return false;
  }
  for (const std::string& f : next) c.send_text(f);
  return true;
}

std::chrono::milliseconds between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(to - from);
}

class BinanceCrawl : public ::testing::TestWithParam<std::string> {
 protected:
  std::string venue() const { return GetParam(); }
  bool futures() const { return venue() == "binance-futures"; }
};

std::string venue_name(const ::testing::TestParamInfo<std::string>& info) {
  return info.param == "binance" ? "Spot" : "Futures";
}

// Two symbols: updates before and after the REST replies, both bridged, every line true.
TEST_P(BinanceCrawl, CleanStreamBridgesBothBooksAndWritesEveryTrueState) {
  BinanceExchange ex(venue(), kTwo);
  ex.start([&](Connection& c) {
    if (!open_and_bridge(ex, c, kTwo)) return;
    ex.stream(c, 60, 4, kTwo);
    ex.finish();
    c.wait_closed(5s);
  });
  ex.expect_exact_lines();
  std::size_t lines = 0;
  for (const std::string& s : kTwo) {
    lines += ex.venue().book(s).expected_lines().size();
    const auto asked = ex.requests(s);
    ASSERT_EQ(asked.size(), 1u) << s;
    EXPECT_EQ(asked[0].target, ex.venue().depth_path() + "?symbol=" + s + "&limit=1000");
  }
  EXPECT_EQ(lines, 64u);  // each: its bridged book, the update it was taken in, then the stream's
  EXPECT_EQ(ex.websockets(), 1);
}

// A snapshot of `s` taken inside an update, which is sent, then one more: both
// to be bridged once the reply comes. Nothing is remembered (`s` is muted): the
// test remembers the bridged book. Returns the snapshot.
std::string snapshot_before_updates(BinanceExchange& ex, Connection& c, const std::string& s, std::uint32_t& seed) {
  const Straddle y = ex.locked([&](BinanceServer& v) {
    const SymbolTruth& t = v.book(s);
    return v.straddle(s, {best_quantity(t, TrueSide::bid, 4321)}, {best_quantity(t, TrueSide::ask, 1234)});
  });
  c.send_text(y.event);
  send_delta(ex, c, s, seed);
  return y.snapshot;
}

// A snapshot of `s` ahead of the stream: it holds the updates put in `held`
// (not sent yet) and part of the straddling update it comes with.
Straddle snapshot_ahead_of_updates(BinanceServer& v, const std::string& s, std::uint32_t& seed,
                                   std::vector<std::string>& held) {
  for (int i = 0; i < 2; ++i) held.push_back(v.random_delta(s, seed));
  v.book(s).mute(false);
  const SymbolTruth& t = v.book(s);
  return v.straddle(s, {best_quantity(t, TrueSide::ask, 555)}, {best_quantity(t, TrueSide::bid, 666)});
}

// The replies come late (300, 400 ms). ETHUSDT's snapshot is taken inside an
// update, which comes, with one more, before the reply: both applied in the
// bridge. BTCUSDT's snapshot is ahead of the stream: two updates it already
// holds come after the reply (dropped), then one straddling its id (applied).
TEST_P(BinanceCrawl, LateRepliesBridgeUpdatesFromBeforeAndAfterThem) {
  const std::string a = kTwo[0], b = kTwo[1];
  BinanceExchange ex(venue(), kTwo);
  ex.start([&](Connection& c) {
    std::uint32_t seed = 17;
    if (!ex.open(c) || !send_delta(ex, c, b, seed) || !ex.wait_requests(c, b, 1)) return;
    const std::string body_b = snapshot_before_updates(ex, c, b, seed);
    send_delta(ex, c, a, seed);  // a's GET says the crawler has read b's updates before it
    if (!ex.wait_requests(c, a, 1)) return;
    ex.locked([&](BinanceServer& v) {  // the bridged book: every update of b in
      v.book(b).mute(false);
      v.book(b).remember();
    });
    ex.reply(b, {200, {}, body_b, 300ms});
    std::vector<std::string> held;
    const Straddle xa = ex.locked([&](BinanceServer& v) { return snapshot_ahead_of_updates(v, a, seed, held); });
    ex.reply(a, {200, {}, xa.snapshot, 400ms});
    if (!ex.wait_lines(c, b, 1) || !ex.wait_lines(c, a, 1)) return;
    for (const std::string& f : held) c.send_text(f);
    c.send_text(xa.event);
    ex.stream(c, 30, 18, kTwo);
    ex.finish();
    c.wait_closed(5s);
  });
  ex.expect_exact_lines();
  EXPECT_EQ(ex.venue().book(a).expected_lines().size() + ex.venue().book(b).expected_lines().size(), 33u);
  EXPECT_EQ(ex.requests(a).size(), 1u);
  ASSERT_EQ(ex.requests(b).size(), 1u);
  EXPECT_GE(between(ex.requests(b)[0].came, ex.requests(b)[0].answered), 300ms);
  EXPECT_THAT(ex.run().log_text(), HasSubstr("2 buffered updates applied"));
}

// A reply older than the first update the crawler buffered: fetched again, nothing written from it.
TEST(BinanceCrawlRest, StaleSnapshotIsFetchedAgainAndNothingIsWrittenFromIt) {
  const std::string a = kTwo[0];
  BinanceExchange ex("binance", {a});
  ex.start([&](Connection& c) {
    if (!ex.open(c)) return;
    const std::string stale = ex.locked([&](BinanceServer& v) {
      std::uint32_t seed = 5;
      std::string body = v.rest_body(a);
      v.unseen_updates(a, seed);  // before the subscription: the stream starts after them
      v.unseen_updates(a, seed);
      return body;
    });
    ex.reply(a, {200, {}, stale});
    std::uint32_t seed = 6;
    send_delta(ex, c, a, seed);
    send_delta(ex, c, a, seed);
    ex.allow(a);
    if (!ex.wait_lines(c, a, 1)) return;
    ex.stream(c, 20, 8, {a});
    ex.finish();
    c.wait_closed(5s);
  });
  ex.expect_exact_lines();
  const auto asked = ex.requests(a);
  ASSERT_EQ(asked.size(), 2u);
  EXPECT_GE(between(asked[0].answered, asked[1].came), 50ms);  // the feed's backoff
  EXPECT_THAT(ex.run().log_text(), HasSubstr("older than the updates"));
}

// HTTP 429 with Retry-After: 1: the next GET waits at least that long, then the book is bridged.
TEST(BinanceCrawlRest, TooManyRequestsWaitsItsRetryAfter) {
  const std::string a = kTwo[0];
  BinanceExchange ex("binance", {a});
  ex.reply(a, {429, {{"Retry-After", "1"}},
               R"({"code":-1003,"msg":"Too many requests; current limit of IP(127.0.0.1) is 6000 requests per minute."})"});
  ex.allow(a);
  ex.start([&](Connection& c) {
    std::uint32_t seed = 9;
    if (!ex.open(c) || !send_delta(ex, c, a, seed) || !ex.wait_lines(c, a, 1)) return;
    ex.stream(c, 10, 10, {a});
    ex.finish();
    c.wait_closed(5s);
  });
  ex.expect_exact_lines();
  const auto asked = ex.requests(a);
  ASSERT_EQ(asked.size(), 2u);
  EXPECT_GE(between(asked[0].answered, asked[1].came), 1000ms);
  EXPECT_THAT(ex.run().log_text(), HasSubstr("Too many requests"));
}

// A lost update on one of two symbols: that book alone is rebuilt from a new
// snapshot on the same connection, and the other's lines go on meanwhile.
TEST_P(BinanceCrawl, GapRebuildsThatSymbolAloneFromANewSnapshot) {
  const std::string a = kTwo[0], b = kTwo[1];
  BinanceExchange ex(venue(), kTwo);
  ex.start([&](Connection& c) {
    if (!open_and_bridge(ex, c, kTwo)) return;
    ex.stream(c, 20, 11, kTwo);
    std::uint32_t seed = 12;
    ex.locked([&](BinanceServer& v) { v.integrity_fault(a); });
    for (const std::string& s : {a, b, a, b, a}) send_delta(ex, c, s, seed);  // a's are never lines
    const std::size_t before = ex.locked([&](BinanceServer& v) {
      v.book(a).new_epoch();
      return v.book(a).expected_lines().size();
    });
    const std::string next = snapshot_inside_next_update(ex, a);
    if (!ex.stream_until_lines(c, b, a, before + 1)) return;
    c.send_text(next);
    ex.stream(c, 20, 13, kTwo);
    ex.finish();
    c.wait_closed(5s);
  });
  ex.expect_exact_lines();
  EXPECT_EQ(ex.requests(a).size(), 2u);
  EXPECT_EQ(ex.requests(b).size(), 1u);
  EXPECT_EQ(ex.websockets(), 1);
  EXPECT_EQ(ex.venue().book(a).epochs(), 2u);
  EXPECT_FALSE(ex.venue().book(a).epoch(1).empty());
  const std::string log = ex.run().log_text();
  EXPECT_THAT(log, HasSubstr(futures() ? "sequence gap: expected pu" : "sequence gap: expected U"));
  EXPECT_THAT(log, HasSubstr(a + ": "));
  EXPECT_THAT(log, ::testing::Not(HasSubstr(b + ": sequence gap")));
}

// The only symbol is one the venue does not know: its REST snapshot says so (HTTP 400, -1121), and the crawler exits 2.
void expect_unknown_only_symbol_exits_2(const std::string& venue, bool stream_names_it) {
  const std::string foo = "FOOUSDT";
  BinanceExchange ex(venue, {foo});
  ex.reply(foo, {400, {}, R"({"code":-1121,"msg":"Invalid symbol."})"});
  ex.start([&](Connection& c) {
    std::uint32_t seed = 2;
    if (!ex.open(c) || (stream_names_it && !send_delta(ex, c, foo, seed))) return;
    ex.finish();
    c.wait_closed(5s);
  });
  EXPECT_EQ(ex.run().wait_exit(5s), 2) << ex.run().stop() << ex.run().log_text();
  EXPECT_THAT(ex.run().log_text(), HasSubstr(foo));
  EXPECT_THAT(ex.run().log_text(), HasSubstr("Invalid symbol."));
  EXPECT_TRUE(ex.run().lines().empty());
  EXPECT_EQ(ex.requests(foo).size(), 1u);
}

// An update of the unknown symbol starts its fetch.
TEST_P(BinanceCrawl, UnknownOnlySymbolExits2) { expect_unknown_only_symbol_exits_2(venue(), true); }

// As Binance does it: the stream takes the unknown name and then says nothing
// of it. The feed fetches a snapshot only once an update came
// (src/feed/rest_bridge.cpp, buffer_update), so it never learns: enable once it
// also fetches a symbol that has had no update for a while.
TEST_P(BinanceCrawl, UnknownOnlySymbolTheStreamNeverNamesExits2) {
  expect_unknown_only_symbol_exits_2(venue(), false);
}

// A reply that is not JSON, then one without lastUpdateId: each fetched again after a backoff, nothing written.
TEST(BinanceCrawlRest, MalformedRepliesAreFetchedAgainAfterABackoff) {
  const std::string a = kTwo[0];
  BinanceExchange ex("binance", {a});
  ex.reply(a, {200, {{"Content-Type", "text/html"}}, "<html><body><h1>502 Bad Gateway</h1></body></html>"});
  ex.reply(a, {200, {}, R"({"bids":[["6500.00000000","1.00000000"]],"asks":[["6600.00000000","1.00000000"]]})"});
  ex.start([&](Connection& c) {
    std::uint32_t seed = 14;
    if (!ex.open(c) || !send_delta(ex, c, a, seed) || !send_delta(ex, c, a, seed)) return;
    ex.allow(a);
    if (!ex.wait_lines(c, a, 1)) return;
    ex.stream(c, 10, 15, {a});
    ex.finish();
    c.wait_closed(5s);
  });
  ex.expect_exact_lines();
  const auto asked = ex.requests(a);
  ASSERT_EQ(asked.size(), 3u);
  for (std::size_t i = 1; i < asked.size(); ++i) EXPECT_GE(between(asked[i - 1].answered, asked[i].came), 50ms) << i;
  EXPECT_THAT(ex.run().log_text(), HasSubstr("lastUpdateId"));
}

INSTANTIATE_TEST_SUITE_P(Binance, BinanceCrawl, ::testing::Values("binance", "binance-futures"), venue_name);

// The renderer itself: Binance's id rules, before any crawler trusts it.
TEST(BinanceBookSelf, SpotIdsTouchFuturesNamePuAndAStraddleHoldsTheSnapshotsId) {
  for (const bool fut : {false, true}) {
    auto v = make_binance_server({"BTCUSDT"}, 10, fut);
    std::uint32_t seed = 1;
    const std::int64_t start = v->last_id("BTCUSDT");
    const std::string d1 = v->random_delta("BTCUSDT", seed);
    const std::int64_t u1 = v->last_id("BTCUSDT");
    EXPECT_THAT(d1, HasSubstr(R"("u":)" + std::to_string(u1)));
    EXPECT_EQ(d1.find(R"("pu":)") != std::string::npos, fut);
    if (fut) {
      EXPECT_THAT(d1, HasSubstr(R"("pu":)" + std::to_string(start)));
    }
    const SymbolTruth& t = v->book("BTCUSDT");
    const Straddle s = v->straddle("BTCUSDT", {best_quantity(t, TrueSide::bid, 9)}, {best_quantity(t, TrueSide::ask, 8)});
    const std::int64_t id = std::stoll(s.snapshot.substr(s.snapshot.find(':') + 1));
    const std::int64_t first = std::stoll(s.event.substr(s.event.find(R"("U":)") + 4));
    EXPECT_TRUE(first <= id && id < v->last_id("BTCUSDT")) << s.event << "\n" << s.snapshot.substr(0, 40);
    if (!fut) {
      EXPECT_EQ(first, u1 + 1);
    }
    EXPECT_TRUE(v->book("BTCUSDT").expected_lines().empty()) << "muted until the first snapshot";
    v->snapshot("BTCUSDT");
    EXPECT_EQ(v->book("BTCUSDT").expected_lines().size(), 1u);
  }
}

}  // namespace
}  // namespace wsbook::testing
