// --capture and --replay through the binary: a pipeline's stdout from a live
// crawl, and from its capture replayed, are the same bytes; the flags a replay
// has no use for, and captures it cannot replay, say so.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <regex>

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

// The books of lines, their receive times left out.
std::string books_of(const std::string& lines) {
  static const std::regex ts(R"("ts":[0-9]+)");
  return std::regex_replace(lines, ts, R"("ts":0)");
}

// --raw with a venue named writes what --capture would (--count: frames), and it replays
// to the books a crawl gives: each test exchange streams the same frames.
TEST(CliReplay, ARawCaptureOfAVenueReplaysToTheLinesOfACrawl) {
  StreamingExchange ex(50), again_ex(50), url_ex(50);  // each serves one connection
  const fs::path dir = temp_dir();
  const auto live = run_to_end(wsbook_args(ex.server, {"-s", "BTCUSD", "--count", "20", "-d", "3"}));
  ASSERT_EQ(live.code, 0) << live.err;
  const auto raw = run_to_end(wsbook_args(again_ex.server, {"-e", "gemini", "-s", "BTCUSD", "--raw", "--count", "30"}));
  ASSERT_EQ(raw.code, 0) << raw.err;
  const auto lines = split_lines(raw.out);
  ASSERT_FALSE(lines.empty());
  EXPECT_THAT(lines.front(), HasSubstr(R"("exchange":"gemini")"));
  const auto is_frame = [](const std::string& l) { return l.find(R"("event":"frame")") != std::string::npos; };
  EXPECT_EQ(std::count_if(lines.begin(), lines.end(), is_frame), 30);
  std::ofstream(dir / "raw.jsonl") << raw.out;
  const auto again = run_to_end({kBinary, "--replay", (dir / "raw.jsonl").string(), "-d", "3", "--count", "20"});
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(books_of(again.out), books_of(live.out));
  // Of a feed named by its URL alone, the capture replays as the venue --exchange names.
  const auto of_url = run_to_end(wsbook_args(url_ex.server, {"-s", "BTCUSD", "--raw", "--count", "30"}));
  ASSERT_EQ(of_url.code, 0) << of_url.err;
  EXPECT_THAT(of_url.out, HasSubstr(R"("exchange":"raw")"));
  std::ofstream(dir / "url.jsonl") << of_url.out;
  const auto unnamed = run_to_end({kBinary, "--replay", (dir / "url.jsonl").string()});
  EXPECT_EQ(unnamed.code, 2);
  EXPECT_THAT(unnamed.err, HasSubstr("give --exchange"));
  const auto named = run_to_end({kBinary, "--replay", (dir / "url.jsonl").string(), "-e", "gemini", "-d", "3",
                                 "--count", "20"});
  EXPECT_EQ(named.code, 0) << named.err;
  EXPECT_EQ(books_of(named.out), books_of(live.out));
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
