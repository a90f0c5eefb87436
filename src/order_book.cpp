#include "wsbook/order_book.h"

#include <algorithm>

namespace wsbook {
namespace {

void render(Level& level, const BookChange& c) {
  char* out = level.text.data();
  const auto put = [&out](std::string_view s) { out = std::copy(s.begin(), s.end(), out); };
  put("[");
  put(c.price.text);
  put(",");
  put(c.amount.text);
  put("]");
  level.text_size = static_cast<std::uint8_t>(out - level.text.data());
}

}  // namespace

OrderBook::OrderBook(BookMode mode) : mode_(mode) {}

void OrderBook::touch(const BookChange& c) {
  Watch& w = watches_[index(c.side)];
  if (w.touched) return;
  if (!w.worst || mode_ == BookMode::top_of_book) {
    w.touched = true;
    return;
  }
  w.touched = c.side == Side::bid ? !(c.price.value < *w.worst) : !(*w.worst < c.price.value);
}

void OrderBook::apply(const BookChange& c) {
  touch(c);
  visit(c.side, [&](auto& side) {
    if (mode_ == BookMode::top_of_book) side.clear();
    if (c.amount.value.is_zero()) {
      // find + erase walks the tree once; erase(key) walks it twice (equal_range).
      if (const auto it = side.find(c.price.value); it != side.end()) side.erase(it);
      return;
    }
    // parse_decimal bounds each text to 38 characters, so the level text always fits.
    Level& level = side[c.price.value];
    level.amount = c.amount.value;
    render(level, c);
  });
}

void OrderBook::clear() {
  bids_.clear();
  asks_.clear();
  watches_ = {};
}

std::optional<Decimal> OrderBook::best_bid() const {
  if (bids_.empty()) return std::nullopt;
  return bids_.begin()->first;
}

std::optional<Decimal> OrderBook::best_ask() const {
  if (asks_.empty()) return std::nullopt;
  return asks_.begin()->first;
}

bool OrderBook::crossed() const {
  return !bids_.empty() && !asks_.empty() && bids_.begin()->first >= asks_.begin()->first;
}

std::vector<PriceLevel> OrderBook::top(Side side, std::size_t n) const {
  std::vector<PriceLevel> out;
  out.reserve(std::min(n, size(side)));
  for_each_top(side, n, [&](const Decimal& price, const Level& level) { out.push_back({price, level.amount}); });
  return out;
}

std::size_t OrderBook::size(Side side) const {
  return visit(side, [](const auto& m) { return m.size(); });
}

std::optional<Decimal> OrderBook::amount_at(Side side, Decimal price) const {
  return visit(side, [&](const auto& m) -> std::optional<Decimal> {
    const auto it = m.find(price);
    if (it == m.end()) return std::nullopt;
    return it->second.amount;
  });
}

}  // namespace wsbook
