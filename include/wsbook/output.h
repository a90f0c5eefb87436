#pragma once
// Where lines go: stdout or a file opened for append. Whole lines or nothing.

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

/// A sink for whole lines.
class Output {
 public:
  virtual ~Output() = default;
  /// Writes `lines` (whole `\n`-terminated lines) completely, retrying short
  /// writes; on failure the file keeps the whole lines that fit and no part of another.
  virtual WriteResult write(std::string_view lines) = 0;
  /// Reopens the output (SIGHUP after logrotate moved the file); "" or an error.
  virtual std::string reopen() = 0;
};

/// Standard output (fd 1).
std::unique_ptr<Output> make_stdout_output();

/// Opens `path` for append, creating it; returns nullptr and sets `error` on failure.
/// A torn last line left by a crash is cut off first, and `warning` says so.
std::unique_ptr<Output> open_file_output(const std::string& path, std::string& error,
                                         std::string& warning);

}  // namespace wsbook
