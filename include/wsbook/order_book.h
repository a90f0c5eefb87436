#pragma once
// The full-depth order book of one symbol. Pure data structure: no I/O.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "wsbook/book_side.h"
#include "wsbook/decimal.h"
#include "wsbook/node_pool.h"

namespace wsbook {

/// How a side takes changes.
enum class BookMode : std::uint8_t {
  full_depth,   ///< a change sets one level; amount zero removes it
  top_of_book,  ///< a side holds only its latest level (Gemini `top_of_book=true`)
};

/// One change to one price level: the amount now at that price (zero removes it).
struct BookChange {
  Side side = Side::bid;
  DecimalText price;
  DecimalText amount;

  /// Field by field, texts by content.
  friend bool operator==(const BookChange&, const BookChange&) = default;
};

/// A copy of one price level.
struct PriceLevel {
  Decimal price;
  Decimal amount;
  friend bool operator==(const PriceLevel&, const PriceLevel&) = default;
};

/// Both sides of one symbol's book at full depth.
class OrderBook {
 public:
  /// An empty book.
  explicit OrderBook(BookMode mode = BookMode::full_depth);
  OrderBook(const OrderBook&) = delete;
  OrderBook& operator=(const OrderBook&) = delete;

  /// Applies one change, in O(log n).
  void apply(const BookChange& change);
  /// Keeps the best n levels of each side (Kraken: the venue stops telling about the others).
  void truncate(std::size_t n);
  /// How many changes so far deleted a level the book did not have (normal on several venues).
  std::uint64_t absent_deletes() const { return absent_deletes_; }
  /// Empties both sides (a new connection or snapshot starts from nothing).
  void clear();
  /// Switches how changes apply; used when a feed turns out to be top-of-book.
  void set_mode(BookMode mode) { mode_ = mode; }
  /// The current mode.
  BookMode mode() const { return mode_; }

  /// Highest bid price, if any.
  std::optional<Decimal> best_bid() const;
  /// Lowest ask price, if any.
  std::optional<Decimal> best_ask() const;
  /// The worst price of a side (lowest bid, highest ask), if any.
  std::optional<Decimal> worst(Side side) const;
  /// True when both sides exist and best bid >= best ask.
  bool crossed() const;
  /// Number of levels on one side.
  std::size_t size(Side side) const { return sides_[index(side)].size(); }
  /// The amount at one price, if the level exists.
  std::optional<Decimal> amount_at(Side side, Decimal price) const;

  /// True if a change since the last watch_top() of `side` may have altered its best levels.
  bool top_touched(Side side) const { return watches_[index(side)].touched; }
  /// Watches the best levels of `side` down to the price `worst` (every level if
  /// nullopt): top_touched() turns true at the first change that could alter them.
  void watch_top(Side side, std::optional<Decimal> worst) { watches_[index(side)] = {worst, false}; }

  /// A copy of the best n levels of a side, best first, in O(n).
  std::vector<PriceLevel> top(Side side, std::size_t n) const;

  /// Calls f(price, level) for the best n levels of a side, best first, in O(n).
  template <class F>
  void for_each_top(Side side, std::size_t n, F&& f) const {
    sides_[index(side)].for_each_top(n, f);
  }

 private:
  // A change strictly worse than the worst watched level cannot alter the levels above it.
  struct Watch {
    std::optional<Decimal> worst;
    bool touched = true;
  };
  static std::size_t index(Side side) { return side == Side::bid ? 0 : 1; }
  void touch(const BookChange& change);

  // Tree nodes come from a pool so that steady churn neither calls malloc nor grows RSS.
  NodePool pool_;
  std::array<BookSide, 2> sides_{BookSide(Side::bid, &pool_), BookSide(Side::ask, &pool_)};
  BookMode mode_;
  std::array<Watch, 2> watches_;
  std::uint64_t absent_deletes_ = 0;
};

}  // namespace wsbook
