#pragma once
// Internal: the feed of any venue. Frames go through the venue's parser, each
// book message through the venue's integrity rule into its symbol's book, and
// a trusted book that changed becomes a line.

#include <memory>
#include <string>
#include <vector>

#include "feed/integrity.h"
#include "wsbook/feed.h"
#include "wsbook/log.h"
#include "wsbook/order_book.h"
#include "wsbook/snapshot.h"
#include "wsbook/venue.h"

namespace wsbook {

/// One symbol's book and what the feed knows of it.
struct SymbolBook {
  /// waiting for its snapshot -> trusted -> (broken: waiting again); rejected by the venue for good.
  enum class State : std::uint8_t { waiting, trusted, rejected };
  SymbolBook(std::string n, std::string w, std::size_t depth) : name(std::move(n)), wire(std::move(w)), writer(depth) {}
  std::string name;  ///< as the user gave it
  std::string wire;  ///< as the venue's frames spell it
  std::string tag;   ///< `{"exchange":"..","symbol":"..",`: how its lines start when books share a stream
  State state = State::waiting;
  unsigned resubscribes = 0;        ///< on this connection
  std::int64_t resubscribed_ms = 0;  ///< when it was last resubscribed, while it waits for the snapshot
  ChainState chain;
  OrderBook book;
  SnapshotWriter writer;
  std::string last_book;  ///< --on-change: the book part of the last line written
};

/// The feed of one venue's books on one connection after another.
class VenueFeed final : public Feed {
 public:
  /// `venue` and `log` must outlive the feed.
  VenueFeed(const Venue& venue, FeedOptions options, const Log& log);
  void on_connect(Link& link) override;
  FrameResult on_frame(std::string_view frame, std::int64_t now_ms, Link& link, std::string& out) override;
  bool has_snapshot() const override;

 private:
  SymbolBook* find(std::string_view wire_symbol);
  FrameResult on_notice(const Notice& notice, Link& link);
  // What can break a book once a message is applied.
  enum class Problem : std::uint8_t { none, too_many_levels, checksum, crossed };
  void on_message(SymbolBook& b, const BookMessage& msg, std::int64_t now_ms, Link& link, std::string& out,
                  FrameResult& result);
  Problem apply(SymbolBook& b, const BookMessage& msg);
  std::string describe(Problem p, const SymbolBook& b, const BookMessage& msg) const;
  FrameResult broken(SymbolBook& b, std::string reason, Link& link);
  FrameResult reject(SymbolBook& b, std::string_view reason);
  void write_line(SymbolBook& b, std::int64_t now_ms, std::string& out);
  void subscribe(const std::vector<std::string>& wire_symbols, Link& link) const;

  const Venue& venue_;
  FeedOptions options_;
  const Log& log_;
  std::unique_ptr<VenueParser> parser_;
  std::unique_ptr<IntegrityRule> rule_;
  std::size_t kept_depth_;
  std::int64_t now_ms_ = 0;  // the frame being handled was received then
  ParsedFrame frame_;
  std::vector<std::unique_ptr<SymbolBook>> books_;
};

}  // namespace wsbook
