#pragma once
// The output line: `{"bids":[[price,amount],...],"asks":[...],"ts":<unix ms>}`.
// Built by appending pre-rendered level text, without a JSON DOM.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wsbook/order_book.h"

namespace wsbook {

/// Appends the book part `{"bids":[...],"asks":[...]` (no ts, no closing brace).
void append_book_json(const OrderBook& book, std::size_t depth, std::string& out);

/// Writes the book part of lines like append_book_json, but renders a side
/// again only when a change may have reached its best `depth` levels (see
/// OrderBook::watch_top); otherwise it copies that side's last text. One writer per book.
class SnapshotWriter {
 public:
  /// A writer of the best `depth` levels per side.
  explicit SnapshotWriter(std::size_t depth) : depth_(depth) {}
  /// Appends `{"bids":[...],"asks":[...]` for `book` to `out`.
  void append_book(OrderBook& book, std::string& out);
  /// Appends `,"ts":<ts_ms>}\n` as append_ts_and_end does, rendering the time only when it changed.
  void end_line(std::int64_t ts_ms, std::string& out);

 private:
  // A side's `[[price,amount],...]`. The buffer only grows, so rendering into
  // it neither reallocates nor zero-fills; size 0 means not rendered yet.
  struct SideText {
    std::vector<char> buffer;
    std::size_t size = 0;
  };
  void refresh(OrderBook& book, Side side, SideText& text) const;
  std::size_t depth_;
  SideText bids_, asks_;
  std::optional<std::int64_t> ts_ms_;  // the time in ts_text_
  std::string ts_text_;                // `,"ts":<ts_ms_>}\n`
};

/// Appends `,"ts":<ts_ms>}\n`, closing a line started by append_book_json.
void append_ts_and_end(std::int64_t ts_ms, std::string& out);

/// Appends one whole snapshot line of the best `depth` levels per side.
void append_snapshot_line(const OrderBook& book, std::size_t depth, std::int64_t ts_ms,
                          std::string& out);

}  // namespace wsbook
