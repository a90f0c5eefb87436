#include "check/report.h"

#include <cstdio>
#include <ctime>
#include <string_view>
#include <utility>

#include "json/escape.h"

namespace wsbook::check {
namespace {

// A defect's JSON key, its words in the text report, and what it counts.
struct DefectText {
  std::string_view key;
  std::string_view words;
  std::string_view unit;
};

constexpr DefectText kBookTexts[kBookDefects] = {
    {"crossed", "crossed book (best bid >= best ask)", "line"},
    {"unsorted", "unsorted levels (bids must go down, asks up)", "line"},
    {"duplicate_level", "duplicate levels (a price twice on a side)", "line"},
    {"non_positive", "a price or an amount not above 0", "line"},
    {"bad_number", "a number that is no exact decimal", "line"},
    {"ts_backwards", "ts going backwards", "line"},
    {"silence", "silent for longer than --max-silence", "line"},
    {"line_without_book", "lines with no book open (after a gap or disconnect, before a resync)", "line"},
    {"resync_while_open", "resync while its book was open", "record"},
    {"gap_without_book", "gap with no book open", "record"},
    {"connect_while_open", "connect while its book was open (no gap or disconnect before it)", "record"},
};

constexpr DefectText kFileTexts[kFileDefects] = {
    {"torn_last_line", "torn last line", "line"},
    {"not_json", "not JSON", "line"},
    {"not_wsbook", "JSON but no wsbook line or record", "line"},
};

void add_number(std::uint64_t n, std::string& out) { out += std::to_string(n); }

void add_count(std::uint64_t n, std::string_view unit, std::string& out) {
  add_number(n, out);
  out += ' ';
  out += unit;
  if (n != 1) out += 's';
}

// "2026-06-01T00:00:00.102Z"
void add_time(std::int64_t ms, std::string& out) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  ::gmtime_r(&seconds, &tm);
  char buf[40];
  const auto n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  out.append(buf, n);
  std::snprintf(buf, sizeof buf, ".%03dZ", static_cast<int>(ms % 1000));
  out += buf;
}

// "12.301 s" under a minute, else "3d 4h 5m 6s".
void add_duration(std::int64_t ms, std::string& out) {
  if (ms < 0) {  // a span whose last ts is before its first
    out += '-';
    ms = -ms;
  }
  char buf[64];
  if (ms < 60'000) {
    const auto n = static_cast<long long>(ms);
    std::snprintf(buf, sizeof buf, "%lld.%03lld s", n / 1000, n % 1000);
  } else {
    const auto s = static_cast<long long>(ms / 1000);
    const long long d = s / 86400, h = s / 3600 % 24, m = s / 60 % 60;
    if (d > 0) std::snprintf(buf, sizeof buf, "%lldd %lldh %lldm %llds", d, h, m, s % 60);
    else if (h > 0) std::snprintf(buf, sizeof buf, "%lldh %lldm %llds", h, m, s % 60);
    else std::snprintf(buf, sizeof buf, "%lldm %llds", m, s % 60);
  }
  out += buf;
}

// "crossed book (best bid >= best ask): 2 lines, first line 77"
void add_finding(const DefectText& text, const Finding& f, std::string& out) {
  out += text.words;
  out += ": ";
  if (f.count == 1) {
    out += text.unit;
    out += ' ';
  } else {
    add_count(f.count, text.unit, out);
    out += ", first line ";
  }
  add_number(f.first, out);
}

void add_book_name(const BookReport& b, std::string& out) {
  if (!b.exchange.empty()) out += b.exchange + ' ';
  out += b.symbol;
  if (b.named_by_file) out += " (named after the file)";
}

// ", <first> to <last> (<span>), longest silence 1.2 s (before line 8)"
void add_span(const BookReport& b, std::string& out) {
  if (b.lines == 1) {
    out += ", at ";
    add_time(b.first_ts, out);
  } else if (b.lines > 1) {
    out += ", ";
    add_time(b.first_ts, out);
    out += " to ";
    add_time(b.last_ts, out);
    out += " (";
    add_duration(b.last_ts - b.first_ts, out);
    out += ')';
  }
  if (b.silence_line > 0) {
    out += ", longest silence ";
    add_duration(b.longest_silence_ms, out);
    out += " (before line " + std::to_string(b.silence_line) + ')';
  }
}

// "  okx BTC-USDT: 99 lines, <span>, 1 gap, 2 resyncs: ok", or the findings instead of "ok".
void add_book_text(const BookReport& b, std::string& out) {
  out += "  ";
  add_book_name(b, out);
  out += ": ";
  add_count(b.lines, "line", out);
  add_span(b, out);
  if (const std::int64_t every = interval_of(b); every > 0) {
    out += ", ts every multiple of " + std::to_string(every) + " ms";
  }
  if (b.gaps + b.resyncs > 0) {
    out += ", ";
    add_count(b.gaps, "gap", out);
    out += ", ";
    add_count(b.resyncs, "resync", out);
  }
  const char* sep = ": ";
  for (std::size_t d = 0; d < kBookDefects; ++d) {
    if (b.defects[d].count == 0) continue;
    out += std::exchange(sep, "; ");
    add_finding(kBookTexts[d], b.defects[d], out);
  }
  out += finding_count(b) == 0 ? ": ok\n" : "\n";
}

void add_json_findings(const DefectText* texts, const Finding* findings, std::size_t n, std::string& out) {
  out += R"("defects":{)";
  const char* sep = "";
  for (std::size_t d = 0; d < n; ++d) {
    if (findings[d].count == 0) continue;
    out += std::exchange(sep, ",");
    append_json_string(texts[d].key, out);
    out += R"(:{"count":)" + std::to_string(findings[d].count);
    out += R"(,"first_line":)" + std::to_string(findings[d].first) + '}';
  }
  out += '}';
}

void add_json_book(const BookReport& b, std::string& out) {
  out += R"({"exchange":)";
  append_json_string(b.exchange, out);
  out += R"(,"symbol":)";
  append_json_string(b.symbol, out);
  out += std::string(R"(,"named_by_file":)") + (b.named_by_file ? "true" : "false");
  out += R"(,"lines":)" + std::to_string(b.lines);
  out += R"(,"first_ts":)" + std::to_string(b.first_ts) + R"(,"last_ts":)" + std::to_string(b.last_ts);
  out += R"(,"longest_silence_ms":)" + std::to_string(b.longest_silence_ms);
  out += R"(,"silence_line":)" + std::to_string(b.silence_line);
  const std::int64_t every = interval_of(b);
  out += R"(,"interval_ms":)" + (every > 0 ? std::to_string(every) : "null");
  out += R"(,"gaps":)" + std::to_string(b.gaps) + R"(,"resyncs":)" + std::to_string(b.resyncs);
  out += R"(,"findings":)" + std::to_string(finding_count(b)) + ',';
  add_json_findings(kBookTexts, b.defects.data(), kBookDefects, out);
  out += '}';
}

}  // namespace

void Summary::add(const FileReport& report) {
  ++files;
  books += report.books.size();
  lines += report.lines;
  const std::uint64_t found = finding_count(report);
  findings += found;
  files_with_findings += found > 0;
}

std::int64_t interval_of(const BookReport& book) {
  // Three lines of a line per update share a factor of 10 ms or more about once in 200 files.
  return book.lines >= 3 && book.ts_gcd >= 10 ? book.ts_gcd : 0;
}

void append_text(const FileReport& r, std::string& out) {
  out += r.name + ": ";
  add_count(r.lines, "line", out);
  if (r.records > 0) out += ", " + std::to_string(r.records) + (r.records == 1 ? " record" : " records");
  out += r.books.empty() && r.lines > 0 ? ", no book line\n" : "\n";
  for (const BookReport& b : r.books) add_book_text(b, out);
  for (std::size_t d = 0; d < kFileDefects; ++d) {
    if (r.defects[d].count == 0) continue;
    out += "  ";
    add_finding(kFileTexts[d], r.defects[d], out);
    if (static_cast<FileDefect>(d) == FileDefect::torn) out += " (" + r.torn_reason + ')';
    out += '\n';
  }
  if (r.records == 0 && !r.books.empty()) out += "  no records (written without --markers): gaps cannot be checked\n";
}

void append_text(const Summary& s, std::string& out) {
  out += "checked ";
  add_count(s.files, "file", out);
  out += ", ";
  add_count(s.books, "book", out);
  out += ", ";
  add_count(s.lines, "line", out);
  if (s.findings == 0) {
    out += ": clean\n";
    return;
  }
  out += ": ";
  add_count(s.findings, "finding", out);
  out += " in ";
  add_count(s.files_with_findings, "file", out);
  out += '\n';
}

void append_json(const FileReport& r, std::string& out) {
  out += R"({"file":)";
  append_json_string(r.name, out);
  out += R"(,"lines":)" + std::to_string(r.lines) + R"(,"records":)" + std::to_string(r.records);
  out += R"(,"findings":)" + std::to_string(finding_count(r)) + ',';
  add_json_findings(kFileTexts, r.defects.data(), kFileDefects, out);
  if (r[FileDefect::torn].count > 0) {
    out += R"(,"torn_reason":)";
    append_json_string(r.torn_reason, out);
  }
  out += R"(,"books":[)";
  for (std::size_t i = 0; i < r.books.size(); ++i) {
    if (i > 0) out += ',';
    add_json_book(r.books[i], out);
  }
  out += "]}";
}

void append_json(const Summary& s, std::string& out) {
  out += R"({"files":)" + std::to_string(s.files) + R"(,"books":)" + std::to_string(s.books);
  out += R"(,"lines":)" + std::to_string(s.lines) + R"(,"findings":)" + std::to_string(s.findings);
  out += R"(,"files_with_findings":)" + std::to_string(s.files_with_findings) + '}';
}

}  // namespace wsbook::check
