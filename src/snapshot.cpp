#include "wsbook/snapshot.h"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace wsbook {
namespace {

template <std::size_t N>
char* put(char* p, const char (&literal)[N]) {
  std::memcpy(p, literal, N - 1);
  return p + N - 1;
}

// Each level copies its whole fixed-size text array (a few vector moves) and
// then advances by the text's real length: a variable-length memcpy of short
// texts costs several times more.
char* put_side(char* p, const OrderBook& book, Side side, std::size_t depth) {
  *p++ = '[';
  book.for_each_top(side, depth, [&](const Decimal&, const Level& level) {
    std::memcpy(p, level.text.data(), Level::kTextCapacity);
    p += level.text_size;
    *p++ = ',';
  });
  if (p[-1] == ',') --p;
  *p++ = ']';
  return p;
}

}  // namespace

// Writes into space reserved up front, then trims: one size check per line
// instead of one per append.
void append_book_json(const OrderBook& book, std::size_t depth, std::string& out) {
  const std::size_t start = out.size();
  // Room for what the book has, not for what --depth could ask.
  const std::size_t levels = std::min(depth, book.size(Side::bid)) + std::min(depth, book.size(Side::ask));
  out.resize(start + 32 + levels * (Level::kTextCapacity + 1));
  char* p = out.data() + start;
  p = put(p, R"({"bids":)");
  p = put_side(p, book, Side::bid, depth);
  p = put(p, R"(,"asks":)");
  p = put_side(p, book, Side::ask, depth);
  out.resize(static_cast<std::size_t>(p - out.data()));
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
