#pragma once
// A memory resource for the nodes of one node-based container: a free list of
// equal-size blocks, carved from chunks that are kept for reuse. std::pmr's
// pool looked up its pool per call and cost a tenth of each book update.

#include <cstddef>
#include <memory>
#include <memory_resource>
#include <vector>

namespace wsbook {

/// Hands out blocks of the size it is first asked for (or less) from a free list;
/// larger sizes and alignments go to the default resource. Steady churn neither
/// calls malloc nor grows.
class NodePool final : public std::pmr::memory_resource {
 public:
  /// An empty pool: the first allocation sets its block size.
  NodePool() = default;
  NodePool(const NodePool&) = delete;
  NodePool& operator=(const NodePool&) = delete;

 private:
  struct FreeBlock {
    FreeBlock* next;
  };
  static constexpr std::size_t kBlocksPerChunk = 256;

  void* do_allocate(std::size_t bytes, std::size_t align) override;
  void do_deallocate(void* p, std::size_t bytes, std::size_t align) override;
  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override { return this == &other; }
  bool pooled(std::size_t bytes, std::size_t align) const;
  void add_chunk();

  std::size_t block_size_ = 0;  // the first size asked for, aligned; 0 until then
  FreeBlock* free_ = nullptr;
  std::vector<std::unique_ptr<std::byte[]>> chunks_;
};

}  // namespace wsbook
