#include "wsbook/snapshot.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "book_test_util.h"

namespace wsbook {
namespace {

using testing::change;

TEST(SnapshotLine, HasTheSeedFormatExactly) {
  OrderBook book;
  book.apply(change(Side::bid, "6504.97", "1"));
  book.apply(change(Side::bid, "6505.10", "0.25"));
  book.apply(change(Side::ask, "6513.20", "1.321"));
  std::string line;
  append_snapshot_line(book, 10, 1537974017597, line);
  EXPECT_EQ(line,
            R"({"bids":[[6505.1,0.25],[6504.97,1]],"asks":[[6513.2,1.321]],"ts":1537974017597})"
            "\n");
}

TEST(SnapshotLine, ShowsAtMostDepthLevelsPerSide) {
  OrderBook book;
  std::vector<std::string> prices;
  for (int i = 0; i < 30; ++i) prices.push_back(std::to_string(1000 + i));
  for (int i = 0; i < 30; ++i) {
    book.apply(change(i < 15 ? Side::bid : Side::ask, prices[i], "1"));
  }
  std::string line;
  append_snapshot_line(book, 3, 1, line);
  EXPECT_EQ(line,
            R"({"bids":[[1014,1],[1013,1],[1012,1]],"asks":[[1015,1],[1016,1],[1017,1]],"ts":1})"
            "\n");
}

TEST(SnapshotLine, EmptyBookIsStillAValidLine) {
  OrderBook book;
  std::string line;
  append_snapshot_line(book, 10, 0, line);
  EXPECT_EQ(line, "{\"bids\":[],\"asks\":[],\"ts\":0}\n");
}

TEST(SnapshotLine, IsValidJsonWhoseNumbersKeepTheirDecimalText) {
  OrderBook book;
  book.apply(change(Side::bid, "17.77", "0.1362819142"));
  book.apply(change(Side::ask, "17.78", "5666.001"));
  std::string line;
  append_snapshot_line(book, 10, 42, line);
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  const auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["bids"][0][0].dump(), "17.77");  // not 17.76 nor 17.769999...
  EXPECT_EQ(j["ts"], 42);
}

TEST(SnapshotLine, AppendsToWhatIsAlreadyInTheBuffer) {
  OrderBook book;
  std::string out = "previous\n";
  append_snapshot_line(book, 1, 7, out);
  EXPECT_EQ(out, "previous\n{\"bids\":[],\"asks\":[],\"ts\":7}\n");
}

}  // namespace
}  // namespace wsbook
