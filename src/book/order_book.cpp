#include "wsbook/order_book.h"

#include <algorithm>
#include <cstring>

namespace wsbook {
namespace {

// Copies a text of up to 16 bytes with two overlapping copies of a fixed size
// rather than a memmove call (longer ones still take memcpy), reading nothing
// outside `s`: a level is rendered at every change.
char* put_text(char* out, std::string_view s) {
  const char* in = s.data();
  const std::size_t n = s.size();
  if (n >= 4 && n <= 8) {
    std::memcpy(out, in, 4);
    std::memcpy(out + n - 4, in + n - 4, 4);
  } else if (n > 8 && n <= 16) {
    std::memcpy(out, in, 8);
    std::memcpy(out + n - 8, in + n - 8, 8);
  } else if (n > 0 && n < 4) {
    out[0] = in[0];
    out[n / 2] = in[n / 2];
    out[n - 1] = in[n - 1];
  } else if (n != 0) {  // an empty text may have no data at all
    std::memcpy(out, in, n);
  }
  return out + n;
}

void render(Level& level, const BookChange& c) {
  char* out = level.text.data();
  *out++ = '[';
  out = put_text(out, c.price.text);
  level.price_size = static_cast<std::uint8_t>(c.price.text.size());
  level.price_trimmed = c.price.trimmed;
  level.amount_trimmed = c.amount.trimmed;
  *out++ = ',';
  out = put_text(out, c.amount.text);
  *out++ = ']';
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
  w.touched = sides_[index(c.side)].at_least(c.price.value, *w.worst);
}

void OrderBook::apply(const BookChange& c) {
  touch(c);
  BookSide& side = sides_[index(c.side)];
  if (mode_ == BookMode::top_of_book) side.clear();
  if (c.amount.value.is_zero()) {
    if (!side.erase(c.price.value)) ++absent_deletes_;
    return;
  }
  // parse_decimal bounds each text to 38 characters, so the level text always fits.
  Level& level = side.upsert(c.price.value);
  level.amount = c.amount.value;
  render(level, c);
}

void OrderBook::truncate(std::size_t n) {
  for (Side s : {Side::bid, Side::ask}) {
    BookSide& side = sides_[index(s)];
    if (side.size() <= n) continue;
    // Removing the worst levels cannot alter the best n: no watch is touched.
    while (side.size() > n) side.erase(side.worst());
  }
}

void OrderBook::clear() {
  for (BookSide& side : sides_) side.clear();
  watches_ = {};
}

std::optional<Decimal> OrderBook::best_bid() const {
  if (sides_[0].empty()) return std::nullopt;
  return sides_[0].best();
}

std::optional<Decimal> OrderBook::worst(Side side) const {
  const BookSide& s = sides_[index(side)];
  if (s.empty()) return std::nullopt;
  return s.worst();
}

std::optional<Decimal> OrderBook::best_ask() const {
  if (sides_[1].empty()) return std::nullopt;
  return sides_[1].best();
}

bool OrderBook::crossed() const {
  return !sides_[0].empty() && !sides_[1].empty() && sides_[0].best() >= sides_[1].best();
}

std::vector<PriceLevel> OrderBook::top(Side side, std::size_t n) const {
  std::vector<PriceLevel> out;
  out.reserve(std::min(n, size(side)));
  for_each_top(side, n, [&](const Decimal& price, const Level& level) { out.push_back({price, level.amount}); });
  return out;
}

std::optional<Decimal> OrderBook::amount_at(Side side, Decimal price) const {
  const Level* level = sides_[index(side)].find(price);
  if (level == nullptr) return std::nullopt;
  return level->amount;
}

}  // namespace wsbook
