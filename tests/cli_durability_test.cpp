// Output durability of the real binary: SIGKILL at random moments and a file
// size limit never leave part of a line behind.
#include <signal.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <iostream>
#include <random>

#include "cli_util.h"

namespace wsbook::testing {
namespace {

using ::testing::HasSubstr;

// Every line of the file is whole and was the exchange's true book; `wsbook check` finds nothing.
void expect_whole_true_lines(const std::string& text, const TrueBook& book) {
  if (!text.empty()) {
    ASSERT_EQ(text.back(), '\n') << "torn last line";
  }
  for (const auto& line : split_lines(text)) ASSERT_TRUE(book.truths().count(line_body(line))) << line;
  EXPECT_EQ(check_findings("the output", text), "");
}

// Lines in the file that cross a page boundary: the only places where the
// kernel could cut a write interrupted by SIGKILL.
int lines_across_pages(const std::string& text) {
  int crossing = 0;
  for (std::size_t start = 0, nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1) {
    if (start / 4096 != nl / 4096) ++crossing;
  }
  return crossing;
}

// Each batch of lines is one write(2), and Linux cuts a write that SIGKILL
// interrupts only at a page boundary, which wsbook keeps between lines.
TEST(Durability, SigkillAtRandomMomentsLeavesWholeLines) {
  const fs::path dir = temp_dir();
  std::mt19937 rng(20261122);
  int crossing = 0;
  std::size_t bytes = 0;
  for (int round = 0; round < 100; ++round) {
    const fs::path out = dir / ("kill-" + std::to_string(round) + ".txt");
    StreamingExchange ex(1000000, 0ms);
    ChildProcess child(wsbook_args(ex.server, {"-s", "BTCUSD", "-o", out.string(), "-q"}));
    while (read_file(out).empty() && !child.wait(1ms)) {
    }
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 30000));
    child.signal(SIGKILL);
    ASSERT_EQ(child.wait(5s), 128 + SIGKILL);
    const std::string text = read_file(out);
    expect_whole_true_lines(text, ex.book);
    crossing += lines_across_pages(text);
    bytes += text.size();
    fs::remove(out);
  }
  EXPECT_EQ(crossing, 0);
  std::cout << "SIGKILL x100: 100 files of whole lines, " << bytes << " bytes, " << crossing
            << " lines across a page boundary\n";
  fs::remove_all(dir);
}

TEST(Durability, FileSizeLimitIsAClearErrorWithoutATornLine) {
  const fs::path dir = temp_dir();
  const fs::path out = dir / "limited.txt";
  StreamingExchange ex(1000000, 0ms);
  std::string cmd = "ulimit -f 1024; exec";  // 1 MiB
  for (const auto& a : wsbook_args(ex.server, {"-s", "BTCUSD", "-o", out.string()})) cmd += " '" + a + "'";
  const auto r = run_to_end({"/bin/bash", "-c", cmd}, 20s);
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("cannot write " + out.string() + ": File too large"));
  const std::string text = read_file(out);
  EXPECT_GT(text.size(), 0u);
  EXPECT_LE(text.size(), 1024u * 1024);
  expect_whole_true_lines(text, ex.book);
  fs::remove_all(dir);
}

TEST(Durability, ATornLineLeftByACrashIsCutWhenTheFileIsOpenedAgain) {
  const fs::path dir = temp_dir();
  const fs::path out = dir / "torn.txt";
  { std::ofstream(out) << "{\"bids\":[],\"asks\":[],\"ts\":1}\n{\"bids\":[[1,"; }
  StreamingExchange ex(10);
  const auto r = run_to_end(wsbook_args(ex.server, {"-s", "BTCUSD", "-o", out.string(), "--count", "2"}));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("cut a torn last line of 12 bytes"));
  const auto lines = split_lines(read_file(out));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "{\"bids\":[],\"asks\":[],\"ts\":1}");
  EXPECT_EQ(check_findings(out.string(), read_file(out)), "");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace wsbook::testing
