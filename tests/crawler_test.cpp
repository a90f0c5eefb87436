// The crawler against a real TLS WebSocket server of ours that misbehaves the
// ways exchanges do. Every line written must equal the exchange's true book at
// some moment of the connection it came from.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "crawl_harness.h"
#include "replay_harness.h"

namespace wsbook::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;


// Sends the initial book and `updates` random updates with a heartbeat now and then.
void stream(Connection& c, TrueBook& book, int updates, std::uint32_t seed) {
  ASSERT_TRUE(c.send_text(book.initial_frame()));
  for (int i = 0; i < updates; ++i) {
    ASSERT_TRUE(c.send_text(i % 7 == 3 ? book.heartbeat() : book.random_update(seed)));
  }
}

// Every line is whole, and its book is one the given exchange book really had.
void expect_all_true(const std::vector<std::string>& lines, const TrueBook& book) {
  for (const auto& line : lines) {
    EXPECT_TRUE(book.truths().count(line_body(line))) << "never true: " << line;
  }
}

TEST(Crawler, WritesEveryTrueBookAndSendsItsHeaders) {
  TrueBook book;
  book.fill(650000, 50);
  std::string user_agent_seen, custom_seen, target_seen;
  TestExchange server([&](Connection& c) {
    if (!c.accept()) return;
    user_agent_seen = c.request_header("User-Agent");
    custom_seen = c.request_header("X-Test");
    target_seen = c.request_target();
    stream(c, book, 60, 1);
    c.wait_closed(5s);
  });
  auto options = test_crawl_options(server, kTarget);
  options.connection.headers = {"X-Test: yes please"};
  CrawlRun run(options, kV1);
  constexpr std::size_t kLines = 1 + 60 - 9;  // the snapshot and every update; 9 heartbeats write nothing
  ASSERT_TRUE(run.wait_lines(kLines, 5s));
  EXPECT_EQ(run.stop(), 0);
  const auto lines = run.lines();
  EXPECT_EQ(lines.size(), kLines);
  expect_all_true(lines, book);
  EXPECT_EQ(lines.back().find(book.body()), 0u);  // the last line is the final book
  EXPECT_EQ(user_agent_seen, user_agent());
  EXPECT_EQ(custom_seen, "yes please");
  EXPECT_EQ(target_seen, kTarget);
  EXPECT_EQ(server.connections(), 1);
}

// Connection 0 misbehaves after a few frames with `fault`; connection 1 is a
// fresh, different book. Lines from before the fault must be true of book 0,
// lines after it true of book 1: nothing survives from the first connection.
// The crawl is captured, and its capture replays to the very same lines.
void expect_recovery(const std::function<void(Connection&, TrueBook&)>& fault, const std::string& log_hint,
                     CrawlOptions (*tweak)(CrawlOptions) = nullptr) {
  TrueBook first, second;
  first.fill(650000, 30);
  second.fill(700000, 30);
  std::mutex mutex;
  std::string second_last;  // the second book's last state, once it is all sent
  TestExchange server([&](Connection& c) {
    if (!c.accept()) return;
    if (c.index() == 0) {
      stream(c, first, 10, 2);
      fault(c, first);
    } else {
      stream(c, second, 10, 3);
      std::lock_guard lock(mutex);
      second_last = second.body();
    }
    c.wait_closed(5s);
  });
  auto options = test_crawl_options(server, kTarget);
  if (tweak) options = tweak(options);
  CrawlRun run(options, kV1.exchange, {{kV1.options}}, 1, true);
  ASSERT_TRUE(server.wait_for_connections(2, 10s)) << run.text();
  // Until the line of the second book's last state is in: every line of both connections is.
  ASSERT_TRUE(eventually(
      [&] {
        std::lock_guard lock(mutex);
        const auto lines = run.lines();
        return !second_last.empty() && !lines.empty() && line_body(lines.back()) == second_last;
      },
      10s))
      << run.text();
  EXPECT_EQ(run.stop(), 0);
  const auto lines = run.lines();
  std::size_t i = 0;
  while (i < lines.size() && first.truths().count(line_body(lines[i]))) ++i;
  ASSERT_GT(i, 0u) << "no line from the first connection";
  ASSERT_LT(i, lines.size()) << "no line from the second connection";
  for (; i < lines.size(); ++i) EXPECT_TRUE(second.truths().count(line_body(lines[i]))) << lines[i];
  EXPECT_THAT(run.log_text(), HasSubstr(log_hint));
  const Replayed again = replay_text(run.capture_text(), kV1.options);
  EXPECT_EQ(again.code, 0) << again.log;
  EXPECT_EQ(again.texts.at(0), run.text()) << "the capture's replay\n" << again.log;
}

TEST(Crawler, AbruptDropReconnectsWithAFreshBook) {
  expect_recovery([](Connection& c, TrueBook&) { c.drop(); }, "connection lost");
}

TEST(Crawler, SequenceGapDropsTheBookAndReconnects) {
  expect_recovery(
      [](Connection& c, TrueBook& book) {
        book.skip_sequence();
        // This frame's book must never be written: the gap makes it unverifiable.
        c.send_text(book.update_frame(TrueSide::bid, 649990, 5));
      },
      "sequence gap: expected");
}

TEST(Crawler, GarbageFrameResyncs) {
  expect_recovery([](Connection& c, TrueBook&) { c.send_text("<html>502 Bad Gateway</html>"); },
                  "malformed frame");
}

TEST(Crawler, WrongSchemaJsonResyncs) {
  expect_recovery(
      [](Connection& c, TrueBook&) {
        c.send_text(R"({"type":"update","eventId":1,"socket_sequence":11,"events":[{"type":"change","side":"up","price":"1","remaining":"1"}]})");
      },
      "unknown side");
}

TEST(Crawler, CloseFrame1001Reconnects) {
  expect_recovery([](Connection& c, TrueBook&) { c.close(1001, "going away"); }, "code 1001");
}

TEST(Crawler, StalledConnectionIsDeclaredDead) {
  expect_recovery([](Connection& c, TrueBook&) { c.stall(3s); }, "stale");
}

TEST(Crawler, CrossedBookIsNeverWritten) {
  expect_recovery(
      [](Connection& c, TrueBook& book) {
        // An ask below the best bid: the exchange's own book would be crossed.
        c.send_text(book.update_frame(TrueSide::ask, 649900, 1));
      },
      "crossed book");
}

TEST(Crawler, BinaryFrameIsMalformedForGemini) {
  expect_recovery([](Connection& c, TrueBook&) { c.send_binary(std::string("\x00\x01\xff", 3)); },
                  "malformed frame");
}

TEST(Crawler, FrameOverTheCapIsRefused) {
  expect_recovery(
      [](Connection& c, TrueBook&) { c.send_text(R"({"type":"heartbeat","pad":")" + std::string(2 << 20, 'x') + "\"}"); },
      "frame larger than the 1 MiB cap", [](CrawlOptions o) {
        o.connection.max_frame = 1 << 20;
        return o;
      });
}

TEST(Crawler, ServerPingsAreAnsweredAndTheConnectionStays) {
  TrueBook book;
  book.fill(650000, 10);
  std::atomic<bool> answered{false};
  TestExchange server([&](Connection& c) {
    if (!c.accept()) return;
    stream(c, book, 3, 4);
    for (int i = 0; i < 3; ++i) c.ping();
    answered = c.wait_pongs(3, 5s);
    std::uint32_t seed = 5;
    c.send_text(book.random_update(seed));
    c.wait_closed(5s);
  });
  CrawlRun run(test_crawl_options(server, kTarget), kV1);
  ASSERT_TRUE(run.wait_lines(5, 5s));
  EXPECT_TRUE(answered);  // each of the three pings had its pong before the line after them
  EXPECT_EQ(run.stop(), 0);
  EXPECT_EQ(server.connections(), 1);
}

}  // namespace
}  // namespace wsbook::testing
