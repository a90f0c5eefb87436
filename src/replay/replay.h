#pragma once
// Internal: --replay. The events of a capture, in order and with their recorded
// times, through the same feeds and line router as a live crawl: the same calls
// give the same lines. No network, no clock but the capture's.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "capture/capture_reader.h"
#include "compress/zstd_stream.h"
#include "output/line_router.h"
#include "wsbook/feed.h"
#include "wsbook/log.h"
#include "wsbook/output.h"
#include "wsbook/venue.h"

namespace wsbook {

/// The lines of a capture file, read in large blocks.
class CaptureFile {
 public:
  /// Reads `path` ("-": standard input); check error() before use.
  explicit CaptureFile(const std::string& path);
  ~CaptureFile();
  CaptureFile(const CaptureFile&) = delete;
  CaptureFile& operator=(const CaptureFile&) = delete;

  /// Why the file cannot be read; "" if it can.
  const std::string& error() const { return error_; }
  /// The next whole line (its newline taken off; valid until the next call); false at the end.
  bool next(std::string_view& line);
  /// The number of the line next() returned last, from 1.
  std::size_t number() const { return number_; }
  /// At the end: the file ended inside a line (a torn last line, not returned).
  bool torn() const { return torn_; }
  /// Reads the first line as the capture's header; "" or what is wrong (a capture that is not one).
  std::string read_header(capture::Header& header);

 private:
  int fd_ = -1;
  bool own_ = false;
  zstd::FileDecoder decoder_;  // a .zst capture is read as the lines it holds
  std::string raw_, buf_;
  std::size_t begin_ = 0;
  bool eof_ = false, torn_ = false;
  std::size_t number_ = 0;
  std::string error_;
};

/// How to replay.
struct ReplayOptions {
  std::chrono::milliseconds interval{0};  ///< the replay's --interval (the capture's clock events serve if equal)
  double speed = 0;                       ///< --replay-speed: 0 as fast as it goes, else this many times real time
  bool handle_signals = false;            ///< SIGINT/SIGTERM stop it, SIGHUP reopens the outputs (the tool; not tests)
};

/// Replays a capture through `feeds`, one per connection of its header, their lines through `router`.
class Replayer {
 public:
  /// `feeds`, `router` and `log` must outlive it.
  Replayer(const capture::Header& header, std::vector<Feed*> feeds, LineRouter& router, ReplayOptions options,
           const Log& log);
  /// Replays the rest of `file` (its header already read); returns the exit code.
  int run(CaptureFile& file);

 private:
  struct Conn {
    Feed* feed = nullptr;
    bool open = false;     // between its open and end events
    bool verdict = false;  // the feed asked to restart or to stop: nothing more of the session is heard
    int fatal_code = 0;    // the feed found nothing left to crawl: the exit code it asked for
  };
  std::string read_event(capture::Reader& reader, std::string_view line, capture::Event& e);
  bool take_signal(std::int64_t now_us);
  int fail();
  void note_stop();
  void dispatch(const capture::Event& e);
  void handle(Conn& c, std::size_t index, const FrameResult& r, std::size_t before);
  template <class Call>
  void call(std::size_t index, Call&& f) {
    Conn& c = conns_[index];
    std::string& out = router_.lines_for(index);
    const std::size_t before = out.size();
    handle(c, index, f(*c.feed, out), before);
  }
  void join(std::size_t index);
  void advance_clock(std::int64_t now_ms);
  void pace(std::int64_t us);
  int finish();

  capture::Header header_;
  std::vector<Conn> conns_;
  LineRouter& router_;
  ReplayOptions options_;
  bool recorded_clock_;
  const Log& log_;
  std::optional<LineRouter::Stop> stopped_;  // --count reached, a write failed, a signal
  std::int64_t stop_us_ = -1;  // the time of the event at which it stopped
  std::int64_t last_us_ = 0;   // the time of the last event replayed
  std::int64_t next_instant_ = -1;  // synthetic --interval: the next instant to wake for
  std::int64_t first_us_ = -1;      // --replay-speed: the first event's time ...
  std::chrono::steady_clock::time_point started_;  // ... and when it was replayed
};

/// Where a replay's lines go: `outputs`, and per symbol of the capture (in its header's order) the index of
/// its output in them (empty: all to the first).
struct ReplayOutputs {
  std::vector<Output*> outputs;
  std::vector<std::size_t> of_symbol;
};

/// Why a capture cannot be replayed: its header, or a --depth that asks the venue for other books.
struct ReplayRefusal {
  int code = 0;        ///< 0: it can; 1: a malformed header; 2: the flags do not fit the capture
  std::string reason;  ///< in words
};

/// Whether `header` can be replayed through `venue` at `depth`.
ReplayRefusal refuse_replay(const capture::Header& header, const Venue& venue, std::size_t depth);

/// Replays the rest of `file`, whose header is `header`, through feeds of `venue` made with `base` (their
/// symbols, tags and symbol timer set per connection, as the live crawl had them); --count stops after
/// `count` book lines. Returns the exit code.
int replay_capture(CaptureFile& file, const capture::Header& header, const Venue& venue, const FeedOptions& base,
                   const ReplayOutputs& outputs, std::optional<std::uint64_t> count, ReplayOptions options,
                   const Log& log);

}  // namespace wsbook
