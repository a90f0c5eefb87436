#pragma once
// One side of an order book. Pure data structure: no I/O.

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory_resource>
#include <string_view>
#include <vector>

#include "wsbook/decimal.h"

namespace wsbook {

/// Which side of the book a level is on.
enum class Side : std::uint8_t { bid, ask };

/// A price level, with its `[price,amount]` JSON text rendered once when set.
struct Level {
  /// Room for the longest `[price,amount]`: two 38-character decimals and 3 more,
  /// rounded up so the line writer can copy fixed-size pieces of the array.
  static constexpr std::size_t kTextCapacity = 80;
  static_assert(kTextCapacity >= 2 * 38 + 3);
  Decimal amount;
  std::uint8_t text_size = 0;
  std::uint8_t price_size = 0;  ///< of the price's text, after the '['
  /// DecimalText::trimmed of the price and the amount: what the venue's own spelling had more.
  std::uint8_t price_trimmed = 0, amount_trimmed = 0;
  std::array<char, kTextCapacity> text{};
  /// The level as the snapshot line prints it: `[price,amount]`.
  std::string_view json() const { return {text.data(), text_size}; }
  /// The price's canonical text ("9405.8").
  std::string_view price_text() const { return {text.data() + 1, price_size}; }
  /// The amount's canonical text.
  std::string_view amount_text() const {
    return {text.data() + 2 + price_size, static_cast<std::size_t>(text_size - price_size - 3)};
  }
};

/// The levels of one side, best first. Nearly every change lands among the best
/// few dozen levels, and every line reads the best ones, so those live in a
/// sorted array: a change there moves a few entries, and rendering reads memory
/// in order. The rest live in a tree, each level worse than every one in the array.
class BookSide {
 public:
  /// An empty side; tree nodes come from `pool`.
  BookSide(Side side, std::pmr::memory_resource* pool);
  BookSide(const BookSide&) = delete;
  BookSide& operator=(const BookSide&) = delete;

  /// The level at `price`, created empty if absent; valid until the next upsert.
  Level& upsert(Decimal price);
  /// Removes the level at `price`; false if there was none.
  bool erase(Decimal price);
  /// Removes every level.
  void clear();

  /// Number of levels.
  std::size_t size() const { return near_.size() + far_.size(); }
  /// True if there are no levels.
  bool empty() const { return near_.empty(); }
  /// The best price; the side must not be empty.
  Decimal best() const { return price(near_.back().key); }
  /// The worst price; the side must not be empty.
  Decimal worst() const;
  /// The level at `price`, or nullptr; valid until the next upsert.
  const Level* find(Decimal price) const;
  /// True if `price` is as good as `other` or better.
  bool at_least(Decimal price, Decimal other) const { return !(key(price) < key(other)); }

  /// Calls f(price, level) for the best n levels, best first, in O(n).
  template <class F>
  void for_each_top(std::size_t n, F&& f) const {
    for (auto it = near_.rbegin(); it != near_.rend() && n > 0; ++it, --n) f(price(it->key), levels_[it->slot]);
    for (auto it = far_.rbegin(); it != far_.rend() && n > 0; ++it, --n) f(price(it->first), levels_[it->second]);
  }

 private:
  // A price in the side's order: the better price has the greater key. An ask's
  // key is its price with every bit flipped, so both sides share one code path.
  struct Key {
    std::uint64_t units = 0, frac = 0;
    friend constexpr auto operator<=>(const Key&, const Key&) = default;
  };
  // Levels stay put in levels_; the array and the tree order slots, which are
  // small to move.
  using Slot = std::uint32_t;
  struct Entry {
    Key key;
    Slot slot;
  };
  // The array holds between kNearLow and kNearHigh levels while the tree has any;
  // crossing a bound moves levels until it holds kNearTarget.
  static constexpr std::size_t kNearLow = 16, kNearTarget = 32, kNearHigh = 64;

  // With a mask rather than a branch on the side.
  Key key(Decimal price) const { return Key{price.units ^ flip_, price.frac ^ flip_}; }
  Decimal price(Key key) const { return Decimal{key.units ^ flip_, key.frac ^ flip_}; }
  bool in_near(Key key) const { return far_.empty() || key >= near_.front().key; }
  std::size_t near_position(Key key) const;
  Slot new_slot();
  void spill();
  void refill();

  std::uint64_t flip_;             // all ones for asks, zero for bids
  std::vector<Entry> near_;        // ascending keys: the best level is last
  std::pmr::map<Key, Slot> far_;   // every key below near_.front().key
  std::vector<Level> levels_;      // by slot
  std::vector<Slot> free_slots_;   // slots of removed levels, for reuse
};

}  // namespace wsbook
