// The order book's node pool: blocks of one size from a free list, reused;
// anything larger goes to the default resource.
#include "wsbook/node_pool.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <set>

namespace wsbook {
namespace {

/// Counts what reaches the default resource while it is installed.
class CountingResource final : public std::pmr::memory_resource {
 public:
  CountingResource() : previous_(std::pmr::set_default_resource(this)) {}
  ~CountingResource() override { std::pmr::set_default_resource(previous_); }
  int allocations = 0;

 private:
  void* do_allocate(std::size_t bytes, std::size_t align) override {
    ++allocations;
    return previous_->allocate(bytes, align);
  }
  void do_deallocate(void* p, std::size_t bytes, std::size_t align) override {
    previous_->deallocate(p, bytes, align);
  }
  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }
  std::pmr::memory_resource* previous_;
};

TEST(NodePool, HandsOutDistinctAlignedBlocksAndReusesFreedOnes) {
  NodePool pool;
  std::set<void*> blocks;
  for (int i = 0; i < 1000; ++i) {
    void* p = pool.allocate(152, 8);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % alignof(std::max_align_t), 0u);
    EXPECT_TRUE(blocks.insert(p).second);
  }
  void* last = *blocks.begin();
  pool.deallocate(last, 152, 8);
  EXPECT_EQ(pool.allocate(152, 8), last);
  for (void* p : blocks) pool.deallocate(p, 152, 8);
}

TEST(NodePool, LargerBlocksComeFromTheDefaultResource) {
  CountingResource counting;
  NodePool pool;
  void* small = pool.allocate(64, 8);
  const int after_first_chunk = counting.allocations;
  void* smaller = pool.allocate(16, 8);
  EXPECT_EQ(counting.allocations, after_first_chunk);
  void* large = pool.allocate(65, 8);
  void* aligned = pool.allocate(64, 64);
  EXPECT_EQ(counting.allocations, after_first_chunk + 2);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(aligned) % 64, 0u);
  pool.deallocate(aligned, 64, 64);
  pool.deallocate(large, 65, 8);
  pool.deallocate(smaller, 16, 8);
  pool.deallocate(small, 64, 8);
}

TEST(NodePool, AMapsSteadyChurnNeverReachesTheDefaultResource) {
  CountingResource counting;
  NodePool pool;
  std::pmr::map<int, int> map(&pool);
  for (int i = 0; i < 5000; ++i) map[i] = i;
  const int warm = counting.allocations;
  for (int round = 0; round < 20; ++round) {
    for (int i = 0; i < 5000; i += 2) map.erase(i);
    for (int i = 0; i < 5000; i += 2) map[i] = round;
    map.clear();
    for (int i = 0; i < 5000; ++i) map[i] = i;
  }
  EXPECT_EQ(counting.allocations, warm);
}

}  // namespace
}  // namespace wsbook
