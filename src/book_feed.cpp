#include "book_feed.h"

#include "wsbook/snapshot.h"

namespace wsbook {
namespace {

std::string level_text(const OrderBook& book, Side side) {
  std::string text;
  book.for_each_top(side, 1, [&](const Decimal&, const Level& level) { text = level.json(); });
  return text;
}

std::string snapshot_message(const OrderBook& book) {
  return "initial snapshot: " + std::to_string(book.size(Side::bid)) + " bids, " +
         std::to_string(book.size(Side::ask)) + " asks";
}

}  // namespace

void BookFeed::on_connect() {
  book_.clear();
  book_.set_mode(BookMode::full_depth);
  has_snapshot_ = false;
}

FrameResult BookFeed::malformed(std::string_view reason, std::string_view frame) {
  ++stats_.malformed;
  return resync("malformed frame (" + std::string(reason) + "): " + std::string(frame.substr(0, 200)));
}

FrameResult BookFeed::finish_frame(bool changed, bool snapshot, std::int64_t now_ms, std::string& out) {
  if (book_.crossed()) {
    ++stats_.crossed;
    return resync("crossed book: best bid " + level_text(book_, Side::bid) + " >= best ask " +
                  level_text(book_, Side::ask));
  }
  FrameResult result;
  if (snapshot) result = {FrameResult::Kind::snapshot, snapshot_message(book_)};
  if (!changed && !snapshot) return result;
  const std::size_t start = out.size();
  writer_.append_book(book_, out);
  if (options_.on_change) {
    const std::string_view body(out.data() + start, out.size() - start);
    if (body == last_book_) {
      out.resize(start);
      return result;
    }
    last_book_.assign(body);
  }
  writer_.end_line(now_ms, out);
  ++stats_.lines;
  if (result.kind == FrameResult::Kind::nothing) result.kind = FrameResult::Kind::line;
  return result;
}

}  // namespace wsbook
