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
  EXPECT_TRUE(names_time("a/%H.txt"));
  EXPECT_FALSE(names_time("a/b.txt"));
  EXPECT_EQ(check_time_fields("d/%Y/%m/%d/%H.jsonl.zst"), "");
  EXPECT_EQ(check_time_fields("100%%.txt"), "");
  EXPECT_THAT(check_time_fields("d/%Q.txt"), HasSubstr("%Q is not a time field"));
  EXPECT_THAT(check_time_fields("d/%c.txt"), HasSubstr("%c is not a time field"));  // spaces and colons
  EXPECT_THAT(check_time_fields("d/50%"), HasSubstr("a lone % ends it"));
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
  auto out = make_time_output((dir / "%Y-%m-%d" / "%H.jsonl").string(), [&](const std::string& path, std::string& error) {
    opened.push_back(path);
    fs::create_directories(fs::path(path).parent_path());
    std::string warning;
    return open_file_output(path, error, warning);
  });
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

TEST(TimeOutput, AFileThatCannotBeOpenedFailsTheWrite) {
  auto out = make_time_output("/nonexistent/%H.txt", [](const std::string& path, std::string& error) {
    std::string warning;
    return open_file_output(path, error, warning);
  });
  const WriteResult r = out->write(line(kHour * 1000));
  EXPECT_EQ(r.status, WriteResult::Status::failed);
  EXPECT_THAT(r.error, HasSubstr("cannot open /nonexistent/21.txt"));
}

}  // namespace
}  // namespace wsbook
