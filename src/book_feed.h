#pragma once
// Internal: what the Gemini feeds share: the book, the crossed check and the
// line writer with its --on-change memory.

#include <string>

#include "wsbook/feed.h"
#include "wsbook/order_book.h"
#include "wsbook/snapshot.h"

namespace wsbook {

/// Base of the feeds that keep a book and print snapshot lines.
class BookFeed : public Feed {
 public:
  explicit BookFeed(const FeedOptions& options) : options_(options), writer_(options.depth) {}
  void on_connect() override;
  bool has_snapshot() const override { return has_snapshot_; }

 protected:
  /// A resync result, counted, with a reason for the log.
  static FrameResult resync(std::string message) {
    return {FrameResult::Kind::resync, std::move(message)};
  }
  /// A malformed frame: counted, logged with its first 200 bytes, resynced.
  FrameResult malformed(std::string_view reason, std::string_view frame);
  /// Marks the initial snapshot as in, after the book has been cleared and filled.
  void snapshot_applied() { has_snapshot_ = true; }
  /// After a frame's changes went in: refuses a crossed book, else writes a line.
  FrameResult finish_frame(bool changed, bool snapshot, std::int64_t now_ms, std::string& out);

  FeedOptions options_;
  OrderBook book_;

 private:
  SnapshotWriter writer_;
  bool has_snapshot_ = false;
  std::string last_book_;  // --on-change: the book part of the last line written
};

}  // namespace wsbook
