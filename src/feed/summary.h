#pragma once
// Internal: the end-of-run summary: the counters of every connection's feed
// together, then, when there were many symbols, the symbols that had trouble.

#include <cstdint>
#include <string>
#include <vector>

#include "wsbook/feed.h"
#include "wsbook/log.h"

namespace wsbook {

/// "N lines written; F frames, ...": every feed's counters added up; `records` written besides, if any.
std::string summary_text(const FeedStats& total, std::uint64_t written_lines, std::uint64_t records = 0);
/// One symbol's line: "BTCUSD: 120 lines, rebuilt 2 times (last: checksum mismatch ...)".
std::string symbol_text(const SymbolReport& r);
/// Logs the summary of `feeds` (info), and of each symbol with trouble (all with -v).
void log_summary(const Log& log, const std::vector<const Feed*>& feeds, std::uint64_t written_lines,
                 std::uint64_t records = 0);

}  // namespace wsbook
