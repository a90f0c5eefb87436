// Records that tell the truth downstream, from a live crawl of the test exchange: --markers through a
// gap (or checksum fault), a dropped connection and the stop, read back the way a user's script would;
// --fields seq and exchange_ts against what the server sent; --interval lines at the clock's instants
// over a stream of deltas. Each crawl is captured, and its capture replays to the same lines.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <set>

#include "crawl_harness.h"
#include "replay_harness.h"
#include "support/venue_book.h"

namespace wsbook::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using nlohmann::json;

std::vector<std::string> pair_of(const std::string& venue) {
  if (venue == "coinbase") return {"BTC-USD", "ETH-USD"};
  if (venue == "okx") return {"BTC-USDT", "ETH-USDT"};
  if (venue == "kraken") return {"BTC/USD", "ETH/USD"};
  return {"BTCUSDT", "ETHUSDT"};
}
bool names(const std::string& frame, const std::string& s) { return frame.find(s + '"') != std::string::npos; }
bool is_unsubscribe(const std::string& f) { return f.find("unsubscribe") != std::string::npos; }
bool is_subscribe(const std::string& f) { return !is_unsubscribe(f) && f.find("subscribe") != std::string::npos; }

// What a reader of a --markers stream finds in it, symbol by symbol: the books
// (runs of lines between a resync and the next gap or disconnect), and every
// rule the records must keep that was broken.
struct Reading {
  std::map<std::string, std::vector<std::vector<std::string>>> books;  // symbol -> book -> line bodies
  std::map<std::string, std::vector<std::string>> gaps;                // symbol -> the reasons, in order
  std::vector<json> connects, disconnects;
  std::vector<std::string> broken;  // what broke the rules, line by line
};

// `file_symbol`: the symbol of untagged lines (a file per symbol).
Reading read_records(const std::vector<std::string>& lines, const std::string& exchange,
                     const std::string& file_symbol = "") {
  Reading r;
  std::set<std::string> open;  // symbols whose book is trusted: a resync stands and no gap since
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const json j = json::parse(lines[i], nullptr, false);
    const std::string at = "line " + std::to_string(i + 1) + ": ";
    if (j.is_discarded()) r.broken.push_back(at + "not JSON");
    if (!j.is_object()) continue;
    const std::string event = j.value("event", ""), symbol = j.value("symbol", "");
    if (event == "connect") {
      r.connects.push_back(j);
    } else if (event == "disconnect") {
      // A disconnect mid-run has the gap of every open book before it; only the last may find books open.
      for (const auto& s : j["symbols"]) {
        if (open.count(s.get<std::string>()) && i + 1 != lines.size()) r.broken.push_back(at + "no gap before disconnect");
        open.erase(s.get<std::string>());
      }
      r.disconnects.push_back(j);
    } else if (event == "gap") {
      if (!open.count(symbol)) r.broken.push_back(at + "a gap of " + symbol + " with no book open");
      open.erase(symbol);
      r.gaps[symbol].push_back(j.value("reason", ""));
    } else if (event == "resync") {
      if (open.count(symbol)) r.broken.push_back(at + "a new book of " + symbol + " with no gap before it");
      open.insert(symbol);
      r.books[symbol].emplace_back();
    } else {
      auto [tagged, body] = split_tagged(lines[i], exchange);
      if (tagged.empty()) tagged = file_symbol;
      if (!open.count(tagged)) r.broken.push_back(at + "a line of " + tagged + " with no book open");
      else r.books[tagged].back().push_back(body);
    }
  }
  return r;
}

// The client's resubscription of `symbol`: read up to its subscribe frame, then answered with a
// new book, its snapshot sent through `send` if given.
bool serve_resubscription(Connection& c, VenueServer& v, const std::string& symbol,
                          const std::function<void(const std::string&)>& send = {}) {
  bool unsubscribed = false;
  while (auto frame = c.read_text(3s)) {
    unsubscribed |= is_unsubscribe(*frame) && names(*frame, symbol);
    if (!unsubscribed || !is_subscribe(*frame) || !names(*frame, symbol)) continue;
    for (const std::string& f : v.unsubscribe_acks(symbol)) c.send_text(f);
    for (const std::string& f : v.acks({symbol})) c.send_text(f);
    v.book(symbol).new_epoch();
    v.book(symbol).fill(3000000, 30);
    if (!send) return c.send_text(v.snapshot(symbol));
    send(v.snapshot(symbol));
    return true;
  }
  return false;
}

void open_books(Connection& c, VenueServer& v) {
  v.new_connection();
  for (const std::string& f : v.acks(v.symbols())) c.send_text(f);
  for (const std::string& s : v.symbols()) c.send_text(v.snapshot(s));
}

void stream(Connection& c, VenueServer& v, int n, std::uint32_t seed) {
  for (int i = 0; i < n; ++i) {
    c.send_text(v.random_delta(v.symbols()[static_cast<std::size_t>(i) % v.symbols().size()], seed));
    if (i % 7 == 6) c.send_text(v.heartbeat());
  }
}

std::unique_ptr<CrawlRun> crawl(const TestExchange& server, const VenueServer& v, FeedOptions feed) {
  CrawlOptions o = test_crawl_options(server, "/");
  o.connects_per_minute = 0;
  o.interval = feed.interval;
  feed.symbols = v.symbols();
  if (!feed.tag_lines) feed.tag_lines = true;
  return std::make_unique<CrawlRun>(o, v.name(), std::vector<ConnectionSpec>{{feed}}, 1, true);
}

// The run's capture, replayed with the feed options it ran with, gives the very same lines.
void expect_same_replay(const CrawlRun& run, FeedOptions feed, const ReplaySpec& spec = {}) {
  if (!feed.tag_lines) feed.tag_lines = true;
  const Replayed again = replay_text(run.capture_text(), feed, spec);
  ASSERT_EQ(again.code, 0) << again.log;
  ASSERT_EQ(again.texts.size(), spec.outputs);
  for (std::size_t i = 0; i < spec.outputs; ++i) EXPECT_EQ(again.texts[i], run.text(i)) << "output " << i << "\n" << again.log;
}

// Waits until `run` wrote `want` book lines (records not counted).
void wait_book_lines(const CrawlRun& run, std::size_t want) {
  const auto book_lines = [&] {
    std::size_t n = 0;
    for (const auto& line : run.lines()) n += line.find("\"event\"") == std::string::npos;
    return n;
  };
  for (int i = 0; i < 500 && book_lines() < want; ++i) std::this_thread::sleep_for(10ms);
}

// Every book the reader found is one of the true ones, in order, with a gap between two.
void expect_true_books(const Reading& r, VenueServer& v, const CrawlRun& run) {
  EXPECT_THAT(r.broken, ::testing::IsEmpty()) << run.text();
  for (const std::string& s : v.symbols()) {
    const SymbolTruth& truth = v.book(s);
    ASSERT_EQ(r.books.at(s).size(), truth.epochs()) << s << "\n" << run.text();
    for (std::size_t e = 0; e < truth.epochs(); ++e) {
      EXPECT_EQ(diff_lines(r.books.at(s)[e], truth.epoch(e)), "") << s << " book " << e;
    }
    EXPECT_EQ(r.gaps.at(s).size(), truth.epochs() - 1) << s << ": one gap per broken book";
  }
}

// The exchange's side of the scenario below: session 1 breaks the first symbol's book and is
// dropped (or restarted by the fault, on a venue whose rule is the connection's); session 2 is clean.
struct FaultThenDrop {
  FaultThenDrop(VenueServer& venue, bool alone) : v(venue), rebuilt_alone(alone) {
    for (const std::string& s : v.symbols()) v.book(s).fill(mid += 150000, 30);
  }
  void operator()(Connection& c) {
    if (!c.accept() || !c.read_text(3s)) return;
    if (c.index() > 0) {
      for (const std::string& s : v.symbols()) v.book(s).new_epoch(), v.book(s).fill(mid += 150000, 30);
    }
    open_books(c, v);
    stream(c, v, 20, 11 + static_cast<std::uint32_t>(c.index()));
    if (c.index() > 0) return done = true, void(c.wait_closed(5s));
    const std::string a = v.symbols()[0];
    if (!rebuilt_alone) v.book(v.symbols()[1]).mute(true);  // the whole connection goes: nothing more of it
    v.integrity_fault(a);
    std::uint32_t seed = 5;
    c.send_text(v.random_delta(a, seed));
    if (!rebuilt_alone) return void(c.wait_closed(5s));
    resubscribed = serve_resubscription(c, v, a);
    stream(c, v, 10, 21);
    c.stall(100ms);  // the client has read every frame: nothing it had is cut off unread
    c.drop();
  }
  VenueServer& v;
  const bool rebuilt_alone;
  std::int64_t mid = 400000;
  std::atomic<bool> done{false}, resubscribed{false};
};

class Markers : public ::testing::TestWithParam<std::string> {};

// Session 1: both books, a fault in the first symbol's stream (a connection's
// sequence gap on Coinbase, which restarts it), its book rebuilt alone where the
// venue allows, then the connection dropped. Session 2: both books afresh, then the stop.
TEST_P(Markers, EveryChangeOfBookHasItsRecordAndNoRecordIsSpurious) {
  const bool alone = GetParam() != "coinbase";
  auto v = make_venue_server(GetParam(), pair_of(GetParam()), 10);
  const std::string a = v->symbols()[0], b = v->symbols()[1];
  FaultThenDrop script(*v, alone);
  TestExchange server([&](Connection& c) { script(c); });
  const FeedOptions feed{.symbols = {}, .depth = 10, .markers = true};
  const auto run = crawl(server, *v, feed);
  ASSERT_TRUE(server.wait_for_connections(2, 10s)) << run->log_text();
  for (int i = 0; i < 500 && !script.done; ++i) std::this_thread::sleep_for(10ms);
  std::size_t want = 0;
  for (const std::string& s : v->symbols()) want += v->book(s).expected_lines().size();
  wait_book_lines(*run, want);
  EXPECT_EQ(run->stop(), 0);
  EXPECT_EQ(script.resubscribed.load(), alone);

  const Reading r = read_records(run->lines(), v->name());
  expect_true_books(r, *v, *run);
  const std::string fault = GetParam() == "kraken" ? "checksum mismatch" : "sequence gap";
  EXPECT_THAT(r.gaps.at(a).front(), HasSubstr(fault));
  if (alone) {
    EXPECT_THAT(r.gaps.at(a)[1], HasSubstr("disconnect: connection lost"));
  }
  EXPECT_THAT(r.gaps.at(b).front(), HasSubstr(alone ? "disconnect: connection lost" : fault));
  ASSERT_EQ(r.connects.size(), 2u);
  ASSERT_EQ(r.disconnects.size(), 2u);
  EXPECT_EQ(r.connects[0]["symbols"], json(v->symbols()));
  EXPECT_THAT(r.connects[1]["reason"].get<std::string>(), HasSubstr("reconnected to localhost:"));
  EXPECT_THAT(r.disconnects[1]["reason"].get<std::string>(), HasSubstr("stopping"));
  EXPECT_THAT(run->lines().back(), HasSubstr(R"("event":"disconnect")"));
  expect_same_replay(*run, feed);
}

// A file per symbol: each gets its own symbol's records and its connection's, no other symbol's.
TEST(MarkersPerSymbolFile, EachFileHasItsSymbolsRecordsAndItsConnections) {
  auto v = make_venue_server("bybit", pair_of("bybit"), 10);
  std::int64_t mid = 400000;
  TestExchange server([&](Connection& c) {
    if (!c.accept() || !c.read_text(3s)) return;
    for (const std::string& s : v->symbols()) v->book(s).new_epoch(), v->book(s).fill(mid += 150000, 30);
    open_books(c, *v);
    stream(c, *v, 10, 31 + static_cast<std::uint32_t>(c.index()));
    c.stall(100ms);
    if (c.index() == 0) return c.drop();
    c.wait_closed(5s);
  });
  CrawlOptions o = test_crawl_options(server, "/");
  const FeedOptions feed{.symbols = v->symbols(), .depth = 10, .tag_lines = false, .markers = true};
  CrawlRun run(o, "bybit", {{feed, {0, 1}}}, 2, true);
  // Per file: 12 book lines, 2 resyncs, a gap, 2 connects and a disconnect before the stop.
  EXPECT_TRUE(run.wait_lines(2 * (12 + 2 + 1 + 3), 5s)) << run.log_text();
  EXPECT_EQ(run.stop(), 0);
  for (std::size_t k = 0; k < 2; ++k) {
    const std::string& s = v->symbols()[k];
    const Reading r = read_records(run.lines(k), "bybit", s);
    EXPECT_THAT(r.broken, ::testing::IsEmpty()) << run.text(k);
    EXPECT_EQ(r.books.size(), 1u) << "another symbol's records in the file of " << s << "\n" << run.text(k);
    ASSERT_EQ(r.books.at(s).size(), 2u) << run.text(k);
    // Epoch 0 is the empty one before the first fill.
    EXPECT_EQ(diff_lines(r.books.at(s)[0], v->book(s).epoch(1)), "");
    EXPECT_EQ(diff_lines(r.books.at(s)[1], v->book(s).epoch(2)), "");
    EXPECT_EQ(r.connects.size(), 2u);
    EXPECT_EQ(r.disconnects.size(), 2u);
  }
  expect_same_replay(run, feed, {.outputs = 2, .of_symbol = {0, 1}});
}

INSTANTIATE_TEST_SUITE_P(Venues, Markers, ::testing::Values("okx", "bybit", "kraken", "coinbase"),
                         [](const auto& info) { return info.param; });

// The venue's sequence (OKX seqId, Bybit u) and time of the message each delta line reflects.
std::pair<std::int64_t, std::int64_t> seq_and_time(const std::string& venue, const std::string& frame) {
  const json j = json::parse(frame);
  if (venue == "okx") return {j["data"][0]["seqId"], std::stoll(j["data"][0]["ts"].get<std::string>())};
  return {j["data"]["u"], j["cts"]};
}

class Fields : public ::testing::TestWithParam<std::string> {};

TEST_P(Fields, SeqAndExchangeTimeAreTheServersOfTheMessageEachLineReflects) {
  auto v = make_venue_server(GetParam(), {pair_of(GetParam())[0]}, 5);
  const std::string s = v->symbols()[0];
  v->book(s).fill(500000, 30);
  std::vector<std::pair<std::int64_t, std::int64_t>> sent;  // per delta
  TestExchange server([&](Connection& c) {
    if (!c.accept() || !c.read_text(3s)) return;
    open_books(c, *v);
    std::uint32_t seed = 3;
    for (int i = 0; i < 30; ++i) {
      const std::string frame = v->random_delta(s, seed);
      sent.push_back(seq_and_time(GetParam(), frame));
      c.send_text(frame);
    }
    c.wait_closed(5s);
  });
  const FeedOptions feed{.symbols = {}, .depth = 5, .tag_lines = false, .fields = {LineField::seq, LineField::exchange_ts}};
  const auto run = crawl(server, *v, feed);
  EXPECT_TRUE(run->wait_lines(31, 5s)) << run->log_text();
  EXPECT_EQ(run->stop(), 0);
  const auto lines = run->lines();
  ASSERT_EQ(lines.size(), 31u);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const json j = json::parse(lines[i]);
    EXPECT_EQ(j["seq"], sent[i - 1].first) << lines[i];
    EXPECT_EQ(j["exchange_ts"], sent[i - 1].second) << lines[i];
  }
  expect_same_replay(*run, feed);
}

INSTANTIATE_TEST_SUITE_P(Venues, Fields, ::testing::Values("okx", "bybit"), [](const auto& info) { return info.param; });

// Checks --interval lines (and records) of one symbol, 100 ms apart; the lines after its first gap
// against `after` (seq -> the true book). How many gaps, and how many lines were checked so.
std::pair<int, int> check_instants(const std::vector<std::string>& lines,
                                   const std::map<std::int64_t, std::string>& after) {
  std::int64_t last_ts = 0, resync_ts = 0;
  int gaps = 0, checked = 0;
  for (const std::string& line : lines) {
    const json j = json::parse(line);
    if (j.contains("event")) {
      gaps += j["event"] == "gap";
      if (j["event"] == "resync") resync_ts = j["ts"], last_ts = 0;
      continue;
    }
    const std::int64_t ts = j["ts"];
    EXPECT_EQ(ts % 100, 0) << line;
    EXPECT_LT(j["recv_us"].get<std::int64_t>(), ts * 1000) << "a message received after the instant: " << line;
    EXPECT_GT(ts, resync_ts) << "a line from before its book's resync: " << line;
    if (last_ts != 0) {
      EXPECT_EQ(ts, last_ts + 100) << "an instant missing before " << line;
    }
    last_ts = ts;
    if (gaps == 1) {  // the seqIds of the book after the gap are those `after` holds
      EXPECT_EQ(split_tagged(line, "okx").second, after.at(j["seq"].get<std::int64_t>())) << line;
      ++checked;
    }
  }
  return {gaps, checked};
}

// The capture replayed at the run's --interval (the same lines), and at 200 ms: each of those lines
// is the live run's line of that instant.
void expect_replays(const CrawlRun& run, FeedOptions feed) {
  expect_same_replay(run, feed, {.interval = 100ms});
  feed.interval = 200ms;
  const Replayed coarse = replay_text(run.capture_text(), feed, {.interval = 200ms});
  ASSERT_EQ(coarse.code, 0) << coarse.log;
  std::map<std::int64_t, std::string> live;  // instant -> its line
  for (const std::string& line : run.lines()) {
    if (line.find("\"event\"") == std::string::npos) live[json::parse(line)["ts"].get<std::int64_t>()] = line;
  }
  int lines = 0;
  for (const std::string& line : split_lines(coarse.texts.at(0))) {
    if (line.find("\"event\"") != std::string::npos) continue;
    const std::int64_t ts = json::parse(line)["ts"];
    EXPECT_TRUE(ts % 200 == 0 && line == live[ts]) << "instant " << ts << ": " << line << "\nlive: " << live[ts];
    ++lines;
  }
  EXPECT_GE(lines, 3);
}

// A delta every few ms for over a second, a gap in the middle: each line at an
// instant of 100 ms is the true book after the message it names (seq), one
// received before the instant; every instant while the book is trusted has its
// line, none between its gap and its resync.
TEST(Interval, EachInstantsLineIsATrueBookOfAMessageReceivedBeforeIt) {
  auto v = make_venue_server("okx", {"BTC-USDT"}, 5);
  const std::string s = v->symbols()[0];
  v->book(s).fill(500000, 30);
  std::map<std::int64_t, std::string> after;  // seqId -> the true book after its message
  std::atomic<bool> done{false};
  const auto send = [&](Connection& c, const std::string& frame) {
    after[json::parse(frame)["data"][0]["seqId"].get<std::int64_t>()] = v->book(s).body();
    c.send_text(frame);
  };
  TestExchange server([&](Connection& c) {
    if (!c.accept() || !c.read_text(3s)) return;
    v->new_connection();
    for (const std::string& f : v->acks({s})) c.send_text(f);
    send(c, v->snapshot(s));
    std::uint32_t seed = 9;
    for (int i = 0; i < 300; ++i, c.stall(4ms)) {
      if (i == 150) {
        v->integrity_fault(s);
        c.send_text(v->random_delta(s, seed));
        after.clear();  // only the new book's messages are looked up
        if (!serve_resubscription(c, *v, s, [&](const std::string& f) { send(c, f); })) return;
      }
      send(c, v->random_delta(s, seed));
    }
    done = true;
    c.wait_closed(5s);
  });
  const FeedOptions feed{.symbols = {}, .depth = 5, .tag_lines = false, .markers = true,
                         .fields = {LineField::seq, LineField::recv_us}, .interval = 100ms};
  const auto run = crawl(server, *v, feed);
  for (int i = 0; i < 1000 && !done; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_TRUE(done.load()) << run->log_text();
  std::this_thread::sleep_for(250ms);  // the last instants' lines
  EXPECT_EQ(run->stop(), 0);
  const auto [gaps, checked] = check_instants(run->lines(), after);
  EXPECT_EQ(gaps, 1);
  EXPECT_GE(checked, 3);
  expect_replays(*run, feed);
}

}  // namespace
}  // namespace wsbook::testing
