#pragma once
// Internal: where the lines of a crawl's connections go (the live crawler and
// the replay share it): each book's output, a connection's records to all of
// its books' outputs, --count, and what a failed write means for the crawl.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "output/line_batch.h"
#include "wsbook/feed.h"
#include "wsbook/log.h"
#include "wsbook/output.h"

namespace wsbook {

/// The lines of every connection of a crawl, on their way to the outputs.
class LineRouter {
 public:
  /// Why the crawl must stop: a write failed or the reader left, or --count is reached.
  struct Stop {
    int code = 0;  ///< the exit code: 0 (done, the reader left) or 1 (a write failed)
    std::string why;
  };

  /// `book_outputs[c]`: per book of connection c, the index in `outputs` of its output (empty: all to the
  /// first); --count stops after `count` book lines. The outputs and `log` must outlive it.
  LineRouter(std::vector<Output*> outputs, const std::vector<std::vector<std::size_t>>& book_outputs,
             std::optional<std::uint64_t> count, const Log& log);

  /// Where connection `c`'s feed appends its lines.
  std::string& lines_for(std::size_t c);
  /// Connection `c`'s feed appended `n` whole lines to lines_for(c) from `before`, described by `of`.
  void placed(std::size_t c, const std::vector<LineOf>& of, std::size_t before, std::uint32_t n);
  /// Appends one whole line to output `i` as it is (the capture's lines).
  void add(std::size_t i, std::string_view line);
  /// From now on --count counts the lines add_frame() adds instead of book lines (--raw).
  void count_frames() { frames_counted_ = true; }
  /// add(), for a captured frame; past --count's frames (count_frames()) it is dropped: false.
  bool add_frame(std::size_t i, std::string_view line);
  /// Writes every line waiting.
  void flush();
  /// Whether lines are waiting.
  bool waiting() const { return !dirty_.empty(); }
  /// Reopens every output (SIGHUP); "" or the first error.
  std::string reopen();
  /// The stop a write or --count asked for since the last call, if any.
  std::optional<Stop> take_stop();
  /// Book lines made (for --count; records apart).
  std::uint64_t book_lines() const { return lines_; }
  /// --markers records written, an output each.
  std::uint64_t records() const { return records_; }
  /// Lines the outputs took, records included.
  std::uint64_t written() const;
  /// Lines output `i` took.
  std::uint64_t written(std::size_t i) const { return batches_.at(i).written(); }
  /// Bytes the outputs took, padding included.
  std::uint64_t written_bytes() const;
  /// Writes that failed (a full disk, an unwritable file).
  std::uint64_t write_errors() const { return write_errors_; }
  /// Lines the outputs did not take because their readers were too far behind.
  std::uint64_t dropped() const;
  /// What finish() found.
  struct Finished {
    std::vector<std::uint64_t> unwritten;  ///< per output: lines it took and did not write
    bool timed_out = false;                ///< an output's reader did not take its lines in time
  };
  /// Waits until `deadline` for the outputs to write what they took and logs what they did not
  /// (lines after a reader left, as with `| head`, are not counted: that reader wanted no more).
  Finished finish(std::chrono::steady_clock::time_point deadline);
  /// How many outputs there are.
  std::size_t outputs() const { return batches_.size(); }

 private:
  void deliver(std::size_t c, const LineOf& of, std::string_view line);
  void mark_dirty(std::size_t batch);
  void flush_batch(std::size_t i);
  void ask_stop(int code, std::string why);
  void note_dropping(std::size_t i, const WriteResult& r, std::uint64_t dropped_before);

  const Log& log_;
  std::uint64_t limit_;  // 0: no --count
  std::vector<LineBatch> batches_;
  std::vector<std::vector<std::size_t>> book_outputs_;  // per connection, per book
  std::vector<std::optional<std::size_t>> targets_;     // per connection: the one batch all its lines go to
  std::vector<std::vector<std::size_t>> reaches_;       // per connection: every batch its books' lines go to
  std::vector<std::size_t> dirty_;  // batches with lines waiting, each once
  std::vector<bool> listed_;        // per batch: in dirty_
  struct Dropping {
    std::uint64_t since;  // dropped() when its reader fell behind
    std::string why;
  };
  std::vector<std::optional<Dropping>> dropping_;  // per batch
  std::vector<bool> failed_;  // per batch: a write failed, counted and logged already
  std::string routed_;   // the lines of a connection whose books go to several outputs
  std::string scratch_;  // a frame's lines while they are laid out one by one
  std::uint64_t lines_ = 0;
  std::uint64_t records_ = 0;
  std::uint64_t frames_ = 0;
  std::uint64_t write_errors_ = 0;
  bool frames_counted_ = false;
  std::optional<Stop> stop_;
};

}  // namespace wsbook
