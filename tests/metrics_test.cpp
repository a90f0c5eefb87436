// What --metrics serves and the status line says, from a crawl's snapshot.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "metrics/exposition.h"
#include "metrics/listen_address.h"
#include "metrics/status_line.h"
#include "support/prom_text.h"

namespace wsbook::metrics {
namespace {

using ::testing::HasSubstr;
using wsbook::testing::parse_exposition;

SymbolReport report(std::string symbol, std::uint64_t lines, bool trusted, std::int64_t heard_ms) {
  SymbolReport r;
  r.symbol = std::move(symbol);
  r.lines = lines;
  r.trusted = trusted;
  r.heard_ms = heard_ms;
  r.frames = lines + 1;
  r.gaps = 2;
  r.resyncs = 1;
  r.bids = 40;
  r.asks = 39;
  return r;
}

CrawlSnapshot two_symbols() {
  CrawlSnapshot s;
  s.exchange = "kraken";
  s.symbols = {report("BTC/USD", 120, true, 9'500), report("odd\"sym\\bol", 0, false, 0)};
  s.reconnects = 3;
  s.connections = 1;
  s.lines = 120;
  s.output_bytes = 123'456;
  s.now_ms = 10'000;
  return s;
}

TEST(Exposition, KeepsEveryRuleOfTheTextFormatAndSaysWhatHappened) {
  CrawlSnapshot s = two_symbols();
  s.process = read_process_stats();
  const auto e = parse_exposition(render_exposition(s));
  ASSERT_EQ(e.error, "");
  const std::string btc = R"({exchange="kraken",symbol="BTC/USD"})";
  EXPECT_EQ(e.samples.at("wsbook_lines_total" + btc), 120);
  EXPECT_EQ(e.samples.at("wsbook_frames_total" + btc), 121);
  EXPECT_EQ(e.samples.at("wsbook_gaps_total" + btc), 2);
  EXPECT_EQ(e.samples.at("wsbook_resyncs_total" + btc), 1);
  EXPECT_EQ(e.samples.at("wsbook_book_trusted" + btc), 1);
  EXPECT_EQ(e.samples.at("wsbook_last_frame_age_seconds" + btc), 0.5);
  EXPECT_EQ(e.samples.at(R"(wsbook_book_levels{exchange="kraken",symbol="BTC/USD",side="bid"})"), 40);
  EXPECT_EQ(e.samples.at(R"(wsbook_book_levels{exchange="kraken",symbol="BTC/USD",side="ask"})"), 39);
  // A label value is escaped, and a symbol never heard is infinitely old.
  const std::string odd = R"({exchange="kraken",symbol="odd\"sym\\bol"})";
  EXPECT_EQ(e.samples.at("wsbook_book_trusted" + odd), 0);
  EXPECT_TRUE(std::isinf(e.samples.at("wsbook_last_frame_age_seconds" + odd)));
  EXPECT_EQ(e.samples.at("wsbook_reconnects_total"), 3);
  EXPECT_EQ(e.samples.at("wsbook_connections"), 1);
  EXPECT_EQ(e.samples.at("wsbook_output_bytes_total"), 123'456);
  EXPECT_EQ(e.samples.at("wsbook_output_errors_total"), 0);
  EXPECT_GT(e.samples.at("process_resident_memory_bytes"), 0);
  EXPECT_GT(e.samples.at("process_open_fds"), 0);
  EXPECT_GT(e.samples.at("process_start_time_seconds"), 1.7e9);
  EXPECT_EQ(e.types.at("wsbook_lines_total"), "counter");
  EXPECT_EQ(e.types.at("wsbook_book_trusted"), "gauge");
}

TEST(Exposition, ACrawlWithoutSymbolsStillShowsItsConnections) {
  CrawlSnapshot s;
  s.exchange = "raw";
  const auto e = parse_exposition(render_exposition(s));
  ASSERT_EQ(e.error, "");
  EXPECT_EQ(e.samples.count("wsbook_connections"), 1u);
  EXPECT_EQ(e.types.count("wsbook_lines_total"), 0u);
}

TEST(ExpositionReader, RefusesWhatTheFormatForbids) {
  const char* bad[] = {
      "# TYPE a gauge\na 1",                                   // no newline at the end
      "a 1\n",                                                 // no TYPE
      "# TYPE a gauge\na{x=\"1\"} 1\na{x=\"1\"} 2\n",          // a series twice
      "# TYPE a gauge\na{x=\"\\q\"} 1\n",                      // a bad escape
      "# TYPE a gauge\n# TYPE b gauge\na 1\nb 1\na{x=\"2\"} 1\n",  // a family apart
      "# TYPE a counter\na 1\n",                               // a counter not named _total
      "# TYPE a gauge\na one\n",                               // not a number
      "# TYPE a gauge\na{x=\"1\",x=\"2\"} 1\n",                // a label twice
      "# TYPE a gauge\na 1\n# HELP a late\n",                  // HELP after the samples
  };
  for (const char* text : bad) EXPECT_NE(parse_exposition(text).error, "") << text;
  EXPECT_EQ(parse_exposition("# HELP a_total x\n# TYPE a_total counter\na_total{x=\"1\"} +Inf 123\n").error, "");
}

TEST(StatusLine, SaysTrustedBooksRateReconnectsAndTheOldestFrame) {
  CrawlSnapshot s = two_symbols();
  EXPECT_EQ(status_text(s, 152.4), "1/2 books trusted, 152 lines/s, 3 reconnects, no frame yet of odd\"sym\\bol");
  s.symbols[1].heard_ms = 7'000;
  EXPECT_EQ(status_text(s, 0), "1/2 books trusted, 0 lines/s, 3 reconnects, oldest frame 3.0 s ago (odd\"sym\\bol)");
  s.symbols[1].rejected = true;  // a rejected symbol is no book
  s.reconnects = 1;
  EXPECT_EQ(status_text(s, 0), "1/1 book trusted, 0 lines/s, 1 reconnect, oldest frame 0.5 s ago (BTC/USD)");
  // Never as wide as the terminal: it would wrap, and every redraw would scroll.
  EXPECT_EQ(status_text(s, 0, 20), "1/1 book trusted, 0");
}

TEST(ListenAddress, TakesIpAndPortAndRefusesTheRest) {
  std::string error;
  auto a = parse_listen_address("127.0.0.1:9464", error);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 9464);
  a = parse_listen_address("[::1]:0", error);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "::1");
  EXPECT_EQ(parse_listen_address("localhost:1", error)->host, "127.0.0.1");
  for (const char* bad : {"9464", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:9x", "example.com:80", "::1:80",
                          "[127.0.0.1]:80", ":80"}) {
    EXPECT_FALSE(parse_listen_address(bad, error)) << bad;
    EXPECT_NE(error, "");
  }
  parse_listen_address("host:80", error);
  EXPECT_THAT(error, HasSubstr("not an IP address"));
}

}  // namespace
}  // namespace wsbook::metrics
