// BookSide keeps its best levels in an array and the rest in a tree; these
// scenarios push levels across that boundary both ways and check the side
// still reads as one ordered list.
#include "wsbook/book_side.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <map>
#include <memory_resource>
#include <random>
#include <vector>

namespace wsbook {
namespace {

using ::testing::ElementsAre;

Decimal price(std::uint64_t units, std::uint64_t frac = 0) { return Decimal{units, frac}; }

// Sets a level whose amount is its price's units, so the level shows where it came from.
void set(BookSide& side, Decimal p) { side.upsert(p).amount = Decimal{p.units, 0}; }

std::vector<std::uint64_t> units_best_first(const BookSide& side, std::size_t n = 1000000) {
  std::vector<std::uint64_t> out;
  side.for_each_top(n, [&](const Decimal& p, const Level& level) {
    EXPECT_EQ(level.amount.units, p.units) << "a level under another price";
    out.push_back(p.units);
  });
  return out;
}

TEST(BookSide, BidsBestFirstHowEverTheyArrive) {
  for (const bool ascending : {true, false}) {
    std::pmr::monotonic_buffer_resource pool;
    BookSide bids(Side::bid, &pool);
    for (std::uint64_t i = 0; i < 300; ++i) set(bids, price(ascending ? i : 299 - i));
    const auto got = units_best_first(bids);
    ASSERT_EQ(got.size(), 300u);
    EXPECT_TRUE(std::is_sorted(got.rbegin(), got.rend())) << "ascending " << ascending;
    EXPECT_EQ(bids.best().units, 299u);
  }
}

TEST(BookSide, AsksLowestFirstEvenAtTheEdgesOfTheRange) {
  std::pmr::monotonic_buffer_resource pool;
  BookSide asks(Side::ask, &pool);
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  set(asks, price(max, 999'999'999'999'999'999));
  set(asks, price(0, 1));
  set(asks, price(0, 0));
  set(asks, price(5, 5));
  set(asks, price(5, 4));
  std::vector<Decimal> got;
  asks.for_each_top(10, [&](const Decimal& p, const Level&) { got.push_back(p); });
  EXPECT_THAT(got, ElementsAre(price(0, 0), price(0, 1), price(5, 4), price(5, 5),
                               price(max, 999'999'999'999'999'999)));
  EXPECT_EQ(asks.best(), price(0, 0));
}

TEST(BookSide, ALevelWorseThanAFullArrayGoesStraightToTheTree) {
  std::pmr::monotonic_buffer_resource pool;
  BookSide bids(Side::bid, &pool);
  for (std::uint64_t i = 100; i < 164; ++i) set(bids, price(i));  // the array is full
  Level& worst = bids.upsert(price(1));                            // and spills this one at once
  worst.amount = price(1);
  ASSERT_NE(bids.find(price(1)), nullptr);
  EXPECT_EQ(bids.find(price(1))->amount, price(1));
  EXPECT_EQ(units_best_first(bids).back(), 1u);
  EXPECT_EQ(bids.size(), 65u);
}

TEST(BookSide, RemovingTheTopRefillsFromTheTree) {
  std::pmr::monotonic_buffer_resource pool;
  BookSide bids(Side::bid, &pool);
  for (std::uint64_t i = 1; i <= 200; ++i) set(bids, price(i));
  for (std::uint64_t i = 200; i > 3; --i) {
    bids.erase(price(i));
    ASSERT_EQ(bids.best().units, i - 1);
    ASSERT_EQ(bids.size(), i - 1);
  }
  EXPECT_THAT(units_best_first(bids), ElementsAre(3u, 2u, 1u));
  bids.erase(price(7));  // absent: nothing happens
  EXPECT_EQ(bids.size(), 3u);
}

TEST(BookSide, FindsLevelsInTheArrayAndInTheTree) {
  std::pmr::monotonic_buffer_resource pool;
  BookSide asks(Side::ask, &pool);
  for (std::uint64_t i = 1; i <= 200; ++i) set(asks, price(2 * i));
  EXPECT_EQ(asks.find(price(2))->amount.units, 2u);      // the best
  EXPECT_EQ(asks.find(price(400))->amount.units, 400u);  // the worst
  EXPECT_EQ(asks.find(price(3)), nullptr);
  EXPECT_EQ(asks.find(price(401)), nullptr);
  asks.clear();
  EXPECT_TRUE(asks.empty());
  EXPECT_EQ(asks.find(price(2)), nullptr);
}

TEST(BookSide, ANewLevelStartsEmptyEvenWhereARemovedOneWas) {
  std::pmr::monotonic_buffer_resource pool;
  BookSide bids(Side::bid, &pool);
  Level& old = bids.upsert(price(5));
  old.amount = price(42);
  old.text_size = 3;
  bids.erase(price(5));
  const Level& fresh = bids.upsert(price(7));
  EXPECT_EQ(fresh.amount, price(0));
  EXPECT_EQ(fresh.text_size, 0u);
}

// Random changes over a narrow range of prices, so that levels cross between
// the array and the tree all the time, checked against std::map at full depth.
TEST(BookSide, MatchesAMapThroughRandomChurn) {
  for (const Side s : {Side::bid, Side::ask}) {
    for (const std::uint64_t range : {40u, 150u, 2000u}) {
      std::mt19937 rng(static_cast<unsigned>(range));
      std::pmr::monotonic_buffer_resource pool;
      BookSide side(s, &pool);
      std::map<std::uint64_t, bool> ref;
      for (int step = 0; step < 6000; ++step) {
        const std::uint64_t units = rng() % range;
        if (rng() % 3 == 0) {
          side.erase(price(units));
          ref.erase(units);
        } else {
          set(side, price(units));
          ref[units] = true;
        }
        if (step % 7 != 0) continue;
        std::vector<std::uint64_t> want;
        for (const auto& [u, _] : ref) want.push_back(u);
        if (s == Side::bid) std::reverse(want.begin(), want.end());
        ASSERT_EQ(units_best_first(side), want) << "range " << range << " step " << step;
        ASSERT_EQ(side.size(), ref.size());
      }
    }
  }
}

}  // namespace
}  // namespace wsbook
