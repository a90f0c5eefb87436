#include "wsbook/order_book.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "book_test_util.h"
#include "wsbook/snapshot.h"

namespace wsbook {
namespace {

using ::testing::ElementsAre;
using testing::change;
using testing::top;

TEST(OrderBook, AppliesUpdatesAndDeletes) {
  OrderBook book;
  book.apply(change(Side::bid, "100", "1"));
  book.apply(change(Side::bid, "101", "2"));
  book.apply(change(Side::ask, "102", "3"));
  book.apply(change(Side::bid, "100", "5"));  // the amount now at 100, not a delta
  EXPECT_THAT(top(book, Side::bid, 10), ElementsAre("[101,2]", "[100,5]"));
  book.apply(change(Side::bid, "101", "0"));
  EXPECT_THAT(top(book, Side::bid, 10), ElementsAre("[100,5]"));
  EXPECT_THAT(top(book, Side::ask, 10), ElementsAre("[102,3]"));
}

TEST(OrderBook, DeletingAnAbsentLevelChangesNothing) {
  OrderBook book;
  book.apply(change(Side::ask, "5", "1"));
  book.apply(change(Side::ask, "6", "0"));
  EXPECT_EQ(book.size(Side::ask), 1u);
}

TEST(OrderBook, SamePriceWrittenTwoWaysIsOneLevel) {
  OrderBook book;
  book.apply(change(Side::ask, "9405.80", "0.2"));
  book.apply(change(Side::ask, "9405.8", "0.3"));
  EXPECT_THAT(top(book, Side::ask, 10), ElementsAre("[9405.8,0.3]"));
  book.apply(change(Side::ask, "9405.800", "0"));
  EXPECT_EQ(book.size(Side::ask), 0u);
}

TEST(OrderBook, BidsBestFirstDescendingAsksAscending) {
  OrderBook book;
  for (const char* p : {"3", "1", "2", "10"}) {
    book.apply(change(Side::bid, p, "1"));
    book.apply(change(Side::ask, p, "1"));
  }
  EXPECT_THAT(top(book, Side::bid, 10), ElementsAre("[10,1]", "[3,1]", "[2,1]", "[1,1]"));
  EXPECT_THAT(top(book, Side::ask, 10), ElementsAre("[1,1]", "[2,1]", "[3,1]", "[10,1]"));
}

TEST(OrderBook, KeepsDepthBeyondTheSnapshotSoCancellingTheBestNeverShrinksIt) {
  OrderBook book;
  std::vector<std::string> prices;
  for (int i = 1; i <= 15; ++i) prices.push_back(std::to_string(100 + i));
  for (const auto& p : prices) book.apply(change(Side::ask, p, "1"));
  EXPECT_EQ(top(book, Side::ask, 10).size(), 10u);
  for (int i = 0; i < 5; ++i) book.apply(change(Side::ask, prices[i], "0"));
  EXPECT_EQ(top(book, Side::ask, 10).size(), 10u);
  EXPECT_EQ(top(book, Side::ask, 10).front(), "[106,1]");
}

TEST(OrderBook, TopCopiesTheBestLevels) {
  OrderBook book;
  book.apply(change(Side::bid, "1.5", "2"));
  book.apply(change(Side::bid, "1.25", "3"));
  book.apply(change(Side::bid, "1", "4"));
  const auto best_two = book.top(Side::bid, 2);
  ASSERT_EQ(best_two.size(), 2u);
  EXPECT_EQ(best_two[0], (PriceLevel{{1, 500000000000000000}, {2, 0}}));
  EXPECT_EQ(best_two[1], (PriceLevel{{1, 250000000000000000}, {3, 0}}));
  EXPECT_EQ(book.top(Side::ask, 5).size(), 0u);
}

TEST(OrderBook, BestPricesAndCrossing) {
  OrderBook book;
  EXPECT_FALSE(book.best_bid());
  EXPECT_FALSE(book.crossed());
  book.apply(change(Side::bid, "99", "1"));
  EXPECT_FALSE(book.crossed());  // one side alone never crosses
  book.apply(change(Side::ask, "100", "1"));
  EXPECT_EQ(book.best_bid(), (Decimal{99, 0}));
  EXPECT_EQ(book.best_ask(), (Decimal{100, 0}));
  EXPECT_FALSE(book.crossed());
  book.apply(change(Side::bid, "100", "1"));
  EXPECT_TRUE(book.crossed());  // equal prices count as crossed
}

TEST(OrderBook, ClearEmptiesBothSides) {
  OrderBook book;
  book.apply(change(Side::bid, "1", "1"));
  book.apply(change(Side::ask, "2", "1"));
  book.clear();
  EXPECT_EQ(book.size(Side::bid) + book.size(Side::ask), 0u);
  EXPECT_FALSE(book.amount_at(Side::bid, Decimal{1, 0}));
}

TEST(OrderBook, TopOfBookModeKeepsOnlyTheLatestLevelPerSide) {
  // Recorded: ask 9405.80, .79, .78, .77 then .78 again; .77 is gone though no frame said so.
  OrderBook book(BookMode::top_of_book);
  for (const char* p : {"9405.80", "9405.79", "9405.78", "9405.77", "9405.78"}) {
    book.apply(change(Side::ask, p, "2"));
  }
  book.apply(change(Side::bid, "9405.5", "1"));
  EXPECT_THAT(top(book, Side::ask, 10), ElementsAre("[9405.78,2]"));
  EXPECT_THAT(top(book, Side::bid, 10), ElementsAre("[9405.5,1]"));
}

TEST(OrderBook, LevelTextIsCanonical) {
  OrderBook book;
  book.apply(change(Side::bid, "0017.770", "0.0000000001"));
  EXPECT_THAT(top(book, Side::bid, 1), ElementsAre("[17.77,0.0000000001]"));
}

TEST(OrderBook, WidestNumbersFitTheLevelText) {
  OrderBook book;
  const std::string widest = "9999999999999999999.999999999999999999";
  book.apply(change(Side::bid, widest, widest));
  EXPECT_THAT(top(book, Side::bid, 1), ElementsAre("[" + widest + "," + widest + "]"));
}

TEST(OrderBook, AChangeBuiltWithoutTextsIsSafe) {  // no parser made it: its texts are empty views
  OrderBook book;
  BookChange c;
  c.side = Side::ask;
  c.price.value = Decimal{5, 0};
  c.amount.value = Decimal{1, 0};
  book.apply(c);
  EXPECT_THAT(top(book, Side::ask, 1), ElementsAre("[,]"));
}

// A decimal text of n characters (1 to 38) whose digits all differ from their neighbours.
std::string decimal_of_length(std::size_t n) {
  const std::size_t units = n <= 19 ? n : std::min<std::size_t>(19, n - 2);
  std::string text;
  for (std::size_t i = 0; i < n; ++i) text += static_cast<char>('1' + i % 9);
  if (units < n) text[units] = '.';
  return text;
}

TEST(OrderBook, LevelTextsOfEveryLengthAreCopiedWhole) {
  for (std::size_t p = 1; p <= 38; ++p) {
    for (std::size_t a = 1; a <= 38; ++a) {
      OrderBook book;
      const std::string price = decimal_of_length(p), amount = decimal_of_length(a);
      book.apply(change(Side::ask, price, amount));
      ASSERT_THAT(top(book, Side::ask, 1), ElementsAre("[" + price + "," + amount + "]"));
      std::string line;
      append_book_json(book, 1, line);  // and the line writer copies them whole too
      ASSERT_EQ(line, R"({"bids":[],"asks":[[)" + price + "," + amount + "]]");
    }
  }
}

}  // namespace
}  // namespace wsbook
