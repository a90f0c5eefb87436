#include "wsbook/book_side.h"

#include <algorithm>

namespace wsbook {

BookSide::BookSide(Side side, std::pmr::memory_resource* pool)
    : flip_(side == Side::ask ? ~std::uint64_t{0} : 0), far_(pool) {
  near_.reserve(kNearHigh + 1);
}

// Searched from the best end: that is where changes land, and the scan's
// branch is taken the same way until it stops.
std::size_t BookSide::near_position(Key key) const {
  std::size_t i = near_.size();
  while (i > 0 && key <= near_[i - 1].key) --i;
  return i;  // the first entry whose key is >= key
}

// An empty level: a reused slot still holds a removed level's amount and text.
BookSide::Slot BookSide::new_slot() {
  if (free_slots_.empty()) {
    levels_.emplace_back();
    return static_cast<Slot>(levels_.size() - 1);
  }
  const Slot slot = free_slots_.back();
  free_slots_.pop_back();
  levels_[slot].amount = {};
  levels_[slot].text_size = 0;
  return slot;
}

Level& BookSide::upsert(Decimal price) {
  const Key k = key(price);
  if (!in_near(k)) {
    auto it = far_.lower_bound(k);
    // The slot first: if the tree cannot grow, no key is left without a level.
    if (it == far_.end() || it->first != k) it = far_.emplace_hint(it, k, new_slot());
    return levels_[it->second];
  }
  const std::size_t i = near_position(k);
  if (i < near_.size() && near_[i].key == k) return levels_[near_[i].slot];
  const Slot slot = new_slot();
  near_.insert(near_.begin() + static_cast<std::ptrdiff_t>(i), Entry{k, slot});
  if (near_.size() > kNearHigh) spill();
  return levels_[slot];
}

bool BookSide::erase(Decimal price) {
  const Key k = key(price);
  if (!in_near(k)) {
    // find + erase walks the tree once; erase(key) walks it twice (equal_range).
    const auto it = far_.find(k);
    if (it == far_.end()) return false;
    free_slots_.push_back(it->second);
    far_.erase(it);
    return true;
  }
  const std::size_t i = near_position(k);
  if (i == near_.size() || near_[i].key != k) return false;
  free_slots_.push_back(near_[i].slot);
  near_.erase(near_.begin() + static_cast<std::ptrdiff_t>(i));
  if (near_.size() < kNearLow && !far_.empty()) refill();
  return true;
}

Decimal BookSide::worst() const { return price(far_.empty() ? near_.front().key : far_.begin()->first); }

// Moves the worst levels of the array into the tree, leaving kNearTarget.
void BookSide::spill() {
  const auto end = near_.end() - static_cast<std::ptrdiff_t>(kNearTarget);
  for (auto it = near_.begin(); it != end; ++it) far_.emplace_hint(far_.end(), it->key, it->slot);
  near_.erase(near_.begin(), end);
}

// Moves the best levels of the tree to the front of the array, up to kNearTarget.
// The array's room was reserved, so this allocates nothing.
void BookSide::refill() {
  const std::size_t count = std::min(kNearTarget - near_.size(), far_.size());
  near_.insert(near_.begin(), count, Entry{});
  auto it = far_.end();
  for (std::size_t i = count; i-- > 0;) {
    --it;
    near_[i] = Entry{it->first, it->second};
  }
  far_.erase(it, far_.end());
}

void BookSide::clear() {
  near_.clear();
  far_.clear();
  levels_.clear();
  free_slots_.clear();
}

const Level* BookSide::find(Decimal price) const {
  const Key k = key(price);
  if (!in_near(k)) {
    const auto it = far_.find(k);
    return it == far_.end() ? nullptr : &levels_[it->second];
  }
  const std::size_t i = near_position(k);
  return i < near_.size() && near_[i].key == k ? &levels_[near_[i].slot] : nullptr;
}

}  // namespace wsbook
