// The record flags through the binary, against the test exchange: what a
// pipeline reading stdout gets from --markers, --fields and --interval.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_util.h"

namespace wsbook::testing {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

TEST(CliRecords, MarkersAndFieldsFrameTheCountedLines) {
  StreamingExchange ex(50);
  const auto r = run_to_end(wsbook_args(
      ex.server, {"-s", "BTCUSD", "--count", "3", "-d", "2", "--markers", "--fields", "symbol,seq,recv_us"}));
  EXPECT_EQ(r.code, 0) << r.err;
  const auto lines = split_lines(r.out);
  ASSERT_EQ(lines.size(), 6u) << r.out;  // connect, resync, 3 book lines, disconnect
  std::vector<json> j;
  for (const auto& line : lines) j.push_back(json::parse(line));
  EXPECT_EQ(j[0]["event"], "connect");
  EXPECT_EQ(j[0]["symbols"], json::parse(R"(["BTCUSD"])"));
  EXPECT_EQ(j[1]["event"], "resync");
  for (std::size_t i = 2; i < 5; ++i) {
    EXPECT_EQ(j[i]["symbol"], "BTCUSD");
    EXPECT_EQ(j[i]["seq"], i - 2) << lines[i];  // socket_sequence: the initial book is 0
    EXPECT_NEAR(j[i]["recv_us"].get<double>() / 1000, j[i]["ts"].get<double>(), 1.0) << lines[i];
  }
  EXPECT_EQ(j[5]["event"], "disconnect");
  EXPECT_THAT(j[5]["reason"].get<std::string>(), HasSubstr("--count"));
  EXPECT_EQ(check_findings("stdout", r.out), "");
}

TEST(CliRecords, IntervalLinesFallOnTheClocksInstants) {
  StreamingExchange ex(100000, std::chrono::milliseconds(2));
  const auto r = run_to_end(wsbook_args(ex.server, {"-s", "BTCUSD", "--interval", "100", "--duration", "1"}));
  EXPECT_EQ(r.code, 0) << r.err;
  const auto lines = split_lines(r.out);
  ASSERT_GE(lines.size(), 3u) << r.out;
  std::int64_t last = 0;
  for (const auto& line : lines) {
    const std::int64_t ts = json::parse(line)["ts"];
    EXPECT_EQ(ts % 100, 0) << line;
    if (last != 0) {
      EXPECT_EQ(ts, last + 100) << line;
    }
    last = ts;
    EXPECT_TRUE(ex.book.truths().count(line_body(line))) << line;
  }
  EXPECT_EQ(check_findings("stdout", r.out), "");
}

}  // namespace
}  // namespace wsbook::testing
