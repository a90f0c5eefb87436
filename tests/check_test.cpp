// `wsbook check` on hand-made files: each defect found at its line, and files
// of every style wsbook writes found clean.
#include "check/check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "check/report.h"

namespace wsbook::check {
namespace {

using ::testing::HasSubstr;

const std::string kBids = "[[6505.1,0.25],[6504.97,1]]";
const std::string kAsks = "[[6513.2,1.321],[6514,2]]";

// A book line: `{"bids":..,"asks":..,"ts":..<tail>}` and its newline.
std::string line(std::int64_t ts, const std::string& bids = kBids, const std::string& asks = kAsks,
                 const std::string& tail = "") {
  return R"({"bids":)" + bids + R"(,"asks":)" + asks + R"(,"ts":)" + std::to_string(ts) + tail + "}\n";
}

// A line of `symbol` in a stream of many books.
std::string tagged(const std::string& symbol, std::int64_t ts, const std::string& bids = kBids) {
  std::string l = line(ts, bids);
  return R"({"exchange":"okx","symbol":")" + symbol + "\"," + l.substr(1);
}

// A record of one symbol (gap, resync) or of a connection (connect, disconnect: `symbol` is the list).
std::string record(const std::string& event, const std::string& symbol, std::int64_t ts) {
  const bool connection = event == "connect" || event == "disconnect";
  return R"({"event":")" + event + R"(","exchange":"okx",)" + (connection ? R"("symbols":[)" : R"("symbol":)") +
         symbol + (connection ? "]" : "") + R"(,"reason":"why \"so\"","ts":)" + std::to_string(ts) + "}\n";
}

FileReport check(const std::string& text, CheckLimits limits = {}) {
  return check_text("data/BTC-USDT.txt", text, limits);
}

// The report in words, for failure messages.
std::string words(const FileReport& r) {
  std::string out;
  append_text(r, out);
  return out;
}

const BookReport& only_book(const FileReport& r) {
  EXPECT_EQ(r.books.size(), 1u) << words(r);
  return r.books.at(0);
}

// The finding of `d` in the file's only book: {count, first line}.
std::pair<std::uint64_t, std::uint64_t> found(const FileReport& r, BookDefect d) {
  const Finding& f = only_book(r)[d];
  return {f.count, f.first};
}

using Found = std::pair<std::uint64_t, std::uint64_t>;

TEST(Check, APlainFileIsCleanAndNamedAfterTheFile) {
  const FileReport r = check(line(1000) + line(1200) + line(1250));
  EXPECT_EQ(finding_count(r), 0u) << words(r);
  EXPECT_EQ(r.lines, 3u);
  const BookReport& b = only_book(r);
  EXPECT_EQ(b.symbol, "BTC-USDT");
  EXPECT_TRUE(b.named_by_file);
  EXPECT_EQ(b.lines, 3u);
  EXPECT_EQ(b.first_ts, 1000);
  EXPECT_EQ(b.last_ts, 1250);
  EXPECT_THAT(words(r), HasSubstr("no records (written without --markers): gaps cannot be checked"));
}

TEST(Check, ACrossedBookIsFoundComparingExactDecimals) {
  // As doubles 0.3 and 0.30000000000000001 are equal (crossed); as decimals the bid is below.
  const FileReport r = check(line(1, "[[0.3,1]]", "[[0.30000000000000001,1]]") +
                             line(2, "[[6513.20,1]]", "[[6513.2,1]]") + line(3, "[[6514,1]]", "[[6513.2,1]]") +
                             line(4, "[]", "[[1,1]]"));
  EXPECT_EQ(found(r, BookDefect::crossed), (Found{2, 2})) << words(r);
  EXPECT_THAT(words(r), HasSubstr("crossed book (best bid >= best ask): 2 lines, first line 2"));
}

TEST(Check, UnsortedAndDuplicateLevelsAreFoundPerSide) {
  const FileReport r = check(line(1) + line(2, "[[6504.97,1],[6505.1,1]]") + line(3, kBids, "[[6514,1],[6513.2,1]]") +
                             line(4, "[[6505.10,1],[6505.1,2]]") + line(5, kBids, "[[6513.2,1],[6514.0,1],[6514,2]]"));
  EXPECT_EQ(found(r, BookDefect::unsorted), (Found{2, 2})) << words(r);
  EXPECT_EQ(found(r, BookDefect::duplicate), (Found{2, 4})) << words(r);
  EXPECT_EQ(found(r, BookDefect::crossed), (Found{0, 0}));
}

TEST(Check, NumbersThatAreNoPositiveExactDecimalAreFound) {
  const FileReport r = check(line(1, "[[6505.1,0]]") + line(2, "[[6505.1,-1]]") + line(3, "[[0,1]]") +
                             line(4, "[[6505.1,1e3]]") + line(5, "[[6505.1,1.0000000000000000001]]") + line(6));
  EXPECT_EQ(found(r, BookDefect::non_positive), (Found{3, 1})) << words(r);
  EXPECT_EQ(found(r, BookDefect::bad_number), (Found{2, 4})) << words(r);
  EXPECT_EQ(only_book(r).lines, 6u);
}

TEST(Check, NumbersFarFromTheLineEndReadTheSame) {
  // Levels with room after them take the sixteen-bytes-at-a-time path.
  const std::string tail = ",[6400,1],[6300,1],[6200,1],[6100,1]]";
  const FileReport r = check(line(1, "[[6505.1,0.25],[6504.9,1],[6504.90,2]" + tail) +
                             line(2, "[[6505.1,0.25],[6504.9,0]" + tail) +
                             line(3, "[[6505.1,0.25],[6504.9,1e2]" + tail) +
                             line(4, "[[1234567890123456,0.123456789012345],[6504.9,1.5]" + tail) +
                             line(5, "[[6505.1,0.25],[6504.9,1.0000000000000001]" + tail) +
                             line(6, "[[6513.200,0.25],[6504.9,1]" + tail));
  EXPECT_EQ(found(r, BookDefect::duplicate), (Found{1, 1})) << words(r);
  EXPECT_EQ(found(r, BookDefect::non_positive), (Found{1, 2})) << words(r);
  EXPECT_EQ(found(r, BookDefect::bad_number), (Found{1, 3})) << words(r);
  EXPECT_EQ(found(r, BookDefect::crossed), (Found{2, 4})) << words(r);
  EXPECT_EQ(found(r, BookDefect::unsorted), (Found{0, 0})) << words(r);
  EXPECT_EQ(only_book(r).lines, 6u);
}

TEST(Check, TsGoingBackwardsIsFound) {
  const FileReport r = check(line(1000) + line(1000) + line(999) + line(1001));
  EXPECT_EQ(found(r, BookDefect::ts_backwards), (Found{1, 3})) << words(r);
}

TEST(Check, TheLongestSilenceIsReportedAndOverALimitIsAFinding) {
  const std::string text = line(1000) + line(2000) + line(62'000) + line(62'500) + line(200'000);
  const FileReport r = check(text);
  EXPECT_EQ(only_book(r).longest_silence_ms, 137'500);
  EXPECT_EQ(only_book(r).silence_line, 5u);
  EXPECT_EQ(finding_count(r), 0u) << "a silence alone is no defect";
  EXPECT_THAT(words(r), HasSubstr("longest silence 2m 17s (before line 5)"));
  const FileReport limited = check(text, {.max_silence_ms = 30'000});
  EXPECT_EQ(found(limited, BookDefect::silence), (Found{2, 3})) << words(limited);
}

TEST(Check, ALineAfterAGapWithoutAResyncIsFound) {
  const FileReport r = check(record("connect", R"("BTC-USDT")", 1) + line(2) + record("resync", R"("BTC-USDT")", 3) +
                             line(4) + record("gap", R"("BTC-USDT")", 5) + line(6) + line(7) +
                             record("resync", R"("BTC-USDT")", 8) + line(9));
  EXPECT_EQ(found(r, BookDefect::no_book), (Found{3, 2})) << words(r);
  EXPECT_EQ(only_book(r).gaps, 1u);
  EXPECT_EQ(only_book(r).resyncs, 2u);
  EXPECT_EQ(only_book(r).symbol, "BTC-USDT");
  EXPECT_FALSE(only_book(r).named_by_file);
  EXPECT_EQ(r.records, 4u);
}

TEST(Check, RecordsThatBreakTheRulesAreFound) {
  const std::string a = R"("BTC-USDT")";
  const FileReport r = check(record("connect", a, 1) + record("resync", a, 2) + line(3) + record("resync", a, 4) +
                             line(5) + record("gap", a, 6) + record("gap", a, 7) + record("resync", a, 8) + line(9) +
                             record("connect", a, 10) + record("resync", a, 11) + line(12));
  EXPECT_EQ(found(r, BookDefect::resync_open), (Found{1, 4})) << words(r);
  EXPECT_EQ(found(r, BookDefect::gap_no_book), (Found{1, 7})) << words(r);
  EXPECT_EQ(found(r, BookDefect::connect_open), (Found{1, 10})) << words(r);
  EXPECT_EQ(found(r, BookDefect::no_book), (Found{0, 0}));
}

TEST(Check, ATornLastLineIsFound) {
  const FileReport cut = check(line(1) + R"({"bids":[[6505.1,)");
  EXPECT_EQ(cut[FileDefect::torn].first, 2u) << words(cut);
  EXPECT_EQ(cut.torn_reason, "no newline at its end");
  EXPECT_EQ(cut.lines, 2u);
  const FileReport whole_but_unended = check(line(1) + line(2).substr(0, line(2).size() - 1));
  EXPECT_EQ(whole_but_unended[FileDefect::torn].count, 1u);
  const FileReport garbled = check(line(1) + "{\"bids\":[[65\n");
  EXPECT_EQ(garbled[FileDefect::torn].first, 2u) << words(garbled);
  EXPECT_EQ(garbled.torn_reason, "not JSON");
  EXPECT_EQ(garbled[FileDefect::not_json].count, 0u) << "the torn line is not counted twice";
  EXPECT_THAT(words(garbled), HasSubstr("torn last line: line 2 (not JSON)"));
  EXPECT_EQ(finding_count(check(line(1) + line(2))), 0u);
}

TEST(Check, LinesThatAreNotJsonOrNotWsbooksAreCounted) {
  const std::string raw_frame = R"({"ts":5,"frame":{"a":1}})" "\n";
  const std::string leading_zero = R"({"bids":[[01,1]],"asks":[],"ts":3})" "\n";
  const FileReport r = check(line(1) + "garbage\n" + raw_frame + line(2) + leading_zero +
                             line(4, kBids, kAsks, R"(,"seq":1,"seq":2)") + "\n" + line(5));
  EXPECT_EQ(r[FileDefect::not_json].count, 3u) << words(r);  // "01" is no JSON number; the empty line
  EXPECT_EQ(r[FileDefect::not_json].first, 2u);
  EXPECT_EQ(r[FileDefect::not_wsbook].count, 2u) << words(r);  // a --raw frame; a field twice
  EXPECT_EQ(r[FileDefect::not_wsbook].first, 3u);
  EXPECT_EQ(r[FileDefect::torn].count, 0u);
  EXPECT_EQ(only_book(r).lines, 3u);
}

TEST(Check, AMarkersStreamOfManySymbolsOverTwoConnectionsIsClean) {
  const std::string both = R"("BTC-USDT","ETH-USDT")";
  const FileReport r =
      check(record("connect", both, 1) + record("resync", R"("BTC-USDT")", 2) + tagged("BTC-USDT", 2) +
            record("resync", R"("ETH-USDT")", 3) + tagged("ETH-USDT", 3) + tagged("BTC-USDT", 4) +
            record("gap", R"("BTC-USDT")", 5) + record("resync", R"("BTC-USDT")", 6) + tagged("BTC-USDT", 6) +
            record("gap", R"("BTC-USDT")", 7) + record("gap", R"("ETH-USDT")", 7) + record("disconnect", both, 7) +
            record("connect", both, 9) + record("resync", R"("ETH-USDT")", 9) + tagged("ETH-USDT", 9) +
            record("resync", R"("BTC-USDT")", 10) + tagged("BTC-USDT", 10) + record("disconnect", both, 11));
  EXPECT_EQ(finding_count(r), 0u) << words(r);
  ASSERT_EQ(r.books.size(), 2u) << words(r);
  EXPECT_EQ(r.books[0].symbol, "BTC-USDT");
  EXPECT_EQ(r.books[0].exchange, "okx");
  EXPECT_EQ(r.books[0].lines, 4u);
  EXPECT_EQ(r.books[0].gaps, 2u);
  EXPECT_EQ(r.books[0].resyncs, 3u);
  EXPECT_EQ(r.books[1].lines, 2u);
}

TEST(Check, AFilePerSymbolWithItsConnectionsRecordsIsClean) {
  // The connection carries two symbols: this file has its own symbol's records and the connection's.
  const std::string both = R"("BTC-USDT","ETH-USDT")", a = R"("BTC-USDT")";
  const FileReport r = check(record("connect", both, 1) + record("resync", a, 2) + line(2) + line(3) +
                             record("gap", a, 4) + record("disconnect", both, 4) + record("connect", both, 5) +
                             record("resync", a, 6) + line(6) + record("disconnect", both, 7));
  EXPECT_EQ(finding_count(r), 0u) << words(r);
  const BookReport& b = only_book(r);
  EXPECT_EQ(b.symbol, "BTC-USDT");
  EXPECT_EQ(b.lines, 3u);
  EXPECT_EQ(b.gaps, 1u);
  EXPECT_EQ(b.resyncs, 2u);
}

TEST(Check, AFileThatStartsMidBookIsClean) {
  // A rotated file: lines of a book that began before it, then its records.
  const std::string a = R"("BTC-USDT")";
  const FileReport r = check(line(1) + line(2) + record("gap", a, 3) + record("resync", a, 4) + line(5));
  EXPECT_EQ(finding_count(r), 0u) << words(r);
  EXPECT_EQ(only_book(r).lines, 3u);
}

TEST(Check, FieldsLinesAreClean) {
  const std::string fields = R"(,"exchange":"okx","symbol":"BTC-USDT","seq":17,"exchange_ts":null,"recv_us":1000123)";
  const FileReport plain = check(line(1000, kBids, kAsks, fields) + line(1001, kBids, kAsks, fields));
  EXPECT_EQ(finding_count(plain), 0u) << words(plain);
  EXPECT_EQ(only_book(plain).lines, 2u);
  const std::string some = R"(,"recv_us":1000123,"seq":null,"exchange_ts":1000)";
  std::string text = tagged("ETH-USDT", 1000);
  text.insert(text.size() - 2, some);
  const FileReport many = check(text + text);
  EXPECT_EQ(finding_count(many), 0u) << words(many);
  EXPECT_EQ(only_book(many).lines, 2u);
}

TEST(Check, IntervalLinesAreCleanAndTheirIntervalIsSeen) {
  std::string text;
  for (std::int64_t ts = 1'764'755'100'000; ts < 1'764'755'101'000; ts += 100) text += line(ts);
  const FileReport r = check(text);
  EXPECT_EQ(finding_count(r), 0u) << words(r);
  EXPECT_EQ(interval_of(only_book(r)), 100);
  EXPECT_THAT(words(r), HasSubstr("ts every multiple of 100 ms"));
  EXPECT_EQ(interval_of(only_book(check(line(1000) + line(1107) + line(1200)))), 0);
}

TEST(Check, PagePaddingAndPiecesOfAnySizeChangeNothing) {
  const std::string text = record("resync", R"("BTC-USDT")", 1) + line(1).insert(line(1).size() - 1, 300, ' ') +
                           line(2, "[[6505.1,1]]") + line(3).insert(line(3).size() - 1, 7, ' ');
  const FileReport whole = check(text);
  EXPECT_EQ(finding_count(whole), 0u) << words(whole);
  FileCheck bytewise("data/BTC-USDT.txt");
  for (char c : text) bytewise.feed(std::string_view(&c, 1));
  EXPECT_EQ(words(bytewise.finish()), words(whole));
}

TEST(Check, TheReportSaysFileBookAndVerdict) {
  const FileReport r = check(record("resync", R"("BTC-USDT")", 1'764'755'100'102) + line(1'764'755'100'102) +
                             line(1'764'755'160'311, "[[6514,1]]"));
  const std::string text = words(r);
  EXPECT_THAT(text, HasSubstr("data/BTC-USDT.txt: 3 lines, 1 record\n"));
  EXPECT_THAT(text, HasSubstr("  okx BTC-USDT: 2 lines, 2025-12-03T09:45:00.102Z to 2025-12-03T09:46:00.311Z "
                              "(1m 0s), longest silence 1m 0s (before line 3), 0 gaps, 1 resync: crossed book "
                              "(best bid >= best ask): line 3\n"));
  Summary s;
  s.add(r);
  s.add(check(line(1)));
  std::string summary;
  append_text(s, summary);
  EXPECT_EQ(summary, "checked 2 files, 2 books, 4 lines: 1 finding in 1 file\n");
  std::string json;
  append_json(r, json);
  EXPECT_THAT(json, HasSubstr(R"("crossed":{"count":1,"first_line":3})"));
  EXPECT_EQ(words(check("")), "data/BTC-USDT.txt: 0 lines\n");
}

}  // namespace
}  // namespace wsbook::check
