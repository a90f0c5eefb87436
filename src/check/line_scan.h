#pragma once
// Internal to `wsbook check`: reading one line. Book lines, nearly every line
// of a file, are read by hand in the one layout wsbook writes, their numbers
// as exact decimals; anything else goes to simdjson, to tell a record from a
// line that is not JSON or not wsbook's.

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "check/check.h"

namespace wsbook::check {

/// The bit of `d` in a ScannedLine's defects.
constexpr unsigned bit(BookDefect d) { return 1u << static_cast<unsigned>(d); }

/// A book line as read: whose it is, when, and what is wrong with its levels.
struct ScannedLine {
  std::string_view exchange;  ///< "" for an untagged line
  std::string_view symbol;    ///< "" for an untagged line
  std::int64_t ts = 0;
  unsigned defects = 0;  ///< bit() of each defect its levels have
};

/// Reads `text` (no newline, no padding) as a book line in wsbook's layout, with
/// any --fields; false if it is not one.
bool scan_book_line(std::string_view text, ScannedLine& out);

/// A --markers record as read; its views live until the next RecordReader::read().
struct Record {
  enum class Event : std::uint8_t { connect, disconnect, gap, resync };
  Event event = Event::gap;
  std::string_view exchange;
  std::string_view symbol;                ///< gap and resync
  std::vector<std::string_view> symbols;  ///< connect and disconnect: the connection's
  std::uint64_t line = 0;                 ///< its line number, set by the caller
};

/// What a line that is not a book line is.
enum class LineKind : std::uint8_t { record, not_json, not_wsbook };

/// Reads the lines that are not book lines, with a parser kept from line to line.
class RecordReader {
 public:
  RecordReader();
  ~RecordReader();
  RecordReader(const RecordReader&) = delete;
  RecordReader& operator=(const RecordReader&) = delete;
  /// A record (into `out`), or what else `text` is.
  LineKind read(std::string_view text, Record& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wsbook::check
