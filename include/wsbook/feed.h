#pragma once
// What a connection does with each received frame: keep the book honest and
// say what to write. Pure logic, no I/O: the network layer feeds it frames.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace wsbook {

/// The wire protocol a connection speaks.
enum class FeedKind : std::uint8_t { gemini_v1, gemini_v2, raw };

/// How a feed turns frames into lines.
struct FeedOptions {
  FeedKind kind = FeedKind::gemini_v1;
  std::string symbol;        ///< v2: the symbol whose book is kept (any case)
  std::size_t depth = 10;    ///< levels per side in each line
  bool on_change = false;    ///< write only when the best `depth` levels changed
};

/// The outcome of one frame.
struct FrameResult {
  enum class Kind : std::uint8_t {
    nothing,   ///< nothing to write (heartbeat, trade, before the snapshot, ...)
    line,      ///< a line was appended to the output buffer
    snapshot,  ///< the connection's initial snapshot went in (a line may have been appended)
    resync,    ///< the book cannot be vouched for: drop the connection and start over
  };
  Kind kind = Kind::nothing;
  std::string message;  ///< for snapshot and resync: what to log
};

/// Counters a feed keeps across connections.
struct FeedStats {
  std::uint64_t frames = 0;
  std::uint64_t lines = 0;
  std::uint64_t dropped_before_snapshot = 0;
  std::uint64_t malformed = 0;
  std::uint64_t gaps = 0;
  std::uint64_t crossed = 0;
};

/// Turns the frames of one connection after another into output lines.
class Feed {
 public:
  virtual ~Feed() = default;
  /// A new connection starts: forget the book, wait for its initial snapshot.
  virtual void on_connect() = 0;
  /// Handles one text frame received at `now_ms`; appends at most one line to `out`.
  virtual FrameResult on_frame(std::string_view frame, std::int64_t now_ms, std::string& out) = 0;
  /// True once this connection's initial snapshot has been applied (raw: once a frame came).
  virtual bool has_snapshot() const = 0;
  /// Counters since the feed was made.
  const FeedStats& stats() const { return stats_; }

 protected:
  FeedStats stats_;
};

/// Makes the feed for `options.kind`.
std::unique_ptr<Feed> make_feed(const FeedOptions& options);

}  // namespace wsbook
