// --out with time fields through the binary: a replay whose recorded clock
// crosses a UTC hour writes each line to the file of its own hour.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ctime>
#include <regex>

#include "cli_util.h"

namespace wsbook::testing {
namespace {

using ::testing::HasSubstr;

constexpr std::int64_t kHourUs = std::int64_t{3600} * 1000 * 1000;

// The capture with its clock moved so that an hour begins halfway through it.
std::string across_an_hour(const std::string& capture) {
  static const std::regex us(R"("us":([0-9]+))");
  std::int64_t first = -1, last = 0;
  for (std::sregex_iterator it(capture.begin(), capture.end(), us), end; it != end; ++it) {
    const std::int64_t v = std::stoll((*it)[1]);
    if (first < 0) first = v;
    last = v;
  }
  const std::int64_t mid = (first + last) / 2, shift = (mid / kHourUs + 1) * kHourUs - mid;
  std::string out;
  std::sregex_iterator it(capture.begin(), capture.end(), us), end;
  std::size_t at = 0;
  for (; it != end; ++it) {
    out.append(capture, at, it->position() - at);
    out += "\"us\":" + std::to_string(std::stoll((*it)[1]) + shift);
    at = it->position() + it->length();
  }
  return out + capture.substr(at);
}

std::string hour_of(const std::string& line) {
  const auto at = line.find("\"ts\":");
  const std::time_t s = std::stoll(line.substr(at + 5)) / 1000;
  std::tm tm{};
  ::gmtime_r(&s, &tm);
  char name[32];
  std::strftime(name, sizeof name, "%Y-%m-%d/%H", &tm);
  return name;
}

TEST(CliRotation, AReplayAcrossAnHourWritesEachLineToTheFileOfItsHour) {
  const fs::path dir = temp_dir(), capture = dir / "cap.jsonl";
  std::ofstream(capture) << across_an_hour(read_file(std::string(WSBOOK_TEST_DATA) + "/v2_capture_10_symbols.capture"));
  const auto all = run_to_end({kBinary, "--replay", capture.string(), "--markers"});
  ASSERT_EQ(all.code, 0) << all.err;
  const std::string out = (dir / "books/%Y-%m-%d/%H.jsonl.zst").string();
  const auto split = run_to_end({kBinary, "--replay", capture.string(), "--markers", "-o", out});
  ASSERT_EQ(split.code, 0) << split.err;
  std::map<std::string, std::string> files;  // hour -> its lines, in name order
  for (const auto& e : fs::recursive_directory_iterator(dir / "books")) {
    if (!e.is_regular_file()) continue;
    const std::string name = fs::relative(e.path(), dir / "books").string();
    const auto d = run_to_end({"/bin/sh", "-c", "zstd -dc '" + e.path().string() + "'"});
    ASSERT_EQ(d.code, 0) << d.err;
    files[name.substr(0, name.size() - std::string(".jsonl.zst").size())] = d.out;
    const auto check = run_to_end({kBinary, "check", e.path().string()});
    EXPECT_EQ(check.code, 0) << name << check.out;
  }
  ASSERT_EQ(files.size(), 2u);
  std::string joined;
  for (const auto& [hour, text] : files) {
    for (const auto& line : split_lines(text)) EXPECT_EQ(hour_of(line), hour) << line;
    joined += text;
  }
  EXPECT_EQ(joined, all.out);
}

TEST(CliRotation, TimeFieldsAreCheckedAndRefusedWhereOneFileIsMeant) {
  EXPECT_THAT(parse({"wsbook", "-s", "BTCUSD", "-o", "d/%Q.txt"}).err,
              HasSubstr("--out d/%Q.txt: %Q is not a time field wsbook fills in"));
  EXPECT_EQ(parse({"wsbook", "-s", "BTCUSD", "-o", "d/%Y/%m/%d/%H.jsonl"}).code, -1);
  EXPECT_THAT(parse({"wsbook", "-s", "BTCUSD", "--capture", "c-%H.jsonl"}).err,
              HasSubstr("--capture is one file: it cannot name times"));
  EXPECT_THAT(parse({"wsbook", "-s", "BTCUSD", "--raw", "-o", "r-%H.jsonl"}).err,
              HasSubstr("--raw writes one capture: --out cannot name times"));
}

}  // namespace
}  // namespace wsbook::testing
