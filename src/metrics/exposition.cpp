// The text exposition format: a family's HELP and TYPE, then its samples, one
// family after another; label values escaped as the format says.
#include "metrics/exposition.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <algorithm>
#include <limits>

namespace wsbook::metrics {
namespace {

void append_label_value(std::string_view v, std::string& out) {
  for (const char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
}

void append_value(double v, std::string& out) {
  if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
    return;
  }
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%.3f", v);
  out.append(buf, static_cast<std::size_t>(n));
}

void append_value(std::uint64_t v, std::string& out) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

void family(std::string_view name, std::string_view type, std::string_view help, std::string& out) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

// `name{exchange="..",symbol=".."[,extra]} `
void symbol_sample(std::string_view name, const CrawlSnapshot& s, const SymbolReport& r, std::string_view extra,
                   std::string& out) {
  out.append(name).append("{exchange=\"");
  append_label_value(s.exchange, out);
  out += "\",symbol=\"";
  append_label_value(r.symbol, out);
  out += '"';
  out.append(extra).append("} ");
}

template <class Value>
void per_symbol(std::string_view name, std::string_view type, std::string_view help, const CrawlSnapshot& s,
                Value&& value, std::string& out) {
  if (s.symbols.empty()) return;  // no HELP and TYPE without a sample: a raw crawl has no symbols
  family(name, type, help, out);
  for (const SymbolReport& r : s.symbols) {
    symbol_sample(name, s, r, "", out);
    append_value(value(r), out);
    out += '\n';
  }
}

void book_levels(const CrawlSnapshot& s, std::string& out) {
  if (s.symbols.empty()) return;
  family("wsbook_book_levels", "gauge", "Price levels the book holds, per side.", out);
  for (const SymbolReport& r : s.symbols) {
    symbol_sample("wsbook_book_levels", s, r, ",side=\"bid\"", out);
    append_value(std::uint64_t{r.bids}, out);
    out += '\n';
    symbol_sample("wsbook_book_levels", s, r, ",side=\"ask\"", out);
    append_value(std::uint64_t{r.asks}, out);
    out += '\n';
  }
}

template <class Value>
void single(std::string_view name, std::string_view type, std::string_view help, Value v, std::string& out) {
  family(name, type, help, out);
  out.append(name).append(" ");
  append_value(v, out);
  out += '\n';
}

void symbol_families(const CrawlSnapshot& s, std::string& out) {
  using R = const SymbolReport&;
  per_symbol("wsbook_lines_total", "counter", "Book lines made for the output (written within the flush interval).",
             s, [](R r) { return r.lines; }, out);
  per_symbol("wsbook_frames_total", "counter", "Frames that carried a message of the symbol.", s,
             [](R r) { return r.frames; }, out);
  per_symbol("wsbook_gaps_total", "counter", "Times the symbol's trusted series broke (a gap record).", s,
             [](R r) { return r.gaps; }, out);
  per_symbol("wsbook_resyncs_total", "counter", "Times the book was trusted again after a break.", s,
             [](R r) { return r.resyncs; }, out);
  per_symbol("wsbook_book_trusted", "gauge", "1 while the book is trusted (its lines are written), else 0.", s,
             [](R r) { return std::uint64_t{r.trusted ? 1u : 0u}; }, out);
  per_symbol("wsbook_last_frame_age_seconds", "gauge",
             "Seconds since a frame of the symbol (an update or a heartbeat) came; +Inf: none yet.", s,
             [&s](R r) { return age_seconds(r.heard_ms, s.now_ms); }, out);
  book_levels(s, out);
}

void process_families(const ProcessStats& p, std::string& out) {
  single("process_cpu_seconds_total", "counter", "User and system CPU time spent in seconds.", p.cpu_seconds, out);
  single("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", p.resident_bytes, out);
  single("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", p.virtual_bytes, out);
  single("process_open_fds", "gauge", "Number of open file descriptors.", p.open_fds, out);
  single("process_max_fds", "gauge", "Maximum number of open file descriptors.", p.max_fds, out);
  single("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.",
         p.start_time_seconds, out);
}

}  // namespace

double age_seconds(std::int64_t heard_ms, std::int64_t now_ms) {
  if (heard_ms == 0) return std::numeric_limits<double>::infinity();
  return static_cast<double>(std::max<std::int64_t>(now_ms - heard_ms, 0)) / 1000.0;
}

std::string render_exposition(const CrawlSnapshot& s) {
  std::string out;
  out.reserve(256 + s.symbols.size() * 900);
  symbol_families(s, out);
  single("wsbook_reconnects_total", "counter", "Reconnects after a connection ended or failed.", s.reconnects, out);
  single("wsbook_connections", "gauge", "Connections open now.", s.connections, out);
  single("wsbook_output_bytes_total", "counter", "Bytes written to the outputs (before compression).",
         s.output_bytes, out);
  single("wsbook_output_errors_total", "counter", "Writes to an output that failed (each ends the run, exit 1).",
         s.output_errors, out);
  single("wsbook_output_dropped_lines_total", "counter",
         "Lines dropped because the reader of a pipe or terminal fell too far behind.", s.output_dropped, out);
  if (s.process) process_families(*s.process, out);
  return out;
}

}  // namespace wsbook::metrics
