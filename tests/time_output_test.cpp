// --out with time fields: each line in the file its own ts names, files
// opened as their names come, fields checked.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "output/time_path.h"

namespace wsbook {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr std::int64_t kHour = 1796331600;  // 2026-12-03T21:00:00Z

std::string line(std::int64_t ts_ms) { return R"({"bids":[[1,2]],"asks":[[3,4]],"ts":)" + std::to_string(ts_ms) + "}\n"; }

std::string record(std::int64_t ts_ms) {
  return R"({"event":"gap","exchange":"x","symbol":"A","reason":"a \"ts\":1 in text","ts":)" + std::to_string(ts_ms) +
         "}\n";
}

std::string bytes_of(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(TimePath, FieldsAreUtcAndChecked) {
  EXPECT_EQ(time_path("d/%Y-%m-%d/%H.jsonl", kHour), "d/2026-12-03/21.jsonl");
  EXPECT_EQ(time_path("%F_%H%M%S_%%.txt", kHour - 1), "2026-12-03_205959_%.txt");
  EXPECT_EQ(time_path("%G-W%V", 1735516800), "2025-W01");  // 2024-12-30 is in ISO week 1 of 2025
  EXPECT_TRUE(names_time("a/%H.txt"));
  EXPECT_FALSE(names_time("a/b.txt"));
  EXPECT_EQ(check_time_fields("d/%Y/%m/%d/%H.jsonl.zst"), "");
  EXPECT_EQ(check_time_fields("100%%.txt"), "");
  EXPECT_THAT(check_time_fields("d/%Q.txt"), HasSubstr("%Q is not a time field"));
  EXPECT_THAT(check_time_fields("d/%c.txt"), HasSubstr("%c is not a time field"));  // spaces and colons
  EXPECT_THAT(check_time_fields("d/50%"), HasSubstr("a lone % ends it"));
  for (const char* bad : {"d/%e.txt", "d/%D.txt", "d/%U.txt", "d/%C.txt"}) {
    EXPECT_THAT(check_time_fields(bad), HasSubstr("is not a time field")) << bad;
  }
  EXPECT_EQ(check_time_fields("d/%G-W%V.txt"), "");
  EXPECT_THAT(check_time_fields("d/%Y-W%V.txt"), HasSubstr("do not mix"));
}

TEST(TimePath, TheTsOfALineIsItsOwn) {
  EXPECT_EQ(line_ts(line(1234)), 1234);
  EXPECT_EQ(line_ts(record(77)), 77);
  EXPECT_EQ(line_ts(R"({"bids":[],"asks":[],"ts":5,"exchange_ts":9})"), 5);
  EXPECT_EQ(line_ts(R"({"bids":[],"asks":[]})"), -1);
}

TEST(TimeOutput, EachLineGoesToTheFileItsTsNamesAcrossAnHour) {
  const fs::path dir = fs::temp_directory_path() / ("wsbook-time-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  std::vector<std::string> opened;
  std::string error;
  auto out = make_time_output(
      (dir / "%Y-%m-%d" / "%H.jsonl").string(),
      [&](const std::string& path, std::string& err) {
        opened.push_back(path);
        fs::create_directories(fs::path(path).parent_path());
        std::string warning;
        return open_file_output(path, err, warning);
      },
      kHour - 2, error);
  ASSERT_NE(out, nullptr) << error;
  const std::int64_t before = (kHour - 2) * 1000, after = (kHour + 1) * 1000;
  // One batch across the hour, a late line of the hour before, then a batch of the next.
  ASSERT_EQ(out->write(line(before) + record(before + 500) + line(after) + line(after + 10)).status,
            WriteResult::Status::ok);
  ASSERT_EQ(out->write(line(before + 999)).status, WriteResult::Status::ok);
  ASSERT_EQ(out->write(line(after + 20)).status, WriteResult::Status::ok);
  out.reset();
  const fs::path h20 = dir / "2026-12-03" / "20.jsonl", h21 = dir / "2026-12-03" / "21.jsonl";
  EXPECT_EQ(bytes_of(h20), line(before) + record(before + 500) + line(before + 999));
  EXPECT_EQ(bytes_of(h21), line(after) + line(after + 10) + line(after + 20));
  EXPECT_THAT(opened, ::testing::ElementsAre(h20.string(), h21.string(), h20.string(), h21.string()));
  fs::remove_all(dir);
}

OpenOutput plain_files() {
  return [](const std::string& path, std::string& error) {
    std::string warning;
    return open_file_output(path, error, warning);
  };
}

TEST(TimeOutput, APathThatCannotBeOpenedFailsAtOnce) {
  std::string error;
  EXPECT_EQ(make_time_output("/nonexistent/%H.txt", plain_files(), kHour, error), nullptr);
  EXPECT_THAT(error, HasSubstr("cannot open /nonexistent/21.txt"));
}

// The next hour's file is on a full disk: the write fails saying so, and the hour before keeps its whole lines.
TEST(TimeOutput, AFullDiskAtTheNextHourFailsTheWriteWithWholeLinesKept) {
  const fs::path dir = fs::temp_directory_path() / ("wsbook-time-full-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string error;
  auto out = make_time_output(
      (dir / "%H.jsonl").string(),
      [](const std::string& path, std::string& err) {
        std::string warning;
        return open_file_output(path.ends_with("21.jsonl") ? "/dev/full" : path, err, warning);
      },
      kHour - 2, error);
  ASSERT_NE(out, nullptr) << error;
  ASSERT_EQ(out->write(line((kHour - 2) * 1000)).status, WriteResult::Status::ok);
  const WriteResult r = out->write(line((kHour - 1) * 1000) + line((kHour + 1) * 1000));
  EXPECT_EQ(r.status, WriteResult::Status::failed);
  EXPECT_THAT(r.error, HasSubstr("No space left on device"));
  out.reset();
  EXPECT_EQ(bytes_of(dir / "20.jsonl"), line((kHour - 2) * 1000) + line((kHour - 1) * 1000));
  fs::remove_all(dir);
}

// No line crosses a page of the file it lands in, also when a batch spans two files.
TEST(TimeOutput, EachFileKeepsItsPageLayout) {
  const fs::path dir = fs::temp_directory_path() / ("wsbook-time-pages-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string error;
  auto out = make_time_output((dir / "%H.jsonl").string(), plain_files(), kHour - 100, error);
  ASSERT_NE(out, nullptr) << error;
  EXPECT_EQ(out->placement().page, 0u);  // laid out by the output itself
  for (int b = 0; b < 40; ++b) {
    std::string batch;
    for (int i = 0; i < 30; ++i) batch += line((kHour - 60 + b * 3) * 1000 + i);
    ASSERT_EQ(out->write(batch).status, WriteResult::Status::ok);
  }
  out.reset();
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    ++files;
    const std::string text = bytes_of(e.path());
    for (std::size_t start = 0, nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1) {
      ASSERT_EQ(start / 4096, nl / 4096) << e.path() << " line at " << start;
    }
  }
  EXPECT_EQ(files, 2);
  fs::remove_all(dir);
}

// A crash at the end of an hour leaves its file torn; the next start mends it.
TEST(TimeOutput, TheFileBeforeNowIsRepairedAtStart) {
  const fs::path dir = fs::temp_directory_path() / ("wsbook-time-repair-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string whole = line((kHour - 1) * 1000);
  std::ofstream(dir / "20.jsonl") << whole << R"({"bids":[[1,)";
  std::string error;
  auto out = make_time_output((dir / "%H.jsonl").string(), plain_files(), kHour + 5, error);
  ASSERT_NE(out, nullptr) << error;
  EXPECT_EQ(bytes_of(dir / "20.jsonl"), whole);
  EXPECT_TRUE(fs::exists(dir / "21.jsonl"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace wsbook
