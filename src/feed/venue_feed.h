#pragma once
// Internal: the feed of any venue. Frames go through the venue's parser, each
// book message through the venue's integrity rule into its symbol's book, and
// a trusted book that changed becomes a line.

#include <array>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "feed/integrity.h"
#include "feed/weight_pacer.h"
#include "wsbook/backoff.h"
#include "wsbook/feed.h"
#include "wsbook/log.h"
#include "wsbook/order_book.h"
#include "wsbook/snapshot.h"
#include "wsbook/venue.h"

namespace wsbook {

/// What the feed keeps of a symbol whose book starts from a REST snapshot (Binance).
struct RestState {
  /// An update that came while the snapshot was on its way: its first id and its frame.
  struct Buffered {
    std::int64_t first_seq = 0;
    std::string frame;
  };
  std::deque<Buffered> buffered;  ///< since subscribing, or since the book broke, oldest first
  std::size_t buffered_bytes = 0;  ///< of the frames in `buffered`
  bool capped = false;             ///< the buffer reached a cap since it was last emptied (logged once)
  std::uint64_t fetch_id = 0;     ///< the snapshot request in flight; 0: none
  std::uint32_t failures = 0;     ///< snapshot fetches that failed in a row, for the backoff
  bool unknown = false;           ///< the venue says it has no such symbol
  /// Per side, the worst level of a snapshot cut at the levels asked for: the
  /// book knows nothing beyond it, so it keeps nothing beyond it.
  std::array<std::optional<Decimal>, 2> known_floor;
  /// Empties the buffer.
  void clear_buffered() {
    buffered.clear();
    buffered_bytes = 0;
    capped = false;
  }
};

/// One symbol's book and what the feed knows of it.
struct SymbolBook {
  /// waiting for its snapshot -> trusted -> (broken: waiting again); rejected by the venue for good.
  enum class State : std::uint8_t { waiting, trusted, rejected };
  SymbolBook(std::uint32_t i, std::string n, std::string w, std::size_t depth)
      : index(i), name(std::move(n)), wire(std::move(w)), writer(depth) {}
  std::uint32_t index;  ///< in FeedOptions::symbols
  std::string name;  ///< as the user gave it
  std::string wire;  ///< as the venue's frames spell it
  std::string tag;   ///< `{"exchange":"..","symbol":".."`: how its lines start when books share a stream
  State state = State::waiting;
  unsigned resubscribes = 0;        ///< on this connection
  std::int64_t resubscribed_ms = 0;  ///< when it was last resubscribed, while it waits for the snapshot
  ChainState chain;
  OrderBook book;
  SnapshotWriter writer;
  std::string last_book;  ///< --on-change: the book part of the last line written
  RestState rest;         ///< venues whose books start over REST
  std::int64_t heard_ms = 0;  ///< when a message (or heartbeat) of it last came; 0: not since connecting
  std::uint64_t lines = 0, rebuilds = 0;  ///< over the run
  std::uint64_t frames = 0, gaps = 0, resyncs = 0;  ///< over the run: frames of it, series broken and rebuilt
  std::uint64_t frame_mark = 0;  ///< the feed's frame count at the last frame counted in `frames`
  std::int64_t seen_ms = 0;      ///< when a frame of it last came, over the run; 0: never
  bool broke_connection = false;          ///< its break restarts the connection: counted already
  std::string last_problem;               ///< why it last broke
  bool gap_open = true;  ///< --markers: a gap record stands since its last resync record, or it never had a book
  /// A REST snapshot is in, but no update has shown it as new as the stream yet: no line of it.
  bool unconfirmed = false;
  std::optional<std::int64_t> last_seq;          ///< --fields seq: of the last message applied
  std::optional<std::int64_t> last_exchange_ms;  ///< --fields exchange_ts: of the last message applied
  std::int64_t last_recv_us = 0;                 ///< --fields recv_us: when that message's frame came
};

/// "initial snapshot: N bids, M asks", for the log.
std::string snapshot_message(const OrderBook& book);
/// Folds a part of a frame's outcome into the whole: a restart over a snapshot over a line.
void merge(FrameResult& into, FrameResult part);

/// The feed of one venue's books on one connection after another.
class VenueFeed final : public Feed {
 public:
  /// `venue` and `log` must outlive the feed.
  VenueFeed(const Venue& venue, FeedOptions options, const Log& log, std::shared_ptr<WeightPacer> pacer = {});
  void on_connect(Link& link) override;
  FrameResult record_connect(std::string_view how, std::int64_t now_ms, std::string& out) override;
  FrameResult on_disconnect(std::string_view reason, bool last, std::int64_t now_ms, std::string& out) override;
  FrameResult on_frame(std::string_view frame, Arrival at, Link& link, std::string& out) override;
  FrameResult on_response(const FetchResponse& response, std::int64_t now_ms, Link& link, std::string& out) override;
  FrameResult on_tick(std::int64_t now_ms, Link& link, std::string& out) override;
  FrameResult on_clock(std::int64_t now_ms, std::string& out) override;
  bool has_snapshot() const override;
  std::vector<SymbolReport> symbol_reports() const override;

 private:
  SymbolBook* find(std::string_view wire_symbol);
  FrameResult handle_frame(std::string_view frame, Link& link, std::string& out);
  // Every call starts with begin() and ends with finish(): the lines it appended, the books
  // that cannot be vouched for once the connection is to restart.
  void begin(std::int64_t now_ms, std::string& out);
  FrameResult finish(FrameResult result);
  FrameResult on_notice(const Notice& notice, Link& link);
  // A heartbeat: of `symbol`, or of the connection (then of its only book, if it has one).
  void heard(std::string_view symbol);
  // The silent symbol that waited longest, resubscribed alone.
  FrameResult resubscribe_stalest(std::int64_t now_ms, Link& link);
  // What can break a book once a message is applied.
  enum class Problem : std::uint8_t { none, too_many_levels, checksum, crossed, beyond_snapshot };
  void on_message(SymbolBook& b, const BookMessage& msg, std::int64_t now_ms, Link& link, std::string& out,
                  FrameResult& result);
  // What became of a message: in the book, dropped by the rule as already in it, or the book broke.
  enum class Step : std::uint8_t { applied, skipped, broke };
  Step advance(SymbolBook& b, const BookMessage& msg, Link& link, FrameResult& result);
  Problem apply(SymbolBook& b, const BookMessage& msg);
  bool beyond_floor(const SymbolBook& b, const BookChange& c) const;
  std::string describe(Problem p, const SymbolBook& b, const BookMessage& msg) const;
  // `counted`: the break counts toward the symbol's resubscriptions on this connection.
  FrameResult broken(SymbolBook& b, std::string reason, Link& link, bool counted = true);
  FrameResult reject(SymbolBook& b, std::string_view reason);
  void write_line(SymbolBook& b, std::int64_t now_ms, std::string& out);
  // The line of an update, unless lines come at --interval instants.
  void write_update_line(SymbolBook& b, std::string& out);
  // --interval (records.cpp): the lines of every instant up to `now_ms`, each book as it was then.
  void write_instants(std::int64_t now_ms, std::string& out);
  void end_line(SymbolBook& b, std::int64_t ts_ms, std::string& out);
  // --markers (records.cpp): records, each a line of its own.
  void record(const SymbolBook* b, std::string_view event, std::string_view reason);
  void record_gap(SymbolBook& b, std::string_view reason);
  void record_resync(SymbolBook& b);
  // Every trusted book goes untrusted for `reason`, with its gap record.
  void drop_books(std::string_view reason);
  void subscribe(const std::vector<std::string>& wire_symbols, Link& link) const;
  // Books that start from a REST snapshot (rest_bridge.cpp).
  void buffer_update(SymbolBook& b, const BookMessage& msg, Link& link);
  void request_waiting_snapshots(Link& link);
  void request_snapshot(SymbolBook& b, Link& link, std::optional<std::chrono::milliseconds> retry_after,
                        std::chrono::milliseconds at_least = std::chrono::milliseconds{0});
  FrameResult read_snapshot(SymbolBook& b, const FetchResponse& response, Link& link, std::string& out);
  FrameResult fetch_failed(SymbolBook& b, std::string reason, std::optional<std::chrono::milliseconds> retry_after,
                           Link& link);
  FrameResult bridge(SymbolBook& b, const BookMessage& snapshot, Link& link, std::string& out);
  std::string replay_buffered(SymbolBook& b, Link& link, FrameResult& result);
  void set_known_floors(SymbolBook& b);
  FrameResult rebuild(SymbolBook& b, std::string reason);

  const Venue& venue_;
  FeedOptions options_;
  const Log& log_;
  std::unique_ptr<VenueParser> parser_;
  std::unique_ptr<IntegrityRule> rule_;
  std::size_t kept_depth_;
  std::int64_t now_ms_ = 0;  // the frame being handled was received then
  std::int64_t now_us_ = 0;  // the same, in µs
  std::string* out_ = nullptr;  // where the call being handled appends lines and records
  bool had_snapshot_ = false;  // a book on this connection got its snapshot
  bool restarting_ = false;    // the connection is to restart: nothing of it is believed until on_connect
  std::int64_t next_instant_ = 0;  // --interval: the next instant to write; 0: not set yet
  std::string_view frame_text_;  // the frame being handled
  std::optional<RestSnapshots> rest_;  // set for venues whose books start over REST
  std::string rest_base_;              // --rest-url, or the venue's
  std::shared_ptr<WeightPacer> pacer_;  // shared by the feeds of every connection to the venue
  std::int64_t stale_resubscribed_ms_ = std::numeric_limits<std::int64_t>::min() / 2;  // the last of a silent symbol
  Backoff backoff_;
  std::uint64_t next_fetch_id_ = 0;
  ParsedFrame frame_;
  std::vector<std::unique_ptr<SymbolBook>> books_;
  // Books by the hash of their wire symbol, sorted, for connections carrying
  // many (a scan is quicker for a few): a small array stays in the cache, where
  // a node-based map costs a miss per node.
  std::vector<std::pair<std::size_t, SymbolBook*>> by_hash_;
};

}  // namespace wsbook
