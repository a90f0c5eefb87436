#pragma once
// Where lines go: stdout or a file opened for append. Whole lines or nothing.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace wsbook {

/// The outcome of writing a batch of lines.
struct WriteResult {
  enum class Status : unsigned char {
    ok,
    closed,  ///< the reader went away (EPIPE): a normal end for a pipeline
    failed,  ///< the disk is full or the file cannot be written: a runtime failure
    dropped,  ///< the reader is too far behind: these lines were not taken (a live crawl cannot wait)
  };
  Status status = Status::ok;
  std::string error;  ///< what went wrong, in plain words; for dropped, who is behind ("the reader of ...")
};

/// Where the next write lands: its offset in a regular file and the page size.
/// `page` (a power of two) is 0 for a pipe or a terminal, where pages mean nothing.
struct Placement {
  std::uint64_t offset = 0;
  std::size_t page = 0;
};

/// What finish() found: the lines given to write() that never reached the output, and why.
struct FinishResult {
  std::uint64_t unwritten = 0;  ///< lines taken by write() and not written
  WriteResult result;  ///< failed or closed: a write after the last write() call went wrong, or the wait ran out
  bool timed_out = false;  ///< the deadline passed with lines still waiting
};

/// A sink for whole lines.
class Output {
 public:
  virtual ~Output() = default;
  /// Writes `lines` (whole `\n`-terminated lines) completely, retrying short
  /// writes; on failure the file keeps the whole lines that fit and no part of another.
  virtual WriteResult write(std::string_view lines) = 0;
  /// Reopens the output (SIGHUP after logrotate moved the file); "" or an error.
  virtual std::string reopen() = 0;
  /// Where the next write lands (see PageLayout).
  virtual Placement placement() const = 0;
  /// Waits until every line given to write() is written, or until `deadline` (an output
  /// that writes in the background, see make_stdout_output()).
  virtual FinishResult finish(std::chrono::steady_clock::time_point /*deadline*/) { return {}; }
};

/// Pads lines with spaces before their newline so that none crosses a page
/// boundary of the file. Linux cuts a write interrupted by SIGKILL only at a
/// page boundary, so then the file still ends with a whole line. JSON allows
/// the spaces; lines longer than a page cannot be helped and are left alone.
class PageLayout {
 public:
  /// The next batch will be written at `where`.
  void reset(Placement where) { where_ = where; }
  /// `batch` (whole lines) just got one more line, starting at `start`: if it
  /// would cross a page boundary, pads the line before it up to the boundary.
  void placed(std::string& batch, std::size_t start);
  /// Before `batch` is written: pads its last line to the page end when a line
  /// a little longer would not fit after it.
  void seal(std::string& batch) const;

 private:
  Placement where_;
  std::size_t last_start_ = 0;  // where the batch's last line starts
};

/// Takes every line and keeps none (--raw: the books' lines).
std::unique_ptr<Output> make_discard_output();

/// Standard output (fd 1). `live`: where a write could block (a pipe, a FIFO, a socket, a
/// terminal), lines are written by a thread of their own, so a reader that stops reading
/// never stops the caller (see make_queued_output()).
std::unique_ptr<Output> make_stdout_output(bool live = false);

/// Standard error, for the log (Log::send_to), written by a thread of its own where a write could
/// block (a pipe, a terminal, the journal's socket); nullptr where it cannot (a file, /dev/null).
std::unique_ptr<Output> make_stderr_output();

/// Opens `path` for append, creating it; returns nullptr and sets `error` on failure.
/// A torn last line left by a crash is cut off first, and `warning` says so. `live`: as
/// for make_stdout_output(), when `path` is a FIFO or a terminal.
std::unique_ptr<Output> open_file_output(const std::string& path, std::string& error,
                                         std::string& warning, bool live = false);

/// Writes `inner`'s lines on a thread of its own: write() only queues them. Past `max_bytes`
/// waiting, write() takes nothing (Status::dropped) until the reader catches up. Each write(2)
/// is whole lines of at most PIPE_BUF bytes where lines are that short, so a pipe never holds
/// part of a line when the process leaves. `name` is for messages ("standard output").
std::unique_ptr<Output> make_queued_output(std::unique_ptr<Output> inner, std::string name,
                                           std::size_t max_bytes);

/// Whether an output at `path` is compressed (it ends in ".zst").
bool is_zstd_path(std::string_view path);

/// Like open_file_output, compressing with zstd at `level`: each batch is a flushed block, so
/// the file decodes up to its last whole batch. An unfinished last frame left by a crash is
/// cut to its whole lines first, and `warning` says so; a file that is not zstd is refused.
std::unique_ptr<Output> open_zstd_output(const std::string& path, int level, std::string& error,
                                         std::string& warning);

}  // namespace wsbook
