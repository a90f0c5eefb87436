#include "wsbook/node_pool.h"

#include <algorithm>

namespace wsbook {

bool NodePool::pooled(std::size_t bytes, std::size_t align) const {
  return bytes <= block_size_ && align <= alignof(std::max_align_t);
}

void* NodePool::do_allocate(std::size_t bytes, std::size_t align) {
  if (block_size_ == 0) {
    constexpr std::size_t a = alignof(std::max_align_t);
    block_size_ = (std::max(bytes, sizeof(FreeBlock)) + a - 1) / a * a;
  }
  if (!pooled(bytes, align)) return std::pmr::get_default_resource()->allocate(bytes, align);
  if (free_ == nullptr) add_chunk();
  FreeBlock* block = free_;
  free_ = block->next;
  return block;
}

void NodePool::do_deallocate(void* p, std::size_t bytes, std::size_t align) {
  if (!pooled(bytes, align)) return std::pmr::get_default_resource()->deallocate(p, bytes, align);
  auto* block = static_cast<FreeBlock*>(p);
  block->next = free_;
  free_ = block;
}

void NodePool::add_chunk() {
  chunks_.push_back(std::make_unique_for_overwrite<std::byte[]>(block_size_ * kBlocksPerChunk));
  std::byte* chunk = chunks_.back().get();
  for (std::size_t i = kBlocksPerChunk; i-- > 0;) {
    auto* block = reinterpret_cast<FreeBlock*>(chunk + i * block_size_);
    block->next = free_;
    free_ = block;
  }
}

}  // namespace wsbook
