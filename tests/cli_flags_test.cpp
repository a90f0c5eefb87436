// Each remaining flag of the real binary, one scenario each.
#include <signal.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <mutex>

#include "cli_util.h"

namespace wsbook::testing {
namespace {

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

}  // namespace
}  // namespace wsbook::testing
