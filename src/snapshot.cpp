#include "wsbook/snapshot.h"

#include <charconv>
#include <cstring>

namespace wsbook {
namespace {

// Writes into space reserved up front: one size check per side instead of one per append.
void append_side(const OrderBook& book, Side side, std::size_t depth, std::string& out) {
  const std::size_t start = out.size();
  out.resize(start + 2 + depth * (Level::kMaxText + 1));
  char* p = out.data() + start;
  *p++ = '[';
  book.for_each_top(side, depth, [&](const Decimal&, const Level& level) {
    std::memcpy(p, level.text.data(), level.text_size);
    p += level.text_size;
    *p++ = ',';
  });
  if (p[-1] == ',') --p;
  *p++ = ']';
  out.resize(static_cast<std::size_t>(p - out.data()));
}

}  // namespace

void append_book_json(const OrderBook& book, std::size_t depth, std::string& out) {
  out.append(R"({"bids":)");
  append_side(book, Side::bid, depth, out);
  out.append(R"(,"asks":)");
  append_side(book, Side::ask, depth, out);
}

void append_ts_and_end(std::int64_t ts_ms, std::string& out) {
  char buf[48] = R"(,"ts":)";
  char* p = std::to_chars(buf + 6, buf + sizeof buf - 2, ts_ms).ptr;
  *p++ = '}';
  *p++ = '\n';
  out.append(buf, p);
}

void append_snapshot_line(const OrderBook& book, std::size_t depth, std::int64_t ts_ms,
                          std::string& out) {
  append_book_json(book, depth, out);
  append_ts_and_end(ts_ms, out);
}

}  // namespace wsbook
