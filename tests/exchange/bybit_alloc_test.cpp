// Parsing allocates nothing in the steady state: after one pass over the
// stream, a second pass over the same frames calls operator new not once.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <sstream>

#include "exchange/venues.h"
#include "test_data.h"

namespace {
std::atomic<std::size_t> allocations{0};
}  // namespace

// Counts every allocation of this test program; the rest is malloc's. Every
// plain form is replaced, so that what one allocates another frees in kind
// (ASan checks: simdjson allocates with the nothrow form).
namespace {
void* counted(std::size_t size) noexcept {
  allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
// Out of line: g++ would see free() meet operator new and warn of a mismatch it cannot tell is none.
[[gnu::noinline]] void release(void* p) noexcept { std::free(p); }
}  // namespace
void* operator new(std::size_t size) {
  if (void* p = counted(size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
  if (void* p = counted(size)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return counted(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return counted(size); }
void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { release(p); }

namespace wsbook {
namespace {

TEST(BybitAllocations, ASecondPassOverTheStreamAllocatesNothing) {
  std::istringstream in(testing::read_data_file("bybit_stream.txt"));
  std::vector<std::string> frames;
  for (std::string line; std::getline(in, line);) frames.push_back(line);
  frames.push_back(R"({"args":["1672916271846"],"op":"pong"})");
  frames.push_back(R"({"success":false,"ret_msg":"Invalid symbol :[orderbook.50.XXXUSDT]","op":"subscribe"})");
  frames.push_back(R"({"data":{"s":"BTCUSDT","b":[["1","2"]],"a":[],"u":9},"type":"delta",)"
                   R"("topic":"orderbook.50.BTCUSDT"})");
  auto parser = bybit_venue().make_parser();
  ParsedFrame out;
  for (const std::string& f : frames) ASSERT_EQ(parser->parse(f, out), "");
  const std::size_t before = allocations.load();
  ASSERT_GT(before, 0u);  // the counting operator new is the one in use
  std::size_t changes = 0;
  for (const std::string& f : frames) {
    (void)parser->parse(f, out);
    changes += out.changes.size();
  }
  EXPECT_EQ(allocations.load() - before, 0u);
  EXPECT_GT(changes, 50u);
}

}  // namespace
}  // namespace wsbook
