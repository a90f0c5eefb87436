#pragma once
// What a connection does with each received frame: keep the books honest and
// say what to write. Pure logic, no I/O: the network layer feeds it frames, and
// does what the feed asks of it through a Link.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wsbook/backoff.h"

namespace wsbook {

class Log;
class Venue;

/// A key --fields adds to book lines.
enum class LineField : std::uint8_t {
  exchange,     ///< the venue's --exchange name
  symbol,       ///< the symbol as the user gave it
  seq,          ///< the venue's sequence or update id of the last message applied; null where it has none
  exchange_ts,  ///< the venue's time of that message, unix ms; null where absent
  recv_us,      ///< when the frame that completed the book was received, unix µs
};

/// The --fields name of `f` ("exchange_ts").
std::string_view field_name(LineField f);
/// The field called `name`, if there is one.
std::optional<LineField> find_field(std::string_view name);

/// When a frame came: unix ms (the lines' `ts`) and unix µs (`recv_us`).
struct Arrival {
  /// From a time in ms alone, where µs are not known.
  Arrival(std::int64_t unix_ms) : ms(unix_ms), us(unix_ms * 1000) {}  // NOLINT(google-explicit-constructor)
  /// From a time in µs.
  static Arrival from_us(std::int64_t unix_us) { return {unix_us / 1000, unix_us}; }
  std::int64_t ms;  ///< unix ms
  std::int64_t us;  ///< unix µs

 private:
  Arrival(std::int64_t unix_ms, std::int64_t unix_us) : ms(unix_ms), us(unix_us) {}
};

/// What one line a feed appended is, and whose.
struct LineOf {
  /// `book` of a connection-wide record: it goes to the output of every book on the connection.
  static constexpr std::uint32_t kConnection = 0xFFFF'FFFF;
  std::uint32_t book = 0;  ///< its book's index in FeedOptions::symbols, or kConnection
  bool record = false;     ///< a --markers record, not a book line (--count counts book lines)
  bool operator==(const LineOf&) const = default;
};

/// --interval: the clock wakes this long after each instant, so that a frame read just before it is in the
/// books first (the crawler's timer, and a replay's instants).
inline constexpr std::chrono::milliseconds kClockGrace{1};

/// How a feed turns frames into lines.
struct FeedOptions {
  std::vector<std::string> symbols;       ///< as the user gave them; the venue's checks already passed
  std::size_t depth = 10;                 ///< levels per side in each line
  bool on_change = false;                 ///< write only when the best `depth` levels changed
  std::vector<std::string> subscribe{};   ///< frames to send instead of the venue's (--subscribe)
  std::size_t max_levels = 200'000;       ///< a side growing past this breaks its book (a hostile or broken feed)
  std::string rest_url{};                 ///< the base of REST snapshot URLs instead of the venue's (--rest-url)
  BackoffOptions backoff{};               ///< between two failed snapshot fetches of one symbol
  /// Start each line with `"exchange":..,"symbol":..` (many books in one stream); unset: when there are many symbols.
  std::optional<bool> tag_lines{};
  std::chrono::milliseconds symbol_stale{0};  ///< a symbol silent this long is resubscribed alone; 0: never
  bool markers = false;  ///< also write connect, disconnect, gap and resync records (--markers)
  std::vector<LineField> fields{};  ///< keys added to each book line after `ts`, in this order (--fields)
  /// One line per book at each multiple of this on the wall clock instead of one per update; 0: per update.
  std::chrono::milliseconds interval{0};
};

/// The outcome of one frame for its connection.
struct FrameResult {
  enum class Kind : std::uint8_t {
    nothing,   ///< nothing to write (heartbeat, trade, before the snapshot, ...)
    line,      ///< at least one line was appended to the output buffer
    snapshot,  ///< a book's snapshot went in (a line may have been appended)
    resync,    ///< the books on this connection cannot be vouched for: drop it and start over
    fatal,     ///< nothing is left to crawl (every symbol rejected): stop with exit code 1
  };
  Kind kind = Kind::nothing;
  std::uint32_t lines = 0;  ///< how many whole lines were appended to the output buffer, records included
  std::string message;      ///< for snapshot, resync and fatal: what to log
  int exit_code = 1;        ///< for fatal: 1, or 2 when the user named only symbols the venue does not know
};

/// Counters a feed keeps across connections.
struct FeedStats {
  std::uint64_t frames = 0;
  std::uint64_t lines = 0;
  std::uint64_t dropped_before_snapshot = 0;
  std::uint64_t malformed = 0;
  std::uint64_t gaps = 0;
  std::uint64_t checksum_mismatches = 0;
  std::uint64_t crossed = 0;
  std::uint64_t resubscribes = 0;  ///< books rebuilt alone: resubscribed, or their snapshot fetched again
  std::uint64_t absent_deletes = 0;  ///< deletes of levels the book did not have: normal on several venues
  std::uint64_t fetches = 0;         ///< REST snapshots asked for
  std::uint64_t fetch_failures = 0;  ///< of them, answered with an error, late or malformed
  std::uint64_t records = 0;         ///< --markers records made
  /// --interval: frames handled after the line of an instant later than their receive time was written
  /// (the crawl was busy): each is in the next instant's line instead.
  std::uint64_t late_frames = 0;
  std::uint64_t skipped_instants = 0;  ///< --interval instants not written: the clock stalled or jumped past them
};

/// What became of one symbol over the run, for the end-of-run summary.
struct SymbolReport {
  std::string symbol;         ///< as the user gave it
  std::uint64_t lines = 0;    ///< lines written of its book
  std::uint64_t rebuilds = 0;  ///< times its book broke and was rebuilt alone or with its connection
  bool rejected = false;      ///< the venue refused it
  bool trusted = false;       ///< its book is trusted now
  std::string last_problem;   ///< why its book last broke; "" if it never did
  std::uint64_t frames = 0;   ///< frames that carried a message of it
  std::uint64_t gaps = 0;     ///< times its trusted series broke
  std::uint64_t resyncs = 0;  ///< times its book was trusted again after a break
  std::int64_t heard_ms = 0;  ///< when a frame of it (an update or a heartbeat) last came, unix ms; 0: never
  std::size_t bids = 0;       ///< levels on its bid side now
  std::size_t asks = 0;       ///< levels on its ask side now
};

/// A GET the feed asks its connection to make (a venue's REST snapshot).
struct FetchRequest {
  std::uint64_t id = 0;                ///< comes back in the response
  std::string url;                     ///< https://host[:port]/target?query
  std::chrono::milliseconds delay{0};  ///< wait this long before sending it (backoff, the venue's weight limit)
};

/// The answer to a FetchRequest.
struct FetchResponse {
  std::uint64_t id = 0;  ///< the request's
  int status = 0;        ///< the HTTP status; 0: no answer (connect, TLS or timeout failure: see `error`)
  std::string body;
  std::optional<std::chrono::milliseconds> retry_after;  ///< the reply's Retry-After
  std::string error;                                     ///< for status 0: what failed
};

/// What a feed may ask of its connection; the network layer does it.
class Link {
 public:
  virtual ~Link() = default;
  /// Sends one text frame on the connection, after the ones asked for before.
  virtual void send(std::string frame) = 0;
  /// GETs `request.url` after `request.delay`; the answer comes to Feed::on_response
  /// unless the connection ends first (then it never comes).
  virtual void fetch(FetchRequest request) = 0;
};

/// Turns the frames of one connection after another into output lines.
class Feed {
 public:
  virtual ~Feed() = default;
  /// A new connection is up: forget every book, subscribe through `link`.
  virtual void on_connect(Link& link) = 0;
  /// Appends the `connect` record (--markers) of the connection on_connect() began, `how` in words.
  virtual FrameResult record_connect(std::string_view /*how*/, std::int64_t /*now_ms*/, std::string& /*out*/) {
    return {};
  }
  /// The connection ended at `now_ms` for `reason`: no book on it is trusted any more. With
  /// --markers, appends a `gap` record per book that was (unless `last`: the crawl ends) and the
  /// `disconnect` record.
  virtual FrameResult on_disconnect(std::string_view /*reason*/, bool /*last*/, std::int64_t /*now_ms*/,
                                    std::string& /*out*/) {
    return {};
  }
  /// Handles one text frame received `at`; appends whole lines to `out`.
  virtual FrameResult on_frame(std::string_view frame, Arrival at, Link& link, std::string& out) = 0;
  /// Handles the answer to a fetch() asked on this connection, received at `now_ms`.
  virtual FrameResult on_response(const FetchResponse& /*response*/, std::int64_t /*now_ms*/, Link& /*link*/,
                                  std::string& /*out*/) {
    return {};
  }
  /// Called about once a second while connected: per-symbol timers (a symbol gone silent).
  virtual FrameResult on_tick(std::int64_t /*now_ms*/, Link& /*link*/, std::string& /*out*/) { return {}; }
  /// Called at (or just after) each --interval instant: appends the lines of the instants up to `now_ms`.
  virtual FrameResult on_clock(std::int64_t /*now_ms*/, std::string& /*out*/) { return {}; }
  /// True once a book on this connection has its snapshot (raw: once a frame came).
  virtual bool has_snapshot() const = 0;
  /// Counters since the feed was made.
  const FeedStats& stats() const { return stats_; }
  /// Per symbol, in FeedOptions::symbols order: what became of it (raw: nothing).
  virtual std::vector<SymbolReport> symbol_reports() const { return {}; }
  /// What each line the last call appended is, and whose, in order (raw: empty).
  const std::vector<LineOf>& lines_of() const { return lines_of_; }

 protected:
  FeedStats stats_;
  std::vector<LineOf> lines_of_;
};

/// The feed of `venue`'s books; `log` (which must outlive it) hears of
/// per-symbol events: a book in, a book broken and resubscribed.
std::unique_ptr<Feed> make_feed(const Venue& venue, const FeedOptions& options, const Log& log);

/// One feed per connection of `venue`, each with its own options (its symbols); their REST
/// snapshots share one request-weight budget, as the venue counts it per address.
std::vector<std::unique_ptr<Feed>> make_feeds(const Venue& venue, const std::vector<FeedOptions>& options,
                                              const Log& log);

/// The feed of --raw for a venue wsbook does not know: it sends `subscribe` on connect and
/// writes nothing (the crawl's capture records the frames).
std::unique_ptr<Feed> make_raw_feed(std::vector<std::string> subscribe);

}  // namespace wsbook
