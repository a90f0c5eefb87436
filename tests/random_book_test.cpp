// Long random sequences of updates, checked after every step against a naive
// reference book that shares no code with OrderBook.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "book_test_util.h"
#include "wsbook/snapshot.h"

namespace wsbook {
namespace {

// Prices are k/100 for integer k; the reference keeps k and the printed texts.
struct RefLevel {
  long long cents;
  std::string amount_text;
};

struct Reference {
  std::vector<RefLevel> bids, asks;

  std::vector<RefLevel>& side(Side s) { return s == Side::bid ? bids : asks; }

  void set(Side s, long long cents, const std::string& amount_text, bool zero) {
    auto& v = side(s);
    auto it = std::find_if(v.begin(), v.end(), [&](const RefLevel& l) { return l.cents == cents; });
    if (it != v.end()) v.erase(it);
    if (!zero) v.push_back({cents, amount_text});
  }

  static std::string price_text(long long cents) {
    std::string text = std::to_string(cents / 100);
    if (cents % 100 != 0) {
      text += '.' + std::to_string(cents % 100 / 10);
      if (cents % 10 != 0) text += std::to_string(cents % 10);
    }
    return text;
  }

  std::string side_json(std::vector<RefLevel> v, bool descending, std::size_t depth) const {
    std::sort(v.begin(), v.end(), [&](const RefLevel& a, const RefLevel& b) {
      return descending ? a.cents > b.cents : a.cents < b.cents;
    });
    std::string out = "[";
    for (std::size_t i = 0; i < v.size() && i < depth; ++i) {
      out += i ? ",[" : "[";
      out += price_text(v[i].cents);
      out += ',';
      out += v[i].amount_text;
      out += ']';
    }
    return out + "]";
  }

  std::string book_json(std::size_t depth) const {
    return R"({"bids":)" + side_json(bids, true, depth) + R"(,"asks":)" + side_json(asks, false, depth);
  }
};

// Writes cents as text with a random number of trailing zeros ("1.5", "1.50", "1.500").
std::string noisy_price_text(long long cents, std::mt19937& rng) {
  std::string text = std::to_string(cents / 100) + "." + std::to_string(cents % 100 / 10) +
                     std::to_string(cents % 10);
  return text + std::string(rng() % 3, '0');
}

// An amount in canonical form and, if zero, the way the exchange might write it.
std::pair<std::string, bool> random_amount(std::mt19937& rng) {
  if (rng() % 8 == 0) return {rng() % 2 ? "0" : "0.000", true};
  const unsigned units = static_cast<unsigned>(rng() % 1000);
  const unsigned frac = static_cast<unsigned>(rng() % 1000);
  std::string text = std::to_string(units);
  if (frac != 0) {
    std::string f = std::to_string(1000 + frac).substr(1);
    while (f.back() == '0') f.pop_back();
    text += "." + f;
  }
  if (units == 0 && frac == 0) return {"0", true};
  return {text, false};
}

TEST(RandomBook, MatchesANaiveReferenceAfterEveryUpdate) {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    std::mt19937 rng(seed);
    OrderBook book;
    Reference ref;
    const std::size_t depth = 1 + rng() % 12;
    SnapshotWriter writer(depth);
    for (int step = 0; step < 2000; ++step) {
      if (rng() % 500 == 0) {
        book.clear();
        ref = Reference{};
        continue;
      }
      const Side side = rng() % 2 ? Side::bid : Side::ask;
      // Bids below 150.00 and asks above keep the book uncrossed most of the time.
      const long long cents = side == Side::bid ? 10000 + rng() % 5000 : 15000 + rng() % 5000;
      const auto [amount, zero] = random_amount(rng);
      const std::string price = noisy_price_text(cents, rng);
      book.apply(testing::change(side, price, amount));
      ref.set(side, cents, amount, zero);

      std::string got;
      append_book_json(book, depth, got);
      ASSERT_EQ(got, ref.book_json(depth)) << "seed " << seed << " step " << step;
      if (step % 50 == 0) {  // every level, not just the best few
        std::string all;
        append_book_json(book, 1 << 20, all);
        ASSERT_EQ(all, ref.book_json(1 << 20)) << "seed " << seed << " step " << step;
      }
      if (rng() % 3 == 0) continue;  // lines skip some updates, so several changes pile up
      std::string cached;
      writer.append_book(book, cached);
      ASSERT_EQ(cached, got) << "seed " << seed << " step " << step;
      ASSERT_EQ(book.size(Side::bid), ref.bids.size());
      ASSERT_EQ(book.size(Side::ask), ref.asks.size());
    }
  }
}

TEST(RandomBook, TheWriterFollowsATopOfBookFeed) {
  std::mt19937 rng(99);
  OrderBook book;
  SnapshotWriter writer(1);
  for (int step = 0; step < 2000; ++step) {
    if (step == 1000) book.set_mode(BookMode::top_of_book);
    const Side side = rng() % 2 ? Side::bid : Side::ask;
    const long long cents = side == Side::bid ? 10000 + rng() % 5000 : 15000 + rng() % 5000;
    book.apply(testing::change(side, Reference::price_text(cents), random_amount(rng).first));
    std::string fresh, cached;
    append_book_json(book, 1, fresh);
    writer.append_book(book, cached);
    ASSERT_EQ(cached, fresh) << "step " << step;
  }
}

}  // namespace
}  // namespace wsbook
