#pragma once
// `wsbook check`'s reports: in words (a block per file, a line per book) or
// as JSON, and the summary of every file checked.

#include <cstdint>
#include <string>

#include "check/check.h"

namespace wsbook::check {

/// The totals over the files checked.
struct Summary {
  std::uint64_t files = 0;                ///< files read to their end
  std::uint64_t books = 0;                ///< books reported, over every file
  std::uint64_t lines = 0;                ///< lines, over every file
  std::uint64_t findings = 0;             ///< kinds of defect found, over every file and book
  std::uint64_t files_with_findings = 0;  ///< files with at least one finding
  /// Counts one more file.
  void add(const FileReport& report);
};

/// The interval an --interval file's lines keep (every ts a multiple of it); 0 if they keep none.
std::int64_t interval_of(const BookReport& book);

/// Appends the report of one file in words: its line, a line per book, a line per file defect.
void append_text(const FileReport& report, std::string& out);
/// Appends the last line of the report in words: the totals and the verdict.
void append_text(const Summary& summary, std::string& out);
/// Appends the JSON object of one file's report.
void append_json(const FileReport& report, std::string& out);
/// Appends the JSON object of the totals.
void append_json(const Summary& summary, std::string& out);

}  // namespace wsbook::check
