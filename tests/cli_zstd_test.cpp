// .zst outputs through the binary: zstd reads them, `wsbook check` and
// --replay read them, and SIGKILL under a flood leaves a file that the next
// start repairs to whole frames of whole lines.
#include <signal.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <iostream>
#include <random>

#include "cli_util.h"

namespace wsbook::testing {
namespace {

using ::testing::HasSubstr;

// The lines a .zst file holds, read by the zstd tool, which must find it whole.
std::string unzstd(const fs::path& p) {
  const auto t = run_to_end({"/bin/sh", "-c", "zstd -t -q '" + p.string() + "'"});
  EXPECT_EQ(t.code, 0) << t.err;
  const auto d = run_to_end({"/bin/sh", "-c", "zstd -dc '" + p.string() + "'"});
  EXPECT_EQ(d.code, 0) << d.err;
  return d.out;
}

TEST(CliZstd, AZstOutputIsCompressedAppendedToAndChecked) {
  StreamingExchange ex(200), more(200);
  const fs::path dir = temp_dir(), out = dir / "books.jsonl.zst";
  const auto first = run_to_end(wsbook_args(ex.server, {"-s", "BTCUSD", "--count", "100", "-o", out.string()}));
  ASSERT_EQ(first.code, 0) << first.err;
  const std::string text = unzstd(out);
  EXPECT_EQ(split_lines(text).size(), 100u);
  EXPECT_LT(fs::file_size(out) * 4, text.size());
  const auto second = run_to_end(wsbook_args(more.server, {"-s", "BTCUSD", "--count", "50", "-o", out.string(),
                                                           "--compress-level", "19"}));
  ASSERT_EQ(second.code, 0) << second.err;
  EXPECT_EQ(split_lines(unzstd(out)).size(), 150u);
  const auto check = run_to_end({kBinary, "check", out.string()});
  EXPECT_EQ(check.code, 0) << check.out << check.err;
  EXPECT_THAT(check.out, HasSubstr("150 lines"));
}

TEST(CliZstd, ACompressedCaptureReplays) {
  StreamingExchange ex(100);
  const fs::path dir = temp_dir(), capture = dir / "cap.jsonl.zst";
  const auto live = run_to_end(wsbook_args(ex.server, {"-s", "BTCUSD", "--count", "30", "--capture", capture.string()}));
  ASSERT_EQ(live.code, 0) << live.err;
  EXPECT_THAT(unzstd(capture), HasSubstr(R"("event":"frame")"));
  const auto again = run_to_end({kBinary, "--replay", capture.string()});
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(again.out, live.out);
  const auto piped = run_to_end({"/bin/sh", "-c", std::string(kBinary) + " --replay - < " + capture.string()});
  EXPECT_EQ(piped.out, live.out);
}

TEST(CliZstd, ABadLevelOrALevelWithoutZstExits2) {
  EXPECT_EQ(parse({"wsbook", "-s", "BTCUSD", "-o", "a.zst", "--compress-level", "0"}).code, 2);
  EXPECT_EQ(parse({"wsbook", "-s", "BTCUSD", "-o", "a.zst", "--compress-level", "20"}).code, 2);
  EXPECT_THAT(parse({"wsbook", "-s", "BTCUSD", "-o", "a.txt", "--compress-level", "5"}).err,
              HasSubstr("--compress-level: neither --out nor --capture ends in .zst"));
  EXPECT_EQ(parse({"wsbook", "-s", "BTCUSD", "-o", "a.txt", "--capture", "c.zst", "--compress-level", "5"}).code, -1);
  const fs::path dir = temp_dir(), plain = dir / "plain.zst";
  std::ofstream(plain) << "not zstd\n";
  const auto refused = run_to_end({kBinary, "-s", "BTCUSD", "-o", plain.string()});
  EXPECT_EQ(refused.code, 1);
  EXPECT_THAT(refused.err, HasSubstr("it is not zstd at byte 0"));
}

// One file, killed 100 times mid-flood and started again: each start repairs
// the frame the kill left open; at the end zstd finds whole frames of whole lines.
std::uintmax_t size_of(const fs::path& p) {
  std::error_code ec;
  const auto n = fs::file_size(p, ec);
  return ec ? 0 : n;
}

TEST(CliZstd, SigkillUnderAFloodLeavesAFileTheNextStartRepairs) {
  const fs::path dir = temp_dir(), out = dir / "killed.jsonl.zst";
  std::mt19937 rng(20261203);
  int repairs = 0;
  for (int round = 0; round < 100; ++round) {
    StreamingExchange ex(1000000, 0ms);
    const auto before = size_of(out);
    ChildProcess child(wsbook_args(ex.server, {"-s", "BTCUSD", "-o", out.string()}));
    while (size_of(out) <= before + 64 && !child.wait(1ms)) {
    }
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 30000));
    child.signal(SIGKILL);
    ASSERT_EQ(child.wait(5s), 128 + SIGKILL);
    repairs += child.err().find("ended the unfinished last frame") != std::string::npos;
  }
  StreamingExchange last(100);
  const auto final_run = run_to_end(wsbook_args(last.server, {"-s", "BTCUSD", "--count", "10", "-o", out.string()}));
  ASSERT_EQ(final_run.code, 0) << final_run.err;
  EXPECT_THAT(final_run.err, HasSubstr("ended the unfinished last frame"));
  const std::string text = unzstd(out);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(check_findings("the output", text), "");
  std::cout << "SIGKILL x100 on one .zst: " << fs::file_size(out) << " bytes holding " << split_lines(text).size()
            << " whole lines; " << repairs + 1 << " starts repaired an unfinished frame\n";
  fs::remove_all(dir);
}

}  // namespace
}  // namespace wsbook::testing
