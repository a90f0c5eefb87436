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

// Each level copies a fixed-size head of its text array (two vector moves; the
// rest only for the rare long text) and then advances by the text's real
// length: a variable-length memcpy of short texts costs several times more.
// `worst` gets the last level's price.
char* put_side(char* p, const OrderBook& book, Side side, std::size_t depth, Decimal& worst) {
  constexpr std::size_t head = 32;
  *p++ = '[';
  book.for_each_top(side, depth, [&](const Decimal& price, const Level& level) {
    std::memcpy(p, level.text.data(), head);
    if (level.text_size > head) [[unlikely]] {
      std::memcpy(p + head, level.text.data() + head, Level::kTextCapacity - head);
    }
    p += level.text_size;
    *p++ = ',';
    worst = price;
  });
  if (p[-1] == ',') --p;
  *p++ = ']';
  return p;
}

// Room for the side's text and one fixed-size copy past its end.
std::size_t side_room(const OrderBook& book, Side side, std::size_t depth) {
  return 2 + std::min(depth, book.size(side)) * (Level::kTextCapacity + 1);
}

}  // namespace

// Writes into space reserved up front, then trims: one size check per line
// instead of one per append.
void append_book_json(const OrderBook& book, std::size_t depth, std::string& out) {
  const std::size_t start = out.size();
  out.resize(start + 32 + side_room(book, Side::bid, depth) + side_room(book, Side::ask, depth));
  Decimal worst;
  char* p = out.data() + start;
  p = put(p, R"({"bids":)");
  p = put_side(p, book, Side::bid, depth, worst);
  p = put(p, R"(,"asks":)");
  p = put_side(p, book, Side::ask, depth, worst);
  out.resize(static_cast<std::size_t>(p - out.data()));
}

void SnapshotWriter::refresh(OrderBook& book, Side side, SideText& text) const {
  if (!book.top_touched(side) && text.size != 0) return;
  const std::size_t room = side_room(book, side, depth_);
  if (text.buffer.size() < room) text.buffer.resize(room);
  Decimal worst;
  text.size = static_cast<std::size_t>(put_side(text.buffer.data(), book, side, depth_, worst) - text.buffer.data());
  const bool full = book.size(side) >= depth_;
  book.watch_top(side, full ? std::optional<Decimal>(worst) : std::nullopt);
}

// One resize and straight copies: appending piece by piece checked the
// capacity and called memcpy once per piece.
void SnapshotWriter::append_book(OrderBook& book, std::string& out) {
  refresh(book, Side::bid, bids_);
  refresh(book, Side::ask, asks_);
  const std::size_t start = out.size();
  out.resize(start + 16 + bids_.size + asks_.size);
  char* p = out.data() + start;
  p = put(p, R"({"bids":)");
  p = std::copy_n(bids_.buffer.data(), bids_.size, p);
  p = put(p, R"(,"asks":)");
  std::copy_n(asks_.buffer.data(), asks_.size, p);
}

// A burst of frames shares its millisecond: formatting it again each time
// was a tenth of the work per line.
void SnapshotWriter::end_line(std::int64_t ts_ms, std::string& out) {
  if (ts_ms != ts_ms_) {
    ts_text_.clear();
    append_ts_and_end(ts_ms, ts_text_);
    ts_ms_ = ts_ms;
  }
  out += ts_text_;
}

void append_ts_and_end(std::int64_t ts_ms, std::string& out) {
  const std::size_t start = out.size();
  out.resize(start + 32);
  char* p = put(out.data() + start, R"(,"ts":)");
  p = std::to_chars(p, p + 22, ts_ms).ptr;
  *p++ = '}';
  *p++ = '\n';
  out.resize(static_cast<std::size_t>(p - out.data()));
}

void append_snapshot_line(const OrderBook& book, std::size_t depth, std::int64_t ts_ms,
                          std::string& out) {
  append_book_json(book, depth, out);
  append_ts_and_end(ts_ms, out);
}

}  // namespace wsbook
