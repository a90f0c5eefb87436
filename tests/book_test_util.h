#pragma once
// Helpers that make book changes from text for the tests.

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "wsbook/order_book.h"

namespace wsbook::testing {

/// A change from texts; the texts must outlive the change.
inline BookChange change(Side side, std::string_view price, std::string_view amount) {
  BookChange c;
  c.side = side;
  EXPECT_EQ(parse_decimal(price, c.price), "") << price;
  EXPECT_EQ(parse_decimal(amount, c.amount), "") << amount;
  return c;
}

/// The best n levels of a side as "[p,a]" texts, best first.
inline std::vector<std::string> top(const OrderBook& book, Side side, std::size_t n) {
  std::vector<std::string> out;
  book.for_each_top(side, n, [&](const Decimal&, const Level& l) { out.emplace_back(l.json()); });
  return out;
}

}  // namespace wsbook::testing
