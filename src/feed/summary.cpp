#include "feed/summary.h"

namespace wsbook {
namespace {

// Past this many symbols with trouble, the rest are counted, not listed (all with -v).
constexpr std::size_t kListed = 20;

void add(FeedStats& to, const FeedStats& s) {
  to.frames += s.frames;
  to.lines += s.lines;
  to.dropped_before_snapshot += s.dropped_before_snapshot;
  to.malformed += s.malformed;
  to.gaps += s.gaps;
  to.checksum_mismatches += s.checksum_mismatches;
  to.crossed += s.crossed;
  to.resubscribes += s.resubscribes;
  to.absent_deletes += s.absent_deletes;
  to.fetches += s.fetches;
  to.fetch_failures += s.fetch_failures;
  to.records += s.records;
  to.late_frames += s.late_frames;
  to.skipped_instants += s.skipped_instants;
}

// What --interval had to do otherwise than asked, if anything.
std::string interval_text(const FeedStats& s) {
  if (s.late_frames == 0 && s.skipped_instants == 0) return {};
  return "; --interval: " + std::to_string(s.late_frames) + " frames handled after the instant they preceded, " +
         std::to_string(s.skipped_instants) + " instants skipped";
}

bool troubled(const SymbolReport& r) { return r.rejected || r.rebuilds > 0 || r.lines == 0; }

}  // namespace

std::string summary_text(const FeedStats& s, std::uint64_t written_lines, std::uint64_t records) {
  const std::string also = records > 0 ? " and " + std::to_string(records) + " records" : std::string();
  return std::to_string(written_lines) + " lines" + also + " written; " + std::to_string(s.frames) + " frames, " +
         std::to_string(s.dropped_before_snapshot) + " dropped before a snapshot, " + std::to_string(s.malformed) +
         " malformed, " + std::to_string(s.gaps) + " sequence gaps, " + std::to_string(s.checksum_mismatches) +
         " checksum mismatches, " + std::to_string(s.crossed) + " crossed books, " +
         std::to_string(s.resubscribes) + " books rebuilt on a live connection, " +
         std::to_string(s.absent_deletes) + " deletes of absent levels" +
         (s.fetches ? "; " + std::to_string(s.fetches) + " snapshots fetched, " + std::to_string(s.fetch_failures) +
                          " failed"
                    : std::string()) +
         interval_text(s);
}

std::string symbol_text(const SymbolReport& r) {
  std::string text = r.symbol + ": " + std::to_string(r.lines) + " lines";
  if (r.rejected) text += ", rejected by the venue";
  else if (!r.trusted) text += ", no trusted book at the end";
  if (r.rebuilds > 0) {
    text += ", rebuilt " + std::to_string(r.rebuilds) + (r.rebuilds == 1 ? " time" : " times");
    if (!r.last_problem.empty()) text += " (last: " + r.last_problem.substr(0, 160) + ")";
  }
  return text;
}

void log_summary(const Log& log, const std::vector<const Feed*>& feeds, std::uint64_t written_lines,
                 std::uint64_t records) {
  FeedStats total;
  std::vector<SymbolReport> symbols;
  for (const Feed* f : feeds) {
    add(total, f->stats());
    for (SymbolReport& r : f->symbol_reports()) symbols.push_back(std::move(r));
  }
  log.info(summary_text(total, written_lines, records));
  if (symbols.size() < 2) return;
  std::size_t trusted = 0, rejected = 0, listed = 0, unlisted = 0;
  for (const SymbolReport& r : symbols) {
    trusted += r.trusted ? 1 : 0;
    rejected += r.rejected ? 1 : 0;
  }
  log.info(std::to_string(symbols.size()) + " symbols: " + std::to_string(trusted) + " with a trusted book at the end, " +
           std::to_string(rejected) + " rejected");
  const bool all = log.enabled(LogLevel::debug);
  for (const SymbolReport& r : symbols) {
    if (!all && !troubled(r)) continue;
    if (!all && ++listed > kListed) {
      ++unlisted;
      continue;
    }
    log.info(symbol_text(r));
  }
  if (unlisted > 0) log.info("and " + std::to_string(unlisted) + " more symbols with trouble (-v lists every symbol)");
}

}  // namespace wsbook
