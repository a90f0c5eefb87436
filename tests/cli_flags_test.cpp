// Each remaining flag of the real binary, one scenario each; then the symbol
// list (--symbol lists, --symbols-file) and what it gives the feed and the crawler.
#include <signal.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <mutex>

#include "cli_util.h"

namespace wsbook::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(CliFlags, FeedGeminiV2SendsTheDefaultL2SubscriptionAndKeepsItsSymbol) {
  std::string subscribe;
  TestExchange server([&](Connection& c) {
    if (!c.accept()) return;
    subscribe = c.read_text(2s).value_or("");
    c.send_text(R"({"type":"l2_updates","symbol":"ETHUSD","changes":[["buy","10","1"],["sell","11","2"]],"trades":[]})");
    c.send_text(R"({"type":"l2_updates","symbol":"BTCUSD","changes":[["buy","1","1"]],"trades":[]})");
    c.send_text(R"({"type":"l2_updates","symbol":"ETHUSD","changes":[["buy","10.5","3"]]})");
    c.wait_closed(5s);
  });
  const auto r = run_to_end({kBinary, "-s", "ethusd", "--feed", "gemini-v2", "--url", server.url("/marketdata"),
                             "--cafile", server.ca_file(), "--count", "2"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(subscribe, R"({"type":"subscribe","subscriptions":[{"name":"l2","symbols":["ETHUSD"]}]})");
  const auto lines = split_lines(r.out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(line_body(lines[1]), R"({"bids":[[10.5,3],[10,1]],"asks":[[11,2]])");
}

TEST(CliFlags, SubscribeHeadersAndSymbolInTheUrl) {
  std::string subscribe, target, first, second;
  TrueBook book;
  book.fill(650000, 3);
  TestExchange server([&](Connection& c) {
    if (!c.accept()) return;
    target = c.request_target();
    first = c.request_header("X-One");
    second = c.request_header("X-Two");
    subscribe = c.read_text(2s).value_or("");
    c.send_text(book.initial_frame());
    c.wait_closed(5s);
  });
  const auto r = run_to_end(wsbook_args(server, {"-s", "ethusd", "--subscribe", R"({"hello":1})", "--header",
                                                 "X-One: 1", "--header", "X-Two:two", "--count", "1"}));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(target, "/v1/marketdata/ethusd?heartbeat=true");
  EXPECT_EQ(subscribe, R"({"hello":1})");
  EXPECT_EQ(first, "1");
  EXPECT_EQ(second, "two");
}

TEST(CliFlags, CertificateVerificationAndInsecure) {
  TrueBook book;
  book.fill(650000, 3);
  TestExchange server(snapshot_then_wait(book), TestExchange::CertKind::untrusted);
  const std::string url = server.url("/v1/marketdata/{symbol}");
  const auto refused = run_to_end({kBinary, "-s", "BTCUSD", "--url", url, "--cafile", server.ca_file(),
                                   "--max-retries", "1"});
  EXPECT_EQ(refused.code, 1);
  EXPECT_THAT(refused.err, HasSubstr("certificate verify failed for localhost"));
  const auto insecure = run_to_end({kBinary, "-s", "BTCUSD", "--url", url, "--insecure", "--count", "1"});
  EXPECT_EQ(insecure.code, 0) << insecure.err;
  EXPECT_THAT(insecure.err, HasSubstr("NOT verified"));
  EXPECT_EQ(split_lines(insecure.out).size(), 1u);
}

TEST(CliFlags, OnChangeWritesOnlyWhenTheTopLevelsChange) {
  TrueBook book;
  book.fill(650000, 10);
  TestExchange server([&](Connection& c) {
    if (!c.accept()) return;
    c.send_text(book.initial_frame());
    c.send_text(book.update_frame(TrueSide::bid, 649980, 7));  // 20 levels down: not in the top 2
    c.send_text(book.update_frame(TrueSide::ask, 650030, 7));
    c.send_text(book.update_frame(TrueSide::bid, 649999, 7));  // the best bid
    c.wait_closed(5s);
  });
  const auto r = run_to_end(wsbook_args(server, {"-s", "BTCUSD", "-d", "2", "--on-change", "--count", "2"}));
  EXPECT_EQ(r.code, 0) << r.err;
  const auto lines = split_lines(r.out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(line_body(lines[1]), R"({"bids":[[6499.99,0.007],[6499.98,1.014]],"asks":[[6500.01,2.003],[6500.02,2.006]])");
}

TEST(CliFlags, StaleTimeoutReconnects) {
  TrueBook book;
  book.fill(650000, 3);
  TestExchange server([&](Connection& c) {
    if (!c.accept()) return;
    c.send_text(book.initial_frame());
    if (c.index() == 0) c.stall(4s);
    c.wait_closed(5s);
  });
  const auto r = run_to_end(wsbook_args(server, {"-s", "BTCUSD", "--stale-timeout", "1", "--count", "2"}));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("stale"));
  EXPECT_EQ(server.connections(), 2);
}

TEST(CliFlags, QuietSaysNothingVerboseSaysMore) {
  StreamingExchange ex(10);
  const auto quiet = run_to_end(wsbook_args(ex.server, {"-s", "BTCUSD", "-q", "--count", "2"}));
  EXPECT_EQ(quiet.code, 0);
  EXPECT_EQ(quiet.err, "");
  StreamingExchange ex2(10);
  const auto verbose = run_to_end(wsbook_args(ex2.server, {"-s", "BTCUSD", "-v", "--count", "2"}));
  EXPECT_EQ(verbose.code, 0);
  EXPECT_THAT(verbose.err, HasSubstr("debug connecting to wss://localhost:"));
}

TEST(CliFlags, SigintExitsZero) {
  StreamingExchange ex(100000, 2ms);
  ChildProcess child(wsbook_args(ex.server, {"-s", "BTCUSD"}));
  ASSERT_TRUE(child.wait_stdout_lines(3, 10s));
  child.signal(SIGINT);
  EXPECT_EQ(child.wait(5s), 0);
  EXPECT_THAT(child.err(), HasSubstr("SIGINT"));
}

// --- Many symbols: parse_command_line in this process ---

void write_text(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

// parse() of wsbook with `args`, expected to fail with exit 2 and a message starting with `reason`.
void expect_usage_error(const std::vector<std::string>& args, const std::string& reason) {
  std::vector<std::string> argv = {"wsbook"};
  argv.insert(argv.end(), args.begin(), args.end());
  const Parsed p = parse(argv);
  EXPECT_EQ(p.code, 2) << reason;
  EXPECT_THAT(p.err, ::testing::StartsWith("wsbook: " + reason)) << p.err;
  EXPECT_THAT(p.err, HasSubstr("Usage: wsbook -s SYMBOL"));
  EXPECT_THAT(p.err, HasSubstr("--help"));
}

TEST(CliSymbols, ListsAndRepeatsKeepTheOrderGivenTrimmed) {
  const Parsed p = parse({"wsbook", "--symbol", " BTCUSD , ethusd", "-s", "SOLUSD", "-s", "ltcusd,\tZECUSD "});
  ASSERT_EQ(p.code, -1) << p.err;
  EXPECT_THAT(p.cli.symbols, ElementsAre("BTCUSD", "ethusd", "SOLUSD", "ltcusd", "ZECUSD"));
  EXPECT_EQ(feed_options(p.cli).symbols, p.cli.symbols);
  const Parsed one = parse({"wsbook", "-s", "BTCUSD"});
  ASSERT_EQ(one.code, -1) << one.err;
  EXPECT_THAT(one.cli.symbols, ElementsAre("BTCUSD"));
  EXPECT_EQ(one.cli.symbols_file, "");
}

TEST(CliSymbols, AFileWithCommentsBlankLinesAndCrlfComesAfterTheFlags) {
  const fs::path dir = temp_dir();
  const fs::path file = dir / "symbols.txt";
  write_text(file, "# the top ones\r\n\r\nBTCUSD\r\n  ethusd  # the second\r\n\n\t# indented\n   \nSOLUSD");
  const Parsed p = parse({"wsbook", "-s", "LTCUSD,ZECUSD", "--symbols-file", file.string()});
  ASSERT_EQ(p.code, -1) << p.err;
  EXPECT_THAT(p.cli.symbols, ElementsAre("LTCUSD", "ZECUSD", "BTCUSD", "ethusd", "SOLUSD"));
  EXPECT_EQ(p.cli.symbols_file, file.string());
  const Parsed alone = parse({"wsbook", "-e", "kraken", "--symbols-file", file.string()});
  EXPECT_EQ(alone.code, 2);  // kraken's form is BTC/USD: line 3 is the first wrong one
  EXPECT_THAT(alone.err, HasSubstr(file.string() + ":3: BTCUSD is not a kraken symbol: "));
  write_text(file, "BTC/USD\nETH/USD\n");
  const Parsed kraken = parse({"wsbook", "-e", "kraken", "--symbols-file", file.string()});
  ASSERT_EQ(kraken.code, -1) << kraken.err;
  EXPECT_THAT(kraken.cli.symbols, ElementsAre("BTC/USD", "ETH/USD"));
  fs::remove_all(dir);
}

TEST(CliSymbols, AnEmptyItemNamesItsList) {
  expect_usage_error({"--symbol", ""}, "--symbol: empty symbol in list ''");
  expect_usage_error({"--symbol", "A,,B"}, "--symbol: empty symbol in list 'A,,B'");
  expect_usage_error({"-s", "BTCUSD", "-s", "ETHUSD,"}, "--symbol: empty symbol in list 'ETHUSD,'");
  expect_usage_error({"-s", ",BTCUSD"}, "--symbol: empty symbol in list ',BTCUSD'");
  expect_usage_error({"-s", "BTCUSD, ,ETHUSD"}, "--symbol: empty symbol in list 'BTCUSD, ,ETHUSD'");
}

TEST(CliSymbols, NoSymbolAtAllIsStillRequired) {
  expect_usage_error({}, "--symbol is required");
  expect_usage_error({"-e", "kraken", "-d", "5"}, "--symbol is required");
}

TEST(CliSymbols, ASymbolsFileThatCannotBeReadOrHoldsNoneNamesThePath) {
  const fs::path dir = temp_dir();
  const std::string missing = (dir / "missing.txt").string();
  expect_usage_error({"--symbols-file", missing}, "--symbols-file " + missing + ": No such file or directory");
  expect_usage_error({"-s", "BTCUSD", "--symbols-file", dir.string()}, "--symbols-file " + dir.string() + ": Is a directory");
  const fs::path empty = dir / "empty.txt";
  write_text(empty, "");
  expect_usage_error({"--symbols-file", empty.string()}, "--symbols-file " + empty.string() + ": no symbol in it");
  write_text(empty, "# nothing yet\r\n\n   \n\t# BTCUSD\n");
  expect_usage_error({"-s", "BTCUSD", "--symbols-file", empty.string()},
                     "--symbols-file " + empty.string() + ": no symbol in it");
  expect_usage_error({"-s", "BTCUSD", "--symbols-file", ""}, "--symbols-file: --symbols-file needs a path");
  fs::remove_all(dir);
}

TEST(CliSymbols, DuplicatesAreComparedInTheVenuesWireForm) {
  expect_usage_error({"-s", "btcusd", "-s", "BTCUSD"}, "--symbol BTCUSD given twice (as btcusd and BTCUSD)");
  expect_usage_error({"-s", "BTCUSD,ETHUSD,BTCUSD"}, "--symbol BTCUSD given twice");
  expect_usage_error({"-e", "okx", "-s", "btc-usdt,ETH-USDT,BTC-USDT"},
                     "--symbol BTC-USDT given twice (as btc-usdt and BTC-USDT)");
  expect_usage_error({"-e", "kraken", "-s", "btc/usd", "-s", "BTC/USD"},
                     "--symbol BTC/USD given twice (as btc/usd and BTC/USD)");
  // Kraken takes a mixed-case pair as spelled: these are two pairs.
  EXPECT_EQ(parse({"wsbook", "-e", "kraken", "-s", "AAPLx/USD,AAPLX/USD"}).code, -1);
}

TEST(CliSymbols, ADuplicateInTheFileNamesItsLine) {
  const fs::path dir = temp_dir();
  const std::string file = (dir / "symbols.txt").string();
  write_text(file, "# list\nbtcusd\nETHUSD\r\n\nBTCUSD # again\n");
  expect_usage_error({"--symbols-file", file}, file + ":5: BTCUSD given twice (as btcusd at " + file + ":2 and BTCUSD)");
  write_text(file, "ETHUSD\n");
  expect_usage_error({"-s", "ethusd", "--symbols-file", file},
                     file + ":1: ETHUSD given twice (as ethusd in --symbol and ETHUSD)");
  expect_usage_error({"-s", "ETHUSD", "--symbols-file", file}, file + ":1: ETHUSD given twice (first in --symbol)");
  fs::remove_all(dir);
}

TEST(CliSymbols, EachSymbolIsCheckedForTheVenuesForm) {
  expect_usage_error({"-e", "kraken", "-s", "BTC/USD,ETHUSD"}, "--symbol ETHUSD is not a kraken symbol: ");
  expect_usage_error({"-e", "coinbase", "-s", "BTC-USD", "-s", "ETH-USD,SOLUSD"},
                     "--symbol SOLUSD is not a coinbase symbol: ");
  expect_usage_error({"-s", "BTCUSD,ETH\"USD"}, "--symbol ETH\"USD is not a gemini symbol: ");
}

// With a venue, --raw runs its feeds: many symbols, their connections, one capture.
TEST(CliSymbols, RawOfAVenueTakesManySymbolsIntoOneCapture) {
  const Parsed many = parse({"wsbook", "--raw", "-e", "kraken", "-s", "BTC/USD,ETH/USD"});
  ASSERT_EQ(many.code, -1) << many.err;
  EXPECT_TRUE(many.cli.raw);
  ASSERT_NE(cli_venue(many.cli), nullptr);
  EXPECT_EQ(cli_venue(many.cli)->name(), "kraken");
  EXPECT_EQ(cli_venue(parse({"wsbook", "--feed", "raw", "-s", "BTCUSD"}).cli)->name(), "gemini");
  EXPECT_EQ(cli_venue(parse({"wsbook", "--raw", "--url", "wss://example.com/ws"}).cli), nullptr);
  expect_usage_error({"--raw", "-e", "kraken", "-s", "BTC/USD,ETH/USD", "-o", "{symbol}.txt"},
                     "--raw writes one capture for all symbols: --out cannot name {symbol}");
  expect_usage_error({"--raw", "-e", "kraken", "-s", "BTCUSD"}, "--symbol BTCUSD is not a kraken symbol");
}

TEST(CliSymbols, RawRecordsAtMostOneSymbol) {
  expect_usage_error({"--raw", "--url", "wss://example.com/{symbol}", "-s", "A,B"},
                     "--raw records one connection: at most one --symbol");
  expect_usage_error({"--feed", "raw", "--url", "wss://example.com/{symbol}", "-s", "A", "-s", "B"},
                     "--raw records one connection: at most one --symbol");
  const Parsed one = parse({"wsbook", "--raw", "--url", "wss://example.com/{symbol}", "-s", "A"});
  ASSERT_EQ(one.code, -1) << one.err;
  EXPECT_THAT(one.cli.symbols, ElementsAre("A"));
  EXPECT_EQ(parse({"wsbook", "--raw", "--url", "wss://example.com/ws"}).code, -1);
}

TEST(CliSymbols, SymbolStaleTimeoutDefaultsTo600SecondsAndZeroIsNever) {
  using std::chrono::milliseconds;
  const Parsed def = parse({"wsbook", "-s", "BTCUSD"});
  ASSERT_EQ(def.code, -1) << def.err;
  EXPECT_EQ(def.cli.symbol_stale_timeout, 600);
  EXPECT_EQ(feed_options(def.cli).symbol_stale, milliseconds(600'000));
  const Parsed never = parse({"wsbook", "-s", "BTCUSD", "--symbol-stale-timeout", "0"});
  ASSERT_EQ(never.code, -1) << never.err;
  EXPECT_EQ(feed_options(never.cli).symbol_stale, milliseconds(0));
  const Parsed some = parse({"wsbook", "-s", "BTCUSD", "--symbol-stale-timeout", "1.5"});
  ASSERT_EQ(some.code, -1) << some.err;
  EXPECT_EQ(feed_options(some.cli).symbol_stale, milliseconds(1500));
  EXPECT_EQ(parse({"wsbook", "-s", "BTCUSD", "--symbol-stale-timeout", "86400"}).code, -1);
  for (const char* bad : {"0.5", "-1", "86401", "nan", "inf", "ten"}) {
    const Parsed p = parse({"wsbook", "-s", "BTCUSD", "--symbol-stale-timeout", bad});
    EXPECT_EQ(p.code, 2) << bad;
    EXPECT_THAT(p.err, HasSubstr("--symbol-stale-timeout")) << bad;
  }
}

TEST(CliSymbols, TheCrawlKeepsTheUrlTemplateWhichIsCheckedWithTheFirstSymbol) {
  const Parsed gemini = parse({"wsbook", "-s", "BTCUSD,ETHUSD", "--count", "3"});
  ASSERT_EQ(gemini.code, -1) << gemini.err;
  const CrawlOptions c = crawl_options(gemini.cli);
  EXPECT_EQ(c.connection.url, "wss://api.gemini.com/v1/marketdata/{symbol}?heartbeat=true");
  EXPECT_EQ(c.count, 3u);
  const Parsed own = parse({"wsbook", "-s", "ethusd", "--url", "wss://localhost:9443/md/{symbol}?hb=1"});
  ASSERT_EQ(own.code, -1) << own.err;
  EXPECT_EQ(crawl_options(own.cli).connection.url, "wss://localhost:9443/md/{symbol}?hb=1");
  expect_usage_error({"-s", "BTCUSD", "--url", "https://localhost/{symbol}"}, "--url: ");
  // The host is the symbol: no symbol, no host.
  expect_usage_error({"--raw", "--url", "wss://{symbol}/ws"}, "--url: URL has no valid host");
  const Parsed host = parse({"wsbook", "--raw", "-s", "localhost", "--url", "wss://{symbol}/ws"});
  ASSERT_EQ(host.code, -1) << host.err;
  EXPECT_EQ(crawl_options(host.cli).connection.url, "wss://{symbol}/ws");
}

}  // namespace
}  // namespace wsbook::testing
