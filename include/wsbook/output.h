#pragma once
// Where lines go: stdout or a file opened for append. Whole lines or nothing.

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
  };
  Status status = Status::ok;
  std::string error;  ///< for failed: what went wrong, in plain words
};

/// Where the next write lands: its offset in a regular file and the page size.
/// `page` (a power of two) is 0 for a pipe or a terminal, where pages mean nothing.
struct Placement {
  std::uint64_t offset = 0;
  std::size_t page = 0;
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

/// Standard output (fd 1).
std::unique_ptr<Output> make_stdout_output();

/// Opens `path` for append, creating it; returns nullptr and sets `error` on failure.
/// A torn last line left by a crash is cut off first, and `warning` says so.
std::unique_ptr<Output> open_file_output(const std::string& path, std::string& error,
                                         std::string& warning);

/// Whether an output at `path` is compressed (it ends in ".zst").
bool is_zstd_path(std::string_view path);

/// Like open_file_output, compressing with zstd at `level`: each batch is a flushed block, so
/// the file decodes up to its last whole batch. An unfinished last frame left by a crash is
/// cut to its whole lines first, and `warning` says so; a file that is not zstd is refused.
std::unique_ptr<Output> open_zstd_output(const std::string& path, int level, std::string& error,
                                         std::string& warning);

}  // namespace wsbook
