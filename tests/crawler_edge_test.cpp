// The crawler at the edges: refused handshakes, untrusted certificates,
// giving up, huge books, the v2 subscription, and leaving politely.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "crawl_harness.h"
#include "fake_link.h"

namespace wsbook::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;


TEST(CrawlerEdge, Http429WaitsAtLeastItsRetryAfter) {
  std::vector<std::chrono::steady_clock::time_point> seen;
  std::mutex mutex;
  TrueBook book;
  book.fill(650000, 5);
  TestExchange server([&](Connection& c) {
    {
      std::lock_guard lock(mutex);
      seen.push_back(std::chrono::steady_clock::now());
    }
    if (c.index() == 0) {
      if (c.tls_handshake() && !c.read_http_request().empty()) {
        c.respond_http(429, {{"Retry-After", "1"}}, "Too Many Requests");
      }
      return;
    }
    if (!c.accept()) return;
    c.send_text(book.initial_frame());
    c.wait_closed(5s);
  });
  CrawlRun run(test_crawl_options(server, kTarget), kV1);
  ASSERT_TRUE(run.wait_lines(1, 5s));
  EXPECT_EQ(run.stop(), 0);
  std::lock_guard lock(mutex);
  ASSERT_GE(seen.size(), 2u);
  EXPECT_GE(seen[1] - seen[0], 950ms);  // backoff alone would have waited 20-100 ms
  EXPECT_THAT(run.log_text(), HasSubstr("HTTP 429"));
}

TEST(CrawlerEdge, RedirectAndPlainHttpAnswersAreRefusedAndLogged) {
  TestExchange server([](Connection& c) {
    if (!c.tls_handshake() || c.read_http_request().empty()) return;
    if (c.index() == 0) c.respond_http(301, {{"Location", "wss://elsewhere.example/"}}, "");
    else c.respond_http(200, {{"Content-Type", "text/html"}}, "<html>hello</html>");
  });
  auto options = test_crawl_options(server, kTarget);
  options.backoff.max_retries = 2;
  CrawlRun run(options, kV1);
  EXPECT_EQ(run.wait_exit(10s), 1);
  EXPECT_THAT(run.log_text(), HasSubstr("HTTP 301"));
  EXPECT_THAT(run.log_text(), HasSubstr("redirect to wss://elsewhere.example/ not followed"));
  EXPECT_THAT(run.log_text(), HasSubstr("HTTP 200"));
  EXPECT_EQ(run.text(), "");
}

TEST(CrawlerEdge, UntrustedCertificateIsRefusedInPlainWordsAndGivesUp) {
  TestExchange server([](Connection& c) { c.accept(); }, TestExchange::CertKind::untrusted);
  auto options = test_crawl_options(server, kTarget);
  options.backoff.max_retries = 3;
  CrawlRun run(options, kV1);
  EXPECT_EQ(run.wait_exit(10s), 1);
  EXPECT_THAT(run.log_text(), HasSubstr("certificate verify failed for localhost"));
  EXPECT_THAT(run.log_text(), HasSubstr("giving up after 3 failed attempts"));
  EXPECT_EQ(server.connections(), 3);
  EXPECT_EQ(run.text(), "");
}

TEST(CrawlerEdge, InsecureSkipsVerificationAndWarnsOnEveryConnect) {
  TrueBook book;
  book.fill(650000, 5);
  TestExchange server(snapshot_then_wait(book), TestExchange::CertKind::untrusted);
  auto options = test_crawl_options(server, kTarget);
  options.connection.insecure = true;
  options.connection.cafile.clear();
  CrawlRun run(options, kV1);
  ASSERT_TRUE(run.wait_lines(1, 5s));
  EXPECT_EQ(run.stop(), 0);
  EXPECT_THAT(run.log_text(), HasSubstr("NOT verified"));
}

TEST(CrawlerEdge, RefusedConnectionsGiveUpAfterMaxRetries) {
  unsigned short port = 0;
  {
    TestExchange closed([](Connection&) {});
    port = closed.port();
  }  // nothing listens there any more
  CrawlOptions options;
  options.connection.url = "wss://127.0.0.1:" + std::to_string(port) + "/";
  options.backoff = {10ms, 20ms, 2};
  options.handle_signals = false;
  CrawlRun run(options, kV1);
  EXPECT_EQ(run.wait_exit(10s), 1);
  EXPECT_THAT(run.log_text(), HasSubstr("cannot connect"));
}

TEST(CrawlerEdge, AConnectionThatDiesRightAfterItsSnapshotStillBacksOffAndCounts) {
  TrueBook book;
  book.fill(650000, 5);
  TestExchange server([&](Connection& c) {
    if (!c.accept()) return;
    c.send_text(book.initial_frame());
    book.skip_sequence();  // every connection hits a gap at once
    c.send_text(book.heartbeat());
    c.wait_closed(5s);
  });
  auto options = test_crawl_options(server, kTarget);
  options.backoff = {50ms, 400ms, 4};
  const auto start = std::chrono::steady_clock::now();
  CrawlRun run(options, kV1);
  EXPECT_EQ(run.wait_exit(20s), 1);
  // Three waits of at least 50 ms each: never a tight loop.
  EXPECT_GE(std::chrono::steady_clock::now() - start, 150ms);
  EXPECT_EQ(server.connections(), 4);
  EXPECT_THAT(run.log_text(), HasSubstr("giving up after 4 failed attempts"));
}

// The books a failed attempt's feed still holds are those of the healthy
// connection before it: that must not make the failure count as healthy.
TEST(CrawlerEdge, FailedAttemptsAfterAHealthyConnectionStillCountAndGiveUp) {
  TrueBook book;
  book.fill(650000, 5);
  TestExchange server([&](Connection& c) {
    if (c.index() > 0) {
      if (c.tls_handshake() && !c.read_http_request().empty()) c.respond_http(503, {}, "Service Unavailable");
      return;
    }
    if (!c.accept()) return;
    c.send_text(book.initial_frame());
    c.stall(300ms);  // longer than healthy_after: a healthy connection
    c.drop();
  });
  auto options = test_crawl_options(server, kTarget);
  options.healthy_after = 100ms;
  options.backoff = {10ms, 20ms, 2};
  CrawlRun run(options, kV1);
  EXPECT_EQ(run.wait_exit(10s), 1);
  EXPECT_EQ(server.connections(), 3);  // the healthy one, then two failures
  EXPECT_THAT(run.log_text(), HasSubstr("giving up after 2 failed attempts"));
}

TEST(CrawlerEdge, RawCaptureGivesUpAfterMaxRetriesToo) {
  unsigned short port = 0;
  {
    TestExchange closed([](Connection&) {});
    port = closed.port();
  }
  CrawlOptions options;
  options.connection.url = "wss://127.0.0.1:" + std::to_string(port) + "/";
  options.backoff = {10ms, 20ms, 3};
  options.handle_signals = false;
  CrawlRun run(options, {"raw", {}});
  EXPECT_EQ(run.wait_exit(10s), 1);
}

TEST(CrawlerEdge, AFailedLastWriteAtStopStillExits1) {
  TrueBook book;
  book.fill(650000, 5);
  TestExchange server(snapshot_then_wait(book));
  auto options = test_crawl_options(server, kTarget);
  options.count = 1;  // the line that reaches --count is written by stop() itself
  CrawlRun run(options, kV1, /*failing_output=*/true);
  EXPECT_EQ(run.wait_exit(5s), 1);
  EXPECT_THAT(run.log_text(), HasSubstr("No space left on device"));
  EXPECT_THAT(run.log_text(), HasSubstr("0 lines written"));
}

TEST(CrawlerEdge, TwentyThousandLevelInitialFrame) {
  TrueBook book;
  book.fill(6500000, 10000);
  TestExchange server([&](Connection& c) {
    if (!c.accept()) return;
    c.send_text(book.initial_frame());
    std::uint32_t seed = 9;
    c.send_text(book.random_update(seed));
    c.wait_closed(10s);
  });
  CrawlRun run(test_crawl_options(server, kTarget), kV1);
  ASSERT_TRUE(run.wait_lines(2, 20s));
  EXPECT_EQ(run.stop(), 0);
  for (const auto& line : run.lines()) EXPECT_TRUE(book.truths().count(line_body(line))) << line;
  EXPECT_THAT(run.log_text(), HasSubstr("initial snapshot: 10000 bids, 10000 asks"));
}

TEST(CrawlerEdge, GeminiV2SubscribesAndDropsUpdatesBeforeTheSnapshot) {
  std::optional<std::string> subscribe;
  TestExchange server([&](Connection& c) {
    if (!c.accept()) return;
    subscribe = c.read_text(2s);
    c.send_text(R"({"type":"l2_updates","symbol":"BTCUSD","changes":[["buy","5","1"]]})");
    c.send_text(R"({"type":"l2_updates","symbol":"BTCUSD","changes":[["buy","1","1"],["sell","3","2"]],"trades":[],"auction_events":[]})");
    c.send_text(R"({"type":"l2_updates","symbol":"ETHUSD","changes":[["buy","9","1"]],"trades":[],"auction_events":[]})");
    c.send_text(R"({"type":"l2_updates","symbol":"BTCUSD","changes":[["buy","2","1"]]})");
    c.wait_closed(5s);
  });
  auto options = test_crawl_options(server, "/v2/marketdata");
  const std::string expected = R"({"type":"subscribe","subscriptions":[{"name":"l2","symbols":["BTCUSD"]}]})";
  CrawlRun run(options, {"gemini-v2", {.symbols = {"BTCUSD"}}});
  ASSERT_TRUE(run.wait_lines(2, 5s));
  EXPECT_EQ(run.stop(), 0);
  EXPECT_EQ(subscribe, expected);
  const auto lines = run.lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(line_body(lines[0]), R"({"bids":[[1,1]],"asks":[[3,2]])");
  EXPECT_EQ(line_body(lines[1]), R"({"bids":[[2,1],[1,1]],"asks":[[3,2]])");
}

TEST(CrawlerEdge, StopClosesPolitelyAndPermessageDeflateIsOffered) {
  std::atomic<bool> closed{false}, deflate{false};
  TrueBook book;
  book.fill(650000, 5);
  TestExchange server([&](Connection& c) {
    if (!c.accept()) return;
    deflate = c.deflate_negotiated();
    c.send_text(book.initial_frame());
    closed = c.wait_closed(5s);
  });
  CrawlRun run(test_crawl_options(server, kTarget), kV1);
  ASSERT_TRUE(run.wait_lines(1, 5s));
  EXPECT_EQ(run.stop(), 0);
  // Polite: the server saw our close frame (a stop that gave up on it would have cut the socket).
  EXPECT_TRUE(eventually([&] { return closed.load(); }, 5s));
  EXPECT_TRUE(deflate);
}

TEST(CrawlerEdge, CountStopsAfterExactlyThatManyLines) {
  TrueBook book;
  book.fill(650000, 5);
  TestExchange server([&](Connection& c) {
    if (!c.accept()) return;
    c.send_text(book.initial_frame());
    std::uint32_t seed = 3;
    for (int i = 0; i < 50; ++i) c.send_text(book.random_update(seed));
    c.wait_closed(5s);
  });
  auto options = test_crawl_options(server, kTarget);
  options.count = 7;
  CrawlRun run(options, kV1);
  EXPECT_EQ(run.wait_exit(5s), 0);
  EXPECT_EQ(run.lines().size(), 7u);
}

// A frame can write a line for one book and then find the connection broken
// (a later message of it): the line came from a sound book and is written.
class LineThenResyncFeed final : public Feed {
 public:
  void on_connect(Link&) override {}
  FrameResult on_frame(std::string_view, Arrival, Link&, std::string& out) override {
    ++frames_;
    out += R"({"bids":[],"asks":[],"ts":)" + std::to_string(frames_) + "}\n";
    lines_of_.assign(1, LineOf{});
    return {FrameResult::Kind::resync, 1, "the next message broke the connection"};
  }
  bool has_snapshot() const override { return true; }

 private:
  int frames_ = 0;
};

TEST(CrawlerEdge, ALineWrittenBeforeARestartInTheSameFrameIsKept) {
  TestExchange server([](Connection& c) {
    if (!c.accept()) return;
    c.send_text("{}");
    c.wait_closed(5s);
  });
  LineThenResyncFeed feed;
  MemoryOutput output;
  Log log(LogLevel::error, stderr);
  CrawlOptions options = test_crawl_options(server, kTarget);
  options.count = 2;          // two connections, a line each
  options.duration = 5'000ms;  // ends a run that lost them
  Crawler crawler(options, feed, output, log);
  EXPECT_EQ(crawler.run(), 0);
  EXPECT_EQ(output.text(), "{\"bids\":[],\"asks\":[],\"ts\":1}\n{\"bids\":[],\"asks\":[],\"ts\":2}\n");
}

// A first frame of many lines of book 1, whose output fails once they fill a
// batch; then a frame of one line of book 1 and 49 of book 0, the healthy one.
class TwoBooksFeed final : public Feed {
 public:
  void on_connect(Link&) override {}
  FrameResult on_frame(std::string_view, Arrival, Link&, std::string& out) override {
    lines_of_.clear();
    ++frames_;
    const int n = frames_ == 1 ? 2621 : 50;
    for (int i = 0; i < n; ++i) {
      const std::uint32_t book = frames_ == 1 ? 1 : (i == 0 ? 1 : 0);
      std::string line = R"({"bids":[],"asks":[],"ts":)" + std::to_string(frames_ * 100000 + i) + "}";
      line.resize(99, ' ');
      out += line + "\n";
      lines_of_.push_back({book, false});
    }
    return {FrameResult::Kind::line, static_cast<std::uint32_t>(n), {}};
  }
  FrameResult on_disconnect(std::string_view reason, bool, std::int64_t, std::string& out) override {
    lines_of_.clear();
    out += R"({"event":"disconnect","exchange":"x","symbols":["A","B"],"reason":")" + std::string(reason) +
           R"(","ts":1})"
           "\n";
    lines_of_.push_back({LineOf::kConnection, true});
    return {FrameResult::Kind::line, 1, {}};
  }
  bool has_snapshot() const override { return true; }
  int frames_ = 0;
};

// A write that fails while a frame's lines are laid out stops the crawl once they
// are: the other output gets its lines whole, then the disconnect record.
TEST(CrawlerEdge, AnOutputFailingMidFrameLeavesTheOthersLinesWhole) {
  TestExchange server([](Connection& c) {
    if (!c.accept()) return;
    c.send_text("{}");
    c.send_text("{}");
    c.wait_closed(5s);
  });
  TwoBooksFeed feed;
  MemoryOutput good, bad(/*failing=*/true);
  Log log(LogLevel::error, stderr);
  CrawlOptions options = test_crawl_options(server, kTarget);
  options.flush_interval = 60'000ms;
  options.duration = 5'000ms;
  Crawler crawler(options, {{options.connection.url, &feed, {0, 1}}}, {&good, &bad}, log);
  EXPECT_EQ(crawler.run(), 1);
  const std::string text = good.text();
  std::size_t book_lines = 0;
  for (const std::string& line : lines_in(text)) {
    EXPECT_EQ(line.front(), '{') << "a torn line: " << line;
    book_lines += line.find("\"bids\"") != std::string::npos;
  }
  EXPECT_EQ(book_lines, 49u) << text;
  EXPECT_THAT(lines_in(text).back(), ::testing::HasSubstr(R"("event":"disconnect")"));
}

}  // namespace
}  // namespace wsbook::testing
