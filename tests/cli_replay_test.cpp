// --capture and --replay through the binary: a pipeline's stdout from a live
// crawl, and from its capture replayed, are the same bytes; the flags a replay
// has no use for, and captures it cannot replay, say so.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "cli_util.h"

namespace wsbook::testing {
namespace {

using ::testing::HasSubstr;

TEST(CliReplay, ACapturedCrawlReplaysToTheSameStdout) {
  StreamingExchange ex(50);
  const fs::path dir = temp_dir();
  const std::string capture = (dir / "cap.jsonl").string();
  const auto live = run_to_end(wsbook_args(
      ex.server, {"-s", "BTCUSD", "--count", "20", "-d", "3", "--markers", "--fields", "seq", "--capture", capture}));
  ASSERT_EQ(live.code, 0) << live.err;
  ASSERT_EQ(split_lines(live.out).size(), 23u) << live.out;  // connect, resync, 20 lines, disconnect
  const auto again = run_to_end({kBinary, "--replay", capture, "-d", "3", "--markers", "--fields", "seq"});
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(again.out, live.out);
  const auto deeper = run_to_end({kBinary, "--replay", capture, "-d", "5"});
  EXPECT_EQ(deeper.code, 0) << deeper.err;
  EXPECT_EQ(split_lines(deeper.out).size(), 20u);
  const auto piped = run_to_end({"/bin/sh", "-c", std::string(kBinary) + " --replay - --count 2 < " + capture});
  EXPECT_EQ(piped.code, 0) << piped.err;
  EXPECT_EQ(split_lines(piped.out).size(), 2u);
}

TEST(CliReplay, FlagsAReplayHasNoUseForExit2) {
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{"--url", "wss://h/"}, {"-s", "BTCUSD"}, {"--capture", "c.jsonl"}, {"--duration", "1"},
        {"--raw"}}) {
    std::vector<std::string> args{"wsbook", "--replay", "x.jsonl"};
    args.insert(args.end(), extra.begin(), extra.end());
    const Parsed p = parse(args);
    EXPECT_EQ(p.code, 2) << extra[0];
    EXPECT_THAT(p.err, HasSubstr(extra[0])) << p.err;
  }
  EXPECT_THAT(parse({"wsbook", "-s", "BTCUSD", "--replay-speed", "2"}).err, HasSubstr("--replay-speed paces a --replay"));
  EXPECT_EQ(parse({"wsbook", "--replay", "x", "--replay-speed", "0"}).code, 2);
  EXPECT_THAT(parse({"wsbook", "-s", "BTCUSD", "-o", "a.txt", "--capture", "a.txt"}).err, HasSubstr("same file"));
  EXPECT_THAT(parse({"wsbook", "-s", "BTCUSD", "--raw", "--capture", "c"}).err, HasSubstr("--raw"));
  EXPECT_EQ(parse({"wsbook", "--replay", "x", "--replay-speed", "10"}).code, -1);
}

TEST(CliReplay, CapturesItCannotReplaySayWhy) {
  const fs::path dir = temp_dir();
  const auto other = run_to_end({kBinary, "--replay", std::string(WSBOOK_TEST_DATA) + "/binance_4_symbols.capture", "-e", "okx"});
  EXPECT_EQ(other.code, 2);
  EXPECT_THAT(other.err, HasSubstr("the capture is of binance, not --exchange okx"));
  std::ofstream(dir / "book.txt") << R"({"bids":[],"asks":[],"ts":1})" << "\n";
  const auto books = run_to_end({kBinary, "--replay", (dir / "book.txt").string()});
  EXPECT_EQ(books.code, 1);
  EXPECT_THAT(books.err, HasSubstr("the capture's line 1: not a capture header"));
  const auto missing = run_to_end({kBinary, "--replay", (dir / "none.jsonl").string()});
  EXPECT_EQ(missing.code, 1);
  EXPECT_THAT(missing.err, HasSubstr("cannot read the capture"));
}

}  // namespace
}  // namespace wsbook::testing
