// `wsbook check` through the binary: exit codes, the report on stdout, errors
// on stderr, --json, and a file the crawler just wrote.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_util.h"

namespace wsbook::testing {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

const std::string kClean = R"({"bids":[[6505.1,0.25]],"asks":[[6513.2,1]],"ts":1764755100102})" "\n"
                           R"({"bids":[[6505.1,0.5]],"asks":[[6513.2,1]],"ts":1764755100230})" "\n";
const std::string kCrossed = R"({"bids":[[6514,0.25]],"asks":[[6513.2,1]],"ts":1764755100300})" "\n";

fs::path write(const fs::path& dir, const std::string& name, const std::string& text) {
  std::ofstream(dir / name, std::ios::binary) << text;
  return dir / name;
}

TEST(CliCheck, ExitsZeroOnCleanFilesOneOnFindingsTwoOnUsageErrorsAndUnreadableFiles) {
  const fs::path dir = temp_dir();
  const std::string clean = write(dir, "BTCUSD.txt", kClean).string();
  const std::string crossed = write(dir, "ETHUSD.txt", kClean + kCrossed).string();
  const auto ok = run_to_end({kBinary, "check", clean});
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_THAT(ok.out, HasSubstr(clean + ": 2 lines\n  BTCUSD (named after the file): 2 lines, "));
  EXPECT_THAT(ok.out, HasSubstr("checked 1 file, 1 book, 2 lines: clean\n"));
  EXPECT_EQ(ok.err, "");
  const auto found = run_to_end({kBinary, "check", clean, crossed});
  EXPECT_EQ(found.code, 1) << found.err;
  EXPECT_THAT(found.out, HasSubstr("crossed book (best bid >= best ask): line 3"));
  EXPECT_THAT(found.out, HasSubstr("checked 2 files, 2 books, 5 lines: 1 finding in 1 file\n"));
  for (const auto& args : std::vector<std::vector<std::string>>{{kBinary, "check"},
                                                                {kBinary, "check", "--no-such-flag", clean},
                                                                {kBinary, "check", "--max-silence", "0", clean},
                                                                {kBinary, "check", "--max-silence", "ten", clean}}) {
    const auto r = run_to_end(args);
    EXPECT_EQ(r.code, 2) << args.back();
    EXPECT_THAT(r.err, HasSubstr("wsbook check: ")) << args.back();
    EXPECT_THAT(r.err, HasSubstr("wsbook check --help")) << args.back();
    EXPECT_EQ(r.out, "") << args.back();
  }
  const std::string missing = (dir / "missing.txt").string();
  const auto unreadable = run_to_end({kBinary, "check", missing, crossed, dir.string()});
  EXPECT_EQ(unreadable.code, 2);
  EXPECT_THAT(unreadable.err, HasSubstr("wsbook check: cannot read " + missing + ": No such file or directory"));
  EXPECT_THAT(unreadable.err, HasSubstr("wsbook check: cannot read " + dir.string() + ": Is a directory"));
  EXPECT_THAT(unreadable.out, HasSubstr(crossed + ": 3 lines")) << "the files that can be read are checked";
  fs::remove_all(dir);
}

TEST(CliCheck, HelpTeachesWhatIsCheckedTheExitCodesAndAnExample) {
  const auto help = run_to_end({kBinary, "check", "--help"});
  EXPECT_EQ(help.code, 0);
  for (const char* part : {"FILE", "--json", "--max-silence", "crossed book", "unsorted or duplicate levels",
                           "torn last line", "gap", "resync", "exact decimals", "Example:", "$ wsbook check",
                           "Exit codes:", "0  every file clean", "1  findings", "2  usage error"}) {
    EXPECT_THAT(help.out, HasSubstr(part));
  }
  const auto footer = help.out.find("\nReads files");
  ASSERT_NE(footer, std::string::npos);
  for (const auto& line : split_lines(help.out.substr(footer + 1))) EXPECT_LE(line.size(), 80u) << line;
}

TEST(CliCheck, JsonIsOneDocumentOfTheFilesAndTheSummary) {
  const fs::path dir = temp_dir();
  const std::string crossed = write(dir, "ETHUSD.txt", kClean + kCrossed + "{\"bids\":[").string();
  const auto r = run_to_end({kBinary, "check", "--json", crossed});
  EXPECT_EQ(r.code, 1) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["summary"]["findings"], 2);
  const json& file = j["files"].at(0);
  EXPECT_EQ(file["file"], crossed);
  EXPECT_EQ(file["defects"]["torn_last_line"]["first_line"], 4);
  EXPECT_EQ(file["books"].at(0)["defects"]["crossed"], json::parse(R"({"count":1,"first_line":3})"));
  EXPECT_EQ(file["books"].at(0)["first_ts"], 1764755100102);
  fs::remove_all(dir);
}

TEST(CliCheck, AFileTheCrawlerWroteWithRecordsAndFieldsIsCleanAlsoFromStdin) {
  const fs::path dir = temp_dir();
  const fs::path out = dir / "BTCUSD.txt";
  StreamingExchange ex(50);
  const auto crawl = run_to_end(wsbook_args(
      ex.server, {"-s", "BTCUSD", "-o", out.string(), "--count", "20", "--markers", "--fields", "seq,recv_us"}));
  ASSERT_EQ(crawl.code, 0) << crawl.err;
  const auto r = run_to_end({kBinary, "check", out.string()});
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_THAT(r.out, HasSubstr(": 23 lines, 3 records\n  gemini BTCUSD: 20 lines, "));
  EXPECT_THAT(r.out, HasSubstr("0 gaps, 1 resync: ok\n"));
  const auto piped = run_to_end({"/bin/bash", "-c", "'" + kBinary + "' check - < '" + out.string() + "'"});
  EXPECT_EQ(piped.code, 0) << piped.out;
  EXPECT_THAT(piped.out, HasSubstr("standard input: 23 lines, 3 records\n"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace wsbook::testing
