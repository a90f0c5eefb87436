// --metrics and the status line, on the real binary: a scrape during a run
// with faults says what happened; the status line is for terminals alone.
#include <gmock/gmock.h>

#include <regex>

#include "cli_util.h"
#include "support/connect_proxy.h"
#include "support/prom_text.h"

namespace wsbook::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The port of the "metrics at http://127.0.0.1:PORT/metrics" log line, once it is there; 0 if not in time.
std::uint16_t metrics_port(ChildProcess& child) {
  const std::regex bound(R"(metrics at http://127\.0\.0\.1:(\d+)/metrics)");
  for (int i = 0; i < 1000; ++i) {
    std::smatch m;
    const std::string err = child.err();
    if (std::regex_search(err, m, bound)) return static_cast<std::uint16_t>(std::stoi(m[1]));
    std::this_thread::sleep_for(10ms);
  }
  return 0;
}

// Scrapes until `ready` holds of the exposition (the crawl is where the test wants it); the last scrape.
template <class Ready>
Exposition scrape_until(std::uint16_t port, Ready&& ready) {
  Exposition e;
  for (int i = 0; i < 500; ++i) {
    const HttpReply r = http_request(port, "GET", "/metrics");
    e = parse_exposition(r.body);
    if (r.status == 200 && e.error.empty() && ready(e)) return e;
    std::this_thread::sleep_for(20ms);
  }
  return e;
}

double sample(const Exposition& e, const std::string& series) {
  const auto it = e.samples.find(series);
  return it == e.samples.end() ? -1 : it->second;
}

const std::string kBtc = R"({exchange="gemini",symbol="BTCUSD"})";

// Connection 0: a book, 5 updates, then a lost frame (the book breaks, the connection goes).
// Connection 1: a book and 3 updates, then it stays.
struct GapThenStay {
  GapThenStay()
      : server([this](Connection& c) {
          if (!c.accept()) return;
          c.send_text(book.initial_frame());
          std::uint32_t seed = 5;
          for (int i = 0; i < (c.index() == 0 ? 5 : 3); ++i) c.send_text(book.random_update(seed));
          if (c.index() == 0) {
            book.skip_sequence();
            c.send_text(book.random_update(seed));
          }
          c.wait_closed(20s);
        }) {
    book.fill(650000, 20);
  }
  TrueBook book;
  TestExchange server;
};

TEST(CliMetrics, AScrapeDuringARunWithFaultsCountsWhatHappened) {
  const fs::path dir = temp_dir();
  GapThenStay ex;
  ChildProcess child(wsbook_args(ex.server, {"-s", "BTCUSD", "-o", (dir / "b.txt").string(), "--metrics",
                                             "127.0.0.1:0"}));
  const std::uint16_t port = metrics_port(child);
  ASSERT_NE(port, 0) << child.err();
  // 1 + 5 lines of the first book, 1 + 3 of the second; once they are written, the bytes too.
  for (int i = 0; i < 1000 && split_lines(read_file(dir / "b.txt")).size() < 10; ++i) std::this_thread::sleep_for(10ms);
  const auto bytes = static_cast<double>(fs::file_size(dir / "b.txt"));
  const Exposition e = scrape_until(port, [bytes](const Exposition& x) {
    return sample(x, "wsbook_lines_total" + kBtc) == 10 && sample(x, "wsbook_output_bytes_total") == bytes;
  });
  ASSERT_EQ(e.error, "");
  EXPECT_EQ(sample(e, "wsbook_lines_total" + kBtc), 10) << child.err();
  EXPECT_EQ(sample(e, "wsbook_frames_total" + kBtc), 10);  // the frame after the lost one is no book's
  EXPECT_EQ(sample(e, "wsbook_gaps_total" + kBtc), 1);
  EXPECT_EQ(sample(e, "wsbook_resyncs_total" + kBtc), 1);
  EXPECT_EQ(sample(e, "wsbook_book_trusted" + kBtc), 1);
  EXPECT_EQ(sample(e, "wsbook_reconnects_total"), 1);
  EXPECT_EQ(sample(e, "wsbook_connections"), 1);
  EXPECT_EQ(sample(e, "wsbook_output_errors_total"), 0);
  EXPECT_EQ(sample(e, "wsbook_output_bytes_total"), bytes);
  EXPECT_GE(sample(e, "wsbook_last_frame_age_seconds" + kBtc), 0);
  EXPECT_LT(sample(e, "wsbook_last_frame_age_seconds" + kBtc), 60);
  const double levels = sample(e, R"(wsbook_book_levels{exchange="gemini",symbol="BTCUSD",side="bid"})") +
                        sample(e, R"(wsbook_book_levels{exchange="gemini",symbol="BTCUSD",side="ask"})");
  EXPECT_EQ(levels, static_cast<double>(ex.book.size()));
  EXPECT_GT(sample(e, "process_resident_memory_bytes"), 0);
  EXPECT_EQ(split_lines(read_file(dir / "b.txt")).size(), 10u);
  child.signal(SIGTERM);
  EXPECT_EQ(child.wait(10s), 0);
  // stderr is a pipe here: no status line, no terminal codes.
  EXPECT_THAT(child.err(), Not(HasSubstr("\033[")));
  EXPECT_THAT(child.err(), Not(HasSubstr("trusted, ")));
  fs::remove_all(dir);
}

TEST(CliMetrics, OnlyGetAndHeadOfMetricsAnswerAndAKeptAliveScraperCannotHoldTheStop) {
  StreamingExchange ex(5);
  ChildProcess child(wsbook_args(ex.server, {"-s", "BTCUSD", "-o", "/dev/null", "--metrics", "127.0.0.1:0"}));
  const std::uint16_t port = metrics_port(child);
  ASSERT_NE(port, 0) << child.err();
  const HttpReply scrape = http_request(port, "GET", "/metrics");
  EXPECT_EQ(scrape.status, 200);
  EXPECT_THAT(scrape.headers, HasSubstr("Content-Type: text/plain; version=0.0.4"));
  EXPECT_EQ(http_request(port, "GET", "/").status, 404);
  EXPECT_EQ(http_request(port, "GET", "/metricsx").status, 404);
  EXPECT_EQ(http_request(port, "GET", "/metrics?x=1").status, 200);
  EXPECT_EQ(http_request(port, "POST", "/metrics").status, 405);
  const HttpReply head = http_request(port, "HEAD", "/metrics");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
  // As Prometheus scrapes: one connection, kept alive from scrape to scrape.
  HttpConnection kept(port);
  for (int i = 0; i < 3; ++i) {
    const HttpReply r = kept.get("/metrics");
    EXPECT_EQ(r.status, 200) << i;
    EXPECT_EQ(parse_exposition(r.body).error, "") << i;
  }
  child.signal(SIGTERM);  // with `kept` still open and idle
  EXPECT_EQ(child.wait(10s), 0);
}

// A socket listening on 127.0.0.1 at a free port; closes with the object.
struct Listener {
  Listener() : fd(listen_local(port)) {}
  ~Listener() { ::close(fd); }
  std::uint16_t port = 0;
  int fd;
};

TEST(CliMetrics, APortInUseExits1NamingItBeforeAnyConnection) {
  Listener taken;
  ASSERT_NE(taken.port, 0);
  StreamingExchange ex(10);
  const std::string address = "127.0.0.1:" + std::to_string(taken.port);
  const auto r = run_to_end(wsbook_args(ex.server, {"-s", "BTCUSD", "--metrics", address}));
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("cannot serve metrics on " + address));
  EXPECT_EQ(ex.server.connections(), 0);
}

TEST(CliMetrics, AMalformedAddressIsAUsageError) {
  for (const char* bad : {"9464", "example.com:9464", "127.0.0.1:99999"}) {
    const auto r = run_to_end({kBinary, "-s", "BTCUSD", "--metrics", bad});
    EXPECT_EQ(r.code, 2) << bad;
    EXPECT_THAT(r.err, HasSubstr("--metrics")) << bad;
  }
  const auto r = run_to_end({kBinary, "--replay", "x.jsonl", "--metrics", "127.0.0.1:0"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("does not go with --replay"));
}

}  // namespace
}  // namespace wsbook::testing
