#pragma once
// Internal: the lines waiting for one output, laid out (PageLayout) for where
// they will land, and written as one batch.

#include <cstdint>
#include <string>
#include <string_view>

#include "wsbook/output.h"

namespace wsbook {

/// Lines waiting for one output.
class LineBatch {
 public:
  /// `output` must outlive the batch.
  explicit LineBatch(Output& output);
  /// The text of the lines waiting, for a feed to append whole lines to.
  std::string& text() { return pending_; }
  /// One line was appended to text(), starting at `start`.
  void placed(std::size_t start);
  /// Appends one whole line (with its newline).
  void add(std::string_view line);
  /// Bytes waiting.
  std::size_t size() const { return pending_.size(); }
  /// Writes every line waiting; the output's outcome.
  WriteResult flush();
  /// Reopens the output (SIGHUP); "" or the error.
  std::string reopen();
  /// Lines the output took.
  std::uint64_t written() const { return written_; }
  /// Bytes the output took, padding included.
  std::uint64_t written_bytes() const { return written_bytes_; }
  /// Lines the output did not take: its reader was too far behind (WriteResult::Status::dropped).
  std::uint64_t dropped() const { return dropped_; }
  /// Waits for the output to write what it took, until `deadline`.
  FinishResult finish(std::chrono::steady_clock::time_point deadline) { return output_.finish(deadline); }

 private:
  Output& output_;
  std::string pending_;
  PageLayout layout_;
  std::uint64_t pending_lines_ = 0;
  std::uint64_t written_ = 0;
  std::uint64_t written_bytes_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace wsbook
