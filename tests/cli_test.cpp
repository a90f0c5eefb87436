// The real wsbook binary, as a shell user runs it: flags, exit codes, signals,
// pipes and files, against our own TLS exchange.
#include <signal.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli_util.h"
#include "crawl_harness.h"

namespace wsbook::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

TEST(Cli, UsageErrorsExit2WithAReasonAndAPointerToHelp) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {kBinary},
           {kBinary, "-s", "BTCUSD", "--no-such-flag"},
           {kBinary, "-s", "BTCUSD", "--depth", "0"},
           {kBinary, "-s", "BTCUSD", "--depth", "ten"},
           {kBinary, "-s", "BTCUSD", "--feed", "kraken"},
           {kBinary, "-s", "BTCUSD", "--backoff-min", "5", "--backoff-max", "1"},
           {kBinary, "-s", "BTCUSD", "--url", "http://example.com/"},
           {kBinary, "-s", "BTCUSD", "--header", "no colon"},
           {kBinary, "-s", "BTCUSD", "--count", "0"},
           {kBinary, "-s", "BTCUSD", "--duration", "nan"},
           {kBinary, "-s", "BTCUSD", "--duration", "1e300"},
           {kBinary, "-s", "BTCUSD", "--stale-timeout", "0"},
           {kBinary, "-s", "BTC\"USD"},
           {kBinary, "-s", "BTCUSD", "--exchange", "nosuch"},
           {kBinary, "-s", "BTCUSD", "--exchange", "kraken"},
           {kBinary, "-s", "BTC/USD", "--exchange", "okx"},
           {kBinary, "-s", "BTC-USDT", "--exchange", "bybit"},
           {kBinary, "-s", "BTCUSD", "--exchange", "coinbase"},
           {kBinary, "-s", "BTCUSD", "--exchange", "gemini", "--feed", "gemini-v2"},
           {kBinary, "-s", "BTCUSD", "--ping-interval", "0"},
           {kBinary, "-s", "BTC-USDT", "--exchange", "binance"},
           {kBinary, "-s", "BTCUSD", "--rest-url", "https://localhost/"},
           {kBinary, "-s", "BTCUSDT", "--exchange", "binance", "--rest-url", "http://localhost/"},
           {kBinary, "-s", "BTCUSDT", "--exchange", "binance-futures", "--depth", "501"},
           {kBinary, "-s", "BTCUSDT", "--exchange", "binance", "--depth", "2501"},
           {kBinary, "-s", "BTCUSDT", "--exchange", "binance", "--rest-url", "https://"},
           {kBinary, "-s", "BTCUSD,,ETHUSD"},
           {kBinary, "-s", "btcusd", "-s", "BTCUSD"},
           {kBinary, "-s", "BTC/USD,ETHUSD", "--exchange", "kraken"},
           {kBinary, "--symbols-file", "/nonexistent/symbols.txt"},
           {kBinary, "--raw", "-s", "A,B", "--url", "wss://example.com/{symbol}"},
           {kBinary, "-s", "BTCUSD", "--symbol-stale-timeout", "0.5"},
           {kBinary, "-s", "BTCUSD,ETHUSD", "--url", "wss://example.com/v1/marketdata/BTCUSD"},
           {kBinary, "-s", "BTCUSD,ETHUSD", "--subscribe", "{}"},
           {kBinary, "--raw", "--url", "wss://example.com/", "-o", "{symbol}.txt"},
           {kBinary, "-s", "BTCUSD", "--interval", "0"},
           {kBinary, "-s", "BTCUSD", "--interval", "-100"},
           {kBinary, "-s", "BTCUSD", "--interval", "1s"},
           {kBinary, "-s", "BTCUSD", "--interval", "2.5"},
           {kBinary, "-s", "BTCUSD", "--fields", "seq,seq"},
           {kBinary, "-s", "BTCUSD", "--fields", "seq,sequence"},
           {kBinary, "--raw", "--url", "wss://example.com/", "--markers"},
           {kBinary, "--raw", "--url", "wss://example.com/", "--on-change"},
           {kBinary, "-s", "BTCUSD", "--url", "ws://127.0.0.1:1/", "--insecure"},
           {kBinary, "-s", "BTCUSD", "--url", "ws://127.0.0.1:1/", "--cafile", kBinary},
       }) {
    const auto r = run_to_end(args);
    EXPECT_EQ(r.code, 2) << args.back();
    EXPECT_THAT(r.err, HasSubstr("wsbook: ")) << args.back();
    EXPECT_THAT(r.err, HasSubstr("--help")) << args.back();
    EXPECT_EQ(r.out, "");
  }
}

TEST(Cli, AnUnknownExchangeListsTheKnownOnesAndAWrongSymbolFormSaysTheRightOne) {
  const auto unknown = run_to_end({kBinary, "-s", "BTCUSD", "--exchange", "nosuch"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("gemini, gemini-v2, coinbase, kraken, okx, bybit, binance, binance-futures"));
  const auto kraken = run_to_end({kBinary, "-s", "BTCUSD", "--exchange", "kraken"});
  EXPECT_EQ(kraken.code, 2);
  EXPECT_THAT(kraken.err, HasSubstr("--symbol BTCUSD is not a kraken symbol"));
  EXPECT_THAT(kraken.err, HasSubstr("BTC/USD"));
}

TEST(Cli, ABadSymbolListExits2NamingTheCulprit) {
  const auto empty = run_to_end({kBinary, "-s", "BTCUSD,,ETHUSD"});
  EXPECT_EQ(empty.code, 2);
  EXPECT_THAT(empty.err, HasSubstr("--symbol: empty symbol in list 'BTCUSD,,ETHUSD'"));
  const auto twice = run_to_end({kBinary, "-s", "btcusd", "-s", "BTCUSD"});
  EXPECT_EQ(twice.code, 2);
  EXPECT_THAT(twice.err, HasSubstr("--symbol BTCUSD given twice (as btcusd and BTCUSD)"));
  const auto missing = run_to_end({kBinary, "--symbols-file", "/nonexistent/symbols.txt"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_THAT(missing.err, HasSubstr("--symbols-file /nonexistent/symbols.txt: No such file or directory"));
  const auto raw = run_to_end({kBinary, "--raw", "-s", "A", "-s", "B", "--url", "wss://example.com/{symbol}"});
  EXPECT_EQ(raw.code, 2);
  EXPECT_THAT(raw.err, HasSubstr("--raw records one connection: at most one --symbol"));
}

TEST(Cli, BadRecordFlagsSayWhatIsValid) {
  const auto unknown = run_to_end({kBinary, "-s", "BTCUSD", "--fields", "seq,sequence"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("--fields: unknown name 'sequence'; the names are exchange, symbol, seq, "
                                     "exchange_ts, recv_us"));
  const auto twice = run_to_end({kBinary, "-s", "BTCUSD", "--fields", "seq,recv_us,seq"});
  EXPECT_EQ(twice.code, 2);
  EXPECT_THAT(twice.err, HasSubstr("--fields: 'seq' is named twice"));
  const auto zero = run_to_end({kBinary, "-s", "BTCUSD", "--interval", "0"});
  EXPECT_EQ(zero.code, 2);
  EXPECT_THAT(zero.err, HasSubstr("--interval: must be whole milliseconds from 1 to 86400000"));
}

TEST(Cli, HelpTeachesAndVersionAnswers) {
  const auto help = run_to_end({kBinary, "--help"});
  EXPECT_EQ(help.code, 0);
  for (const char* part : {"Examples:", "Exit codes:", "--symbol", "--count", "--on-change", "--raw", "SIGHUP",
                           "--exchange", "kraken", "BTC/USD", "--ping-interval", "checksum", "comma-separate",
                           "--symbols-file", "--symbol-stale-timeout", "0: never (default 600)",
                           R"({"exchange":"gemini","symbol":"BTCUSD","bids":)", "{exchange}", "{symbol}",
                           "-s BTC/USD,ETH/USD -o 'books/{exchange}/{symbol}.txt'", "--symbols-file top100.txt",
                           "every symbol was rejected", "--out file", "--markers", "--fields", "--interval",
                           "recv_us", "exchange_ts", R"({"event":"gap")", "wsbook check FILE...", ".zst",
                           "--compress-level", "N frames", "strftime"}) {
    EXPECT_THAT(help.out, HasSubstr(part));
  }
  // The footer (after the options) fits a terminal of 80 columns.
  const auto footer = help.out.find("\nOutput:");
  ASSERT_NE(footer, std::string::npos);
  for (const auto& line : split_lines(help.out.substr(footer + 1))) EXPECT_LE(line.size(), 80u) << line;
  const auto version = run_to_end({kBinary, "--version"});
  EXPECT_EQ(version.code, 0);
  EXPECT_EQ(version.out, std::string("wsbook ") + WSBOOK_VERSION + "\n");
}

TEST(Cli, CountToStdoutWritesExactlyThatManyTrueLinesAndLogsOnStderr) {
  StreamingExchange ex(50);
  const auto r = run_to_end(wsbook_args(ex.server, {"-s", "BTCUSD", "--count", "3", "-d", "5"}));
  EXPECT_EQ(r.code, 0) << r.err;
  const auto lines = split_lines(r.out);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(r.out.back(), '\n');
  for (const auto& line : lines) EXPECT_THAT(line, ::testing::StartsWith(R"({"bids":[[6499.99,1.007],)"));
  EXPECT_EQ(check_findings("stdout", r.out), "");
  EXPECT_THAT(r.err, HasSubstr("connected to localhost"));
  EXPECT_THAT(r.err, HasSubstr("initial snapshot: 40 bids, 40 asks"));
}

TEST(Cli, SigtermMidStreamExitsZeroQuicklyWithWholeLines) {
  StreamingExchange ex(100000, 1ms);
  ChildProcess child(wsbook_args(ex.server, {"-s", "BTCUSD"}));
  ASSERT_TRUE(child.wait_stdout_lines(20, 10s)) << child.err();
  child.signal(SIGTERM);
  EXPECT_EQ(child.wait(5s), 0);  // the polite close has a second at most; 5 s is only how long a test waits
  EXPECT_EQ(child.out().back(), '\n');
  for (const auto& line : split_lines(child.out())) EXPECT_TRUE(ex.book.truths().count(line_body(line))) << line;
  EXPECT_EQ(check_findings("stdout", child.out()), "");
}

TEST(Cli, SighupReopensTheFileLosingAndDuplicatingNothing) {
  const fs::path dir = temp_dir();
  const fs::path out = dir / "book.txt";
  // 200 updates, then (once the test has seen the reopen) 200 more: the HUP lands mid-stream whatever the pace.
  std::atomic<bool> reopened{false};
  TrueBook book;
  book.fill(650000, 40);
  TestExchange server([&](Connection& c) {
    if (!c.accept() || c.index() > 0) return;
    c.send_text(book.initial_frame());
    std::uint32_t seed = 11;
    for (int i = 0; i < 400 && c.send_text(book.random_update(seed)); ++i) {
      for (int wait = 0; i == 199 && !reopened && wait < 2000; ++wait) c.stall(10ms);
    }
    c.wait_closed(10s);
  });
  ChildProcess child(wsbook_args(server, {"-s", "BTCUSD", "-o", out.string(), "--count", "401"}));
  ASSERT_TRUE(eventually([&] { return split_lines(read_file(out)).size() >= 100; }, 20s)) << child.err();
  fs::rename(out, dir / "book.txt.1");  // what logrotate does before the HUP
  child.signal(SIGHUP);
  EXPECT_TRUE(eventually([&] { return child.err().find("reopened") != std::string::npos; }, 20s));
  reopened = true;
  EXPECT_EQ(child.wait(20s), 0) << child.err();
  const auto before = split_lines(read_file(dir / "book.txt.1"));
  const auto after = split_lines(read_file(out));
  EXPECT_GT(before.size(), 0u);
  EXPECT_GT(after.size(), 0u);
  std::vector<std::string> all;
  for (const auto* part : {&before, &after}) {
    for (const auto& line : *part) all.push_back(line_body(line));
  }
  EXPECT_EQ(all, book.history());  // every state once, in order, across both files
  for (const char* name : {"book.txt.1", "book.txt"}) EXPECT_EQ(check_findings(name, read_file(dir / name)), "");
  EXPECT_THAT(child.err(), HasSubstr("reopened"));
  fs::remove_all(dir);
}

TEST(Cli, ClosedPipeEndsQuietlyWithExitZero) {
  StreamingExchange ex(100000, 1ms);
  std::string cmd;
  for (const auto& a : wsbook_args(ex.server, {"-s", "BTCUSD"})) cmd += "'" + a + "' ";
  const auto r = run_to_end({"/bin/bash", "-c", cmd + "| head -n 3; exit ${PIPESTATUS[0]}"}, 20s);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(split_lines(r.out).size(), 3u);
  EXPECT_THAT(r.err, ::testing::Not(HasSubstr("error")));
}

// --raw of a feed named by its URL: the capture format, the frames as they came, --count of them.
TEST(Cli, RawCapturesExactlyTheFramesSent) {
  const std::vector<std::string> frames = {R"({"type":"anything","n":1})", "plain text", R"([1,2,3])", "more"};
  TestExchange server([&](Connection& c) {
    if (!c.accept()) return;
    for (const auto& f : frames) c.send_text(f);
    c.wait_closed(5s);
  });
  const auto r = run_to_end({kBinary, "--raw", "--url", server.url("/feed"), "--cafile", server.ca_file(), "--count",
                             "3", "--subscribe", R"({"op":"sub"})"});
  EXPECT_EQ(r.code, 0) << r.err;
  auto lines = split_lines(r.out);
  EXPECT_THAT(r.err, HasSubstr(std::to_string(lines.size()) + " lines written"));
  std::erase_if(lines, [](const std::string& l) { return l.find(R"("event":"tick")") != std::string::npos; });
  ASSERT_EQ(lines.size(), 7u) << r.out;
  EXPECT_THAT(lines[0], ::testing::MatchesRegex(R"(\{"capture":1,"wsbook":"[^"]+","exchange":"raw",.*)"));
  EXPECT_THAT(lines[1], HasSubstr(R"("c":0,"event":"open","url":")"));
  EXPECT_THAT(lines[2], ::testing::MatchesRegex(R"(\{"us":[0-9]+,"c":0,"event":"send","text":"\{\\"op\\":\\"sub\\"\}"\})"));
  EXPECT_THAT(lines[3], ::testing::MatchesRegex(R"(\{"us":[0-9]+,"c":0,"event":"frame","json":\{"type":"anything","n":1\}\})"));
  EXPECT_THAT(lines[4], ::testing::MatchesRegex(R"(\{"us":[0-9]+,"c":0,"event":"frame","text":"plain text"\})"));
  EXPECT_THAT(lines[5], ::testing::MatchesRegex(R"(\{"us":[0-9]+,"c":0,"event":"frame","json":\[1,2,3\]\})"));
  EXPECT_THAT(lines[6], HasSubstr(R"("c":0,"event":"end")"));
}

TEST(Cli, OutputThatCannotBeOpenedOrWrittenExits1) {
  StreamingExchange ex(100);
  const auto no_dir = run_to_end(wsbook_args(ex.server, {"-s", "BTCUSD", "-o", "/nonexistent/dir/x.txt"}));
  EXPECT_EQ(no_dir.code, 1);
  EXPECT_THAT(no_dir.err, HasSubstr("cannot open /nonexistent/dir/x.txt"));
  const auto full = run_to_end(wsbook_args(ex.server, {"-s", "BTCUSD", "-o", "/dev/full"}));
  EXPECT_EQ(full.code, 1);
  EXPECT_THAT(full.err, HasSubstr("No space left on device"));
}

TEST(Cli, DurationEndsTheRunWithExitZero) {
  StreamingExchange ex(100000, 5ms);
  const auto start = std::chrono::steady_clock::now();
  const auto r = run_to_end(wsbook_args(ex.server, {"-s", "BTCUSD", "--duration", "1"}));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_GE(std::chrono::steady_clock::now() - start, 1s);
  EXPECT_GT(split_lines(r.out).size(), 1u);
}

TEST(Cli, MaxRetriesGivesUpWithExit1) {
  unsigned short port = 0;
  {
    TestExchange gone([](Connection&) {});
    port = gone.port();
  }
  const auto r = run_to_end({kBinary, "-s", "BTCUSD", "--url", "wss://127.0.0.1:" + std::to_string(port) + "/",
                             "--max-retries", "2", "--backoff-min", "0.01", "--backoff-max", "0.02"});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("giving up after 2 failed attempts"));
}

}  // namespace
}  // namespace wsbook::testing
