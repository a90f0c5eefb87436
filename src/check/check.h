#pragma once
// `wsbook check`: a written book file read back, line by line, against what
// wsbook writes and the rules its --markers records keep, symbol by symbol.
// Pure logic: the caller feeds the bytes (check_main.cpp reads the files).

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace wsbook::check {

/// What can be wrong with one symbol's lines or records.
enum class BookDefect : std::uint8_t {
  crossed,       ///< best bid >= best ask
  unsorted,      ///< bids not descending or asks not ascending
  duplicate,     ///< one price twice on a side
  non_positive,  ///< a price or an amount that is not above 0
  bad_number,    ///< a number that is no exact decimal (exponent, too many digits)
  ts_backwards,  ///< ts below the symbol's line before
  silence,       ///< more time than CheckLimits::max_silence_ms since the symbol's line before
  no_book,       ///< a line after a gap or disconnect record without a resync since
  resync_open,   ///< a resync record while the symbol's book was open
  gap_no_book,   ///< a gap record while no book of the symbol was open
  connect_open,  ///< a connect record naming the symbol while its book was open (no gap or disconnect)
};
/// How many BookDefect values there are.
inline constexpr std::size_t kBookDefects = 11;

/// What can be wrong with a file as a whole.
enum class FileDefect : std::uint8_t {
  torn,        ///< the last line has no newline, or is not JSON
  not_json,    ///< a line that is not JSON (the torn last line not counted)
  not_wsbook,  ///< JSON, but neither a book line nor a record as wsbook writes them
};
/// How many FileDefect values there are.
inline constexpr std::size_t kFileDefects = 3;

/// How often one kind of defect was found, and where first.
struct Finding {
  std::uint64_t count = 0;  ///< lines (or records) that have it
  std::uint64_t first = 0;  ///< the first one's line number, from 1; 0 while count is 0
  /// One more, at line `line`.
  void add(std::uint64_t line) { first = count++ == 0 ? line : first; }
};

/// What one symbol's lines and records showed.
struct BookReport {
  std::string exchange;           ///< as its lines or records name it; "" if none does
  std::string symbol;             ///< as its lines or records name it; else (an untagged book) the file's stem
  bool named_by_file = false;     ///< `symbol` is the file's stem: no line or record named it
  std::uint64_t lines = 0;        ///< book lines
  std::int64_t first_ts = 0;      ///< of its first book line
  std::int64_t last_ts = 0;       ///< of its last book line
  std::int64_t longest_silence_ms = 0;  ///< the most time between two of its book lines
  std::uint64_t silence_line = 0;       ///< the line that ended that silence; 0: fewer than two lines
  std::int64_t ts_gcd = 0;        ///< the gcd of its lines' ts: an --interval file's interval (or a multiple of it)
  std::uint64_t gaps = 0;         ///< its gap records
  std::uint64_t resyncs = 0;      ///< its resync records
  std::array<Finding, kBookDefects> defects{};  ///< by BookDefect
  /// The finding of defect `d`.
  Finding& operator[](BookDefect d) { return defects[static_cast<std::size_t>(d)]; }
  /// The finding of defect `d`.
  const Finding& operator[](BookDefect d) const { return defects[static_cast<std::size_t>(d)]; }
};

/// What one file showed.
struct FileReport {
  std::string name;              ///< as given
  std::uint64_t lines = 0;       ///< every line, a torn last one included
  std::uint64_t records = 0;     ///< --markers records
  std::vector<BookReport> books;  ///< in the order first seen
  std::array<Finding, kFileDefects> defects{};  ///< by FileDefect
  std::string torn_reason;       ///< for a torn last line: why it is torn
  /// The finding of defect `d`.
  Finding& operator[](FileDefect d) { return defects[static_cast<std::size_t>(d)]; }
  /// The finding of defect `d`.
  const Finding& operator[](FileDefect d) const { return defects[static_cast<std::size_t>(d)]; }
};

/// Kinds of defect found in `book`: each book defect that occurred.
std::uint64_t finding_count(const BookReport& book);
/// Kinds of defect found in `report`: each file defect, and each book defect of each book, that occurred.
std::uint64_t finding_count(const FileReport& report);

/// What counts as a defect beyond the file's own rules.
struct CheckLimits {
  std::int64_t max_silence_ms = 0;  ///< a symbol this long without a line is a finding; 0: never
};

class RecordReader;
struct Record;

/// Reads one file: fed its bytes in any pieces, it checks each line as it completes.
class FileCheck {
 public:
  /// A check of the file called `name` (the report's name, and the untagged book's if nothing names it).
  explicit FileCheck(std::string name, CheckLimits limits = {});
  ~FileCheck();
  FileCheck(const FileCheck&) = delete;
  FileCheck& operator=(const FileCheck&) = delete;

  /// The next bytes of the file: each line they complete is checked.
  void feed(std::string_view bytes);
  /// Checks one whole line, without its newline (page padding allowed).
  void line(std::string_view text);
  /// The file ended: anything after its last newline is a torn line. The report.
  FileReport finish();

 private:
  enum class Series : std::uint8_t { unknown, open, closed };
  struct Book {
    BookReport report;
    Series series = Series::unknown;  // unknown: no record of it yet (a file may start mid-book)
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  void book_line(std::string_view exchange, std::string_view symbol, std::int64_t ts, unsigned defects);
  void other_line(std::string_view text);
  void record(const Record& r);
  void book_record(const Record& r);
  Book& book_of(std::string_view exchange, std::string_view symbol);
  static void change_series(Book& b, const Record& r);

  std::string name_;
  CheckLimits limits_;
  FileReport report_;
  std::deque<Book> books_;  // [0]: the file's untagged book; a deque, so that references stay
  std::unordered_map<std::string, std::size_t, Hash, std::equal_to<>> index_;
  std::string key_;          // exchange '\0' symbol, reused
  std::string carry_;        // a line that the last feed() left unfinished
  std::uint64_t line_no_ = 0;
  bool own_bound_ = false;   // the untagged book is the symbol of the first gap or resync record
  bool last_not_json_ = false;
  std::unique_ptr<RecordReader> records_;
};

/// Checks `text` as the whole of the file called `name`.
FileReport check_text(std::string name, std::string_view text, CheckLimits limits = {});

}  // namespace wsbook::check
