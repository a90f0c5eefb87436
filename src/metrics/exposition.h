#pragma once
// Internal: what a crawl shows of itself while it runs (--metrics and the
// status line): its symbols' books, its connections and outputs, the process.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wsbook/feed.h"

namespace wsbook::metrics {

/// The standard process_ figures, where Linux gives them cheaply.
struct ProcessStats {
  double cpu_seconds = 0;          ///< user + system
  std::uint64_t resident_bytes = 0;  ///< RSS
  std::uint64_t virtual_bytes = 0;   ///< the address space's size
  std::uint64_t open_fds = 0;        ///< descriptors open now
  std::uint64_t max_fds = 0;       ///< the soft limit
  double start_time_seconds = 0;  ///< unix seconds
};

/// The process's figures now.
ProcessStats read_process_stats();

/// A crawl at one moment.
struct CrawlSnapshot {
  std::string exchange;                 ///< the venue's --exchange name, the `exchange` label
  std::vector<SymbolReport> symbols;    ///< every symbol of every connection
  std::uint64_t reconnects = 0;         ///< over every connection
  std::uint64_t connections = 0;        ///< open now
  std::uint64_t lines = 0;              ///< book lines made
  std::uint64_t output_bytes = 0;       ///< bytes the outputs took
  std::uint64_t output_errors = 0;      ///< writes that failed
  std::uint64_t output_dropped = 0;     ///< lines dropped because a reader was too far behind
  std::int64_t now_ms = 0;              ///< unix ms, for the ages
  std::optional<ProcessStats> process;  ///< the process_ figures, if wanted
};

/// The snapshot in Prometheus's text exposition format (version 0.0.4).
std::string render_exposition(const CrawlSnapshot& s);

/// How long ago `heard_ms` was at `now_ms`, in seconds; +infinity for never (0).
double age_seconds(std::int64_t heard_ms, std::int64_t now_ms);

}  // namespace wsbook::metrics
