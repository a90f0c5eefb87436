#include "check/check.h"

#include <cstring>
#include <numeric>

#include "check/line_scan.h"

namespace wsbook::check {
namespace {

// The name of a file's book when nothing in it says its symbol: "BTCUSD" of "data/BTCUSD.txt".
std::string stem_of(std::string_view name) {
  if (const auto slash = name.rfind('/'); slash != std::string_view::npos) name.remove_prefix(slash + 1);
  if (const auto dot = name.rfind('.'); dot != std::string_view::npos && dot > 0) name = name.substr(0, dot);
  return std::string(name);
}

bool names(const Record& r, std::string_view symbol) {
  for (std::string_view s : r.symbols) {
    if (s == symbol) return true;
  }
  return false;
}

}  // namespace

std::uint64_t finding_count(const BookReport& book) {
  std::uint64_t n = 0;
  for (const Finding& f : book.defects) n += f.count > 0;
  return n;
}

std::uint64_t finding_count(const FileReport& report) {
  std::uint64_t n = 0;
  for (const Finding& f : report.defects) n += f.count > 0;
  for (const BookReport& b : report.books) n += finding_count(b);
  return n;
}

FileCheck::FileCheck(std::string name, CheckLimits limits)
    : name_(std::move(name)), limits_(limits), books_(1), records_(std::make_unique<RecordReader>()) {
  report_.name = name_;
}

FileCheck::~FileCheck() = default;

// Lines are checked where they lie in `bytes`; only one cut by the end of it is copied.
void FileCheck::feed(std::string_view bytes) {
  while (!bytes.empty()) {
    const void* nl = std::memchr(bytes.data(), '\n', bytes.size());
    if (nl == nullptr) {
      carry_.append(bytes);
      return;
    }
    const auto n = static_cast<std::size_t>(static_cast<const char*>(nl) - bytes.data());
    if (carry_.empty()) {
      line(bytes.substr(0, n));
    } else {
      carry_.append(bytes.substr(0, n));
      line(carry_);
      carry_.clear();
    }
    bytes.remove_prefix(n + 1);
  }
}

void FileCheck::line(std::string_view text) {
  ++line_no_;
  // Page padding: spaces before the newline (src/output/output.cpp).
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  ScannedLine scanned;
  if (scan_book_line(text, scanned)) {
    last_not_json_ = false;
    book_line(scanned.exchange, scanned.symbol, scanned.ts, scanned.defects);
  } else {
    other_line(text);
  }
}

void FileCheck::book_line(std::string_view exchange, std::string_view symbol, std::int64_t ts, unsigned defects) {
  Book& b = symbol.empty() ? books_.front() : book_of(exchange, symbol);
  BookReport& r = b.report;
  for (std::size_t d = 0; d < kBookDefects; ++d) {
    if ((defects & (1u << d)) != 0) r.defects[d].add(line_no_);
  }
  if (r.lines++ == 0) {
    r.first_ts = ts;
  } else {
    if (ts < r.last_ts) r[BookDefect::ts_backwards].add(line_no_);
    const std::int64_t quiet = ts - r.last_ts;
    if (quiet > r.longest_silence_ms || (r.silence_line == 0 && quiet >= 0)) {
      r.longest_silence_ms = quiet;
      r.silence_line = line_no_;
    }
    if (limits_.max_silence_ms > 0 && quiet > limits_.max_silence_ms) r[BookDefect::silence].add(line_no_);
  }
  if (r.ts_gcd != 1) r.ts_gcd = std::gcd(r.ts_gcd, ts);
  r.last_ts = ts;
  if (b.series == Series::closed) r[BookDefect::no_book].add(line_no_);
  else b.series = Series::open;  // from unknown: a book that began before the file did
}

void FileCheck::other_line(std::string_view text) {
  Record r;
  switch (records_->read(text, r)) {
    case LineKind::not_json:
      report_[FileDefect::not_json].add(line_no_);
      last_not_json_ = true;
      return;
    case LineKind::not_wsbook: report_[FileDefect::not_wsbook].add(line_no_); break;
    case LineKind::record:
      r.line = line_no_;
      ++report_.records;
      record(r);
      break;
  }
  last_not_json_ = false;
}

FileCheck::Book& FileCheck::book_of(std::string_view exchange, std::string_view symbol) {
  key_.assign(exchange);
  key_ += '\0';
  key_.append(symbol);
  if (const auto it = index_.find(std::string_view(key_)); it != index_.end()) return books_[it->second];
  index_.emplace(key_, books_.size());
  Book& b = books_.emplace_back();
  b.report.exchange = exchange;
  b.report.symbol = symbol;
  return b;
}

// The untagged book is the symbol of the first gap or resync record: in a file
// of one symbol every such record is its own. A connection's records before that
// concern it too (it is on every connection that writes to the file).
void FileCheck::record(const Record& r) {
  Book& own = books_.front();
  const bool connection = r.event == Record::Event::connect || r.event == Record::Event::disconnect;
  if (connection) {
    for (std::string_view s : r.symbols) change_series(book_of(r.exchange, s), r);
    const bool own_named = own.report.exchange == r.exchange && names(r, own.report.symbol);
    if (!own_bound_ || own_named) change_series(own, r);
    return;
  }
  if (!own_bound_) {
    own_bound_ = true;
    own.report.exchange = r.exchange;
    own.report.symbol = r.symbol;
  }
  book_record(r);
}

void FileCheck::book_record(const Record& r) {
  Book& b = book_of(r.exchange, r.symbol);
  change_series(b, r);
  (r.event == Record::Event::gap ? b.report.gaps : b.report.resyncs)++;
  Book& own = books_.front();
  if (own.report.exchange == r.exchange && own.report.symbol == r.symbol) {
    change_series(own, r);
    (r.event == Record::Event::gap ? own.report.gaps : own.report.resyncs)++;
  }
}

// The rule: a resync opens a book; a gap or a disconnect ends it; lines only while one is open.
void FileCheck::change_series(Book& b, const Record& r) {
  const std::uint64_t line = r.line;
  BookReport& report = b.report;
  switch (r.event) {
    case Record::Event::connect:
      if (b.series == Series::open) report[BookDefect::connect_open].add(line);
      b.series = Series::closed;
      break;
    case Record::Event::disconnect: b.series = Series::closed; break;
    case Record::Event::gap:
      if (b.series == Series::closed) report[BookDefect::gap_no_book].add(line);
      b.series = Series::closed;
      break;
    case Record::Event::resync:
      if (b.series == Series::open) report[BookDefect::resync_open].add(line);
      b.series = Series::open;
      break;
  }
}

FileReport FileCheck::finish() {
  report_.lines = line_no_;
  if (!carry_.empty()) {
    report_.lines = ++line_no_;
    report_[FileDefect::torn].add(line_no_);
    report_.torn_reason = "no newline at its end";
  } else if (last_not_json_) {
    Finding& not_json = report_[FileDefect::not_json];
    if (--not_json.count == 0) not_json.first = 0;
    report_[FileDefect::torn].add(line_no_);
    report_.torn_reason = "not JSON";
  }
  const Book& own = books_.front();
  for (std::size_t i = 0; i < books_.size(); ++i) {
    const BookReport& b = books_[i].report;
    // A symbol only a connection's record names is another file's; the untagged
    // book's own records are told with its lines.
    const bool own_symbol = own.report.lines > 0 && b.exchange == own.report.exchange && b.symbol == own.report.symbol;
    if (b.lines > 0 || (i > 0 && !own_symbol && finding_count(b) + b.gaps + b.resyncs > 0)) {
      report_.books.push_back(b);
    }
  }
  if (own.report.lines > 0 && !own_bound_) {
    report_.books.front().symbol = stem_of(name_);
    report_.books.front().named_by_file = true;
  }
  return std::move(report_);
}

FileReport check_text(std::string name, std::string_view text, CheckLimits limits) {
  FileCheck check(std::move(name), limits);
  check.feed(text);
  return check.finish();
}

}  // namespace wsbook::check
